// One GraphQL request to the gateway, as fetch() makes it from another origin: the
// credentials go in the Authorization header (never cookies), and the browser's CORS
// preflight is answered by the gateway before it looks at them.
import type { TypedDocumentString } from "./gql/graphql";

/** A gateway that neither answers nor fails within this long is reported, not waited on. */
const TIMEOUT_MS = 15_000;

/** The gateway refused the credentials (HTTP 401): a wrong e-mail or password at sign-in,
 * an expired or revoked access token afterwards. */
export class Unauthenticated extends Error {
  override name = "Unauthenticated";
}

/** Anything else that kept a request from its data: the gateway could not be reached, or
 * answered with GraphQL errors, or not with GraphQL at all. */
export class RequestFailed extends Error {
  override name = "RequestFailed";

  constructor(
    message: string,
    /** `extensions.code` of the first GraphQL error, e.g. INVALID_AREA_CODE. */
    readonly code?: string,
    /** Seconds the gateway asked us to wait (Retry-After on a 429 or 503). */
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

interface GraphQLError {
  message: string;
  extensions?: { code?: string };
}

interface GraphQLResponse {
  data?: unknown;
  errors?: GraphQLError[];
}

/** `Authorization: Basic`, for signing in with an e-mail and password. */
export function basicAuthorization(email: string, password: string): string {
  // btoa() takes Latin-1 only; the gateway decodes Basic credentials as UTF-8.
  const bytes = new TextEncoder().encode(`${email}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

/** `Authorization: Bearer`, for every request after sign-in. */
export function bearerAuthorization(accessToken: string): string {
  return `Bearer ${accessToken}`;
}

export async function execute<TResult, TVariables>(
  gateway: string,
  authorization: string,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(`${gateway}/graphql`, {
      method: "POST",
      headers: { authorization, "content-type": "application/json" },
      body: JSON.stringify(requestBody(document, variables)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    // All a page learns of a refused connection or a CORS refusal is a TypeError.
    const timedOut = error instanceof DOMException && error.name === "TimeoutError";
    throw new RequestFailed(`The gateway at ${gateway} ${timedOut ? "did not answer in time" : "cannot be reached"}.`);
  }
  const body = await readBody(response);
  if (response.status === 401) {
    throw new Unauthenticated(body?.errors?.[0]?.message ?? "not signed in");
  }
  const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
  const error = body?.errors?.[0];
  if (error !== undefined) {
    const wait = Number.isFinite(retryAfter) ? retryAfter : undefined;
    throw new RequestFailed(error.message, error.extensions?.code, wait);
  }
  if (!response.ok || body?.data == null) {
    throw new RequestFailed(`The gateway answered HTTP ${response.status} without data.`);
  }
  // The shape is the one codegen derived from the schema for this very document.
  return body.data as TResult;
}

/**
 * What names a document to the gateway, over HTTP and in a websocket's subscribe message
 * alike. A production build names each document by its sha256 only (a gateway started
 * with GATEWAY_GRAPHQL_DOCUMENTS runs nothing else); `npm run dev` sends the text, so an
 * operation edited in src/operations.graphql runs without re-deploying the manifest.
 */
export function requestBody<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
) {
  const text = document.toString();
  // Codegen prints each document starting with its operation: name it for the gateway's logs.
  const operationName = /^\s*(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1];
  if (import.meta.env.DEV) {
    return { query: text, operationName, variables };
  }
  const hash: unknown = document.__meta__?.["hash"];
  if (typeof hash !== "string") {
    throw new Error(`${operationName ?? "a document"} has no hash: is it in src/operations.graphql?`);
  }
  return { documentId: hash, operationName, variables };
}

async function readBody(response: Response): Promise<GraphQLResponse | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === "object" && body !== null ? (body as GraphQLResponse) : null;
  } catch {
    return null; // not JSON: a proxy's error page, say
  }
}

/** What to tell a person about a failed request. */
export function describe(error: unknown): string {
  if (error instanceof RequestFailed && error.retryAfter !== undefined) {
    return `${error.message} Try again in ${error.retryAfter} s.`;
  }
  return error instanceof Error ? error.message : String(error);
}
