import { useState } from "preact/hooks";
import { describe, Unauthenticated } from "./client";
import { Problems } from "./fields";
import { SignOutDocument } from "./gql/graphql";
import { BuyNumber } from "./BuyNumber";
import { NumberItem } from "./NumberItem";
import { type Live, useNumbers } from "./numbers";
import { type Session, useRun } from "./session";

interface Props {
  session: Session;
  /** Forget the token and go back to the sign-in form, saying why. */
  onSignedOut: (notice: string) => void;
}

/** The signed-in page: the account's numbers, buying one, signing out. */
export function Account({ session, onSignedOut }: Props) {
  const run = useRun();
  const numbers = useNumbers(session.account.sid);
  const [signingOut, setSigningOut] = useState(false);
  const { list } = numbers;

  async function signOut() {
    setSigningOut(true);
    // Whatever the gateway answers, the page forgets the token; the notice says whether
    // the token itself is dead or still works until it expires.
    const stillValid = `it works until ${new Date(session.expiresAt).toLocaleString()}`;
    try {
      const { revokeAccessToken } = await run(SignOutDocument, {});
      const refused = revokeAccessToken.userErrors.map((error) => error.message);
      onSignedOut(
        refused.length === 0
          ? "Signed out."
          : `Signed out of this page, but the gateway kept the token (${refused.join(" ")}): ${stillValid}.`,
      );
    } catch (error) {
      if (error instanceof Unauthenticated) {
        return; // the token was dead already, and the session has ended with it
      }
      onSignedOut(`Signed out of this page, but the token could not be revoked (${describe(error)}): ${stillValid}.`);
    }
  }

  return (
    <main>
      <header>
        <p>
          Signed in as <strong>{session.account.friendlyName}</strong> <code>{session.account.sid}</code>{" "}
          <LiveIndicator live={numbers.live} />
        </p>
        <button type="button" onClick={signOut} disabled={signingOut}>
          Sign out
        </button>
      </header>
      <BuyNumber onBought={numbers.added} />
      <section aria-labelledby="numbers-heading">
        <h2 id="numbers-heading">Your numbers</h2>
        {list !== null && (
          <p class="count">
            {list.numbers.length} of {list.totalCount} shown
          </p>
        )}
        <ul class="numbers" aria-label="Your numbers">
          {list?.numbers.map((number) => (
            <NumberItem key={number.sid} number={number} onChanged={numbers.changed} onReleased={numbers.released} />
          ))}
        </ul>
        <Problems messages={numbers.problem === undefined ? [] : [numbers.problem]} />
        {numbers.loading && <p role="status">Loading…</p>}
        {list?.next != null && !numbers.loading && (
          <button type="button" onClick={numbers.loadMore}>
            Load more
          </button>
        )}
      </section>
    </main>
  );
}

const LIVE_LABELS = { connecting: "connecting…", live: "live", reconnecting: "reconnecting…", off: "not live" };

/** Whether the list follows the gateway's changes as they happen. */
function LiveIndicator({ live }: { live: Live }) {
  return (
    <small class={`live ${live.state}`} role="status" title={live.state === "off" ? live.why : "Live updates"}>
      {LIVE_LABELS[live.state]}
    </small>
  );
}
