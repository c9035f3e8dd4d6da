// The work queue: one case per borrower in collection (a loan past its grace days, or charged off),
// ranked by a transparent priority formula (who gets a case is assignment.ts's). Pure: the shell gathers
// loans and contact states, this file decides.
//
// The priority is a sum of terms, each `weight × value` with the value a fraction 0…1 read off one fact
// (DPD, balance, open promise, broken promise, days since the last contact, propensity-to-pay score), so
// the console can show "why this case first" term by term (explainPriority). Invariants: every
// contribution is rounded half away from zero to 0.01 point and the score is exactly the sum of the
// contributions (integer centi-points, no float drift); the order is score descending, then borrower id
// ascending (bytewise), so it is the same on every run.
import { daysBetween, localDate, type IsoDate } from '../calendar/index.ts';
import type { BorrowerContactState } from '../contact/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { divideRounded, formatMinor, minorDigits } from '../money/index.ts';
import { compareText, objectOf, rejectUnknown, wholeNumber } from './json.ts';
import { penaltyOutstanding, scheduledOutstanding, type LoanState, type LoanStatus } from '../servicing/index.ts';

// ---- cases ------------------------------------------------------------------------------------------

/** One loan of a borrower as the queue sees it. */
export interface CaseLoan {
  loanId: string;
  status: LoanStatus;
  dpd: number;
  bucket: string;
  /** Past its grace days (DPD > graceDays). */
  delinquent: boolean;
  currency: string;
  /** Everything still unpaid: principal, interest and fee of every installment, plus penalty owed. */
  balanceMinor: bigint;
}

export function caseLoanOf(state: LoanState): CaseLoan {
  let balanceMinor = 0n;
  for (const row of state.installments) balanceMinor += scheduledOutstanding(row) + penaltyOutstanding(row);
  return {
    loanId: state.loanId,
    status: state.status,
    dpd: state.dpd,
    bucket: state.bucket,
    delinquent: state.delinquent,
    currency: state.currency,
    balanceMinor,
  };
}

/** A loan is in collection when it is past its grace days, or charged off. */
export function inCollection(loan: CaseLoan): boolean {
  return loan.status === 'charged_off' || (loan.status !== 'closed' && loan.delinquent);
}

export interface CaseBalance {
  currency: string;
  amountMinor: bigint;
}

/** The facts a case is ranked on, as of one date (`asOf`, the business date of the refresh). */
export interface CollectionCase {
  borrowerId: string;
  locale: string;
  timezone: string;
  asOf: IsoDate;
  /** The borrower's loans in collection, sorted. */
  loanIds: string[];
  /** The highest DPD among them, and that loan's bucket. */
  dpd: number;
  bucket: string;
  chargedOff: boolean;
  /** Balance of the loans in collection, one entry per currency, sorted by currency. */
  balances: CaseBalance[];
  /** The earliest open promise to pay on one of the case's loans. */
  openPromise: { loanId: string; date: IsoDate; amountMinor: bigint } | null;
  /** The date of the latest promise on the case's loans judged broken or partly kept. */
  lastBrokenPromiseOn: IsoDate | null;
  /** The last contact that reached out to the borrower (any channel, any outcome). */
  lastContactAtMs: number | null;
  /** Days from the local date of the last contact to `asOf`; null when there is none on record. */
  daysSinceLastContact: number | null;
  /** Propensity to pay, 0 … 1, when a score exists. */
  score: number | null;
}

export interface BuildCaseInput {
  borrowerId: string;
  locale: string;
  timezone: string;
  date: IsoDate;
  /** Every loan of the borrower (those not in collection are ignored). */
  loans: readonly CaseLoan[];
  contact: BorrowerContactState | null;
  /** The last call the workbench logged (call logs outlive the contact state's 8 days of history). */
  lastCallAtMs?: number | null;
  score?: number | null;
}

/** The borrower's case as of `date`, or null when no loan of theirs is in collection. */
export function buildCase(input: BuildCaseInput): CollectionCase | null {
  const loans = input.loans.filter(inCollection).sort((a, b) => compareText(a.loanId, b.loanId));
  if (loans.length === 0) return null;
  let worst = loans[0] as CaseLoan;
  for (const loan of loans) if (loan.dpd > worst.dpd) worst = loan;
  const totals = new Map<string, bigint>();
  for (const loan of loans) totals.set(loan.currency, (totals.get(loan.currency) ?? 0n) + loan.balanceMinor);
  const balances = [...totals]
    .map(([currency, amountMinor]) => ({ currency, amountMinor }))
    .sort((a, b) => compareText(a.currency, b.currency));
  const loanIds = loans.map((loan) => loan.loanId);
  let openPromise: CollectionCase['openPromise'] = null;
  let lastBrokenPromiseOn: IsoDate | null = null;
  let lastContactAtMs = input.lastCallAtMs ?? null;
  const contact = input.contact;
  if (contact) {
    for (const promise of contact.promises) {
      if (!loanIds.includes(promise.loanId)) continue;
      if (promise.status === 'open') {
        if (openPromise === null || promise.date < openPromise.date) {
          openPromise = { loanId: promise.loanId, date: promise.date, amountMinor: promise.amountMinor };
        }
      } else if (promise.status === 'broken' || promise.status === 'partly_kept') {
        if (lastBrokenPromiseOn === null || promise.date > lastBrokenPromiseOn) lastBrokenPromiseOn = promise.date;
      }
    }
    const last = contact.history.at(-1);
    if (last && (lastContactAtMs === null || last.atMs > lastContactAtMs)) lastContactAtMs = last.atMs;
  }
  const score = input.score ?? null;
  if (score !== null && !(Number.isFinite(score) && score >= 0 && score <= 1)) {
    throw new InputError('score', `must be a number between 0 and 1, got ${quote(score)}`);
  }
  const daysSinceLastContact =
    lastContactAtMs === null ? null : Math.max(0, daysBetween(localDate(input.timezone, lastContactAtMs), input.date));
  return {
    borrowerId: input.borrowerId,
    locale: input.locale,
    timezone: input.timezone,
    asOf: input.date,
    loanIds,
    dpd: worst.dpd,
    bucket: worst.bucket,
    chargedOff: loans.some((loan) => loan.status === 'charged_off'),
    balances,
    openPromise,
    lastBrokenPromiseOn,
    lastContactAtMs,
    daysSinceLastContact,
    score,
  };
}

// ---- the priority formula ---------------------------------------------------------------------------

/** The formula as data. Weights are points (negative lowers the priority); caps say where a term is full. */
export interface PriorityWeights {
  /** DPD / capDays, at most 1. */
  readonly dpd: { readonly weight: number; readonly capDays: number };
  /** Balance / cap, at most 1; the cap is capMajor units of the currency unless capsMinor names one. */
  readonly balance: {
    readonly weight: number;
    readonly capMajor: number;
    readonly capsMinor: Readonly<Record<string, bigint>>;
  };
  /** 1 while a promise to pay is open (normally negative: the borrower said when they will pay). */
  readonly promiseOpen: { readonly weight: number };
  /** 1 when a promise was broken (or partly kept) within lookbackDays before the case's date. */
  readonly promiseBroken: { readonly weight: number; readonly lookbackDays: number };
  /** Days since the last contact / capDays, at most 1; 1 when there is no contact on record. */
  readonly lastContact: { readonly weight: number; readonly capDays: number };
  /** The propensity-to-pay score itself; 0 when the borrower has no score. */
  readonly score: { readonly weight: number };
}

export const defaultPriorityWeights: PriorityWeights = {
  dpd: { weight: 40, capDays: 180 },
  balance: { weight: 25, capMajor: 50_000, capsMinor: {} },
  promiseOpen: { weight: -30 },
  promiseBroken: { weight: 20, lookbackDays: 30 },
  lastContact: { weight: 15, capDays: 7 },
  score: { weight: 10 },
};

export const priorityTermNames = ['dpd', 'balance', 'promise_open', 'promise_broken', 'last_contact', 'score'] as const;
export type PriorityTermName = (typeof priorityTermNames)[number];

export interface PriorityTerm {
  name: PriorityTermName;
  /** The fact as a fraction 0 … 1 (four decimals). */
  value: number;
  weight: number;
  /** weight × value, in points, rounded to 0.01. */
  contribution: number;
  /** One line for the console, e.g. "DPD 45 of 180: 0.2500 × 40 = +10.00". */
  text: string;
}

export interface PriorityExplanation {
  /** The sum of the contributions, in points (two decimals). */
  score: number;
  /** The same in hundredths of a point: what the store sorts on. */
  scoreCenti: number;
  terms: PriorityTerm[];
}

const weightMax = 1_000;
const capDaysMax = 3_650;
const scoreScale = 1_000_000n;

/** Validates weights given as JSON (omitted parts keep the default); InputError names the field. */
export function parsePriorityWeights(json: unknown, field = 'weights'): PriorityWeights {
  if (json === undefined || json === null) return defaultPriorityWeights;
  const root = objectOf(json, field);
  rejectUnknown(root, ['dpd', 'balance', 'promiseOpen', 'promiseBroken', 'lastContact', 'score'], field);
  const base = defaultPriorityWeights;
  const part = (key: string): Record<string, unknown> =>
    root[key] === undefined ? {} : objectOf(root[key], `${field}.${key}`);
  const dpd = part('dpd');
  rejectUnknown(dpd, ['weight', 'capDays'], `${field}.dpd`);
  const balance = part('balance');
  rejectUnknown(balance, ['weight', 'capMajor', 'capsMinor'], `${field}.balance`);
  const promiseOpen = part('promiseOpen');
  rejectUnknown(promiseOpen, ['weight'], `${field}.promiseOpen`);
  const promiseBroken = part('promiseBroken');
  rejectUnknown(promiseBroken, ['weight', 'lookbackDays'], `${field}.promiseBroken`);
  const lastContact = part('lastContact');
  rejectUnknown(lastContact, ['weight', 'capDays'], `${field}.lastContact`);
  const score = part('score');
  rejectUnknown(score, ['weight'], `${field}.score`);
  const weight = (value: unknown, fallback: number, at: string): number =>
    value === undefined ? fallback : wholeNumber(value, at, -weightMax, weightMax);
  const days = (value: unknown, fallback: number, at: string): number =>
    value === undefined ? fallback : wholeNumber(value, at, 1, capDaysMax);
  const capsMinor: Record<string, bigint> = { ...base.balance.capsMinor };
  if (balance.capsMinor !== undefined) {
    const caps = objectOf(balance.capsMinor, `${field}.balance.capsMinor`);
    for (const [currency, cap] of Object.entries(caps)) {
      const at = `${field}.balance.capsMinor.${currency}`;
      if (!/^[A-Z]{3}$/.test(currency)) throw new InputError(at, 'must be keyed by an ISO 4217 code such as "CNY"');
      if (typeof cap !== 'string' || !/^[1-9]\d{0,17}$/.test(cap)) {
        throw new InputError(at, `must be a positive whole number of minor units as a string, got ${quote(cap)}`);
      }
      capsMinor[currency] = BigInt(cap);
    }
  }
  return {
    dpd: {
      weight: weight(dpd.weight, base.dpd.weight, `${field}.dpd.weight`),
      capDays: days(dpd.capDays, base.dpd.capDays, `${field}.dpd.capDays`),
    },
    balance: {
      weight: weight(balance.weight, base.balance.weight, `${field}.balance.weight`),
      capMajor:
        balance.capMajor === undefined
          ? base.balance.capMajor
          : wholeNumber(balance.capMajor, `${field}.balance.capMajor`, 1, 1_000_000_000),
      capsMinor,
    },
    promiseOpen: { weight: weight(promiseOpen.weight, base.promiseOpen.weight, `${field}.promiseOpen.weight`) },
    promiseBroken: {
      weight: weight(promiseBroken.weight, base.promiseBroken.weight, `${field}.promiseBroken.weight`),
      lookbackDays: days(
        promiseBroken.lookbackDays,
        base.promiseBroken.lookbackDays,
        `${field}.promiseBroken.lookbackDays`,
      ),
    },
    lastContact: {
      weight: weight(lastContact.weight, base.lastContact.weight, `${field}.lastContact.weight`),
      capDays: days(lastContact.capDays, base.lastContact.capDays, `${field}.lastContact.capDays`),
    },
    score: { weight: weight(score.weight, base.score.weight, `${field}.score.weight`) },
  };
}

/** The cap of the balance term in a currency, in minor units. */
export function balanceCapMinor(weights: PriorityWeights, currency: string): bigint {
  return weights.balance.capsMinor[currency] ?? BigInt(weights.balance.capMajor) * 10n ** BigInt(minorDigits(currency));
}

/** weight × numerator / denominator in centi-points, rounded half away from zero. */
function centiOf(weight: number, numerator: bigint, denominator: bigint): number {
  invariant(denominator > 0n && numerator >= 0n && numerator <= denominator, 'a term value is a fraction 0…1');
  const scaled = BigInt(Math.abs(weight)) * 100n * numerator;
  const magnitude = Number(divideRounded(scaled, denominator, 'half_up'));
  return weight < 0 && magnitude !== 0 ? -magnitude : magnitude;
}

function fractionText(numerator: bigint, denominator: bigint): string {
  return (Number(divideRounded(numerator * 10_000n, denominator, 'half_up')) / 10_000).toFixed(4);
}

function pointsText(centi: number): string {
  const sign = centi < 0 ? '-' : '+';
  const magnitude = Math.abs(centi);
  return `${sign}${Math.floor(magnitude / 100)}.${String(magnitude % 100).padStart(2, '0')}`;
}

function term(
  name: PriorityTermName,
  weight: number,
  numerator: bigint,
  denominator: bigint,
  fact: string,
): PriorityTerm & { centi: number } {
  const centi = centiOf(weight, numerator, denominator);
  const value = Number(fractionText(numerator, denominator));
  return {
    name,
    value,
    weight,
    contribution: centi / 100,
    centi,
    text: `${fact}: ${fractionText(numerator, denominator)} × ${weight} = ${pointsText(centi)}`,
  };
}

/** The case's priority, term by term. */
export function explainPriority(
  c: CollectionCase,
  weights: PriorityWeights = defaultPriorityWeights,
): PriorityExplanation {
  const terms: (PriorityTerm & { centi: number })[] = [];
  const dpdCap = weights.dpd.capDays;
  terms.push(
    term(
      'dpd',
      weights.dpd.weight,
      BigInt(Math.min(c.dpd, dpdCap)),
      BigInt(dpdCap),
      `DPD ${c.dpd} (full at ${dpdCap})`,
    ),
  );

  let balanceNumerator = 0n;
  let balanceDenominator = 1n;
  let balanceFact = 'no balance';
  for (const balance of c.balances) {
    const cap = balanceCapMinor(weights, balance.currency);
    const numerator = balance.amountMinor < 0n ? 0n : balance.amountMinor > cap ? cap : balance.amountMinor;
    // The largest fraction among the currencies counts (compared exactly by cross-multiplying).
    if (balanceFact === 'no balance' || numerator * balanceDenominator > balanceNumerator * cap) {
      balanceNumerator = numerator;
      balanceDenominator = cap;
      balanceFact = `balance ${balance.currency} ${formatMinor(balance.amountMinor, balance.currency)} (full at ${formatMinor(cap, balance.currency)})`;
    }
  }
  terms.push(term('balance', weights.balance.weight, balanceNumerator, balanceDenominator, balanceFact));

  const open = c.openPromise;
  terms.push(
    term(
      'promise_open',
      weights.promiseOpen.weight,
      open ? 1n : 0n,
      1n,
      open ? `open promise to pay on ${open.loanId} by ${open.date}` : 'no open promise to pay',
    ),
  );

  const lookback = weights.promiseBroken.lookbackDays;
  const brokenDaysAgo = c.lastBrokenPromiseOn === null ? null : daysBetween(c.lastBrokenPromiseOn, c.asOf);
  const brokenRecently = brokenDaysAgo !== null && brokenDaysAgo >= 0 && brokenDaysAgo <= lookback;
  terms.push(
    term(
      'promise_broken',
      weights.promiseBroken.weight,
      brokenRecently ? 1n : 0n,
      1n,
      brokenDaysAgo === null
        ? 'no broken promise'
        : brokenRecently
          ? `promise of ${c.lastBrokenPromiseOn} broken, ${brokenDaysAgo} days ago (counts for ${lookback})`
          : `promise of ${c.lastBrokenPromiseOn} broken, ${brokenDaysAgo} days ago (older than ${lookback})`,
    ),
  );

  const contactCap = weights.lastContact.capDays;
  const since = c.daysSinceLastContact;
  terms.push(
    term(
      'last_contact',
      weights.lastContact.weight,
      since === null ? BigInt(contactCap) : BigInt(Math.min(since, contactCap)),
      BigInt(contactCap),
      since === null
        ? `no contact on record (full at ${contactCap} days)`
        : `last contact ${since} days ago (full at ${contactCap})`,
    ),
  );

  const score = c.score;
  terms.push(
    term(
      'score',
      weights.score.weight,
      score === null ? 0n : BigInt(Math.round(score * Number(scoreScale))),
      scoreScale,
      score === null ? 'no propensity-to-pay score' : `propensity to pay ${score}`,
    ),
  );

  const scoreCenti = terms.reduce((sum, t) => sum + t.centi, 0);
  return {
    score: scoreCenti / 100,
    scoreCenti,
    terms: terms.map(({ centi: _centi, ...rest }) => rest),
  };
}

export interface RankedCase {
  rank: number;
  case: CollectionCase;
  explanation: PriorityExplanation;
}

/** Cases in queue order: score descending, then borrower id ascending; rank 1 first. */
export function rankCases(
  cases: readonly CollectionCase[],
  weights: PriorityWeights = defaultPriorityWeights,
): RankedCase[] {
  return cases
    .map((c) => ({ case: c, explanation: explainPriority(c, weights) }))
    .sort(
      (a, b) =>
        b.explanation.scoreCenti - a.explanation.scoreCenti || compareText(a.case.borrowerId, b.case.borrowerId),
    )
    .map((entry, index) => ({ rank: index + 1, ...entry }));
}
