// Rounding: every mode on positive and negative quotients, exact ties, and the properties that make a
// mode what it is (distance to the exact quotient, direction), checked on random bigints.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { divideRounded, roundToMultiple, roundingModes, type RoundingMode } from './rounding.ts';

describe('divideRounded', () => {
  // [numerator, denominator, half_up, half_even, up, down]
  const table: [bigint, bigint, bigint, bigint, bigint, bigint][] = [
    [10n, 4n, 3n, 2n, 3n, 2n], // 2.5: a tie, even neighbour is 2
    [14n, 4n, 4n, 4n, 4n, 3n], // 3.5: a tie, even neighbour is 4
    [11n, 4n, 3n, 3n, 3n, 2n], // 2.75
    [9n, 4n, 2n, 2n, 3n, 2n], // 2.25
    [8n, 4n, 2n, 2n, 2n, 2n], // exact
    [1n, 3n, 0n, 0n, 1n, 0n],
    [2n, 3n, 1n, 1n, 1n, 0n],
    [0n, 7n, 0n, 0n, 0n, 0n],
    [-10n, 4n, -3n, -2n, -3n, -2n], // -2.5: half_up goes away from zero, half_even to -2
    [-14n, 4n, -4n, -4n, -4n, -3n], // -3.5
    [-11n, 4n, -3n, -3n, -3n, -2n], // -2.75
    [-9n, 4n, -2n, -2n, -3n, -2n], // -2.25: up is away from zero
    [-1n, 2n, -1n, 0n, -1n, 0n], // -0.5
    [1n, 2n, 1n, 0n, 1n, 0n], // 0.5
    [10n, -4n, -3n, -2n, -3n, -2n], // a negative denominator flips the sign like a negative numerator
    [-10n, -4n, 3n, 2n, 3n, 2n],
  ];
  it.each(table)('%s / %s rounds per mode', (n, d, halfUp, halfEven, up, down) => {
    expect(divideRounded(n, d, 'half_up')).toBe(halfUp);
    expect(divideRounded(n, d, 'half_even')).toBe(halfEven);
    expect(divideRounded(n, d, 'up')).toBe(up);
    expect(divideRounded(n, d, 'down')).toBe(down);
  });

  it('refuses a zero denominator', () => {
    expect(() => divideRounded(1n, 0n, 'half_up')).toThrow(/division by zero/);
  });

  it('is exact for amounts far beyond 2^53', () => {
    const big = 12345678901234567890123456789n;
    expect(divideRounded(big * 1000n + 500n, 1000n, 'half_up')).toBe(big + 1n);
    expect(divideRounded(big * 1000n + 500n, 1000n, 'half_even')).toBe(big + 1n); // big is odd
    expect(divideRounded(big * 1000n + 499n, 1000n, 'half_up')).toBe(big);
  });

  const numerator = fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n });
  const denominator = fc.bigInt({ min: 1n, max: 10n ** 12n });
  const abs = (x: bigint): bigint => (x < 0n ? -x : x);

  it('stays within half a unit of the exact quotient for the half modes, within one for up/down', () => {
    fc.assert(
      fc.property(numerator, denominator, fc.constantFrom(...roundingModes), (n, d, mode) => {
        const q = divideRounded(n, d, mode);
        const error = abs(q * d - n); // |q - n/d| × d
        if (mode === 'half_up' || mode === 'half_even') expect(2n * error <= d).toBe(true);
        else expect(error < d).toBe(true);
      }),
    );
  });

  it('rounds down toward zero and up away from zero', () => {
    fc.assert(
      fc.property(numerator, denominator, (n, d) => {
        const down = divideRounded(n, d, 'down');
        const up = divideRounded(n, d, 'up');
        expect(abs(down * d) <= abs(n)).toBe(true);
        expect(abs(up * d) >= abs(n)).toBe(true);
        expect(abs(up - down) <= 1n).toBe(true);
        expect(up === down).toBe(n % d === 0n);
      }),
    );
  });

  it('is symmetric: rounding -n/d is the negation of rounding n/d in every mode', () => {
    fc.assert(
      fc.property(numerator, denominator, fc.constantFrom(...roundingModes), (n, d, mode) => {
        expect(divideRounded(-n, d, mode)).toBe(-divideRounded(n, d, mode));
      }),
    );
  });

  it('breaks exact ties away from zero for half_up and to even for half_even', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        (k, half) => {
          const d = 2n * half;
          const n = k * d + (k < 0n ? -half : half); // exactly k ± 0.5
          const awayFromZero = k < 0n ? k - 1n : k + 1n;
          expect(divideRounded(n, d, 'half_up')).toBe(awayFromZero);
          const even = k % 2n === 0n ? k : awayFromZero;
          expect(divideRounded(n, d, 'half_even')).toBe(even);
        },
      ),
    );
  });
});

describe('roundToMultiple', () => {
  const cases: [bigint, bigint, RoundingMode, bigint][] = [
    [123456n, 100n, 'half_up', 123500n], // 1234.56 to whole units
    [123449n, 100n, 'half_up', 123400n],
    [123450n, 100n, 'half_up', 123500n],
    [123450n, 100n, 'half_even', 123400n],
    [123550n, 100n, 'half_even', 123600n],
    [123401n, 100n, 'up', 123500n],
    [123499n, 100n, 'down', 123400n],
    [30588n, 10n, 'half_up', 30590n], // to ten cents
    [30588n, 1n, 'down', 30588n], // the minor unit changes nothing
    [-123450n, 100n, 'half_up', -123500n],
    [-123401n, 100n, 'up', -123500n],
  ];
  it.each(cases)('%s to a multiple of %s (%s) is %s', (amount, multiple, mode, expected) => {
    expect(roundToMultiple(amount, multiple, mode)).toBe(expected);
  });

  it('always lands on a multiple, within one multiple of the amount', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }),
        fc.bigInt({ min: 1n, max: 10n ** 6n }),
        fc.constantFrom(...roundingModes),
        (amount, multiple, mode) => {
          const rounded = roundToMultiple(amount, multiple, mode);
          expect(rounded % multiple).toBe(0n);
          const distance = rounded > amount ? rounded - amount : amount - rounded;
          expect(distance < multiple).toBe(true);
        },
      ),
    );
  });

  it('refuses a multiple that is not positive', () => {
    expect(() => roundToMultiple(100n, 0n, 'half_up')).toThrow(/must be positive/);
    expect(() => roundToMultiple(100n, -5n, 'half_up')).toThrow(/must be positive/);
  });
});
