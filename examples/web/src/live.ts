// Live updates: subscriptions over the gateway's websocket (graphql-transport-ws at
// /graphql) with the graphql-ws client. It connects when something subscribes, reconnects
// by itself and then sends each subscription again; nothing missed meanwhile is replayed,
// so whoever subscribes reads what it shows again (numbers.ts).
import { type Client, createClient } from "graphql-ws";
import { bearerAuthorization, requestBody } from "./client";
import type { TypedDocumentString } from "./gql/graphql";

/** The token no longer holds (revoked, expired, or the account suspended). */
const SIGNED_OUT = 4401;
/** The gateway refused connection_init's credentials. */
const REFUSED = 4403;
/** The subscriber fell more than 1,000 events behind. */
const FELL_BEHIND = 4429;

const MAX_RETRY_WAIT_MS = 30_000;

function closedWith(error: unknown, ...codes: number[]): boolean {
  return error instanceof CloseEvent && codes.includes(error.code);
}

/** A client for one session. A 4401 or 4403 ends the session, as a 401 does over HTTP. */
export function connectLive(gateway: string, accessToken: string, onUnauthenticated: () => void): Client {
  return createClient({
    url: `${gateway.replace(/^http/, "ws")}/graphql`, // http: → ws:, https: → wss:
    // A browser cannot set a websocket's headers: the token goes in connection_init.
    connectionParams: { Authorization: bearerAuthorization(accessToken) },
    // For as long as the session lasts, 1, 2, 4 … 30 s apart, jittered so that the
    // pages a gateway restart dropped do not all come back at once.
    retryAttempts: Infinity,
    retryWait: (retries) => {
      const wait = Math.min(1000 * 2 ** retries, MAX_RETRY_WAIT_MS) * (0.5 + Math.random() / 2);
      return new Promise((resolve) => setTimeout(resolve, wait));
    },
    // graphql-ws retries only close events by default, but a browser reports a socket
    // that cannot connect with an error event first; a refused token stays refused.
    shouldRetry: (error) => !closedWith(error, REFUSED),
    on: {
      closed: (event) => {
        if (closedWith(event, SIGNED_OUT, REFUSED)) {
          onUnauthenticated();
        }
      },
    },
  });
}

/**
 * Subscribes until the returned function is called. `failed` says why the subscription
 * ended by itself; the client's own reconnections are not failures.
 */
export function subscribe<TResult, TVariables extends Record<string, unknown>>(
  client: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
  on: { next: (data: TResult) => void; failed: (why: string) => void },
): () => void {
  // The protocol's payload has a query; the gateway takes "" next to a documentId as
  // the id alone (requestBody sends the text in dev builds).
  const payload = { query: "", ...requestBody(document, variables) };
  let stopped = false;
  let unsubscribe = () => {};
  const start = () => {
    unsubscribe = client.subscribe<TResult>(payload, {
      next: ({ data, errors }) => (data ? on.next(data) : on.failed(messages(errors))),
      error: (error) => {
        if (stopped || closedWith(error, SIGNED_OUT, REFUSED)) {
          return; // the session is ending (connectLive)
        }
        if (closedWith(error, FELL_BEHIND)) {
          // graphql-ws takes 4429 for a fatal protocol error; from the gateway it means
          // "catch up and carry on", so subscribe again.
          start();
          return;
        }
        on.failed(describe(error));
      },
      complete: () => {
        if (!stopped) {
          on.failed("the gateway ended the subscription");
        }
      },
    });
  };
  start();
  return () => {
    stopped = true;
    unsubscribe();
  };
}

function messages(errors: readonly { message: string }[] | undefined): string {
  return errors?.map((error) => error.message).join(" ") || "no data";
}

/** What graphql-ws hands a sink's `error`: the server's GraphQL errors, a close event, an Error. */
function describe(error: unknown): string {
  if (Array.isArray(error)) {
    return messages(error);
  }
  if (error instanceof CloseEvent) {
    return `the connection closed (${error.code}${error.reason ? ` ${error.reason}` : ""})`;
  }
  return error instanceof Error ? error.message : "the connection failed";
}
