import { useState } from "preact/hooks";
import { basicAuthorization, describe, execute, Unauthenticated } from "./client";
import { PlacedErrors, Problems } from "./fields";
import { SignInDocument } from "./gql/graphql";
import type { Session } from "./session";

/** How long an access token lasts: a working session, not a remembered device. */
const TOKEN_TTL_SECONDS = 3600;

interface Props {
  gateway: string;
  /** Why the form is back: signed out, or the session ended. */
  notice: string | undefined;
  onSignedIn: (session: Session) => void;
}

export function SignIn({ gateway, notice, onSignedIn }: Props) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);

  async function signIn(event: Event) {
    event.preventDefault();
    setBusy(true);
    setProblems([]);
    try {
      // The only request that carries the password; every later one carries the token.
      const { createAccessToken: payload } = await execute(
        gateway,
        basicAuthorization(email, password),
        SignInDocument,
        { ttlSeconds: TOKEN_TTL_SECONDS },
      );
      if (payload.accessToken == null || payload.expiresAt == null || payload.account == null) {
        const { unplaced } = new PlacedErrors(payload.userErrors);
        setProblems(unplaced.length > 0 ? unplaced : ["The gateway gave no access token."]);
        return;
      }
      onSignedIn({ accessToken: payload.accessToken, expiresAt: payload.expiresAt, account: payload.account });
    } catch (error) {
      // The gateway answers a cross-origin 401 with `WWW-Authenticate: Bearer`, so the
      // browser shows no dialog of its own: this message is all the person sees.
      setProblems([error instanceof Unauthenticated ? "Wrong e-mail or password." : describe(error)]);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="sign-in">
      <h1>Sign in</h1>
      <p class="gateway">
        to the numbers gateway at <code>{gateway}</code>
      </p>
      {notice !== undefined && <p class="notice">{notice}</p>}
      <form onSubmit={signIn}>
        <label>
          E-mail
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onInput={(event) => setEmail(event.currentTarget.value)}
          />
        </label>
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onInput={(event) => setPassword(event.currentTarget.value)}
          />
        </label>
        <Problems messages={problems} />
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
