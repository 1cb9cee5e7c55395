/** Where the gateway is when neither the page's URL nor the build names one. */
const DEFAULT_GATEWAY = "http://127.0.0.1:8000";

/** The hosts `?gateway=` may name: this machine's (URL.hostname spells IPv6 in brackets). */
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/**
 * The gateway's base URL, without a trailing slash. `?gateway=` in the page's URL wins, so
 * one build serves any local gateway (the test's among them); then VITE_GATEWAY_URL at
 * build time; then a gateway on this machine's default port.
 *
 * `?gateway=` names loopback gateways only: the sign-in form sends the password to the
 * gateway, and a link must not be able to point a deployed app's form at another server.
 */
export function gatewayUrl(search: string = window.location.search): string {
  const fromPage = new URLSearchParams(search).get("gateway");
  const url = new URL(fromPage ?? import.meta.env.VITE_GATEWAY_URL ?? DEFAULT_GATEWAY); // throws on a non-URL
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`the gateway URL must be http or https, not ${url.protocol}`);
  }
  if (fromPage !== null && !LOOPBACK.has(url.hostname)) {
    throw new TypeError(
      `?gateway= may name a gateway on this machine only (${[...LOOPBACK].join(", ")}); ` +
        "build with VITE_GATEWAY_URL for another",
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
}
