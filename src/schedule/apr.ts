// APR by the IRR method, as China's central bank requires since 2021 (中国人民银行公告〔2021〕第3号) and
// as CONTRACTS.md "Schedule" states: the periodic internal rate of return of the borrower's cash flows
// (the net amount received, then every installment total, at equal spacing) times the periods per year,
// a nominal rate, as a fraction with four decimals ("0.1200").
//
// Speed and exactness: the root is found in float64 (Newton's method kept inside a bisection bracket),
// which is far more precise than four decimals need. Only when the float result lies within 1e-7 of a
// rounding boundary (x.xxxx5) is the rounding settled exactly: the sign of the net present value at the
// boundary rate, evaluated in bigint rationals, says on which side the true rate lies. Ties round up.
import { invariant } from '../errors/index.ts';
import { ratio, type Ratio } from '../money/index.ts';
import type { LoanTerms } from './terms.ts';

export interface AprInput {
  /** What the borrower receives at disbursement (principal less upfront fees), in minor units. */
  netDisbursedMinor: bigint;
  /** Every installment's total, one period apart, the first one period after disbursement. */
  totalsMinor: readonly bigint[];
  /** Periods per year, exact (12 for monthly, 365/7 for weekly on a 365-day year). */
  periodsPerYear: Ratio;
}

const aprDecimals = 4;
const aprScale = 10 ** aprDecimals;
/** How close (in APR units) the float result may come to a rounding boundary before it is checked exactly. */
const boundaryWindow = 1e-7;
const iterationsMax = 200;
const bracketDoublingsMax = 1100;

/** Days in a year for the period rate and the periods per year: "actual" counts as 365. */
export function nominalDaysInYear(terms: LoanTerms): number {
  return terms.daysInYear === 'actual' ? 365 : terms.daysInYear;
}

/** Periods per year of the loan's frequency: month → 12/every; week → days/(7·every); day → days/every. */
export function periodsPerYear(terms: LoanTerms): Ratio {
  const { every, unit } = terms.frequency;
  const days = BigInt(nominalDaysInYear(terms));
  if (unit === 'month') return ratio(12n, BigInt(every));
  if (unit === 'week') return ratio(days, 7n * BigInt(every));
  return ratio(days, BigInt(every));
}

/** The APR as a four-decimal fraction string, e.g. "0.1200". */
export function annualPercentageRate(input: AprInput): string {
  return formatUnits(aprUnits(input));
}

/** The APR in units of 0.0001 (1200 = 12.00 %), rounded half-up exactly. */
export function aprUnits({ netDisbursedMinor, totalsMinor, periodsPerYear: perYear }: AprInput): number {
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
  const rate = periodicIrr(flows);
  const scaled = rate * (Number(perYear.numerator) / Number(perYear.denominator)) * aprScale;
  const below = Math.floor(scaled);
  if (Math.abs(scaled - below - 0.5) >= boundaryWindow * aprScale) return Math.round(scaled);
  // Too close to call in float: is the true rate at or above the boundary (below + 0.5) / 10⁴?
  const atOrAbove = npvSignAtBoundary(netDisbursedMinor, totalsMinor, perYear, below) >= 0;
  return atOrAbove ? below + 1 : below;
}

function formatUnits(units: number): string {
  const negative = units < 0;
  const text = String(Math.abs(units)).padStart(aprDecimals + 1, '0');
  const whole = text.slice(0, text.length - aprDecimals);
  return `${negative ? '-' : ''}${whole}.${text.slice(text.length - aprDecimals)}`;
}

/** −1 + Σ flows[k] · (1 + rate)^−(k+1), and its derivative. Strictly decreasing in the rate. */
function npv(flows: Float64Array, rate: number): { value: number; slope: number } {
  const discount = 1 / (1 + rate);
  let factor = discount;
  let value = -1;
  let slope = 0;
  for (let k = 0; k < flows.length; k += 1) {
    const term = (flows[k] as number) * factor;
    value += term;
    slope -= (k + 1) * term * discount;
    factor *= discount;
  }
  return { value, slope };
}

/**
 * The periodic rate at which the flows (in units of the disbursement) are worth the disbursement.
 * The net present value falls strictly as the rate rises, so the root is unique; a bracket [low, high]
 * with value(low) ≥ 0 > value(high) is kept and Newton steps that would leave it are replaced by
 * bisection, so the solve always converges.
 */
function periodicIrr(flows: Float64Array): number {
  const atZero = npv(flows, 0).value;
  if (atZero === 0) return 0;
  let low: number;
  let high: number;
  if (atZero > 0) {
    low = 0;
    high = 1;
    for (let step = 0; npv(flows, high).value > 0; step += 1) {
      invariant(step < bracketDoublingsMax, 'IRR bracket did not close');
      low = high;
      high *= 2;
    }
  } else {
    // Less repaid than received: a negative rate, between −1 and 0.
    high = 0;
    low = -0.5;
    for (let step = 0; npv(flows, low).value < 0; step += 1) {
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
    const { value, slope } = npv(flows, rate);
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
 * APR = (2·below + 1) / (2·10⁴), exactly. With that periodic rate p/q, NPV · (q+p)^n equals
 * −net·(q+p)^n + Σ total_k · q^k · (q+p)^(n−k), an integer computed by Horner's rule.
 */
function npvSignAtBoundary(net: bigint, totals: readonly bigint[], perYear: Ratio, below: number): -1 | 0 | 1 {
  const p = BigInt(2 * below + 1) * perYear.denominator;
  const q = BigInt(2 * aprScale) * perYear.numerator;
  const growth = q + p;
  invariant(growth > 0n, 'boundary rate must be above −100 %');
  let acc = -net;
  let power = 1n;
  for (const total of totals) {
    power *= q;
    acc = acc * growth + total * power;
  }
  return acc > 0n ? 1 : acc < 0n ? -1 : 0;
}
