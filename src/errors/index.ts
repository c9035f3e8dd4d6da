// Domain errors: a typed value naming the field and what was wrong with it. The edges turn these into
// exit code 2 with one line (CLI) or problem+json (API); anything else reaching an edge is a bug.

export class InputError extends Error {
  readonly field: string;
  readonly reason: string;

  constructor(field: string, reason: string) {
    super(`${field}: ${reason}`);
    this.name = 'InputError';
    this.field = field;
    this.reason = reason;
  }
}

/** A broken invariant: never expected, never caught by business code. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

/** How a rejected value is quoted in an error message: short, and always as the user wrote it. */
export function quote(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
