// The collections curve: loans grouped by the month they became delinquent (the cohort), and for each
// cohort and each day since delinquency, the cumulative amount recovered over the amount overdue when they
// became delinquent. Pure: the store gives the delinquency episodes with their payments and overdue
// amounts. Definitions in docs/reports.md. Invariants: a payment counts for one episode only (the loan's
// latest delinquency before it) and from its own date on; a reversal takes back only a payment the
// episode counted; a cohort's point for day N is given only once every episode of the cohort is N days
// old on the as-of date, so each curve has one fixed denominator; amounts never mix currencies.
import { daysBetween, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { formatMinor, formatRatio, ratio } from '../money/index.ts';
import { RATE_DECIMALS } from './rates.ts';

/** A loan's delinquency, from the day it became delinquent to its next delinquency (or now). */
export interface DelinquencyEpisode {
  borrowerId: string;
  loanId: string;
  currency: string;
  /** The business date of its `became_delinquent` event. */
  startedOn: IsoDate;
  /** Principal, interest and fee past due plus penalty owed, at the end of that step. */
  overdueMinor: bigint;
  /** Payments posted and reversed after it (until the loan's next delinquency), in order. */
  payments: readonly EpisodePayment[];
}

export type EpisodePayment =
  | { kind: 'posted'; paymentId: string; on: IsoDate; amountMinor: bigint }
  | { kind: 'reversed'; paymentId: string; on: IsoDate; amountMinor: bigint };

export interface CurvePoint {
  /** `YYYY-MM`, the month the cohort's loans became delinquent. */
  cohort: string;
  currency: string;
  /** Days since delinquency. */
  day: number;
  /** Episodes in the cohort (a loan delinquent twice in a month counts twice). */
  loans: number;
  /** Overdue at delinquency, summed over the cohort (major units). */
  overdue: string;
  /** Recovered through `day` (payments on or before startedOn + day, net of their reversals). */
  recovered: string;
  /** recovered / overdue, four decimals; above 1 when cured loans went on paying later installments. */
  recoveredRate: string | null;
}

export interface CurveOptions {
  /** The last business date with data: a day N is shown for a cohort only when all its episodes reached it. */
  asOf: IsoDate;
  /** Days since delinquency to report, ascending, each ≥ 0. */
  days: readonly number[];
}

/** Most points of one curve (days per cohort). */
export const CURVE_DAYS_MAX = 400;

/** 0, step, 2·step, … up to maxDays (maxDays itself included when it is a multiple of step). */
export function curveDays(options: { maxDays: number; step: number }): number[] {
  const { maxDays, step } = options;
  if (!Number.isInteger(step) || step < 1) throw new InputError('step', `must be a whole number ≥ 1, got ${step}`);
  if (!Number.isInteger(maxDays) || maxDays < 0) {
    throw new InputError('maxDays', `must be a whole number ≥ 0, got ${maxDays}`);
  }
  if (Math.floor(maxDays / step) + 1 > CURVE_DAYS_MAX) {
    throw new InputError('step', `gives more than ${CURVE_DAYS_MAX} points up to ${maxDays} days; use a larger step`);
  }
  const days: number[] = [];
  for (let day = 0; day <= maxDays; day += step) days.push(day);
  return days;
}

/** Each episode's recovered amount by day since its start: a running total at each day asked for. */
function recoveredByDay(episode: DelinquencyEpisode, days: readonly number[]): bigint[] {
  const counted = new Set<string>();
  const moves: { day: number; amountMinor: bigint }[] = [];
  for (const payment of episode.payments) {
    const day = daysBetween(episode.startedOn, payment.on);
    invariant(day >= 0, `payment ${payment.paymentId} of ${episode.loanId} is not before its delinquency`);
    if (payment.kind === 'posted') {
      counted.add(payment.paymentId);
      moves.push({ day, amountMinor: payment.amountMinor });
    } else if (counted.has(payment.paymentId)) {
      moves.push({ day, amountMinor: -payment.amountMinor });
    }
  }
  return days.map((limit) => moves.reduce((sum, move) => (move.day <= limit ? sum + move.amountMinor : sum), 0n));
}

/** The curve's points, by cohort (oldest first), currency and day. */
export function collectionsCurve(episodes: readonly DelinquencyEpisode[], options: CurveOptions): CurvePoint[] {
  const { asOf, days } = options;
  days.forEach((day, index) => invariant(day >= 0 && (index === 0 || day > (days[index - 1] as number)), 'days rise'));
  const cohorts = new Map<
    string,
    { cohort: string; currency: string; loans: number; overdue: bigint; youngestAge: number; recovered: bigint[] }
  >();
  for (const episode of episodes) {
    invariant(episode.overdueMinor >= 0n, `the overdue amount of ${episode.loanId} is not negative`);
    const cohort = episode.startedOn.slice(0, 7);
    const key = `${cohort}\u0000${episode.currency}`;
    const entry = cohorts.get(key) ?? {
      cohort,
      currency: episode.currency,
      loans: 0,
      overdue: 0n,
      youngestAge: Number.POSITIVE_INFINITY,
      recovered: days.map(() => 0n),
    };
    entry.loans += 1;
    entry.overdue += episode.overdueMinor;
    entry.youngestAge = Math.min(entry.youngestAge, daysBetween(episode.startedOn, asOf));
    recoveredByDay(episode, days).forEach((amount, index) => {
      entry.recovered[index] = (entry.recovered[index] as bigint) + amount;
    });
    cohorts.set(key, entry);
  }
  const points: CurvePoint[] = [];
  const ordered = [...cohorts.values()].sort((a, b) =>
    a.cohort !== b.cohort
      ? a.cohort < b.cohort
        ? -1
        : 1
      : a.currency < b.currency
        ? -1
        : a.currency > b.currency
          ? 1
          : 0,
  );
  for (const entry of ordered) {
    days.forEach((day, index) => {
      if (day > entry.youngestAge) return;
      const recovered = entry.recovered[index] as bigint;
      points.push({
        cohort: entry.cohort,
        currency: entry.currency,
        day,
        loans: entry.loans,
        overdue: formatMinor(entry.overdue, entry.currency),
        recovered: formatMinor(recovered, entry.currency),
        recoveredRate:
          entry.overdue === 0n
            ? null
            : formatRatio(ratio(recovered < 0n ? 0n : recovered, entry.overdue), RATE_DECIMALS),
      });
    });
  }
  return points;
}
