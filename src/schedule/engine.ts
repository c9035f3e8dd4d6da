// The schedule engine: LoanTerms → installments (due date, principal, interest, fee, total, balance),
// totals and the APR, per CONTRACTS.md "LoanTerms" and "Schedule".
//
// Invariants, asserted before returning: the principal parts sum to the principal exactly; the balance
// never goes below zero and ends at zero; the totals are the sums of the installments; every amount is
// a whole number of minor units reached through one named rounding.
//
// Everything is exact bigint arithmetic on Ratio parts: a period's interest is base × multiplier /
// denominator, rounded once with `rounding.interestMode` (half-up by default; Apache Fineract rounds
// half-even). Flat interest is rounded per period but its total is the exact principal × rate × term
// rounded once, the last period taking the difference, so it never drifts. The annuity payment P·r·(1+r)^n / ((1+r)^n − 1) is evaluated as
// one fraction of bigints and rounded once with the contract's rounding mode, so it matches a bank's
// calculator (and Excel's PMT) to the cent. No Temporal, no decimal.js: a twelve-installment schedule
// with its APR costs a few microseconds.
//
// Where the contract leaves a choice: a bullet loan is one installment at maturity; a principal part that
// would be negative (a period's interest above the installment, possible on the daily basis) is zero, so
// that period pays its interest in full and nothing is capitalised; a part above the balance (a coarse
// round-up) is the balance. `rounding.installmentMultiple` applies to the equal installment only: an
// equal principal part is rounded to the minor unit with `rounding.mode` (Fineract's 277.78, not 278).
//
// A schedule that rounding has made degenerate is refused with an InputError naming the field (see
// `degenerateSchedule`): an installment at or below a period's interest, installments left at zero after
// an early payoff, or a final installment more than twice the regular one.
import {
  addMonths,
  adjustToBusinessDay,
  daysInYear as daysInCalendarYear,
  epochDayFromParts,
  fromEpochDay,
  holidayCalendar,
  partsFromEpochDay,
  toEpochDay,
  type IsoDate,
} from '../calendar/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { divideRounded, formatMinor, ratio, type Ratio, type RoundingMode } from '../money/index.ts';
import { aprOnDates, nominalDaysInYear, periodsPerYear } from './apr.ts';
import type { LoanTerms } from './terms.ts';
import type { Installment, Schedule } from './types.ts';

/**
 * Due dates k = 1 … termCount. A month step keeps the anchor's day of month, clamped to the month's end,
 * and each date is computed from the anchor (not from the previous date), so Jan 31 → Feb 28 → Mar 31.
 * `firstDueDate` becomes the anchor for the later dates. A business-day rule moves each date on its
 * own; the unadjusted series drives the next one, so one holiday never shifts the rest of the schedule.
 */
export function dueDates(terms: LoanTerms): IsoDate[] {
  const { every, unit } = terms.frequency;
  const count = terms.termCount;
  const dates: IsoDate[] = new Array<IsoDate>(count);
  const first = terms.firstDueDate;
  if (unit === 'month') {
    for (let k = 0; k < count; k += 1) {
      dates[k] =
        first === undefined
          ? addMonths(terms.startDate, (k + 1) * every)
          : k === 0
            ? first
            : addMonths(first, k * every);
    }
  } else {
    const stepDays = unit === 'week' ? 7 * every : every;
    const startDay = toEpochDay(terms.startDate);
    const firstDay = first === undefined ? startDay + stepDays : toEpochDay(first);
    for (let k = 0; k < count; k += 1) dates[k] = fromEpochDay(firstDay + k * stepDays);
  }
  const rule = terms.businessDay;
  if (rule !== undefined && rule.convention !== 'none') {
    const calendar = holidayCalendar(rule.calendar);
    for (let k = 0; k < count; k += 1) dates[k] = adjustToBusinessDay(dates[k] as IsoDate, rule.convention, calendar);
  }
  return dates;
}

/** The period rate of the contract: month → r·every/12; week → r·7·every/days; day → r·every/days. */
export function periodRate(terms: LoanTerms): Ratio {
  const { every, unit } = terms.frequency;
  const { numerator, denominator } = terms.annualRate;
  const days = BigInt(nominalDaysInYear(terms));
  if (unit === 'month') return ratio(numerator * BigInt(every), denominator * 12n);
  if (unit === 'week') return ratio(numerator * 7n * BigInt(every), denominator * days);
  return ratio(numerator * BigInt(every), denominator * days);
}

/** 365 × 366: the common denominator of day fractions under actual/actual. */
const actualDenominator = 133590;

/**
 * How interest accrues: the interest of period k on a base is base × multipliers[k] / denominator
 * (rounded half-up). Periodic basis: every period carries the period rate. Daily basis: the annual
 * rate × the period's actual days / daysInYear; with "actual", each calendar year's days count over
 * that year's length (actual/actual), all over the common denominator 365 × 366.
 */
interface Accrual {
  multipliers: bigint[];
  denominator: bigint;
}

function accrual(terms: LoanTerms, dates: readonly IsoDate[]): Accrual {
  const { numerator, denominator } = terms.annualRate;
  const count = dates.length;
  if (terms.interestBasis === 'periodic') {
    const rate = periodRate(terms);
    return { multipliers: new Array<bigint>(count).fill(rate.numerator), denominator: rate.denominator };
  }
  const multipliers = new Array<bigint>(count);
  let from = toEpochDay(terms.startDate);
  if (terms.daysInYear === 'actual') {
    for (let k = 0; k < count; k += 1) {
      const to = toEpochDay(dates[k] as IsoDate);
      multipliers[k] = numerator * BigInt(actualDayUnits(from, to));
      from = Math.max(from, to);
    }
    return { multipliers, denominator: denominator * BigInt(actualDenominator) };
  }
  for (let k = 0; k < count; k += 1) {
    const to = toEpochDay(dates[k] as IsoDate);
    multipliers[k] = numerator * BigInt(Math.max(0, to - from));
    from = Math.max(from, to);
  }
  return { multipliers, denominator: denominator * BigInt(terms.daysInYear) };
}

/** Days from `from` to `to` split by calendar year, in units of 1/(365 × 366) of a year. */
function actualDayUnits(from: number, to: number): number {
  let units = 0;
  let cursor = from;
  while (cursor < to) {
    const { year } = partsFromEpochDay(cursor);
    const nextYear = epochDayFromParts({ year: year + 1, month: 1, day: 1 });
    const end = Math.min(to, nextYear);
    units += (end - cursor) * (actualDenominator / daysInCalendarYear(year));
    cursor = end;
  }
  return units;
}

/** base × multiplier / denominator rounded half-up, for non-negative operands (the hot path). */
function halfUp(base: bigint, multiplier: bigint, denominator: bigint): bigint {
  return (2n * base * multiplier + denominator) / (2n * denominator);
}

/** base × multiplier / denominator rounded with the interest rounding mode. */
function interestOn(base: bigint, multiplier: bigint, denominator: bigint, mode: RoundingMode): bigint {
  return mode === 'half_up'
    ? halfUp(base, multiplier, denominator)
    : divideRounded(base * multiplier, denominator, mode);
}

function feePerInstallmentMinor(terms: LoanTerms): bigint {
  let fee = 0n;
  for (const item of terms.fees) {
    if (item.kind !== 'per_installment') continue;
    fee += 'rate' in item ? halfUp(terms.principalMinor, item.rate.numerator, item.rate.denominator) : item.amountMinor;
  }
  return fee;
}

function upfrontFeeMinor(terms: LoanTerms): bigint {
  let fee = 0n;
  for (const item of terms.fees) if (item.kind === 'upfront') fee += item.amountMinor;
  return fee;
}

/**
 * The equal installment over `count` periods, rounded with the contract's mode to its multiple.
 * Declining: the annuity payment at the period rate, P·r·(1+r)^n / ((1+r)^n − 1), as one exact fraction
 * (with r = a/b: P·a·(a+b)^n / (b·((a+b)^n − b^n))). Flat: (principal + the flat interest of the
 * amortising periods) / n. A zero rate leaves principal / n.
 */
function equalInstallmentMinor(terms: LoanTerms, count: number, flatInterestMinor: bigint): bigint {
  const { mode, installmentMultipleMinor: multiple } = terms.rounding;
  const principal = terms.principalMinor;
  const rate = periodRate(terms);
  if (terms.interestType === 'flat' || rate.numerator === 0n) {
    return divideRounded(principal + flatInterestMinor, BigInt(count) * multiple, mode) * multiple;
  }
  const n = BigInt(count);
  const growth = (rate.denominator + rate.numerator) ** n;
  const base = rate.denominator ** n;
  return (
    divideRounded(principal * rate.numerator * growth, rate.denominator * (growth - base) * multiple, mode) * multiple
  );
}

function clamp(value: bigint, low: bigint, high: bigint): bigint {
  return value < low ? low : value > high ? high : value;
}

/** Whether `buildSchedule` refuses a degenerate schedule (the default) or returns it as it comes out. */
export interface BuildOptions {
  /**
   * `refuse` (default) for a contract being priced or opened; `allow` for servicing rebuilds of an
   * existing loan's remainder (a prepayment or a restructuring must not fail because its small
   * remainder rounds coarsely).
   */
  degenerate?: 'refuse' | 'allow';
}

/**
 * Builds the repayment schedule of a loan. Pure; throws an InputError naming the field when rounding
 * makes the schedule degenerate (see `degenerateSchedule`), and only on a broken invariant otherwise.
 */
export function buildSchedule(terms: LoanTerms, options: BuildOptions = {}): Schedule {
  const dates = dueDates(terms);
  const { multipliers, denominator } = accrual(terms, dates);
  const feeMinor = feePerInstallmentMinor(terms);
  const principal = terms.principalMinor;
  const built =
    terms.method === 'bullet'
      ? { rows: bulletInstallment(terms, dates, multipliers, denominator, feeMinor), regularMinor: undefined }
      : amortisingInstallments(terms, dates, multipliers, denominator, feeMinor);
  const installments = built.rows;

  let principalSum = 0n;
  let interestSum = 0n;
  let feeSum = 0n;
  let totalSum = 0n;
  let balance = principal;
  for (const row of installments) {
    principalSum += row.principalMinor;
    interestSum += row.interestMinor;
    feeSum += row.feeMinor;
    totalSum += row.totalMinor;
    balance -= row.principalMinor;
    const sound =
      row.principalMinor >= 0n &&
      row.interestMinor >= 0n &&
      balance >= 0n &&
      row.balanceMinor === balance &&
      row.totalMinor === row.principalMinor + row.interestMinor + row.feeMinor;
    // The message is built only on failure: this loop runs for every installment of every schedule.
    if (!sound) invariant(false, `installment ${row.number} is inconsistent (balance ${row.balanceMinor})`);
  }
  invariant(principalSum === principal, `principal parts sum to ${principalSum}, not ${principal}`);
  invariant(balance === 0n, 'the schedule must end with a zero balance');
  if (options.degenerate !== 'allow') {
    const refusal = degenerateSchedule(terms, installments, built.regularMinor);
    if (refusal) throw refusal;
  }

  const upfront = upfrontFeeMinor(terms);
  const netDisbursedMinor = principal - upfront;
  invariant(netDisbursedMinor > 0n, 'upfront fees must leave something to disburse');
  const perYear = periodsPerYear(terms);
  const { apr, aprEffective } = aprOnDates({
    netDisbursedMinor,
    startDate: terms.startDate,
    flows: installments.map((row) => ({ dueDate: row.dueDate, totalMinor: row.totalMinor })),
    // A bullet's single installment comes after all termCount periods: one period of that length.
    periodsPerYear:
      terms.method === 'bullet' ? ratio(perYear.numerator, perYear.denominator * BigInt(terms.termCount)) : perYear,
  });
  return {
    currency: terms.currency,
    installments,
    totals: { principalMinor: principalSum, interestMinor: interestSum, feeMinor: feeSum, totalMinor: totalSum },
    netDisbursedMinor,
    upfrontFeeMinor: upfront,
    apr,
    aprEffective,
  };
}

/** A final installment above this many regular ones is a balloon the contract never asked for. */
export const balloonRegularMultipleMax = 2n;

/**
 * Why rounding has made an amortising schedule degenerate, or undefined when it has not. Interest-only
 * and bullet loans repay their principal at the end by design and are never refused.
 *  - equal installments rounded to no more than a period's interest on the principal (at the period
 *    rate): the loan never amortises and the last installment carries all of it;
 *  - the balance repaid before the last installment, leaving the rest at zero (a coarse round-up);
 *  - a final installment (total) more than twice the regular one (a coarse round-down).
 * The field named is `rounding.installmentMultiple` when the installment is rounded to more than the
 * minor unit, else `rounding.mode`; for equal principal (rounded to the minor unit) it is `termCount`.
 */
export function degenerateSchedule(
  terms: LoanTerms,
  rows: readonly Installment[],
  regularMinor: bigint | undefined,
): InputError | undefined {
  if (terms.method === 'bullet' || terms.method === 'interest_only') return undefined;
  const money = (minor: bigint): string => formatMinor(minor, terms.currency);
  const field =
    terms.method === 'equal_principal'
      ? 'termCount'
      : terms.rounding.installmentMultipleMinor > 1n
        ? 'rounding.installmentMultiple'
        : 'rounding.mode';
  const count = rows.length;
  const grace = terms.principalGraceTerms;
  if (terms.method === 'equal_installment' && regularMinor !== undefined && count - grace > 1) {
    const rate = periodRate(terms);
    const interest = interestOn(terms.principalMinor, rate.numerator, rate.denominator, terms.rounding.interestMode);
    if (regularMinor === 0n || regularMinor <= interest) {
      const last = rows[count - 1] as Installment;
      const what =
        regularMinor === 0n
          ? 'rounds the installment to 0'
          : `rounds the installment to ${money(regularMinor)}, ${regularMinor === interest ? 'no more than' : 'below'} ` +
            `the first period's interest of ${money(interest)}, so the loan never amortises`;
      return new InputError(field, `${what} (its last installment would be ${money(last.totalMinor)})`);
    }
  }
  const repaidAt = rows.findIndex((row) => row.balanceMinor === 0n);
  if (repaidAt >= 0 && repaidAt < count - 1) {
    const first = repaidAt + 2;
    const which = first === count ? `installment ${count}` : `installments ${first}–${count}`;
    const fee = rows[count - 1]?.feeMinor ?? 0n;
    const left = fee === 0n ? 'at 0.00' : `with nothing but the fee of ${money(fee)}`;
    return new InputError(field, `repays the loan by installment ${repaidAt + 1} and leaves ${which} ${left}`);
  }
  const regular = terms.method === 'equal_installment' ? regularMinor : rows[Math.min(grace, count - 1)]?.totalMinor;
  const last = rows[count - 1] as Installment;
  const feeMinor = last.feeMinor;
  if (regular !== undefined && count - grace > 1) {
    const regularTotal = terms.method === 'equal_installment' ? regular + feeMinor : regular;
    if (last.totalMinor > balloonRegularMultipleMax * regularTotal) {
      return new InputError(
        field,
        `leaves a final installment of ${money(last.totalMinor)}, more than twice the regular ${money(regularTotal)}`,
      );
    }
  }
  return undefined;
}

/**
 * Flat interest per period: principal × each period's multiplier, rounded, except that the last period
 * takes the exact total (principal × Σ multipliers, rounded once) less what the others charged, and no
 * period charges more than is left of that total. So 1,250.00 at 15 % flat over 4 months charges
 * 15.63 + 15.63 + 15.63 + 15.61 = 62.50, not 4 × 15.63.
 */
function flatInterestMinor(
  terms: LoanTerms,
  multipliers: readonly bigint[],
  denominator: bigint,
  mode: RoundingMode,
): bigint[] {
  const principal = terms.principalMinor;
  let sum = 0n;
  for (const m of multipliers) sum += m;
  const total = interestOn(principal, sum, denominator, mode);
  const parts = new Array<bigint>(multipliers.length);
  let left = total;
  for (let k = 0; k < multipliers.length; k += 1) {
    const part =
      k === multipliers.length - 1 ? left : interestOn(principal, multipliers[k] as bigint, denominator, mode);
    parts[k] = part < left ? part : left;
    left -= parts[k] as bigint;
  }
  return parts;
}

function amortisingInstallments(
  terms: LoanTerms,
  dates: readonly IsoDate[],
  multipliers: readonly bigint[],
  denominator: bigint,
  feeMinor: bigint,
): { rows: Installment[]; regularMinor: bigint | undefined } {
  const count = terms.termCount;
  const principal = terms.principalMinor;
  const { method } = terms;
  const flat = terms.interestType === 'flat';
  // 先息后本 pays interest only until the last period, which is a principal grace of count − 1 terms.
  const grace = method === 'interest_only' ? count - 1 : terms.principalGraceTerms;
  const amortising = count - grace;
  const { mode, interestMode } = terms.rounding;
  const flatParts = flat ? flatInterestMinor(terms, multipliers, denominator, interestMode) : undefined;

  let installment = 0n;
  let principalPart = 0n;
  let regularMinor: bigint | undefined;
  if (method === 'equal_installment') {
    let flatInterest = 0n;
    if (flatParts) for (let k = grace; k < count; k += 1) flatInterest += flatParts[k] as bigint;
    installment = equalInstallmentMinor(terms, amortising, flatInterest);
    regularMinor = installment;
  } else if (method === 'equal_principal') {
    // The installment multiple rounds equal installments only; a principal part keeps the minor unit.
    principalPart = divideRounded(principal, BigInt(amortising), mode);
  }

  const rows: Installment[] = new Array<Installment>(count);
  let balance = principal;
  for (let k = 0; k < count; k += 1) {
    // Once the balance is repaid early (after round-ups, or daily interest clamped in long periods)
    // nothing accrues, flat interest included.
    const interest =
      balance === 0n
        ? 0n
        : flatParts
          ? (flatParts[k] as bigint)
          : interestOn(balance, multipliers[k] as bigint, denominator, interestMode);
    let principalPaid: bigint;
    if (k === count - 1) principalPaid = balance;
    else if (k < grace) principalPaid = 0n;
    else if (method === 'equal_installment') principalPaid = clamp(installment - interest, 0n, balance);
    else principalPaid = principalPart < balance ? principalPart : balance;
    balance -= principalPaid;
    rows[k] = {
      number: k + 1,
      dueDate: dates[k] as IsoDate,
      principalMinor: principalPaid,
      interestMinor: interest,
      feeMinor,
      totalMinor: principalPaid + interest + feeMinor,
      balanceMinor: balance,
    };
  }
  return { rows, regularMinor };
}

/**
 * 到期一次还本付息: one installment on the last due date with all the principal and the simple interest
 * of every period (the balance never falls before maturity), rounded once; a per-installment fee is
 * charged for each of the termCount periods the loan runs.
 */
function bulletInstallment(
  terms: LoanTerms,
  dates: readonly IsoDate[],
  multipliers: readonly bigint[],
  denominator: bigint,
  feeMinor: bigint,
): Installment[] {
  let multiplier = 0n;
  for (const m of multipliers) multiplier += m;
  const principal = terms.principalMinor;
  const interest = interestOn(principal, multiplier, denominator, terms.rounding.interestMode);
  const fee = feeMinor * BigInt(terms.termCount);
  return [
    {
      number: 1,
      dueDate: dates[dates.length - 1] as IsoDate,
      principalMinor: principal,
      interestMinor: interest,
      feeMinor: fee,
      totalMinor: principal + interest + fee,
      balanceMinor: 0n,
    },
  ];
}
