import type { Client } from "graphql-ws";
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { TypedDocumentString } from "./gql/graphql";

/** The signed-in state. The access token lives here, in memory only: never in
 * localStorage or a cookie, so it is gone with the tab and no other script reads it. */
export interface Session {
  accessToken: string;
  expiresAt: string;
  account: { sid: string; friendlyName: string };
}

/** Runs a document as the signed-in account. A 401 ends the session (the app goes back
 * to the sign-in form) and still rejects, so the caller stops what it was doing. */
export type Run = <TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables,
) => Promise<TResult>;

/** What the signed-in page reaches the gateway with, both as the session's account. */
export interface SignedIn {
  run: Run;
  /** Subscriptions over the websocket (live.ts); closed when the session ends. */
  live: Client;
}

export const SignedInContext = createContext<SignedIn | null>(null);

function useSignedIn(): SignedIn {
  const signedIn = useContext(SignedInContext);
  if (signedIn === null) {
    throw new Error("useRun() or useLive() outside a signed-in session");
  }
  return signedIn;
}

export const useRun = (): Run => useSignedIn().run;

export const useLive = (): Client => useSignedIn().live;
