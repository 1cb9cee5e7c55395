import { useCallback, useEffect, useMemo, useState } from "preact/hooks";
import { Account } from "./Account";
import { bearerAuthorization, execute, Unauthenticated } from "./client";
import { connectLive } from "./live";
import { type Run, type Session, type SignedIn, SignedInContext } from "./session";
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
  const signedIn = useMemo((): SignedIn | null => {
    if (session === null) {
      return null;
    }
    const ended = () => end(SESSION_ENDED);
    return {
      run: runAs(gateway, session.accessToken, ended),
      // Creating the client opens nothing: graphql-ws connects once the list subscribes.
      live: connectLive(gateway, session.accessToken, ended),
    };
  }, [gateway, session, end]);
  // The session's websocket closes with it (sign-out, a 401, a 4401).
  useEffect(
    () => () => {
      // Disposing of a socket that is still connecting waits for it, and rejects if it
      // never opens: then there is nothing left to close.
      Promise.resolve(signedIn?.live.dispose()).catch(() => {});
    },
    [signedIn],
  );

  if (session === null || signedIn === null) {
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
    <SignedInContext.Provider value={signedIn}>
      <Account session={session} onSignedOut={end} />
    </SignedInContext.Provider>
  );
}
