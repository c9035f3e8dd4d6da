// LoanState: everything the servicing core knows about one loan, as plain data (bigint minor units,
// ISO dates), and its JSON-safe form. The state is the fold of the loan's transactions over its opening
// (see history.ts); it never holds the history itself, so a day's close touches one small object.
//
// Invariants (asserted by `assertLoanState` after every step): per installment and component,
// paid + waived ≤ due (outstanding never negative); penalty paid + waived ≤ accrued; the credit balance
// is not negative; DPD ≥ 0; delinquent ⇔ DPD > graceDays; inGrace ⇔ 0 < DPD ≤ graceDays.
import { fromEpochDay, parseIsoDate, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import type { Ratio } from '../money/index.ts';
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
}

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

/** The denominator of `penaltyAccrualExact`: one day's penalty on B is B × rate.numerator / this. */
export function penaltyDenominator(rules: ServicingRules): bigint {
  return rules.penaltyAnnualRate.denominator * BigInt(rules.penaltyDaysInYear);
}

/** Checks the invariants; `rows` limits the per-installment checks to the rows a step changed. */
export function assertLoanState(state: LoanState, rows: Iterable<InstallmentState> = state.installments): void {
  invariant(state.creditBalanceMinor >= 0n, `${state.loanId}: credit balance is negative`);
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
  rounding: { mode: string; installmentMultipleMinor: string };
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
    rules: parseServicingRules(json.rules, { field: 'rules' }),
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
  };
  assertLoanState(state);
  return state;
}
