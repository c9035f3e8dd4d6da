// Rates: strict parsing with bounds, exact ratio arithmetic, and rounding a rate applied to an amount.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { addRatio, applyRate, compareRatio, formatRatio, multiplyRatio, parseRate, ratio } from './index.ts';

function reasonOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.message;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseRate', () => {
  it.each([
    ['0.12', 3n, 25n],
    ['0', 0n, 1n],
    ['1', 1n, 1n],
    ['1.0', 1n, 1n],
    ['0.1235', 247n, 2000n],
    ['0.0000000001', 1n, 10_000_000_000n],
  ])('reads %s exactly as %s/%s', (text, numerator, denominator) => {
    expect(parseRate(text, { field: 'annualRate' })).toEqual({ numerator, denominator });
  });

  it('allows up to 100 % by default and refuses more', () => {
    expect(parseRate('1.00', { field: 'annualRate' })).toEqual(ratio(1n, 1n));
    expect(reasonOf(() => parseRate('1.5', { field: 'annualRate' }))).toBe(
      'annualRate: must be at most 1.0000, got "1.5"',
    );
    expect(reasonOf(() => parseRate('1.0000000001', { field: 'annualRate' }))).toMatch(/^annualRate: must be at most/);
  });

  it('honours a custom maximum', () => {
    const max = ratio(36n, 100n);
    expect(parseRate('0.36', { field: 'penaltyAnnualRate', max })).toEqual(ratio(9n, 25n));
    expect(reasonOf(() => parseRate('0.3601', { field: 'penaltyAnnualRate', max }))).toBe(
      'penaltyAnnualRate: must be at most 0.3600, got "0.3601"',
    );
  });

  it.each(['-0.05', 'abc', '', '.12', '12.', '1e-2', ' 0.12', '0.12 ', '12%', '0,12'])('refuses %j', (text) => {
    expect(reasonOf(() => parseRate(text, { field: 'annualRate' }))).toMatch(
      /^annualRate: must be a non-negative decimal string like "0.12", got /,
    );
  });

  it('refuses numbers and more than 10 decimals', () => {
    expect(reasonOf(() => parseRate(0.12, { field: 'annualRate' }))).toBe(
      'annualRate: must be a decimal string like "0.12", got 0.12',
    );
    expect(reasonOf(() => parseRate('0.12345678901', { field: 'annualRate' }))).toMatch(/at most 10 decimals/);
  });
});

describe('ratio arithmetic', () => {
  it('normalises sign and common factors', () => {
    expect(ratio(6n, -4n)).toEqual({ numerator: -3n, denominator: 2n });
    expect(ratio(0n, 5n)).toEqual({ numerator: 0n, denominator: 1n });
    expect(() => ratio(1n, 0n)).toThrow(/zero denominator/);
  });

  it('multiplies and adds exactly: 0.12 × 1/12 = 0.01, 0.1 + 0.2 = 0.3', () => {
    expect(multiplyRatio(ratio(12n, 100n), ratio(1n, 12n))).toEqual(ratio(1n, 100n));
    expect(addRatio(ratio(1n, 10n), ratio(2n, 10n))).toEqual(ratio(3n, 10n));
    expect(compareRatio(ratio(1n, 3n), ratio(333n, 1000n))).toBe(1);
  });

  it('formats with the requested decimals, half-up', () => {
    expect(formatRatio(ratio(12n, 100n), 4)).toBe('0.1200');
    expect(formatRatio(ratio(2n, 3n), 4)).toBe('0.6667');
    expect(formatRatio(ratio(-1n, 8n), 2)).toBe('-0.13');
    expect(formatRatio(ratio(5n, 1n), 0)).toBe('5');
  });

  it('applies a rate to an amount with the named rounding', () => {
    // 5000.00 × 1 % = 50.00; 3333.33 × 0.5 % = 16.66665 → 16.67 half-up, 16.66 down
    expect(applyRate(500000n, ratio(1n, 100n), 'half_up')).toBe(5000n);
    expect(applyRate(333333n, ratio(5n, 1000n), 'half_up')).toBe(1667n);
    expect(applyRate(333333n, ratio(5n, 1000n), 'down')).toBe(1666n);
  });

  it('round-trips any 4-decimal rate through parse and format', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000 }), (basisPoints) => {
        const text = formatRatio(ratio(BigInt(basisPoints), 10_000n), 4);
        expect(formatRatio(parseRate(text, { field: 'rate' }), 4)).toBe(text);
      }),
    );
  });
});
