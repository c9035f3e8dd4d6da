// Rates as exact fractions of two bigints. A rate written "0.1235" is 1235/10000 exactly, and period
// rates derived from it (× every / 12, × days / daysInYear) stay exact, so interest on a balance is one
// integer division with a named rounding mode. Nothing here ever becomes a float.
import { InputError, quote } from '../errors/index.ts';
import { divideRounded, type RoundingMode } from './rounding.ts';

export interface Ratio {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const rateText = /^(\d+)(?:\.(\d+))?$/;

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function ratio(numerator: bigint, denominator: bigint): Ratio {
  if (denominator === 0n) throw new Error('invariant violated: ratio with zero denominator');
  if (denominator < 0n) [numerator, denominator] = [-numerator, -denominator];
  const divisor = gcd(numerator, denominator) || 1n;
  return { numerator: numerator / divisor, denominator: denominator / divisor };
}

export interface RateBounds {
  field: string;
  /** Largest allowed value, inclusive, as a ratio (default 1 = 100 %). */
  max?: Ratio;
}

/**
 * Parses a decimal fraction string ("0.12" = 12 %) as strictly as parseMoney: no exponent, no bare
 * point, no whitespace. At most 10 decimals; negative values refused.
 */
export function parseRate(text: unknown, { field, max = ratio(1n, 1n) }: RateBounds): Ratio {
  if (typeof text !== 'string') throw new InputError(field, `must be a decimal string like "0.12", got ${quote(text)}`);
  const match = rateText.exec(text);
  if (!match) throw new InputError(field, `must be a non-negative decimal string like "0.12", got ${quote(text)}`);
  const [, whole = '0', fraction = ''] = match;
  if (fraction.length > 10) throw new InputError(field, `allows at most 10 decimals, got ${quote(text)}`);
  const value = ratio(BigInt(whole + fraction), 10n ** BigInt(fraction.length));
  if (compareRatio(value, max) > 0) {
    throw new InputError(field, `must be at most ${formatRatio(max, 4)}, got ${quote(text)}`);
  }
  return value;
}

export function multiplyRatio(a: Ratio, b: Ratio): Ratio {
  return ratio(a.numerator * b.numerator, a.denominator * b.denominator);
}

export function addRatio(a: Ratio, b: Ratio): Ratio {
  return ratio(a.numerator * b.denominator + b.numerator * a.denominator, a.denominator * b.denominator);
}

export function compareRatio(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const left = a.numerator * b.denominator;
  const right = b.numerator * a.denominator;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function isZeroRatio(a: Ratio): boolean {
  return a.numerator === 0n;
}

/** amount × rate, rounded to whole minor units. */
export function applyRate(amountMinor: bigint, rate: Ratio, mode: RoundingMode): bigint {
  return divideRounded(amountMinor * rate.numerator, rate.denominator, mode);
}

/** A ratio as a decimal string with `decimals` places, rounded half-up ("0.1200"). */
export function formatRatio(value: Ratio, decimals: number): string {
  const scaled = divideRounded(value.numerator * 10n ** BigInt(decimals), value.denominator, 'half_up');
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(decimals + 1, '0');
  const whole = text.slice(0, text.length - decimals);
  const fraction = text.slice(text.length - decimals);
  return `${negative ? '-' : ''}${whole}${decimals > 0 ? `.${fraction}` : ''}`;
}
