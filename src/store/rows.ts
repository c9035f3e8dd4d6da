// Conversions between driver values and the store's row types, shared by the repositories. The two
// drivers disagree on a few types (PGlite returns int8 as a number when it is small and a bigint when
// it is not; node-postgres returns a string), so every int8 goes through toBigint, and every instant
// through toInstant (ISO-8601 UTC with a Z), whatever the driver handed over.
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';

export function toBigint(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return BigInt(value);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value);
  throw new TypeError(`expected an integer from the database, got ${String(value)}`);
}

export function toInteger(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(toBigint(value));
  if (!Number.isSafeInteger(number))
    throw new TypeError(`expected a safe integer from the database, got ${String(value)}`);
  return number;
}

/** "2026-03-10 02:00:00.123+00" (PostgreSQL's text form) or a Date → "2026-03-10T02:00:00.123Z". */
export function toInstant(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') {
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed.toISOString();
  }
  throw new TypeError(`expected a timestamp from the database, got ${String(value)}`);
}

export function toInstantOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toInstant(value);
}

export function toDateOrNull(value: unknown): IsoDate | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  throw new TypeError(`expected a date from the database, got ${String(value)}`);
}

export function toDate(value: unknown): IsoDate {
  const date = toDateOrNull(value);
  if (date === null) throw new TypeError('expected a date from the database, got null');
  return date;
}

export function toText(value: unknown): string {
  if (typeof value !== 'string') throw new TypeError(`expected text from the database, got ${String(value)}`);
  return value;
}

export function toTextOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : toText(value);
}

/**
 * One JSON document carrying a whole batch of rows, bound as a single jsonb parameter and unpacked
 * with jsonb_to_recordset: one statement per batch, the same on both drivers, and no per-row
 * parameter encoding in JavaScript. Values must be JSON already (bigint amounts as decimal strings).
 */
export function batchDocument(rows: readonly object[]): string {
  return JSON.stringify(rows);
}

/**
 * A batch as one JSON array of positional arrays, unpacked in SQL by jsonb_array_elements and `e->>n`:
 * like batchDocument, but with no key per value, which PostgreSQL would parse (and sort) for every row —
 * about 2 µs per row of the daily close's writes (measured). For the hot bulk statements.
 */
export function batchRows(rows: readonly (readonly unknown[])[]): string {
  return JSON.stringify(rows);
}

/** Splits a batch so no single statement grows without bound. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}

/** Rows per statement for bulk inserts and updates. */
export const BATCH_ROWS_MAX = 5_000;

/** A duplicate key inside one batch is a caller bug that PostgreSQL would report less clearly. */
export function assertUniqueKeys<T>(items: readonly T[], keyOf: (item: T) => string, what: string): void {
  const seen = new Set<string>();
  for (const item of items) {
    const key = keyOf(item);
    invariant(!seen.has(key), `${what} ${key} appears once in a batch`);
    seen.add(key);
  }
}

/** A jsonb parameter: SQL NULL for null or undefined, else the value as JSON text. */
export function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/** An epoch-millisecond instant as the ISO-8601 text PostgreSQL reads as timestamptz. */
export function isoOfMs(ms: number): string {
  invariant(Number.isFinite(ms), `an instant is a finite epoch millisecond count, got ${ms}`);
  return new Date(ms).toISOString();
}

/** A timestamptz column as epoch milliseconds. */
export function msOfInstant(value: unknown): number {
  return Date.parse(toInstant(value));
}

export function msOfInstantOrNull(value: unknown): number | null {
  const instant = toInstantOrNull(value);
  return instant === null ? null : Date.parse(instant);
}

/** Ids as a JSON array text, for `IN (SELECT jsonb_array_elements_text($1::jsonb))`. */
export function idListJson(ids: readonly string[]): string {
  return JSON.stringify(ids);
}
