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

export const RunContext = createContext<Run | null>(null);

export function useRun(): Run {
  const run = useContext(RunContext);
  if (run === null) {
    throw new Error("useRun() outside a signed-in session");
  }
  return run;
}
