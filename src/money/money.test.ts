// Money: strict parsing of decimal strings per currency, exact formatting, locale display, and the
// splitting functions whose parts must always add back up to the whole.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import {
  add,
  allocateByWeights,
  compare,
  formatMinor,
  formatMoney,
  formatMoneyForLocale,
  minorDigits,
  money,
  parseMoney,
  splitEvenly,
  subtract,
} from './index.ts';

function rejection(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('parseMoney', () => {
  it.each([
    ['5000.00', 'CNY', 500000n],
    ['5000', 'CNY', 500000n],
    ['5000.5', 'CNY', 500050n],
    ['0.01', 'CNY', 1n],
    ['0', 'CNY', 0n],
    ['1234', 'JPY', 1234n],
    ['1.234', 'KWD', 1234n],
    ['1.2', 'KWD', 1200n],
    ['12345678901234567890.12', 'USD', 1234567890123456789012n],
  ])('reads %s %s as %s minor units', (text, currency, expected) => {
    expect(parseMoney(text, currency)).toEqual({ amountMinor: expected, currency });
  });

  it('refuses numbers, so a float never becomes money', () => {
    for (const value of [5000.5, 5000, 0, Number.NaN]) {
      const error = rejection(() => parseMoney(value, 'CNY', { field: 'principal' }));
      expect(error.field).toBe('principal');
      expect(error.reason).toMatch(/decimal string/);
    }
  });

  it('refuses other non-strings', () => {
    for (const value of [null, undefined, true, {}, ['1']]) {
      expect(rejection(() => parseMoney(value, 'CNY')).field).toBe('amount');
    }
  });

  it.each([
    ['100.001', 'CNY', /3 decimals but CNY allows 2/],
    ['100.5', 'JPY', /1 decimals but JPY allows 0/],
    ['1.2345', 'KWD', /4 decimals but KWD allows 3/],
  ])('refuses %s in %s: more decimals than the currency has', (text, currency, reason) => {
    expect(rejection(() => parseMoney(text, currency, { field: 'principal' })).message).toMatch(reason);
  });

  it.each([
    '1e5',
    '1E5',
    '',
    '.5',
    '5.',
    ' 5.00',
    '5.00 ',
    '\t5',
    '5 000',
    '5,000.00',
    '+5',
    '0x10',
    '５',
    '--5',
    'abc',
    '-',
  ])('refuses the malformed text %j', (text) => {
    const error = rejection(() => parseMoney(text, 'CNY', { field: 'amount' }));
    expect(error.message).toMatch(/^amount: must be a non-negative decimal string like "100.00", got /);
  });

  it('refuses negatives unless allowed, including "-0"', () => {
    expect(rejection(() => parseMoney('-5', 'CNY', { field: 'principal' })).message).toBe(
      'principal: must not be negative, got "-5"',
    );
    expect(rejection(() => parseMoney('-0.00', 'CNY')).reason).toMatch(/must not be negative/);
    expect(parseMoney('-5.25', 'CNY', { allowNegative: true }).amountMinor).toBe(-525n);
  });

  it('refuses zero when asked to', () => {
    expect(rejection(() => parseMoney('0.00', 'CNY', { field: 'principal', allowZero: false })).message).toBe(
      'principal: must be positive, got "0.00"',
    );
  });

  it('names the currency field when the currency is unknown', () => {
    const error = rejection(() => parseMoney('1.00', 'XYZ'));
    expect(error.field).toBe('currency');
    expect(rejection(() => parseMoney('1.00', 'cny')).field).toBe('currency');
  });
});

describe('minorDigits', () => {
  it('knows the pinned currencies and falls back to Intl for others', () => {
    expect(minorDigits('CNY')).toBe(2);
    expect(minorDigits('JPY')).toBe(0);
    expect(minorDigits('KWD')).toBe(3);
    expect(minorDigits('CHF')).toBe(2); // not pinned: from Intl
  });
});

describe('formatMinor', () => {
  it.each([
    [500000n, 'CNY', '5000.00'],
    [5n, 'CNY', '0.05'],
    [0n, 'CNY', '0.00'],
    [-5n, 'CNY', '-0.05'],
    [-123456n, 'CNY', '-1234.56'],
    [1234n, 'JPY', '1234'],
    [-1234n, 'JPY', '-1234'],
    [1n, 'KWD', '0.001'],
    [1234567n, 'KWD', '1234.567'],
    [1234567890123456789012n, 'USD', '12345678901234567890.12'],
  ])('%s %s is %s', (amountMinor, currency, expected) => {
    expect(formatMinor(amountMinor, currency)).toBe(expected);
    expect(formatMoney(money(amountMinor, currency))).toBe(expected);
  });

  it('round-trips with parseMoney for any amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.constantFrom('CNY', 'JPY', 'KWD'),
        (amount, currency) => {
          expect(parseMoney(formatMinor(amount, currency), currency, { allowNegative: true }).amountMinor).toBe(amount);
        },
      ),
    );
  });
});

describe('formatMoneyForLocale', () => {
  it('uses the locale symbol and grouping', () => {
    expect(formatMoneyForLocale(money(500000n, 'CNY'), 'zh-CN')).toBe('¥5,000.00');
    expect(formatMoneyForLocale(money(500000n, 'CNY'), 'en-US')).toBe('CN¥5,000.00');
    expect(formatMoneyForLocale(money(123456n, 'USD'), 'en-US')).toBe('$1,234.56');
    expect(formatMoneyForLocale(money(-1234n, 'JPY'), 'en-US')).toBe('-¥1,234');
    expect(formatMoneyForLocale(money(5n, 'CNY'), 'zh-CN')).toBe('¥0.05');
  });

  it('stays exact beyond the range of a float', () => {
    expect(formatMoneyForLocale(money(123456789012345678901n, 'USD'), 'en-US')).toBe('$1,234,567,890,123,456,789.01');
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and compares in one currency', () => {
    const a = money(150n, 'CNY');
    const b = money(100n, 'CNY');
    expect(add(a, b)).toEqual(money(250n, 'CNY'));
    expect(subtract(b, a)).toEqual(money(-50n, 'CNY'));
    expect([compare(a, b), compare(b, a), compare(a, a)]).toEqual([1, -1, 0]);
  });

  it('refuses to mix currencies', () => {
    expect(() => add(money(1n, 'CNY'), money(1n, 'USD'))).toThrow(/currency mismatch/);
  });
});

describe('allocateByWeights', () => {
  it('splits by largest remainder, ties to the earlier part', () => {
    expect(allocateByWeights(100n, [1n, 1n, 1n])).toEqual([34n, 33n, 33n]);
    expect(allocateByWeights(100n, [1n, 2n])).toEqual([33n, 67n]);
    expect(allocateByWeights(10n, [0n, 5n, 5n])).toEqual([0n, 5n, 5n]);
    expect(allocateByWeights(-100n, [1n, 1n, 1n])).toEqual([-34n, -33n, -33n]);
    expect(allocateByWeights(0n, [3n, 7n])).toEqual([0n, 0n]);
  });

  const weights = fc
    .array(fc.bigInt({ min: 0n, max: 10n ** 9n }), { minLength: 1, maxLength: 30 })
    .filter((ws) => ws.some((w) => w > 0n));
  const amount = fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n });

  it('always sums to the amount, and each part is within one unit of its exact share', () => {
    fc.assert(
      fc.property(amount, weights, (total, ws) => {
        const parts = allocateByWeights(total, ws);
        expect(parts).toHaveLength(ws.length);
        expect(parts.reduce((sum, p) => sum + p, 0n)).toBe(total);
        const weightSum = ws.reduce((sum, w) => sum + w, 0n);
        parts.forEach((part, index) => {
          // |part − total × w / W| < 1  ⇔  |part × W − total × w| < W
          const gap = part * weightSum - total * (ws[index] ?? 0n);
          expect((gap < 0n ? -gap : gap) < weightSum).toBe(true);
          if (ws[index] === 0n) expect(part).toBe(0n);
        });
      }),
    );
  });

  it('refuses empty, negative or all-zero weights', () => {
    expect(() => allocateByWeights(1n, [])).toThrow(/at least one weight/);
    expect(() => allocateByWeights(1n, [1n, -1n])).toThrow(/non-negative/);
    expect(() => allocateByWeights(1n, [0n, 0n])).toThrow(/not all be zero/);
  });
});

describe('splitEvenly', () => {
  it('puts the larger parts first', () => {
    expect(splitEvenly(1000n, 3)).toEqual([334n, 333n, 333n]);
    expect(splitEvenly(2n, 4)).toEqual([1n, 1n, 0n, 0n]);
    expect(splitEvenly(-7n, 2)).toEqual([-4n, -3n]);
  });

  it('preserves the sum and keeps parts within one unit of each other, in non-increasing order', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.integer({ min: 1, max: 400 }),
        (total, count) => {
          const parts = splitEvenly(total, count);
          expect(parts).toHaveLength(count);
          expect(parts.reduce((sum, p) => sum + p, 0n)).toBe(total);
          const magnitudes = parts.map((p) => (p < 0n ? -p : p));
          const largest = magnitudes.reduce((a, b) => (a > b ? a : b));
          const smallest = magnitudes.reduce((a, b) => (a < b ? a : b));
          expect(largest - smallest <= 1n).toBe(true);
          for (let i = 1; i < magnitudes.length; i += 1)
            expect((magnitudes[i] ?? 0n) <= (magnitudes[i - 1] ?? 0n)).toBe(true);
        },
      ),
    );
  });

  it('refuses a count that is not a positive integer', () => {
    expect(() => splitEvenly(10n, 0)).toThrow(/positive integer/);
    expect(() => splitEvenly(10n, 1.5)).toThrow(/positive integer/);
  });
});
