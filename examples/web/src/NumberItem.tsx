import { useState } from "preact/hooks";
import { describe } from "./client";
import { Field, PlacedErrors, Problems } from "./fields";
import { ReleaseNumberDocument, UpdateVoiceUrlDocument } from "./gql/graphql";
import type { PhoneNumber } from "./numbers";
import { useRun } from "./session";

const VOICE_URL = "input.voice.url";

interface Props {
  number: PhoneNumber;
  onChanged: (number: PhoneNumber) => void;
  onReleased: (number: PhoneNumber) => void;
}

/** One number: its voice URL to change, and a release that asks once more first. */
export function NumberItem({ number, onChanged, onReleased }: Props) {
  const run = useRun();
  const [voiceUrl, setVoiceUrl] = useState(number.voice.url ?? "");
  const [errors, setErrors] = useState(() => new PlacedErrors());
  const [failure, setFailure] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function save(event: Event) {
    event.preventDefault();
    setBusy(true);
    setStatus(undefined);
    setErrors(new PlacedErrors());
    setFailure(undefined);
    try {
      // An empty field clears the URL: the schema's explicit null.
      const variables = { sid: number.sid, voiceUrl: voiceUrl.trim() || null };
      const { updateNumber } = await run(UpdateVoiceUrlDocument, variables);
      setErrors(new PlacedErrors(updateNumber.userErrors, [VOICE_URL]));
      if (updateNumber.incomingPhoneNumber) {
        onChanged(updateNumber.incomingPhoneNumber);
        setStatus("Saved.");
      }
    } catch (error) {
      setFailure(describe(error));
    } finally {
      setBusy(false);
    }
  }

  async function release() {
    setBusy(true);
    setStatus(undefined);
    setErrors(new PlacedErrors());
    setFailure(undefined);
    try {
      const { releaseNumber } = await run(ReleaseNumberDocument, { sid: number.sid });
      if (releaseNumber.releasedSid) {
        onReleased(number); // the list drops this item
      } else {
        setErrors(new PlacedErrors(releaseNumber.userErrors));
      }
    } catch (error) {
      setFailure(describe(error));
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <li class="number">
      <h3>{number.phoneNumber}</h3>
      <p class="details">
        {number.friendlyName} · calls go to{" "}
        {number.voice.url ? <code class="voice-url">{number.voice.url}</code> : <em>no voice URL</em>}
      </p>
      <form onSubmit={save}>
        {/* type="text", not "url": the gateway's check is the one that counts, and its
            message (a userError) shows under the field. */}
        <Field
          label="Voice URL"
          inputMode="url"
          placeholder="https://example.com/voice"
          value={voiceUrl}
          onInput={setVoiceUrl}
          errors={errors.at(VOICE_URL)}
        />
        <button type="submit" disabled={busy}>
          Save
        </button>
        {status !== undefined && <span role="status">{status}</span>}
      </form>
      <Problems messages={failure === undefined ? errors.unplaced : [...errors.unplaced, failure]} />
      {confirming ? (
        <p class="confirm">
          Release {number.phoneNumber}? The carrier may give it to someone else.{" "}
          <button type="button" class="danger" disabled={busy} onClick={release}>
            Yes, release it
          </button>{" "}
          <button type="button" disabled={busy} onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
          Release
        </button>
      )}
    </li>
  );
}
