// APR by the IRR method on the actual dates, as China's central bank requires since 2021
// (中国人民银行公告〔2021〕第3号: every loan advertises its annualised rate computed by IRR) and as
// CONTRACTS.md "Schedule" states. The borrower's cash flows — the net amount received on the start date,
// then every installment total on its due date — are discounted by actual days / 365; their internal
// rate r is the effective annual rate (`aprEffective`), and the APR is r expressed per period and times
// the periods per year, a nominal rate: periodsPerYear × ((1 + r)^(1/periodsPerYear) − 1). With equal
// periods this is the periodic IRR × periods per year; an irregular first period no longer hides cost.
//
// Internally the unknown is the periodic rate p = (1 + r)^(1/periodsPerYear) − 1: flow k is discounted by
// (1 + p)^−e_k with e_k = periodsPerYear × days_k / 365, its time in periods (e_k = k when the periods are
// equal, as for `aprUnits`).
//
// Speed and exactness: the root is found in float64 (Newton's method kept inside a bisection bracket),
// far more precise than four decimals need. When every e_k is a whole number (weekly and daily loans,
// equal periods) and the float result lies within 1e-7 of a rounding boundary (x.xxxx5), the rounding is
// settled exactly: the sign of the net present value at the boundary rate, in bigint rationals, says on
// which side the true rate lies. Ties round up. With fractional exponents (monthly dates of 28–31 days)
// no exact rational test exists; the float root is then within about 1e-12 of the truth, so only a
// constructed tie could round the other way.
import type { IsoDate } from '../calendar/date.ts';
import { toEpochDay } from '../calendar/date.ts';
import { invariant } from '../errors/index.ts';
import { ratio, type Ratio } from '../money/index.ts';
import type { LoanTerms } from './terms.ts';

export interface AprInput {
  /** What the borrower receives at disbursement (principal less upfront fees), in minor units. */
  netDisbursedMinor: bigint;
  /** Every installment's total, one period apart, the first one period after disbursement. */
  totalsMinor: readonly bigint[];
  /** Periods per year, exact (12 for monthly, 365/7 for weekly). */
  periodsPerYear: Ratio;
}

export interface DatedAprInput {
  netDisbursedMinor: bigint;
  /** The day the borrower receives `netDisbursedMinor`. */
  startDate: IsoDate;
  /** Every installment's total on its due date, in due-date order. */
  flows: readonly { dueDate: IsoDate; totalMinor: bigint }[];
  /** Periods per year of the loan's period, exact. */
  periodsPerYear: Ratio;
}

export interface AprResult {
  /** Nominal APR, four decimals ("0.2734"). */
  apr: string;
  /** Effective annual rate r, four decimals ("0.3104"). */
  aprEffective: string;
}

const aprDecimals = 4;
const aprScale = 10 ** aprDecimals;
/** The year the actual days are counted over (CONTRACTS.md: "actual days / 365"). */
const daysPerYear = 365;
/** How close (in APR units) the float result may come to a rounding boundary before it is checked exactly. */
const boundaryWindow = 1e-7;
const iterationsMax = 200;
const bracketDoublingsMax = 1100;

/** Days in a year for the period rate: "actual" counts as 365. */
export function nominalDaysInYear(terms: LoanTerms): number {
  return terms.daysInYear === 'actual' ? 365 : terms.daysInYear;
}

/**
 * Periods per year of the loan's frequency, for the APR: month → 12/every; week → 365/(7·every);
 * day → 365/every. The APR counts actual days over 365 whatever day count the interest uses, so a weekly
 * loan on a 360-day year costs 365/360 of its nominal rate.
 */
export function periodsPerYear(terms: LoanTerms): Ratio {
  const { every, unit } = terms.frequency;
  if (unit === 'month') return ratio(12n, BigInt(every));
  if (unit === 'week') return ratio(BigInt(daysPerYear), 7n * BigInt(every));
  return ratio(BigInt(daysPerYear), BigInt(every));
}

/** The APR of equally spaced installments as a four-decimal fraction string, e.g. "0.1200". */
export function annualPercentageRate(input: AprInput): string {
  return formatUnits(aprUnits(input));
}

/** The APR of equally spaced installments in units of 0.0001 (1200 = 12.00 %), rounded half-up exactly. */
export function aprUnits({ netDisbursedMinor, totalsMinor, periodsPerYear: perYear }: AprInput): number {
  const exponents = totalsMinor.map((_, k) => k + 1);
  return solve(netDisbursedMinor, totalsMinor, exponents, exponents, perYear).aprUnits;
}

/** The APR and effective annual rate on the actual dates (CONTRACTS.md "Schedule"). */
export function aprOnDates({ netDisbursedMinor, startDate, flows, periodsPerYear: perYear }: DatedAprInput): AprResult {
  invariant(perYear.numerator > 0n && perYear.denominator > 0n, 'periods per year must be positive');
  const start = toEpochDay(startDate);
  const perYearFloat = Number(perYear.numerator) / Number(perYear.denominator);
  const exponents: number[] = [];
  // Whole-period exponents, when every flow falls on a whole number of periods: e_k = ppy·days/365.
  let whole: number[] | undefined = [];
  for (const flow of flows) {
    const days = toEpochDay(flow.dueDate) - start;
    exponents.push((perYearFloat * days) / daysPerYear);
    const scaled = perYear.numerator * BigInt(days);
    const unit = perYear.denominator * BigInt(daysPerYear);
    if (whole !== undefined && days >= 0 && scaled % unit === 0n) whole.push(Number(scaled / unit));
    else whole = undefined;
  }
  const totals = flows.map((flow) => flow.totalMinor);
  const { aprUnits: units, periodicRate } = solve(netDisbursedMinor, totals, exponents, whole, perYear);
  const effective = Math.expm1(perYearFloat * Math.log1p(periodicRate));
  return { apr: formatUnits(units), aprEffective: formatUnits(Math.round(effective * aprScale)) };
}

function solve(
  netDisbursedMinor: bigint,
  totalsMinor: readonly bigint[],
  exponents: readonly number[],
  wholeExponents: readonly number[] | undefined,
  perYear: Ratio,
): { aprUnits: number; periodicRate: number } {
  invariant(netDisbursedMinor > 0n, 'APR needs a positive disbursement');
  invariant(totalsMinor.length > 0, 'APR needs at least one installment');
  invariant(perYear.numerator > 0n && perYear.denominator > 0n, 'periods per year must be positive');
  const net = Number(netDisbursedMinor);
  const flows = new Float64Array(totalsMinor.length);
  for (let k = 0; k < flows.length; k += 1) {
    const total = totalsMinor[k] as bigint;
    invariant(total >= 0n, 'installment totals must not be negative');
    flows[k] = Number(total) / net;
  }
  const times = Float64Array.from(exponents);
  const rate = periodicIrr(flows, times);
  const scaled = rate * (Number(perYear.numerator) / Number(perYear.denominator)) * aprScale;
  const below = Math.floor(scaled);
  if (wholeExponents === undefined || Math.abs(scaled - below - 0.5) >= boundaryWindow * aprScale) {
    return { aprUnits: Math.round(scaled), periodicRate: rate };
  }
  // Too close to call in float: is the true rate at or above the boundary (below + 0.5) / 10⁴?
  const atOrAbove = npvSignAtBoundary(netDisbursedMinor, totalsMinor, wholeExponents, perYear, below) >= 0;
  return { aprUnits: atOrAbove ? below + 1 : below, periodicRate: rate };
}

function formatUnits(units: number): string {
  const negative = units < 0;
  const text = String(Math.abs(units)).padStart(aprDecimals + 1, '0');
  const whole = text.slice(0, text.length - aprDecimals);
  return `${negative ? '-' : ''}${whole}.${text.slice(text.length - aprDecimals)}`;
}

/** −1 + Σ flows[k] · (1 + rate)^−times[k], and its derivative. Strictly decreasing in the rate. */
function npv(flows: Float64Array, times: Float64Array, rate: number): { value: number; slope: number } {
  const logGrowth = Math.log1p(rate);
  let value = -1;
  let slope = 0;
  for (let k = 0; k < flows.length; k += 1) {
    const time = times[k] as number;
    const term = (flows[k] as number) * Math.exp(-time * logGrowth);
    value += term;
    slope -= (time * term) / (1 + rate);
  }
  return { value, slope };
}

/**
 * The periodic rate at which the flows (in units of the disbursement) are worth the disbursement.
 * The net present value falls strictly as the rate rises (every time is after the start), so the root
 * is unique; a bracket [low, high] with value(low) ≥ 0 > value(high) is kept and Newton steps that
 * would leave it are replaced by bisection, so the solve always converges.
 */
function periodicIrr(flows: Float64Array, times: Float64Array): number {
  const atZero = npv(flows, times, 0).value;
  if (atZero === 0) return 0;
  let low: number;
  let high: number;
  if (atZero > 0) {
    low = 0;
    high = 1;
    for (let step = 0; npv(flows, times, high).value > 0; step += 1) {
      invariant(step < bracketDoublingsMax, 'IRR bracket did not close');
      low = high;
      high *= 2;
    }
  } else {
    // Less repaid than received: a negative rate, between −1 and 0.
    high = 0;
    low = -0.5;
    for (let step = 0; npv(flows, times, low).value < 0; step += 1) {
      invariant(step < bracketDoublingsMax, 'IRR bracket did not close');
      high = low;
      low = -1 + (1 + low) / 2;
    }
  }
  let total = 0;
  for (const flow of flows) total += flow;
  // For level payments the rate is close to 2 · (total/disbursed − 1) / (n + 1).
  let rate = (2 * (total - 1)) / (flows.length + 1);
  if (!(rate > low && rate < high)) rate = (low + high) / 2;
  for (let iteration = 0; iteration < iterationsMax; iteration += 1) {
    const { value, slope } = npv(flows, times, rate);
    if (value === 0) return rate;
    if (value > 0) low = rate;
    else high = rate;
    let next = rate - value / slope;
    if (!(next > low && next < high)) next = (low + high) / 2;
    if (Math.abs(next - rate) <= 1e-15 * Math.max(1, Math.abs(rate))) return next;
    rate = next;
  }
  return rate;
}

/**
 * The sign of the net present value at the periodic rate of the rounding boundary
 * APR = (2·below + 1) / (2·10⁴), exactly, for whole-period exponents e_k (ascending). With that periodic
 * rate p/q, NPV · (q+p)^E (E the last exponent) equals −net·(q+p)^E + Σ total_k · q^e_k · (q+p)^(E−e_k),
 * an integer computed by Horner's rule.
 */
function npvSignAtBoundary(
  net: bigint,
  totals: readonly bigint[],
  exponents: readonly number[],
  perYear: Ratio,
  below: number,
): -1 | 0 | 1 {
  const p = BigInt(2 * below + 1) * perYear.denominator;
  const q = BigInt(2 * aprScale) * perYear.numerator;
  const growth = q + p;
  invariant(growth > 0n, 'boundary rate must be above −100 %');
  let acc = -net;
  let power = 1n;
  let previous = 0;
  for (let k = 0; k < totals.length; k += 1) {
    const exponent = exponents[k] as number;
    invariant(exponent >= previous, 'due dates must not go backwards');
    const step = BigInt(exponent - previous);
    acc *= growth ** step;
    power *= q ** step;
    acc += (totals[k] as bigint) * power;
    previous = exponent;
  }
  return acc > 0n ? 1 : acc < 0n ? -1 : 0;
}
