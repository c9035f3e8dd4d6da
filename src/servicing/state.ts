// LoanState: everything the servicing core knows about one loan, as plain data (bigint minor units,
// ISO dates), and its JSON-safe form. The state is the fold of the loan's transactions over its opening
// (see history.ts); it never holds the history itself, so a day's close touches one small object.
//
// Invariants (asserted by `assertLoanState` after every step): per installment and component,
// paid + waived ≤ due (outstanding never negative); penalty paid + waived ≤ accrued; the credit balance
// is not negative; DPD ≥ 0; delinquent ⇔ DPD > graceDays; inGrace ⇔ 0 < DPD ≤ graceDays.
import { daysInMonth, fromEpochDay, parseIsoDate, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { ratio, type Ratio } from '../money/index.ts';
import type { Fee, LoanTerms } from '../schedule/index.ts';
import { parseServicingRules, servicingRulesToJson, type ServicingRules } from './rules.ts';

export type LoanStatus = 'active' | 'overdue' | 'closed' | 'charged_off';
export const loanStatuses: readonly LoanStatus[] = ['active', 'overdue', 'closed', 'charged_off'];

export interface InstallmentState {
  readonly number: number;
  readonly dueDate: IsoDate;
  /** dueDate as days since 1970-01-01, kept so the daily close never parses dates. */
  readonly dueEpochDay: number;
  readonly principalDueMinor: bigint;
  readonly interestDueMinor: bigint;
  readonly feeDueMinor: bigint;
  readonly principalPaidMinor: bigint;
  readonly interestPaidMinor: bigint;
  readonly feePaidMinor: bigint;
  readonly principalWaivedMinor: bigint;
  readonly interestWaivedMinor: bigint;
  readonly feeWaivedMinor: bigint;
  /** Penalty charged (booked) so far, whole minor units. */
  readonly penaltyAccruedMinor: bigint;
  readonly penaltyPaidMinor: bigint;
  readonly penaltyWaivedMinor: bigint;
  /**
   * The exact penalty accrued so far, as a numerator over `penaltyDenominator(rules)`. Booked penalty is
   * this rounded half-up, so the daily rounding never drifts from the exact sum. Under `retroactive` it
   * also carries the grace days' accrual before it is charged.
   */
  readonly penaltyAccrualExact: bigint;
  /** Set once, the day this installment passed its grace days unpaid (counts toward the overdue counts). */
  readonly becameDelinquent: boolean;
  /** The date principal, interest and fee became fully paid or waived; null while any is outstanding. */
  readonly paidOn: IsoDate | null;
}

export interface LoanState {
  readonly loanId: string;
  readonly borrowerId: string;
  readonly currency: string;
  readonly rules: ServicingRules;
  /** The loan's terms, kept for re-amortising after a prepayment. */
  readonly terms: LoanTerms;
  readonly disbursedOn: IsoDate;
  readonly installments: readonly InstallmentState[];
  /** Money received and not yet owed (a liability to the borrower). */
  readonly creditBalanceMinor: bigint;
  readonly status: LoanStatus;
  /** Days since the oldest unpaid due date as of closedThrough; 0 when nothing is past due. */
  readonly dpd: number;
  readonly bucket: string;
  readonly delinquent: boolean;
  readonly inGrace: boolean;
  readonly consecutiveOverdueCount: number;
  readonly cumulativeOverdueCount: number;
  /** The last business date applied to this loan. */
  readonly closedThrough: IsoDate;
  /** The earliest date on which the daily close must look at this loan again; null once closed or charged off. */
  readonly nextEventDate: IsoDate | null;
  readonly chargedOffOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  /**
   * Set while a hardship plan freezes accrual (re-installment, 停息分期; see restructure.ts): the daily
   * close books no penalty on the loan, and a prepayment re-amortises at a zero rate. Absent means false
   * (the default, `accrualFrozenDefault`); a plan's completion or break removes it. It is serviced state:
   * the stored forms must carry it.
   */
  readonly accrualFrozen?: boolean;
  /**
   * Money collected after charge-off (recoveries, recovery.ts), in total; absent means zero, and it is
   * never stored as zero, so a state without recoveries serialises exactly as before the field existed.
   */
  readonly recoveredMinor?: bigint;
}

/** A loan's accrual is not frozen unless a plan says so. */
export const accrualFrozenDefault = false;

// ---- per-installment arithmetic ---------------------------------------------------------------------

export function principalOutstanding(row: InstallmentState): bigint {
  return row.principalDueMinor - row.principalPaidMinor - row.principalWaivedMinor;
}

export function interestOutstanding(row: InstallmentState): bigint {
  return row.interestDueMinor - row.interestPaidMinor - row.interestWaivedMinor;
}

export function feeOutstanding(row: InstallmentState): bigint {
  return row.feeDueMinor - row.feePaidMinor - row.feeWaivedMinor;
}

export function penaltyOutstanding(row: InstallmentState): bigint {
  return row.penaltyAccruedMinor - row.penaltyPaidMinor - row.penaltyWaivedMinor;
}

/** Principal, interest and fee outstanding (penalty apart). */
export function scheduledOutstanding(row: InstallmentState): bigint {
  return principalOutstanding(row) + interestOutstanding(row) + feeOutstanding(row);
}

export function isSettled(row: InstallmentState): boolean {
  return scheduledOutstanding(row) === 0n;
}

/** Parsed rates have at most 10 decimals, so any contract rate is a whole number of 10⁻¹⁰. */
const contractRateUnit = 10n ** 10n;

type PenaltyInputs = Pick<LoanState, 'rules' | 'terms'>;

/**
 * The denominator of `penaltyAccrualExact`: one day's penalty on B is B × penaltyRateNumerator / this.
 * With a multiple of the contract rate, it counts the contract rate in units of 10⁻¹⁰ rather than over
 * the rate's own denominator, so it stays the same whatever the contract rate becomes and the exact
 * accrual never needs rescaling when the rate changes.
 */
export function penaltyDenominator(state: PenaltyInputs): bigint {
  const { rules } = state;
  const days = BigInt(rules.penaltyDaysInYear);
  const multiple = rules.penaltyRateMultiple;
  if (multiple === undefined) return rules.penaltyAnnualRate.denominator * days;
  return multiple.denominator * contractRateUnit * days;
}

/** The annual penalty rate's numerator over penaltyDenominator / penaltyDaysInYear, accrual freeze aside. */
export function penaltyRateNumerator(state: PenaltyInputs): bigint {
  const multiple = state.rules.penaltyRateMultiple;
  if (multiple === undefined) return state.rules.penaltyAnnualRate.numerator;
  const rate = state.terms.annualRate;
  invariant(contractRateUnit % rate.denominator === 0n, 'a contract rate has at most 10 decimals');
  return multiple.numerator * rate.numerator * (contractRateUnit / rate.denominator);
}

/**
 * The annual penalty rate in force: the absolute rate, or the multiple × the contract rate; zero while a
 * plan freezes accrual (停息分期).
 */
export function penaltyRate(state: PenaltyInputs & Pick<LoanState, 'accrualFrozen'>): Ratio {
  if (state.accrualFrozen === true) return ratio(0n, 1n);
  const days = BigInt(state.rules.penaltyDaysInYear);
  return ratio(penaltyRateNumerator(state), penaltyDenominator(state) / days);
}

/** Checks the invariants; `rows` limits the per-installment checks to the rows a step changed. */
export function assertLoanState(state: LoanState, rows: Iterable<InstallmentState> = state.installments): void {
  invariant(state.creditBalanceMinor >= 0n, `${state.loanId}: credit balance is negative`);
  if (state.recoveredMinor !== undefined) {
    invariant(state.recoveredMinor > 0n, `${state.loanId}: a recovered amount is stored only when positive`);
  }
  invariant(Number.isInteger(state.dpd) && state.dpd >= 0, `${state.loanId}: DPD ${state.dpd} is below zero`);
  invariant(state.delinquent === state.dpd > state.rules.graceDays, `${state.loanId}: delinquent disagrees with DPD`);
  invariant(state.inGrace === (state.dpd > 0 && !state.delinquent), `${state.loanId}: inGrace disagrees with DPD`);
  for (const row of rows) {
    const sound =
      principalOutstanding(row) >= 0n &&
      interestOutstanding(row) >= 0n &&
      feeOutstanding(row) >= 0n &&
      penaltyOutstanding(row) >= 0n &&
      row.principalPaidMinor >= 0n &&
      row.interestPaidMinor >= 0n &&
      row.feePaidMinor >= 0n &&
      row.penaltyPaidMinor >= 0n &&
      row.principalWaivedMinor >= 0n &&
      row.interestWaivedMinor >= 0n &&
      row.feeWaivedMinor >= 0n &&
      row.penaltyWaivedMinor >= 0n &&
      row.penaltyAccrualExact >= 0n;
    // The message is built only on failure: this runs for every installment after every step.
    if (!sound) invariant(false, `${state.loanId}: installment ${row.number} has a negative balance`);
  }
}

// ---- JSON-safe form ---------------------------------------------------------------------------------

/**
 * The columns of an installment's compact form, in order: one string per installment, fields joined by
 * "|" — amounts as whole minor units, becameDelinquent as 1/0, paidOn empty when null. Compact because
 * the daily close loads and saves a state per loan: this form is about a seventh of an object per row
 * and decodes several times faster.
 */
export const installmentColumns = [
  'number',
  'dueDate',
  'principalDueMinor',
  'interestDueMinor',
  'feeDueMinor',
  'principalPaidMinor',
  'interestPaidMinor',
  'feePaidMinor',
  'principalWaivedMinor',
  'interestWaivedMinor',
  'feeWaivedMinor',
  'penaltyAccruedMinor',
  'penaltyPaidMinor',
  'penaltyWaivedMinor',
  'penaltyAccrualExact',
  'becameDelinquent',
  'paidOn',
] as const;

/** Amounts are strings of minor units ("30500"); rates are {numerator, denominator} strings. */
export interface RatioJson {
  numerator: string;
  denominator: string;
}

export type FeeJson =
  | { kind: 'per_installment'; rate: RatioJson; base: 'principal' }
  | { kind: 'per_installment'; amountMinor: string }
  | { kind: 'upfront'; amountMinor: string };

export interface LoanTermsJson {
  principalMinor: string;
  currency: string;
  annualRate: RatioJson;
  termCount: number;
  frequency: { every: number; unit: string };
  startDate: string;
  firstDueDate: string | null;
  method: string;
  interestType: string;
  interestBasis: string;
  daysInYear: number | 'actual';
  principalGraceTerms: number;
  /** `interestMode` is written only when it is not the default half_up (older states lack it). */
  rounding: { mode: string; installmentMultipleMinor: string; interestMode?: string };
  fees: FeeJson[];
  businessDay: { convention: string; calendar: string } | null;
}

export interface LoanStateJson {
  /** The form's version, so a stored state can be migrated if the form ever changes. */
  version: 1;
  loanId: string;
  borrowerId: string;
  currency: string;
  rules: Record<string, unknown>;
  terms: LoanTermsJson;
  disbursedOn: string;
  /** One compact string per installment; see `installmentColumns`. */
  installments: string[];
  creditBalanceMinor: string;
  status: LoanStatus;
  dpd: number;
  bucket: string;
  delinquent: boolean;
  inGrace: boolean;
  consecutiveOverdueCount: number;
  cumulativeOverdueCount: number;
  closedThrough: string;
  nextEventDate: string | null;
  chargedOffOn: string | null;
  closedOn: string | null;
  /** Present (true) only while a re-installment freezes accrual. */
  accrualFrozen?: true;
  /** Present only after a recovery: the total recovered, in minor units. */
  recoveredMinor?: string;
}

function ratioToJson(value: Ratio): RatioJson {
  return { numerator: value.numerator.toString(), denominator: value.denominator.toString() };
}

function bigintFromJson(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^-?\d+$/.test(value)) {
    throw new InputError(field, `must be a whole number as a string, got ${quote(value)}`);
  }
  return BigInt(value);
}

function ratioFromJson(value: RatioJson, field: string): Ratio {
  const denominator = bigintFromJson(value.denominator, `${field}.denominator`);
  if (denominator <= 0n) throw new InputError(`${field}.denominator`, 'must be positive');
  return { numerator: bigintFromJson(value.numerator, `${field}.numerator`), denominator };
}

export function serializeTerms(terms: LoanTerms): LoanTermsJson {
  return {
    principalMinor: terms.principalMinor.toString(),
    currency: terms.currency,
    annualRate: ratioToJson(terms.annualRate),
    termCount: terms.termCount,
    frequency: { every: terms.frequency.every, unit: terms.frequency.unit },
    startDate: terms.startDate,
    firstDueDate: terms.firstDueDate ?? null,
    method: terms.method,
    interestType: terms.interestType,
    interestBasis: terms.interestBasis,
    daysInYear: terms.daysInYear,
    principalGraceTerms: terms.principalGraceTerms,
    rounding: {
      mode: terms.rounding.mode,
      installmentMultipleMinor: terms.rounding.installmentMultipleMinor.toString(),
      ...(terms.rounding.interestMode === 'half_up' ? {} : { interestMode: terms.rounding.interestMode }),
    },
    fees: terms.fees.map((fee): FeeJson => {
      if (fee.kind === 'upfront') return { kind: 'upfront', amountMinor: fee.amountMinor.toString() };
      if ('rate' in fee) return { kind: 'per_installment', rate: ratioToJson(fee.rate), base: 'principal' };
      return { kind: 'per_installment', amountMinor: fee.amountMinor.toString() };
    }),
    businessDay: terms.businessDay
      ? { convention: terms.businessDay.convention, calendar: terms.businessDay.calendar }
      : null,
  };
}

export function deserializeTerms(json: LoanTermsJson): LoanTerms {
  return {
    principalMinor: bigintFromJson(json.principalMinor, 'terms.principalMinor'),
    currency: json.currency,
    annualRate: ratioFromJson(json.annualRate, 'terms.annualRate'),
    termCount: json.termCount,
    frequency: { every: json.frequency.every, unit: json.frequency.unit as LoanTerms['frequency']['unit'] },
    startDate: json.startDate,
    firstDueDate: json.firstDueDate ?? undefined,
    method: json.method as LoanTerms['method'],
    interestType: json.interestType as LoanTerms['interestType'],
    interestBasis: json.interestBasis as LoanTerms['interestBasis'],
    daysInYear: json.daysInYear as LoanTerms['daysInYear'],
    principalGraceTerms: json.principalGraceTerms,
    rounding: {
      mode: json.rounding.mode as LoanTerms['rounding']['mode'],
      installmentMultipleMinor: bigintFromJson(json.rounding.installmentMultipleMinor, 'terms.rounding'),
      interestMode: (json.rounding.interestMode ?? 'half_up') as LoanTerms['rounding']['interestMode'],
    },
    fees: json.fees.map((fee, index): Fee => {
      if (fee.kind === 'upfront')
        return { kind: 'upfront', amountMinor: bigintFromJson(fee.amountMinor, `terms.fees[${index}]`) };
      if ('rate' in fee)
        return {
          kind: 'per_installment',
          rate: ratioFromJson(fee.rate, `terms.fees[${index}].rate`),
          base: 'principal',
        };
      return { kind: 'per_installment', amountMinor: bigintFromJson(fee.amountMinor, `terms.fees[${index}]`) };
    }),
    businessDay: json.businessDay ? (json.businessDay as unknown as NonNullable<LoanTerms['businessDay']>) : undefined,
  };
}

/**
 * The terms as one string, for storing beside the compact state (a loan's terms never change, but every
 * version of its row carries them): fields joined by "|" in the order principalMinor, currency, annualRate
 * (numerator/denominator), termCount, frequency every, frequency unit, startDate, firstDueDate (empty when
 * none), method, interestType, interestBasis, daysInYear, principalGraceTerms, rounding mode (followed by
 * `/<interestMode>` when the interest rounding mode is not the default half_up, so older strings still
 * decode), rounding installmentMultipleMinor, fees, businessDay — fees comma-separated as `upfront:<minor>`,
 * `installment:<minor>` or `rate:<numerator>/<denominator>` (per installment, on the principal), the
 * business day rule as `<convention>:<calendar>` or empty. About 90 characters against ~410 of JSON.
 */
export function encodeCompactTerms(terms: LoanTerms): string {
  const fees = terms.fees
    .map((fee) => {
      if (fee.kind === 'upfront') return `upfront:${fee.amountMinor}`;
      if ('rate' in fee) return `rate:${fee.rate.numerator}/${fee.rate.denominator}`;
      return `installment:${fee.amountMinor}`;
    })
    .join(',');
  const businessDay = terms.businessDay ? `${terms.businessDay.convention}:${terms.businessDay.calendar}` : '';
  return [
    terms.principalMinor,
    terms.currency,
    `${terms.annualRate.numerator}/${terms.annualRate.denominator}`,
    terms.termCount,
    terms.frequency.every,
    terms.frequency.unit,
    terms.startDate,
    terms.firstDueDate ?? '',
    terms.method,
    terms.interestType,
    terms.interestBasis,
    terms.daysInYear,
    terms.principalGraceTerms,
    terms.rounding.interestMode === 'half_up'
      ? terms.rounding.mode
      : `${terms.rounding.mode}/${terms.rounding.interestMode}`,
    terms.rounding.installmentMultipleMinor,
    fees,
    businessDay,
  ].join('|');
}

const compactTermsFields = 17;

/** The terms `encodeCompactTerms` was given; a malformed field is an InputError naming it. */
export function decodeCompactTerms(text: unknown): LoanTerms {
  if (typeof text !== 'string') throw new InputError('terms', `must be a string, got ${quote(text)}`);
  const f = text.split('|');
  if (f.length !== compactTermsFields) {
    throw new InputError('terms', `must have ${compactTermsFields} fields, got ${quote(text)}`);
  }
  const daysInYear = f[11] === 'actual' ? 'actual' : wholeField(f[11], 'terms.daysInYear');
  return {
    principalMinor: bigintFromJson(f[0], 'terms.principalMinor'),
    currency: f[1] as string,
    annualRate: ratioFromText(f[2], 'terms.annualRate'),
    termCount: wholeField(f[3], 'terms.termCount'),
    frequency: { every: wholeField(f[4], 'terms.frequency.every'), unit: f[5] as LoanTerms['frequency']['unit'] },
    startDate: parseIsoDate(f[6], 'terms.startDate'),
    firstDueDate: f[7] === '' ? undefined : parseIsoDate(f[7], 'terms.firstDueDate'),
    method: f[8] as LoanTerms['method'],
    interestType: f[9] as LoanTerms['interestType'],
    interestBasis: f[10] as LoanTerms['interestBasis'],
    daysInYear: daysInYear as LoanTerms['daysInYear'],
    principalGraceTerms: wholeField(f[12], 'terms.principalGraceTerms'),
    rounding: {
      mode: (f[13] as string).split('/')[0] as LoanTerms['rounding']['mode'],
      installmentMultipleMinor: bigintFromJson(f[14], 'terms.rounding.installmentMultipleMinor'),
      interestMode: ((f[13] as string).split('/')[1] ?? 'half_up') as LoanTerms['rounding']['interestMode'],
    },
    fees: f[15] === '' ? [] : (f[15] as string).split(',').map(compactFee),
    businessDay: f[16] === '' ? undefined : compactBusinessDay(f[16] as string),
  };
}

// Helpers rather than closures inside decodeCompactTerms: tsx names every closure it creates, per call.
function wholeField(text: string | undefined, field: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || String(value) !== text) {
    throw new InputError(field, `must be a whole number, got ${quote(text)}`);
  }
  return value;
}

function compactBusinessDay(text: string): NonNullable<LoanTerms['businessDay']> {
  const [convention, calendar] = text.split(':');
  return { convention, calendar } as NonNullable<LoanTerms['businessDay']>;
}

function ratioFromText(text: string | undefined, field: string): Ratio {
  const [numerator, denominator] = (text ?? '').split('/');
  return ratioFromJson({ numerator: numerator ?? '', denominator: denominator ?? '' }, field);
}

function compactFee(text: string, index: number): Fee {
  const field = `terms.fees[${index}]`;
  const colon = text.indexOf(':');
  const kind = text.slice(0, colon);
  const value = text.slice(colon + 1);
  if (kind === 'upfront') return { kind: 'upfront', amountMinor: bigintFromJson(value, field) };
  if (kind === 'installment') return { kind: 'per_installment', amountMinor: bigintFromJson(value, field) };
  if (kind === 'rate') return { kind: 'per_installment', rate: ratioFromText(value, field), base: 'principal' };
  throw new InputError(field, `unknown fee ${quote(text)}`);
}

function encodeInstallment(row: InstallmentState): string {
  return [
    row.number,
    row.dueDate,
    row.principalDueMinor,
    row.interestDueMinor,
    row.feeDueMinor,
    row.principalPaidMinor,
    row.interestPaidMinor,
    row.feePaidMinor,
    row.principalWaivedMinor,
    row.interestWaivedMinor,
    row.feeWaivedMinor,
    row.penaltyAccruedMinor,
    row.penaltyPaidMinor,
    row.penaltyWaivedMinor,
    row.penaltyAccrualExact,
    row.becameDelinquent ? 1 : 0,
    row.paidOn ?? '',
  ].join('|');
}

function columnField(index: number, column: number): string {
  return `installments[${index}].${installmentColumns[column]}`;
}

/**
 * A canonical whole number. Safe integers take the Number route, three times faster than BigInt(text);
 * field names are built only on failure (this runs for every amount of every state the close loads).
 */
function wholeFromText(text: string | undefined, index: number, column: number): bigint {
  if (text === '0') return 0n;
  if (text !== undefined) {
    const value = +text;
    if (Number.isSafeInteger(value) && String(value) === text) return BigInt(value);
    if (/^-?[1-9]\d*$/.test(text)) return BigInt(text);
  }
  throw new InputError(columnField(index, column), `must be a whole number, got ${quote(text)}`);
}

/** A date field, checked by the round trip through epoch days (cheaper than the full parser). */
function dateFromText(text: string | undefined, index: number, column: number): IsoDate {
  if (text !== undefined && text.length === 10) {
    const day = toEpochDay(text);
    if (fromEpochDay(day) === text) return text;
  }
  return parseIsoDate(text, columnField(index, column));
}

function decodeInstallment(text: unknown, index: number): InstallmentState {
  if (typeof text !== 'string') {
    throw new InputError(
      `installments[${index}]`,
      `must be a string of ${installmentColumns.length} fields, got ${quote(text)}`,
    );
  }
  const f = text.split('|');
  if (f.length !== installmentColumns.length) {
    throw new InputError(`installments[${index}]`, `must have ${installmentColumns.length} fields, got ${f.length}`);
  }
  const dueDate = dateFromText(f[1], index, 1);
  if (f[15] !== '0' && f[15] !== '1')
    throw new InputError(columnField(index, 15), `must be 0 or 1, got ${quote(f[15])}`);
  return {
    number: Number(wholeFromText(f[0], index, 0)),
    dueDate,
    dueEpochDay: toEpochDay(dueDate),
    principalDueMinor: wholeFromText(f[2], index, 2),
    interestDueMinor: wholeFromText(f[3], index, 3),
    feeDueMinor: wholeFromText(f[4], index, 4),
    principalPaidMinor: wholeFromText(f[5], index, 5),
    interestPaidMinor: wholeFromText(f[6], index, 6),
    feePaidMinor: wholeFromText(f[7], index, 7),
    principalWaivedMinor: wholeFromText(f[8], index, 8),
    interestWaivedMinor: wholeFromText(f[9], index, 9),
    feeWaivedMinor: wholeFromText(f[10], index, 10),
    penaltyAccruedMinor: wholeFromText(f[11], index, 11),
    penaltyPaidMinor: wholeFromText(f[12], index, 12),
    penaltyWaivedMinor: wholeFromText(f[13], index, 13),
    penaltyAccrualExact: wholeFromText(f[14], index, 14),
    becameDelinquent: f[15] === '1',
    paidOn: f[16] === '' ? null : dateFromText(f[16], index, 16),
  };
}

/** The state as a JSON-safe object; `deserializeLoanState` gives back an identical state. */
export function serializeLoanState(state: LoanState): LoanStateJson {
  return {
    version: 1,
    loanId: state.loanId,
    borrowerId: state.borrowerId,
    currency: state.currency,
    rules: servicingRulesToJson(state.rules),
    terms: serializeTerms(state.terms),
    disbursedOn: state.disbursedOn,
    installments: state.installments.map(encodeInstallment),
    creditBalanceMinor: state.creditBalanceMinor.toString(),
    status: state.status,
    dpd: state.dpd,
    bucket: state.bucket,
    delinquent: state.delinquent,
    inGrace: state.inGrace,
    consecutiveOverdueCount: state.consecutiveOverdueCount,
    cumulativeOverdueCount: state.cumulativeOverdueCount,
    closedThrough: state.closedThrough,
    nextEventDate: state.nextEventDate,
    chargedOffOn: state.chargedOffOn,
    closedOn: state.closedOn,
    ...(state.accrualFrozen === true ? { accrualFrozen: true as const } : {}),
    ...(state.recoveredMinor === undefined ? {} : { recoveredMinor: state.recoveredMinor.toString() }),
  };
}

export function deserializeLoanState(json: LoanStateJson): LoanState {
  if (json.version !== 1) throw new InputError('version', `must be 1, got ${quote(json.version)}`);
  if (!Array.isArray(json.installments)) throw new InputError('installments', 'must be a list');
  if (!loanStatuses.includes(json.status)) throw new InputError('status', `unknown loan status ${quote(json.status)}`);
  const state: LoanState = {
    loanId: json.loanId,
    borrowerId: json.borrowerId,
    currency: json.currency,
    rules: parseServicingRules(json.rules, { field: 'rules', stored: true }),
    terms: deserializeTerms(json.terms),
    disbursedOn: json.disbursedOn,
    installments: json.installments.map(decodeInstallment),
    creditBalanceMinor: bigintFromJson(json.creditBalanceMinor, 'creditBalanceMinor'),
    status: json.status,
    dpd: json.dpd,
    bucket: json.bucket,
    delinquent: json.delinquent,
    inGrace: json.inGrace,
    consecutiveOverdueCount: json.consecutiveOverdueCount,
    cumulativeOverdueCount: json.cumulativeOverdueCount,
    closedThrough: json.closedThrough,
    nextEventDate: json.nextEventDate,
    chargedOffOn: json.chargedOffOn,
    closedOn: json.closedOn,
    ...(json.accrualFrozen === true ? { accrualFrozen: true } : {}),
    ...(json.recoveredMinor === undefined
      ? {}
      : { recoveredMinor: bigintFromJson(json.recoveredMinor, 'recoveredMinor') }),
  };
  assertLoanState(state);
  return state;
}

// ---- compact form: the serviced part only -------------------------------------------------------------

/**
 * What changes as a loan is serviced, without its identity and contract (loan and borrower ids,
 * currency, rules, terms): those never change after opening, so the store keeps them once per loan (and
 * the rules once per distinct set) instead of rewriting them with every close. Two strings rather than an
 * object per field, because the daily close writes one of these per loan and the database parses JSON
 * per token: `loan` holds the loan-level fields (see `loanFieldColumns`), `installments` the schedule (see
 * `encodeInstallments`). `deserializeCompactLoanState` puts the state back together with its contract.
 */
export interface CompactLoanStateJson {
  /** The form's version: 2 (version 1 is `LoanStateJson`, the whole state). */
  version: 2;
  loan: string;
  installments: string;
  /** Present (true) only while a re-installment freezes accrual. */
  frozen?: true;
  /** Present only after a recovery on a charged-off loan: the total recovered, minor units ("12345"). */
  recovered?: string;
}

/** The parts of a state that the compact form leaves out. */
export interface LoanContract {
  loanId: string;
  borrowerId: string;
  currency: string;
  rules: ServicingRules;
  terms: LoanTerms;
}

/**
 * The fields of the compact form's `loan` string, in order, joined by "|": amounts in minor units,
 * booleans as "1" or empty, a null date empty. The bucket comes last, so a bucket name may hold a "|".
 * (accrualFrozen and recoveredMinor, rare, are the form's `frozen` and `recovered` keys instead.)
 */
export const loanFieldColumns = [
  'disbursedOn',
  'creditBalanceMinor',
  'status',
  'dpd',
  'delinquent',
  'inGrace',
  'consecutiveOverdueCount',
  'cumulativeOverdueCount',
  'closedThrough',
  'nextEventDate',
  'chargedOffOn',
  'closedOn',
  'bucket',
] as const;

/** Where the bucket starts: after every other field. */
const BUCKET_FIELD = loanFieldColumns.length - 1;

export function serializeCompactLoanState(state: LoanState): CompactLoanStateJson {
  const loan =
    `${state.disbursedOn}|${state.creditBalanceMinor}|${state.status}|${state.dpd}|${state.delinquent ? '1' : ''}` +
    `|${state.inGrace ? '1' : ''}|${state.consecutiveOverdueCount}|${state.cumulativeOverdueCount}` +
    `|${state.closedThrough}|${state.nextEventDate ?? ''}|${state.chargedOffOn ?? ''}|${state.closedOn ?? ''}` +
    `|${state.bucket}`;
  const json: CompactLoanStateJson = { version: 2, loan, installments: encodeInstallments(state.installments) };
  if (state.accrualFrozen === true) json.frozen = true;
  if (state.recoveredMinor !== undefined) json.recovered = state.recoveredMinor.toString();
  return json;
}

/** The state `serializeCompactLoanState` was given, from its compact form and the loan's contract. */
export function deserializeCompactLoanState(json: CompactLoanStateJson, contract: LoanContract): LoanState {
  if (json.version !== 2) throw new InputError('version', `must be 2, got ${quote(json.version)}`);
  if (typeof json.loan !== 'string') throw new InputError('loan', `must be a string, got ${quote(json.loan)}`);
  const f = json.loan.split('|');
  if (f.length < loanFieldColumns.length) {
    throw new InputError('loan', `must have ${loanFieldColumns.length} fields, got ${quote(json.loan)}`);
  }
  const status = f[2] as LoanStatus;
  if (!loanStatuses.includes(status)) throw new InputError('loan.status', `unknown loan status ${quote(status)}`);
  const state: LoanState = {
    loanId: contract.loanId,
    borrowerId: contract.borrowerId,
    currency: contract.currency,
    rules: contract.rules,
    terms: contract.terms,
    disbursedOn: requiredLoanDate(f, 0),
    installments: decodeInstallments(json.installments),
    creditBalanceMinor: bigintFromJson(f[1], 'loan.creditBalanceMinor'),
    status,
    dpd: loanCount(f, 3),
    bucket: f.length === loanFieldColumns.length ? (f[BUCKET_FIELD] as string) : f.slice(BUCKET_FIELD).join('|'),
    delinquent: loanFlag(f, 4),
    inGrace: loanFlag(f, 5),
    consecutiveOverdueCount: loanCount(f, 6),
    cumulativeOverdueCount: loanCount(f, 7),
    closedThrough: requiredLoanDate(f, 8),
    nextEventDate: loanDate(f, 9),
    chargedOffOn: loanDate(f, 10),
    closedOn: loanDate(f, 11),
    // One test for both rare keys, so the common document (neither) costs what it did before them.
    ...(json.frozen === true || json.recovered !== undefined ? rareCompactFields(json) : {}),
  };
  assertLoanState(state);
  return state;
}

/** The compact form's rare keys (absent in most documents; old documents never have `recovered`). */
function rareCompactFields(json: CompactLoanStateJson): { accrualFrozen?: boolean; recoveredMinor?: bigint } {
  const fields: { accrualFrozen?: boolean; recoveredMinor?: bigint } = {};
  if (json.frozen === true) fields.accrualFrozen = true;
  if (json.recovered !== undefined) fields.recoveredMinor = bigintFromJson(json.recovered, 'recovered');
  return fields;
}

function loanDate(fields: readonly string[], index: number): IsoDate | null {
  const text = fields[index] as string;
  if (text === '') return null;
  if (!isCalendarDate(text))
    throw new InputError(`loan.${loanFieldColumns[index]}`, `must be a date, got ${quote(text)}`);
  return text;
}

function requiredLoanDate(fields: readonly string[], index: number): IsoDate {
  const date = loanDate(fields, index);
  if (date === null) throw new InputError(`loan.${loanFieldColumns[index]}`, 'is required');
  return date;
}

function loanCount(fields: readonly string[], index: number): number {
  const text = fields[index] as string;
  const value = +text;
  if (!Number.isSafeInteger(value) || value < 0 || String(value) !== text) {
    throw new InputError(`loan.${loanFieldColumns[index]}`, `must be a whole number ≥ 0, got ${quote(text)}`);
  }
  return value;
}

function loanFlag(fields: readonly string[], index: number): boolean {
  const text = fields[index];
  if (text !== '' && text !== '1')
    throw new InputError(`loan.${loanFieldColumns[index]}`, `must be 1 or empty, got ${quote(text)}`);
  return text === '1';
}

/**
 * All installments as one string: rows separated by ";", fields by "|" in `installmentColumns` order —
 * amounts as whole minor units, dates as YYYY-MM-DD, becameDelinquent as "1" — where a zero amount, false
 * and null are empty and the empty fields at the end of a row are left out. A fresh 12-installment
 * schedule is ~280 characters, against ~610 for the version-1 list, and `decodeInstallments` reads it
 * by character code without splitting it into pieces.
 */
export function encodeInstallments(rows: readonly InstallmentState[]): string {
  let text = '';
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index] as InstallmentState;
    const line = new FieldWriter(`${row.number}|${row.dueDate}`);
    line.amount(row.principalDueMinor);
    line.amount(row.interestDueMinor);
    line.amount(row.feeDueMinor);
    line.amount(row.principalPaidMinor);
    line.amount(row.interestPaidMinor);
    line.amount(row.feePaidMinor);
    line.amount(row.principalWaivedMinor);
    line.amount(row.interestWaivedMinor);
    line.amount(row.feeWaivedMinor);
    line.amount(row.penaltyAccruedMinor);
    line.amount(row.penaltyPaidMinor);
    line.amount(row.penaltyWaivedMinor);
    line.amount(row.penaltyAccrualExact);
    line.text(row.becameDelinquent ? '1' : '');
    line.text(row.paidOn ?? '');
    text = index === 0 ? line.line : `${text};${line.line}`;
  }
  return text;
}

/** Appends "|"-separated fields, holding back the separators of empty fields until a non-empty one follows. */
class FieldWriter {
  private pending = '|';
  constructor(public line: string) {}
  amount(value: bigint): void {
    if (value === 0n) this.pending += '|';
    else this.text(value.toString());
  }
  text(value: string): void {
    if (value === '') {
      this.pending += '|';
      return;
    }
    this.line += this.pending + value;
    this.pending = '|';
  }
}

const PIPE = 124;
const SEMICOLON = 59;
const ZERO = 48;
const NINE = 57;
const DASH = 45;

/** Reads `encodeInstallments`' string back; a malformed field is an InputError naming row and column. */
export function decodeInstallments(text: unknown): InstallmentState[] {
  if (typeof text !== 'string') throw new InputError('installments', `must be a string, got ${quote(text)}`);
  const rows: InstallmentState[] = [];
  if (text.length === 0) return rows;
  const reader = { text, at: 0, row: 0 };
  for (;;) {
    rows.push(readInstallment(reader));
    if (reader.at >= text.length) return rows;
    // readInstallment stops on a ';' (or the end): anything else was caught as a bad field.
    reader.at += 1;
    reader.row += 1;
  }
}

interface InstallmentReader {
  readonly text: string;
  at: number;
  row: number;
}

function readInstallment(r: InstallmentReader): InstallmentState {
  const number = readWhole(r, 0);
  if (number === 0n || number > BigInt(Number.MAX_SAFE_INTEGER)) compactFieldError(r, 0);
  const dueDate = readDate(r, 1);
  if (dueDate === null) compactFieldError(r, 1);
  const row: InstallmentState = {
    number: Number(number),
    dueDate,
    dueEpochDay: toEpochDay(dueDate),
    principalDueMinor: readWhole(r, 2),
    interestDueMinor: readWhole(r, 3),
    feeDueMinor: readWhole(r, 4),
    principalPaidMinor: readWhole(r, 5),
    interestPaidMinor: readWhole(r, 6),
    feePaidMinor: readWhole(r, 7),
    principalWaivedMinor: readWhole(r, 8),
    interestWaivedMinor: readWhole(r, 9),
    feeWaivedMinor: readWhole(r, 10),
    penaltyAccruedMinor: readWhole(r, 11),
    penaltyPaidMinor: readWhole(r, 12),
    penaltyWaivedMinor: readWhole(r, 13),
    penaltyAccrualExact: readWhole(r, 14),
    becameDelinquent: readFlag(r, 15),
    paidOn: readDate(r, 16),
  };
  const code = r.text.charCodeAt(r.at);
  if (r.at < r.text.length && code !== SEMICOLON) compactFieldError(r, 16);
  return row;
}

/**
 * Moves past the separator in front of field `column` (none before the first); false when the row has
 * ended (the field and every later one are empty).
 */
function enterField(r: InstallmentReader, column: number): boolean {
  if (column === 0) return true;
  if (r.at >= r.text.length || r.text.charCodeAt(r.at) !== PIPE) return false;
  r.at += 1;
  return true;
}

/** A whole number ≥ 0 without leading zeros; empty is 0. Safe integers never build a substring. */
function readWhole(r: InstallmentReader, column: number): bigint {
  if (!enterField(r, column)) return 0n;
  const { text } = r;
  const start = r.at;
  let value = 0;
  let code = text.charCodeAt(r.at);
  while (code >= ZERO && code <= NINE) {
    value = value * 10 + (code - ZERO);
    r.at += 1;
    code = text.charCodeAt(r.at);
  }
  const digits = r.at - start;
  if (digits === 0) {
    if (r.at < text.length && code !== PIPE && code !== SEMICOLON) compactFieldError(r, column);
    return 0n;
  }
  if (r.at < text.length && code !== PIPE && code !== SEMICOLON) compactFieldError(r, column);
  if (digits > 1 && text.charCodeAt(start) === ZERO) compactFieldError(r, column);
  return digits <= 15 ? BigInt(value) : BigInt(text.slice(start, r.at));
}

function readFlag(r: InstallmentReader, column: number): boolean {
  if (!enterField(r, column)) return false;
  const code = r.text.charCodeAt(r.at);
  if (code === PIPE || code === SEMICOLON || r.at >= r.text.length) return false;
  if (code !== ZERO + 1) compactFieldError(r, column);
  r.at += 1;
  return true;
}

/** A YYYY-MM-DD calendar date, or null when the field is empty. */
function readDate(r: InstallmentReader, column: number): IsoDate | null {
  if (!enterField(r, column)) return null;
  const { text, at } = r;
  const code = text.charCodeAt(at);
  if (at >= text.length || code === PIPE || code === SEMICOLON) return null;
  const date = text.slice(at, at + 10);
  r.at += 10;
  if (!isCalendarDate(date)) compactFieldError(r, column);
  return date;
}

const dateDigitPositions: readonly number[] = [0, 1, 2, 3, 5, 6, 8, 9];

/** The same dates parseIsoDate accepts (years 1900 … 2999), read by character code. */
function isCalendarDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  for (const index of dateDigitPositions) {
    const code = text.charCodeAt(index);
    if (code < ZERO || code > NINE) return false;
  }
  // No helper closure here: tsx names every closure it creates (a defineProperty per call).
  const year =
    (text.charCodeAt(0) - ZERO) * 1000 +
    (text.charCodeAt(1) - ZERO) * 100 +
    (text.charCodeAt(2) - ZERO) * 10 +
    (text.charCodeAt(3) - ZERO);
  const month = (text.charCodeAt(5) - ZERO) * 10 + text.charCodeAt(6) - ZERO;
  const day = (text.charCodeAt(8) - ZERO) * 10 + text.charCodeAt(9) - ZERO;
  return year >= 1900 && year <= 2999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function compactFieldError(r: InstallmentReader, column: number): never {
  throw new InputError(
    `installments[${r.row}].${installmentColumns[column]}`,
    `is not a valid compact field in ${quote(r.text.slice(0, 200))}`,
  );
}
