// Roll rates, cure rates and month-end snapshots on hand-built transition groups; each golden number is
// worked out in the comment above its assertion.
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/index.ts';
import { defaultBuckets, type Bucket, type LoanStatus } from '../servicing/index.ts';
import { cureRates, mergeLadders, monthEndSnapshots, rateText, rollRates, type TransitionGroup } from './rates.ts';

function group(
  from: [string, LoanStatus],
  to: [string, LoanStatus],
  loans: number,
  principalMinor: bigint,
  options: { ladder?: readonly Bucket[]; currency?: string } = {},
): TransitionGroup {
  return {
    ladder: options.ladder ?? defaultBuckets,
    currency: options.currency ?? 'CNY',
    from: { bucket: from[0], status: from[1] },
    to: { bucket: to[0], status: to[1] },
    loans,
    principalMinor,
  };
}

// A book at two month ends:
//   M0: 10 loans stay M0 (1,000.00 each), 2 roll to M1 (2,000.00 each), 1 pays off (500.00)
//   M1: 3 cure to M0 (800.00 each), 1 stays M1 (900.00), 2 roll to M2 (1,000.00 each)
//   M2: 1 rolls straight to M4 (1,200.00), 1 is charged off (1,500.00), 1 cures by paying off (700.00)
//   M6: 1 charged off (300.00) — M6 → M7+ is the last pair
//   already closed at the first date: 4 loans (ignored everywhere)
const book: TransitionGroup[] = [
  group(['M0', 'active'], ['M0', 'active'], 10, 1_000_000n),
  group(['M0', 'active'], ['M1', 'overdue'], 2, 400_000n),
  group(['M0', 'active'], ['M0', 'closed'], 1, 50_000n),
  group(['M1', 'overdue'], ['M0', 'active'], 3, 240_000n),
  group(['M1', 'overdue'], ['M1', 'overdue'], 1, 90_000n),
  group(['M1', 'overdue'], ['M2', 'overdue'], 2, 200_000n),
  group(['M2', 'overdue'], ['M4', 'overdue'], 1, 120_000n),
  group(['M2', 'overdue'], ['M2', 'charged_off'], 1, 150_000n),
  group(['M2', 'overdue'], ['M0', 'closed'], 1, 70_000n),
  group(['M6', 'overdue'], ['M6', 'charged_off'], 1, 30_000n),
  group(['M0', 'closed'], ['M0', 'closed'], 4, 0n),
];

describe('rollRates', () => {
  const rows = rollRates(book);

  it('gives one row per pair of the ladder, in DPD order, empty pairs with a null rate', () => {
    expect(rows.map((row) => `${row.from}→${row.to}`)).toEqual([
      'M0→M1',
      'M1→M2',
      'M2→M3',
      'M3→M4',
      'M4→M5',
      'M5→M6',
      'M6→M7+',
    ]);
    expect(rows[3]).toEqual({ from: 'M3', to: 'M4', rate: null, loans: 0, rolled: 0, balances: [] });
  });

  it('counts the share of the open loans in B that were in B+1 or worse, closed loans excluded at the first date', () => {
    // M0: 10 + 2 + 1 open loans = 13; 2 rolled → 2/13 = 0.153846… → "0.1538".
    // By balance: 4,000.00 of 10,000.00 + 4,000.00 + 500.00 = 14,500.00 → 0.275862… → "0.2759".
    expect(rows[0]).toEqual({
      from: 'M0',
      to: 'M1',
      rate: '0.1538',
      loans: 13,
      rolled: 2,
      balances: [{ currency: 'CNY', balance: '14500.00', movedBalance: '4000.00', rate: '0.2759' }],
    });
    // M1: 6 loans; 2 rolled to M2 → 1/3 = "0.3333"; balance 2,000.00 / 5,300.00 = 0.377358… → "0.3774".
    expect(rows[1]).toMatchObject({ rate: '0.3333', loans: 6, rolled: 2 });
    expect(rows[1]?.balances[0]).toMatchObject({ balance: '5300.00', movedBalance: '2000.00', rate: '0.3774' });
  });

  it('takes a jump of several buckets and a charge-off as a roll, a payoff as none', () => {
    // M2: 3 loans; M4 (worse than M3) and charged off roll, the payoff does not → 2/3 = "0.6667";
    // balance (1,200.00 + 1,500.00) / 3,400.00 = 0.794117… → "0.7941".
    expect(rows[2]).toMatchObject({ from: 'M2', to: 'M3', rate: '0.6667', loans: 3, rolled: 2 });
    expect(rows[2]?.balances[0]).toMatchObject({ rate: '0.7941' });
    // M6 → M7+: the one loan was charged off → 1.
    expect(rows[6]).toMatchObject({ from: 'M6', to: 'M7+', rate: '1.0000', loans: 1, rolled: 1 });
  });

  it('follows each loan’s own ladder and keeps currencies apart', () => {
    const short: Bucket[] = [
      { name: 'M0', dpdAtLeast: 0 },
      { name: 'X1', dpdAtLeast: 1 },
      { name: 'X2', dpdAtLeast: 15 },
    ];
    const mixed = rollRates([
      group(['X1', 'overdue'], ['X2', 'overdue'], 1, 100n, { ladder: short, currency: 'USD' }),
      group(['X1', 'overdue'], ['X1', 'overdue'], 3, 300n, { ladder: short, currency: 'USD' }),
      group(['M1', 'overdue'], ['M1', 'overdue'], 1, 1_000n),
    ]);
    // The merged ladder puts X1 (DPD 1) with M1 and X2 (DPD 15) before M2 (DPD 31).
    expect(mixed.map((row) => `${row.from}→${row.to}`).slice(0, 4)).toEqual(['M0→M1', 'M0→X1', 'M1→M2', 'X1→X2']);
    // X1 → X2: 1 of 4 loans = "0.2500"; balance 1.00 of 4.00 USD = "0.2500".
    expect(mixed.find((row) => row.from === 'X1')).toMatchObject({
      rate: '0.2500',
      balances: [{ currency: 'USD', balance: '4.00', movedBalance: '1.00', rate: '0.2500' }],
    });
  });
});

describe('cureRates', () => {
  const rows = cureRates(book);

  it('gives one row per delinquent bucket', () => {
    expect(rows.map((row) => row.bucket)).toEqual(['M1', 'M2', 'M3', 'M4', 'M5', 'M6', 'M7+']);
  });

  it('counts loans current again or closed at the second date as cured', () => {
    // M1: 3 of 6 back in M0 → "0.5000"; balance 2,400.00 / 5,300.00 = 0.452830… → "0.4528".
    expect(rows[0]).toMatchObject({ bucket: 'M1', rate: '0.5000', loans: 6, cured: 3 });
    expect(rows[0]?.balances[0]).toMatchObject({ movedBalance: '2400.00', rate: '0.4528' });
    // M2: only the payoff cured → 1/3 = "0.3333"; M6: none → "0.0000"; M3: nobody → null.
    expect(rows[1]).toMatchObject({ bucket: 'M2', rate: '0.3333', cured: 1 });
    expect(rows[5]).toMatchObject({ bucket: 'M6', rate: '0.0000', loans: 1, cured: 0 });
    expect(rows[2]).toMatchObject({ bucket: 'M3', rate: null, loans: 0 });
  });
});

describe('rateText', () => {
  it('rounds half up to four decimals', () => {
    // 1/8 = 0.125 exactly; 1/3 = 0.33333…; 2/3 = 0.66666… → up; 5/80000 = 0.0000625 → 0.0001.
    expect([rateText(1n, 8n), rateText(1n, 3n), rateText(2n, 3n), rateText(5n, 80_000n)]).toEqual([
      '0.1250',
      '0.3333',
      '0.6667',
      '0.0001',
    ]);
    expect(rateText(0n, 0n)).toBeNull();
  });
});

describe('mergeLadders', () => {
  it('orders bucket names by their lowest DPD floor', () => {
    expect(
      mergeLadders([
        defaultBuckets.slice(0, 3),
        [
          { name: 'M0', dpdAtLeast: 0 },
          { name: 'late', dpdAtLeast: 10 },
        ],
      ]).map((bucket) => bucket.name),
    ).toEqual(['M0', 'M1', 'late', 'M2']);
  });
});

describe('monthEndSnapshots', () => {
  it('takes the month ends on or before the as-of date, oldest first', () => {
    // 15 April: the last month end is 31 March; three periods need four month ends (2026 is not a leap year).
    expect(monthEndSnapshots('2026-04-15', 3)).toEqual(['2025-12-31', '2026-01-31', '2026-02-28', '2026-03-31']);
    // A month's last day is itself a snapshot; 2024 is a leap year.
    expect(monthEndSnapshots('2024-03-31', 2)).toEqual(['2024-01-31', '2024-02-29', '2024-03-31']);
  });

  it('refuses a number of months out of range, naming the field', () => {
    expect(() => monthEndSnapshots('2026-04-15', 0)).toThrow(InputError);
    expect(() => monthEndSnapshots('2026-04-15', 25)).toThrow('months: must be a whole number between 1 and 24');
  });
});
