// Money: a whole number of minor units (bigint) and its ISO 4217 currency. An amount never travels
// without its currency and never becomes a float; decimal strings exist only at the edges.
import { InputError, invariant, quote } from '../errors/index.ts';
import { minorDigits } from './currency.ts';

export interface Money {
  readonly amountMinor: bigint;
  readonly currency: string;
}

export function money(amountMinor: bigint, currency: string): Money {
  return { amountMinor, currency };
}

export function zero(currency: string): Money {
  return { amountMinor: 0n, currency };
}

const decimalPattern = /^(-)?(\d+)(?:\.(\d+))?$/;

export interface ParseOptions {
  /** Field name used in the error message. */
  field?: string;
  allowNegative?: boolean;
  allowZero?: boolean;
}

/**
 * Parses a decimal string in major units ("5000.00") strictly: digits, an optional point and at most
 * the currency's minor digits. Numbers (floats) are refused, so no binary rounding can sneak in; so are
 * exponents, a bare point (".5", "5."), and surrounding whitespace, which usually means a value was
 * pasted together from pieces and deserves a look rather than a guess.
 */
export function parseMoney(text: unknown, currency: string, options: ParseOptions = {}): Money {
  const field = options.field ?? 'amount';
  const { allowNegative = false, allowZero = true } = options;
  const digits = minorDigits(currency);
  const shape = allowNegative ? 'a decimal string' : 'a non-negative decimal string';
  if (typeof text !== 'string') throw new InputError(field, `must be ${shape} like "100.00", got ${quote(text)}`);
  const match = decimalPattern.exec(text);
  if (!match) throw new InputError(field, `must be ${shape} like "100.00", got ${quote(text)}`);
  const [, sign, whole = '0', fraction = ''] = match;
  if (fraction.length > digits) {
    throw new InputError(field, `has ${fraction.length} decimals but ${currency} allows ${digits}, got ${quote(text)}`);
  }
  const magnitude = BigInt(whole + fraction.padEnd(digits, '0'));
  const amountMinor = sign ? -magnitude : magnitude;
  if (sign && !allowNegative) throw new InputError(field, `must not be negative, got ${quote(text)}`);
  if (amountMinor === 0n && !allowZero) throw new InputError(field, `must be positive, got ${quote(text)}`);
  return { amountMinor, currency };
}

/** Minor units as a plain decimal string in major units: 500000n CNY → "5000.00". */
export function formatMinor(amountMinor: bigint, currency: string): string {
  const digits = minorDigits(currency);
  const negative = amountMinor < 0n;
  const text = (negative ? -amountMinor : amountMinor).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

/** The contract's JSON form of an amount. */
export function formatMoney(value: Money): string {
  return formatMinor(value.amountMinor, value.currency);
}

/** For people: grouping and symbol per locale ("¥5,000.00", "CN¥5,000.00"). Exact for any size. */
export function formatMoneyForLocale(value: Money, locale: string): string {
  const digits = minorDigits(value.currency);
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: value.currency,
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // Intl formats decimal strings exactly (no float conversion) since ES2023.
  return format.format(formatMoney(value) as unknown as number);
}

function sameCurrency(a: Money, b: Money): void {
  invariant(a.currency === b.currency, `currency mismatch ${a.currency} vs ${b.currency}`);
}

export function add(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: a.amountMinor + b.amountMinor, currency: a.currency };
}

export function subtract(a: Money, b: Money): Money {
  sameCurrency(a, b);
  return { amountMinor: a.amountMinor - b.amountMinor, currency: a.currency };
}

export function compare(a: Money, b: Money): -1 | 0 | 1 {
  sameCurrency(a, b);
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function minMinor(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxMinor(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/**
 * Splits an amount into parts proportional to non-negative integer weights (largest remainder),
 * so the parts always sum to the amount exactly; ties go to the earlier part.
 */
export function allocateByWeights(amountMinor: bigint, weights: readonly bigint[]): bigint[] {
  invariant(weights.length > 0, 'allocate needs at least one weight');
  invariant(
    weights.every((w) => w >= 0n),
    'weights must be non-negative',
  );
  const total = weights.reduce((sum, w) => sum + w, 0n);
  invariant(total > 0n, 'weights must not all be zero');
  const negative = amountMinor < 0n;
  const magnitude = negative ? -amountMinor : amountMinor;
  const parts = weights.map((w) => (magnitude * w) / total);
  const remainders = weights.map((w, index) => ({ index, remainder: (magnitude * w) % total }));
  let left = magnitude - parts.reduce((sum, p) => sum + p, 0n);
  remainders.sort((a, b) => (a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1));
  for (const { index } of remainders) {
    if (left === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}

/** Splits an amount into `count` parts that differ by at most one minor unit, larger parts first. */
export function splitEvenly(amountMinor: bigint, count: number): bigint[] {
  invariant(Number.isInteger(count) && count > 0, 'split count must be a positive integer');
  return allocateByWeights(
    amountMinor,
    Array.from({ length: count }, () => 1n),
  );
}
