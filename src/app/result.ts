// The one answer shape of the application layer. Every command answers a Result: its value, or a
// refusal with a stable machine code (the API's problem `code`, the CLI's error line) and a message
// that names the field at fault. Refusals are values, never exceptions: an exception means a bug or an
// unavailable dependency, and rolls back whatever the command had begun.

/** A command's request: the same three fields for every command, so one wrapper can give idempotency, dry run and audit. */
export interface CommandRequest<Input> {
  /** Repeats under the same key answer the first answer; the same key with another input is refused. */
  idempotencyKey?: string;
  /** Compute the answer, write nothing. */
  dryRun?: boolean;
  input: Input;
}

export interface Refusal {
  ok: false;
  /** Stable snake_case code, e.g. `loan_not_found`, `payment_exceeds_outstanding`. */
  code: string;
  /** For a person: what was wrong, naming the field. */
  message: string;
  /** The input field at fault, when one is. */
  field?: string;
  /** The record the refusal is about, when another than the input names (e.g. a pending twin's id). */
  about?: string;
}

export interface Success<Value> {
  ok: true;
  value: Value;
}

export type Result<Value> = Success<Value> | Refusal;

export function succeed<Value>(value: Value): Success<Value> {
  return { ok: true, value };
}

export function refuse(code: string, message: string, field?: string): Refusal {
  return field === undefined ? { ok: false, code, message } : { ok: false, code, message, field };
}
