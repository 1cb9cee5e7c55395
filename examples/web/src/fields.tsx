// Form fields that show, next to themselves, the userErrors that name them.
import type { JSX } from "preact";
import { useId } from "preact/hooks";
import type { UserErrorFieldsFragment } from "./gql/graphql";

/** A mutation's userErrors, placed: those whose `field` path one of the form's fields
 * shows, and the rest (no field, or one this form has no input for) for the form itself. */
export class PlacedErrors {
  private readonly byPath = new Map<string, string[]>();
  readonly unplaced: string[] = [];

  constructor(errors: readonly UserErrorFieldsFragment[] = [], shownPaths: readonly string[] = []) {
    for (const { field, message } of errors) {
      const path = field?.join(".");
      if (path !== undefined && shownPaths.includes(path)) {
        this.byPath.set(path, [...(this.byPath.get(path) ?? []), message]);
      } else {
        this.unplaced.push(message);
      }
    }
  }

  /** The messages for one input, by its path as userErrors spell it: "input.voice.url". */
  at(path: string): string[] {
    return this.byPath.get(path) ?? [];
  }
}

interface FieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  errors?: readonly string[];
  placeholder?: string;
  inputMode?: "numeric" | "tel" | "url";
}

/** A labelled text input; its errors are its accessible description, so a screen reader reads
 * them with the field (and a test finds them there), and are announced when they appear. */
export function Field({ label, value, onInput, errors = [], placeholder, inputMode }: FieldProps) {
  const id = useId();
  const errorsId = `${id}-errors`;
  const invalid = errors.length > 0;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input
        id={id}
        type="text"
        value={value}
        onInput={(event) => onInput(event.currentTarget.value)}
        aria-invalid={invalid}
        aria-describedby={invalid ? errorsId : undefined}
        placeholder={placeholder}
        inputMode={inputMode}
      />
      {invalid && (
        <ul id={errorsId} class="field-errors" role="alert">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** Errors of a whole form or section; `role="alert"` has them read out when they appear. */
export function Problems({ messages }: { messages: readonly string[] }): JSX.Element | null {
  if (messages.length === 0) {
    return null;
  }
  return (
    <ul class="problems" role="alert">
      {messages.map((message) => (
        <li key={message}>{message}</li>
      ))}
    </ul>
  );
}
