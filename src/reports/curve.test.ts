// The collections curve on hand-built episodes; each golden number is worked out in the comment above it.
import { describe, expect, it } from 'vitest';
import { collectionsCurve, curveDays, type DelinquencyEpisode } from './curve.ts';

function episode(
  loanId: string,
  startedOn: string,
  overdueMinor: bigint,
  payments: DelinquencyEpisode['payments'] = [],
  currency = 'CNY',
): DelinquencyEpisode {
  return { borrowerId: `B-${loanId}`, loanId, currency, startedOn, overdueMinor, payments };
}

describe('curveDays', () => {
  it('steps from 0 to the last day', () => {
    expect(curveDays({ maxDays: 30, step: 10 })).toEqual([0, 10, 20, 30]);
    expect(curveDays({ maxDays: 25, step: 10 })).toEqual([0, 10, 20]);
  });

  it('names the field of a bad step', () => {
    expect(() => curveDays({ maxDays: 30, step: 0 })).toThrow('step: must be a whole number ≥ 1');
    expect(() => curveDays({ maxDays: 720, step: 1 })).toThrow('step: gives more than 400 points');
  });
});

describe('collectionsCurve', () => {
  // Cohort 2026-03: L1 300.00 overdue from 03-05, pays 100.00 on 03-10 (day 5) and 50.00 on 03-25 (day 20);
  //                 L2 100.00 overdue from 03-20, pays 100.00 on 03-20 (day 0), reversed on 03-22 (day 2),
  //                 then 100.00 on 04-01 (day 12).
  // Cohort 2026-04: L3 200.00 overdue from 04-02, nothing paid; a reversal of a payment made before its
  //                 delinquency (P0) is not a recovery taken back.
  const episodes = [
    episode('L1', '2026-03-05', 30_000n, [
      { kind: 'posted', paymentId: 'P1', on: '2026-03-10', amountMinor: 10_000n },
      { kind: 'posted', paymentId: 'P2', on: '2026-03-25', amountMinor: 5_000n },
    ]),
    episode('L2', '2026-03-20', 10_000n, [
      { kind: 'posted', paymentId: 'P3', on: '2026-03-20', amountMinor: 10_000n },
      { kind: 'reversed', paymentId: 'P3', on: '2026-03-22', amountMinor: 10_000n },
      { kind: 'posted', paymentId: 'P4', on: '2026-04-01', amountMinor: 10_000n },
    ]),
    episode('L3', '2026-04-02', 20_000n, [
      { kind: 'reversed', paymentId: 'P0', on: '2026-04-03', amountMinor: 5_000n },
    ]),
  ];

  it('sums recoveries by day since delinquency over the overdue amount', () => {
    // As of 2026-04-12: the youngest of cohort 2026-03 (L2, from 03-20) is 23 days old, so days 0, 5, 10,
    // 15, 20 are shown. Overdue 400.00. Recovered by day d (L1 by its own days, L2 by its own):
    //   day 0: L2's 100.00 → 100.00 → 0.25
    //   day 5: L1 100.00; L2 100.00 − 100.00 (reversal on day 2) → 100.00 → 0.25
    //   day 10: same → 100.00
    //   day 15: L2's 04-01 payment is day 12 → 200.00 → 0.5
    //   day 20: L1's 50.00 on day 20 → 250.00 → 0.625
    // Cohort 2026-04: L3 is 10 days old → days 0, 5, 10, all 0.00 of 200.00.
    const points = collectionsCurve(episodes, { asOf: '2026-04-12', days: [0, 5, 10, 15, 20, 25] });
    expect(points.map((p) => [p.cohort, p.day, p.recovered, p.recoveredRate])).toEqual([
      ['2026-03', 0, '100.00', '0.2500'],
      ['2026-03', 5, '100.00', '0.2500'],
      ['2026-03', 10, '100.00', '0.2500'],
      ['2026-03', 15, '200.00', '0.5000'],
      ['2026-03', 20, '250.00', '0.6250'],
      ['2026-04', 0, '0.00', '0.0000'],
      ['2026-04', 5, '0.00', '0.0000'],
      ['2026-04', 10, '0.00', '0.0000'],
    ]);
    expect(points[0]).toMatchObject({ loans: 2, overdue: '400.00', currency: 'CNY' });
  });

  it('keeps currencies apart and gives no points for an empty book', () => {
    const points = collectionsCurve(
      [episode('U1', '2026-03-01', 5_000n, [], 'USD'), episodes[0] as DelinquencyEpisode],
      {
        asOf: '2026-03-01',
        days: [0, 10],
      },
    );
    // L1 starts 03-05, after the as-of date: its cohort has no day it reached yet.
    expect(points.map((p) => [p.cohort, p.currency, p.day, p.overdue])).toEqual([['2026-03', 'USD', 0, '50.00']]);
    expect(collectionsCurve([], { asOf: '2026-03-01', days: [0] })).toEqual([]);
  });
});
