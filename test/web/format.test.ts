// The browser's display helpers (web/src/format.ts, web/src/console/reports.ts) run in node here: amounts
// and rates are shown exactly as the API sent them (no float on the way), and the report readers add up
// what they are given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stack, sortBuckets } from '../../web/src/console/reports.ts';
import { AMOUNT_PATTERN, formatDecimal, formatMoney, formatRate, sumDecimals } from '../../web/src/format.ts';

/** `units` with `scale` decimals as a decimal string: (-1234, 2) → "-12.34". */
function decimal(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return negative ? `-${text}` : text;
}

describe('formatRate', () => {
  it('moves the point two places exactly: a 4-decimal fraction is a 2-decimal percent', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10_000_000n }), (units) => {
        expect(formatRate(decimal(units, 4))).toBe(`${decimal(units, 2)}%`);
      }),
    );
    expect(formatRate('0.12')).toBe('12.00%');
    expect(formatRate('0.1825')).toBe('18.25%');
    expect(formatRate('1')).toBe('100.00%');
    expect(formatRate(undefined)).toBe('—');
  });
});

describe('formatMoney', () => {
  it('groups thousands and keeps every digit and the sign', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (units) => {
        const amount = decimal(units, 2);
        const shown = formatMoney(amount, 'CNY');
        expect(shown.replace('¥', '').replaceAll(',', '')).toBe(amount);
        expect(/^-?¥\d{1,3}(,\d{3})*\.\d{2}$/.test(shown)).toBe(true);
      }),
    );
    expect(formatMoney('5000.00', 'USD')).toBe('$5,000.00');
    expect(formatMoney('12.5', 'JPY')).toBe('JPY 12.5');
    expect(formatDecimal('not a number')).toBe('not a number');
  });
});

describe('sumDecimals', () => {
  it('adds decimal strings exactly, whatever their scales', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.integer({ min: 0, max: 4 })), {
          maxLength: 20,
        }),
        (parts) => {
          const total = parts.reduce((sum, [units, scale]) => sum + units * 10n ** BigInt(4 - scale), 0n);
          const scaleMax = parts.reduce((max, [, scale]) => Math.max(max, scale), 0);
          const expected = decimal(total / 10n ** BigInt(4 - scaleMax), scaleMax);
          expect(sumDecimals(parts.map(([units, scale]) => decimal(units, scale)))).toBe(expected);
        },
      ),
    );
  });
});

describe('AMOUNT_PATTERN', () => {
  it('takes the amounts the API takes and refuses the rest', () => {
    for (const ok of ['500', '500.5', '500.50', '0.01']) expect(AMOUNT_PATTERN.test(ok)).toBe(true);
    for (const bad of ['-5', '5.001', '05', '1e3', '', '1,000.00']) expect(AMOUNT_PATTERN.test(bad)).toBe(false);
  });
});

describe('report readers', () => {
  it('stack keeps every row: the series add up to the rows, per category', () => {
    const bucket = fc.constantFrom('M0', 'M1', 'M2', 'M7+', 'X');
    const row = fc.record({ bucket, status: fc.constantFrom('active', 'overdue'), loans: fc.nat(1000) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 30 }), (rows) => {
        const chart = stack(rows, {
          category: ['bucket'],
          stack: ['status'],
          value: ['loans'],
          sortCategories: sortBuckets,
        });
        chart.categories.forEach((category, index) => {
          const expected = rows.filter((r) => r.bucket === category).reduce((sum, r) => sum + r.loans, 0);
          expect(chart.series.reduce((sum, s) => sum + (s.values[index] ?? 0), 0)).toBe(expected);
        });
        expect(new Set(chart.categories)).toEqual(new Set(rows.map((r) => r.bucket)));
      }),
    );
  });

  it('orders buckets by delinquency, unknown names last', () => {
    expect(sortBuckets(['X', 'M7+', 'M1', 'M0', 'M2'])).toEqual(['M0', 'M1', 'M2', 'M7+', 'X']);
  });
});
