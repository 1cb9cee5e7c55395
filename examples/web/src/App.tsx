import { useCallback, useMemo, useState } from "preact/hooks";
import { Account } from "./Account";
import { bearerAuthorization, execute, Unauthenticated } from "./client";
import { type Run, RunContext, type Session } from "./session";
import { SignIn } from "./SignIn";

const SESSION_ENDED = "Your session has ended (the access token expired or was revoked): sign in again.";

/** Runs documents with the session's token; the first 401 ends the session. */
function runAs(gateway: string, accessToken: string, onUnauthenticated: () => void): Run {
  return async (document, variables) => {
    try {
      return await execute(gateway, bearerAuthorization(accessToken), document, variables);
    } catch (error) {
      if (error instanceof Unauthenticated) {
        onUnauthenticated();
      }
      throw error;
    }
  };
}

export function App({ gateway }: { gateway: string }) {
  const [session, setSession] = useState<Session | null>(null);
  const [notice, setNotice] = useState<string>();

  const end = useCallback((why: string) => {
    setSession(null);
    setNotice(why);
  }, []);
  const run = useMemo(
    () => (session === null ? null : runAs(gateway, session.accessToken, () => end(SESSION_ENDED))),
    [gateway, session, end],
  );

  if (session === null || run === null) {
    return (
      <SignIn
        gateway={gateway}
        notice={notice}
        onSignedIn={(started) => {
          setNotice(undefined);
          setSession(started);
        }}
      />
    );
  }
  return (
    <RunContext.Provider value={run}>
      <Account session={session} onSignedOut={end} />
    </RunContext.Provider>
  );
}
