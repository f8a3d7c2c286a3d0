import type { SigningKey } from '../../domain/ed25519.js';
import type { EntryBody } from '../../domain/entry/schema.js';
import { signEntry } from '../../domain/entry/sign.js';
import type { Submission } from '../../ledger/core/ledger.js';

/**
 * Submissions as the plain JSON a client sends, so that tests can break them in ways the typed
 * builders forbid: change a field's type, add an unknown field, write a number as raw JSON text.
 */
export type JsonObject = { [key: string]: unknown };

export interface SubmissionJson extends JsonObject {
  entry: { body: JsonObject; signatures: JsonObject[] } & JsonObject;
  basket?: JsonObject;
}

export function toJson(submission: Submission): SubmissionJson {
  return JSON.parse(JSON.stringify({ entry: submission.entry, ...(submission.basket ? { basket: submission.basket } : {}) })) as SubmissionJson;
}

/** A copy whose body was changed by `edit` and signed again with `keys`: only the change is wrong. */
export function resigned(submission: Submission, keys: readonly SigningKey[], edit: (body: JsonObject) => void): SubmissionJson {
  const json = toJson(submission);
  edit(json.entry.body);
  const entry = signEntry(json.entry.body as unknown as EntryBody, keys);
  return { ...json, entry: JSON.parse(JSON.stringify(entry)) as SubmissionJson['entry'] };
}

/** A copy changed by `edit` (anywhere), signatures left as they were. */
export function edited(submission: Submission, edit: (json: SubmissionJson) => void): SubmissionJson {
  const json = toJson(submission);
  edit(json);
  return json;
}

const rawMarker = '"@@raw-json@@"';

/**
 * The JSON text of `json` where the field set by `place` holds `rawText` verbatim: a number JSON.stringify
 * cannot write (9007199254740993, 1e400, 12.50) reaches the server exactly as typed.
 */
export function withRawNumber(json: SubmissionJson, place: (json: SubmissionJson, marker: string) => void, rawText: string): string {
  const copy = JSON.parse(JSON.stringify(json)) as SubmissionJson;
  place(copy, JSON.parse(rawMarker) as string);
  const text = JSON.stringify(copy);
  if (text.split(rawMarker).length !== 2) throw new Error('the raw number must be placed exactly once');
  return text.replace(rawMarker, rawText);
}
