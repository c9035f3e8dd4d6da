// Small validators for settings given as JSON at the edge (priority weights, agents), shared by the
// workbench's parsers so each names the field at fault the same way; and the bytewise text order the
// queue and the assignment sort by (the same on every run and every machine).
import { InputError, quote } from '../errors/index.ts';

export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function objectOf(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `must be an object, got ${quote(value)}`);
  }
  return value as Record<string, unknown>;
}

export function rejectUnknown(json: Record<string, unknown>, known: readonly string[], field: string): void {
  for (const key of Object.keys(json)) {
    if (!known.includes(key)) throw new InputError(`${field}.${key}`, `is not a known setting (${known.join(', ')})`);
  }
}

export function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InputError(field, `must be a whole number ${min}–${max}, got ${quote(value)}`);
  }
  return value;
}
