// Expected failures of store operations, as named codes a caller can branch on. A conflict means
// "someone else changed this first": roll back the transaction and retry with fresh reads. Anything
// else thrown from the store (constraint violations, broken invariants) is a bug or an outage.

export type StoreConflictCode = 'loan_version_conflict';

export class StoreConflictError extends Error {
  readonly code: StoreConflictCode;

  constructor(code: StoreConflictCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'StoreConflictError';
    this.code = code;
  }
}

/** A unique constraint refused a row (PostgreSQL 23505), wherever in the cause chain the driver put it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let cause: unknown = error; cause !== null && typeof cause === 'object';) {
    if ((cause as { code?: unknown }).code === '23505') return true;
    cause = (cause as { cause?: unknown }).cause;
  }
  return false;
}
