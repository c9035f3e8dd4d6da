// Roll rates and cure rates of a book between snapshot dates, from each loan's standing (bucket and
// status) at both dates. Pure: the store gives the standings, grouped; this decides what counts. The
// definitions are in docs/reports.md. Invariants: a loan counts in a bucket at the first date only while it
// is open (active or overdue); "B+1 or worse" follows the loan's own bucket ladder (its servicing rules'
// ranges, not the names' spelling), and a loan charged off by the second date is worse than any bucket; a
// loan closed (paid off or settled) by the second date is cured and never rolled; rates are exact ratios
// rounded half-up to four decimals, null when nothing was in the bucket; balances never mix currencies.
import { addDays, addMonths, daysInMonth, formatParts, partsOf, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { formatMinor, formatRatio, ratio } from '../money/index.ts';
import type { Bucket, LoanStatus } from '../servicing/index.ts';

/** Decimals of every rate in a report ("0.7143"). */
export const RATE_DECIMALS = 4;

/** A loan's standing at a snapshot date. */
export interface Standing {
  bucket: string;
  status: LoanStatus;
}

/**
 * Loans that went from one standing to another between two snapshot dates, with their outstanding
 * principal at the first date.
 */
export interface TransitionGroup {
  /** The loans' bucket ladder (their servicing rules' buckets, clear bucket first). */
  ladder: readonly Bucket[];
  currency: string;
  from: Standing;
  to: Standing;
  loans: number;
  principalMinor: bigint;
}

export interface BalanceRate {
  currency: string;
  /** Outstanding principal at the first date of the loans in the bucket (major units). */
  balance: string;
  /** The part of it on loans that rolled (or cured). */
  movedBalance: string;
  rate: string | null;
}

export interface RollRateRow {
  /** Bucket at the first date. */
  from: string;
  /** The next bucket of the ladder. */
  to: string;
  /** Share of the loans in `from` at the first date that were in `to` or worse at the second. */
  rate: string | null;
  loans: number;
  rolled: number;
  /** The same share weighted by outstanding principal at the first date, one entry per currency. */
  balances: BalanceRate[];
}

export interface CureRateRow {
  bucket: string;
  /** Share of the loans in `bucket` at the first date that were current (clear bucket) or closed at the second. */
  rate: string | null;
  loans: number;
  cured: number;
  balances: BalanceRate[];
}

/** `numerator / denominator` as a decimal fraction string, or null when the denominator is 0. */
export function rateText(numerator: bigint, denominator: bigint): string | null {
  invariant(numerator >= 0n && denominator >= 0n && numerator <= denominator, 'a share is between 0 and the whole');
  return denominator === 0n ? null : formatRatio(ratio(numerator, denominator), RATE_DECIMALS);
}

/** Every bucket of the ladders in DPD order (a name used by several ladders takes its lowest floor). */
export function mergeLadders(ladders: Iterable<readonly Bucket[]>): Bucket[] {
  const floors = new Map<string, number>();
  for (const ladder of ladders) {
    for (const bucket of ladder) {
      const known = floors.get(bucket.name);
      if (known === undefined || bucket.dpdAtLeast < known) floors.set(bucket.name, bucket.dpdAtLeast);
    }
  }
  return [...floors]
    .map(([name, dpdAtLeast]) => ({ name, dpdAtLeast }))
    .sort((a, b) => a.dpdAtLeast - b.dpdAtLeast || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function indexIn(ladder: readonly Bucket[], name: string): number {
  const index = ladder.findIndex((bucket) => bucket.name === name);
  invariant(index >= 0, `bucket ${name} is one of the loan's ladder`);
  return index;
}

const isOpen = (status: LoanStatus): boolean => status === 'active' || status === 'overdue';

interface Tally {
  loans: number;
  moved: number;
  balance: Map<string, { all: bigint; moved: bigint }>;
}

function emptyTally(): Tally {
  return { loans: 0, moved: 0, balance: new Map() };
}

function count(tally: Tally, group: TransitionGroup, moved: boolean): void {
  tally.loans += group.loans;
  const money = tally.balance.get(group.currency) ?? { all: 0n, moved: 0n };
  money.all += group.principalMinor;
  if (moved) {
    tally.moved += group.loans;
    money.moved += group.principalMinor;
  }
  tally.balance.set(group.currency, money);
}

function balancesOf(tally: Tally): BalanceRate[] {
  return [...tally.balance]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, money]) => ({
      currency,
      balance: formatMinor(money.all, currency),
      movedBalance: formatMinor(money.moved, currency),
      // A principal is never negative; a loan whose principal is all repaid weighs nothing.
      rate: rateText(money.moved < 0n ? 0n : money.moved, money.all < 0n ? 0n : money.all),
    }));
}

/**
 * Roll rates: per bucket B (but the last of a ladder), of the open loans in B at the first date, the share in
 * the next bucket or a worse one (or charged off) at the second. One row per (B, next) of the merged ladders,
 * in DPD order, empty buckets included (rate null).
 */
export function rollRates(groups: readonly TransitionGroup[]): RollRateRow[] {
  const tallies = new Map<string, { from: string; to: string; tally: Tally }>();
  const pairs = (ladder: readonly Bucket[]) =>
    ladder.slice(0, -1).map((bucket, index) => ({ from: bucket.name, to: (ladder[index + 1] as Bucket).name }));
  for (const group of groups) {
    for (const pair of pairs(group.ladder)) {
      const key = `${pair.from}\u0000${pair.to}`;
      if (!tallies.has(key)) tallies.set(key, { ...pair, tally: emptyTally() });
    }
    if (!isOpen(group.from.status)) continue;
    const fromIndex = indexIn(group.ladder, group.from.bucket);
    const next = group.ladder[fromIndex + 1];
    if (next === undefined) continue;
    const rolled =
      group.to.status === 'charged_off' ||
      (isOpen(group.to.status) && indexIn(group.ladder, group.to.bucket) > fromIndex);
    const entry = tallies.get(`${group.from.bucket}\u0000${next.name}`);
    invariant(entry !== undefined, 'every pair of a ladder has a tally');
    count(entry.tally, group, rolled);
  }
  const order = mergeLadders(groups.map((group) => group.ladder)).map((bucket) => bucket.name);
  return [...tallies.values()]
    .sort((a, b) => order.indexOf(a.from) - order.indexOf(b.from) || order.indexOf(a.to) - order.indexOf(b.to))
    .map(({ from, to, tally }) => ({
      from,
      to,
      rate: rateText(BigInt(tally.moved), BigInt(tally.loans)),
      loans: tally.loans,
      rolled: tally.moved,
      balances: balancesOf(tally),
    }));
}

/**
 * Cure rates: per delinquent bucket B (every bucket but a ladder's clear one), of the open loans in B at the
 * first date, the share current (the clear bucket, open) or closed at the second.
 */
export function cureRates(groups: readonly TransitionGroup[]): CureRateRow[] {
  const tallies = new Map<string, Tally>();
  for (const group of groups) {
    for (const bucket of group.ladder.slice(1)) if (!tallies.has(bucket.name)) tallies.set(bucket.name, emptyTally());
    if (!isOpen(group.from.status) || indexIn(group.ladder, group.from.bucket) === 0) continue;
    const cured =
      group.to.status === 'closed' || (isOpen(group.to.status) && indexIn(group.ladder, group.to.bucket) === 0);
    const tally = tallies.get(group.from.bucket);
    invariant(tally !== undefined, 'every delinquent bucket of a ladder has a tally');
    count(tally, group, cured);
  }
  const order = mergeLadders(groups.map((group) => group.ladder)).map((bucket) => bucket.name);
  return [...tallies]
    .sort(([a], [b]) => order.indexOf(a) - order.indexOf(b))
    .map(([bucket, tally]) => ({
      bucket,
      rate: rateText(BigInt(tally.moved), BigInt(tally.loans)),
      loans: tally.loans,
      cured: tally.moved,
      balances: balancesOf(tally),
    }));
}

/** The most one-month periods a report compares (two years of history). */
export const SNAPSHOT_MONTHS_MAX = 24;

/**
 * The last `months` + 1 month ends on or before `asOf` (asOf itself when it is a month's last day), oldest
 * first: the snapshot dates of `months` consecutive one-month periods.
 */
export function monthEndSnapshots(asOf: IsoDate, months: number): IsoDate[] {
  if (!Number.isInteger(months) || months < 1 || months > SNAPSHOT_MONTHS_MAX) {
    throw new InputError('months', `must be a whole number between 1 and ${SNAPSHOT_MONTHS_MAX}, got ${months}`);
  }
  const { year, month, day } = partsOf(asOf);
  // The first day of the month after the last month end on or before asOf; each step back is one month end.
  const after = day === daysInMonth(year, month) ? addDays(asOf, 1) : formatParts({ year, month, day: 1 });
  const dates: IsoDate[] = [];
  for (let back = months + 1; back >= 1; back -= 1) dates.push(addDays(addMonths(after, 1 - back), -1));
  return dates;
}
