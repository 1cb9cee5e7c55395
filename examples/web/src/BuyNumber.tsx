import { useRef, useState } from "preact/hooks";
import { describe, RequestFailed } from "./client";
import { Field, PlacedErrors, Problems } from "./fields";
import { type AvailableNumbersQuery, AvailableNumbersDocument, PurchaseNumberDocument } from "./gql/graphql";
import type { PhoneNumber } from "./numbers";
import { useRun } from "./session";

/** How many numbers a search offers. */
const SEARCH_SIZE = 5;
const PHONE_NUMBER = "input.phoneNumber";
const VOICE_URL = "input.voice.url";
/** Query errors that are about what was typed into the search form (its only field). */
const AREA_CODE_ERRORS = new Set(["INVALID_AREA_CODE", "INVALID_PARAMETER"]);

type Available = AvailableNumbersQuery["availablePhoneNumbers"][number];

/** A fresh idempotency key (crypto.randomUUID() needs a secure context; this does not). */
function newKey(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** Search the carrier's numbers (by area code), choose one, buy it. */
export function BuyNumber({ onBought }: { onBought: (number: PhoneNumber) => void }) {
  const run = useRun();

  const [areaCode, setAreaCode] = useState("");
  const [found, setFound] = useState<Available[] | null>(null);
  const [searchErrors, setSearchErrors] = useState<string[]>([]);
  const [searchFailure, setSearchFailure] = useState<string>();
  const [searching, setSearching] = useState(false);

  const [phoneNumber, setPhoneNumber] = useState("");
  const [voiceUrl, setVoiceUrl] = useState("");
  const [errors, setErrors] = useState(() => new PlacedErrors());
  const [failure, setFailure] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [buying, setBuying] = useState(false);
  // A retry of the same purchase (after a timeout, say) reuses its key, so the gateway
  // answers with the first attempt's outcome instead of buying a second number.
  const attempt = useRef<{ variables: string; key: string } | null>(null);

  async function search(event: Event) {
    event.preventDefault();
    setSearching(true);
    setSearchErrors([]);
    setSearchFailure(undefined);
    try {
      const { availablePhoneNumbers } = await run(AvailableNumbersDocument, {
        areaCode: areaCode.trim() || null,
        first: SEARCH_SIZE,
      });
      setFound(availablePhoneNumbers);
    } catch (error) {
      setFound(null);
      if (error instanceof RequestFailed && error.code !== undefined && AREA_CODE_ERRORS.has(error.code)) {
        setSearchErrors([error.message]);
      } else {
        setSearchFailure(describe(error));
      }
    } finally {
      setSearching(false);
    }
  }

  async function buy(event: Event) {
    event.preventDefault();
    const variables = { phoneNumber: phoneNumber.trim(), voiceUrl: voiceUrl.trim() || null };
    const same = JSON.stringify(variables);
    if (attempt.current?.variables !== same) {
      attempt.current = { variables: same, key: newKey() };
    }
    setBuying(true);
    setStatus(undefined);
    setErrors(new PlacedErrors());
    setFailure(undefined);
    try {
      const { purchaseNumber } = await run(PurchaseNumberDocument, {
        ...variables,
        idempotencyKey: attempt.current.key,
      });
      setErrors(new PlacedErrors(purchaseNumber.userErrors, [PHONE_NUMBER, VOICE_URL]));
      const bought = purchaseNumber.incomingPhoneNumber;
      if (bought) {
        attempt.current = null;
        onBought(bought);
        setStatus(`Bought ${bought.phoneNumber}.`);
        setPhoneNumber("");
        setVoiceUrl("");
        setFound((offered) => offered && offered.filter((number) => number.phoneNumber !== bought.phoneNumber));
      }
    } catch (error) {
      setFailure(describe(error));
    } finally {
      setBuying(false);
    }
  }

  return (
    <section aria-labelledby="buy-heading">
      <h2 id="buy-heading">Buy a number</h2>
      <form onSubmit={search} role="search">
        <Field
          label="Area code"
          inputMode="numeric"
          placeholder="415"
          value={areaCode}
          onInput={setAreaCode}
          errors={searchErrors}
        />
        <button type="submit" disabled={searching}>
          {searching ? "Searching…" : "Search"}
        </button>
        <Problems messages={searchFailure === undefined ? [] : [searchFailure]} />
      </form>
      {found !== null &&
        (found.length === 0 ? (
          <p>The carrier offers no number there.</p>
        ) : (
          <ul class="available" aria-label="Available numbers">
            {found.map((number) => (
              <li key={number.phoneNumber}>
                {number.friendlyName}
                {number.region != null && ` (${number.region})`}{" "}
                <button
                  type="button"
                  aria-label={`Choose ${number.phoneNumber}`}
                  onClick={() => setPhoneNumber(number.phoneNumber)}
                >
                  Choose
                </button>
              </li>
            ))}
          </ul>
        ))}
      <form onSubmit={buy}>
        <Field
          label="Phone number"
          inputMode="tel"
          placeholder="+14155550123"
          value={phoneNumber}
          onInput={setPhoneNumber}
          errors={errors.at(PHONE_NUMBER)}
        />
        <Field
          label="Voice URL (optional)"
          inputMode="url"
          placeholder="https://example.com/voice"
          value={voiceUrl}
          onInput={setVoiceUrl}
          errors={errors.at(VOICE_URL)}
        />
        <Problems messages={failure === undefined ? errors.unplaced : [...errors.unplaced, failure]} />
        <button type="submit" disabled={buying}>
          {buying ? "Buying…" : "Buy"}
        </button>
        {status !== undefined && <span role="status">{status}</span>}
      </form>
    </section>
  );
}
