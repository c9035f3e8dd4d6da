// LoanTerms: the contract's JSON (CONTRACTS.md "LoanTerms") parsed strictly into exact values with every
// default filled in. Parsing is the only place that knows the JSON shape; the schedule engine sees
// bigints, ratios and ISO dates. Each rejection names the field, as the CLI and API print it.
import type { IsoDate } from '../calendar/date.ts';
import { parseIsoDate, toEpochDay } from '../calendar/date.ts';
import { InputError, quote } from '../errors/index.ts';
import {
  minorDigits,
  parseMoney,
  parseRate,
  ratio,
  roundingModes,
  type Ratio,
  type RoundingMode,
} from '../money/index.ts';
import { businessDayConventions, type BusinessDayConvention } from '../calendar/business-day.ts';
import {
  beyondCoverage,
  coverageText,
  holidayCalendar,
  holidayCalendarIds,
  type HolidayCalendarId,
} from '../calendar/holidays.ts';
import { dueDates } from './engine.ts';

export const methods = ['equal_installment', 'equal_principal', 'interest_only', 'bullet'] as const;
export type Method = (typeof methods)[number];
export const interestTypes = ['declining', 'flat'] as const;
export type InterestType = (typeof interestTypes)[number];
export const interestBases = ['periodic', 'daily'] as const;
export type InterestBasis = (typeof interestBases)[number];
export const frequencyUnits = ['day', 'week', 'month'] as const;
export type FrequencyUnit = (typeof frequencyUnits)[number];
export type DaysInYear = 360 | 364 | 365 | 'actual';

export interface Frequency {
  every: number;
  unit: FrequencyUnit;
}

export type Fee =
  | { kind: 'per_installment'; rate: Ratio; base: 'principal' }
  | { kind: 'per_installment'; amountMinor: bigint }
  | { kind: 'upfront'; amountMinor: bigint };

export interface BusinessDayRule {
  convention: BusinessDayConvention;
  calendar: HolidayCalendarId;
}

export interface LoanTerms {
  principalMinor: bigint;
  currency: string;
  annualRate: Ratio;
  termCount: number;
  frequency: Frequency;
  startDate: IsoDate;
  firstDueDate: IsoDate | undefined;
  method: Method;
  interestType: InterestType;
  interestBasis: InterestBasis;
  daysInYear: DaysInYear;
  principalGraceTerms: number;
  /**
   * `mode` rounds the equal installment to `installmentMultipleMinor` (and the equal principal part to
   * the minor unit); `interestMode` rounds each period's interest to the minor unit.
   */
  rounding: { mode: RoundingMode; installmentMultipleMinor: bigint; interestMode: RoundingMode };
  fees: Fee[];
  /** Opt-in: due dates that fall on a non-business day move per the rule. */
  businessDay: BusinessDayRule | undefined;
}

/** The defaults every field but principal, annualRate, termCount and startDate falls back to. */
export const termDefaults = {
  currency: 'CNY',
  frequency: { every: 1, unit: 'month' },
  method: 'equal_installment',
  interestType: 'declining',
  interestBasis: 'periodic',
  daysInYear: 365,
  principalGraceTerms: 0,
  rounding: { mode: 'half_up', installmentMultiple: 'the currency minor unit', interestMode: 'half_up' },
  fees: [],
} as const;

const maxTermCount = 1200;
const knownFields = new Set([
  'principal',
  'currency',
  'annualRate',
  'termCount',
  'frequency',
  'startDate',
  'firstDueDate',
  'method',
  'interestType',
  'interestBasis',
  'daysInYear',
  'principalGraceTerms',
  'rounding',
  'fees',
  'businessDay',
]);

const roundingFields = new Set(['mode', 'installmentMultiple', 'interestMode']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
}

function wholeNumber(value: unknown, field: string, { min, max }: { min: number; max: number }): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InputError(field, `must be a whole number, got ${quote(value)}`);
  }
  if (value < min || value > max) throw new InputError(field, `must be between ${min} and ${max}, got ${quote(value)}`);
  return value;
}

function parseFrequency(value: unknown): Frequency {
  if (value === undefined) return { every: 1, unit: 'month' };
  if (!isObject(value))
    throw new InputError('frequency', `must be an object like {"every":1,"unit":"month"}, got ${quote(value)}`);
  return {
    every: value.every === undefined ? 1 : wholeNumber(value.every, 'frequency.every', { min: 1, max: 366 }),
    unit: oneOf(value.unit ?? 'month', frequencyUnits, 'frequency.unit'),
  };
}

function parseDaysInYear(value: unknown): DaysInYear {
  if (value === undefined) return 365;
  if (value === 'actual' || value === 360 || value === 364 || value === 365) return value;
  throw new InputError('daysInYear', `must be one of 360, 364, 365, "actual", got ${quote(value)}`);
}

function parseRounding(value: unknown, currency: string): LoanTerms['rounding'] {
  if (value === undefined) return { mode: 'half_up', installmentMultipleMinor: 1n, interestMode: 'half_up' };
  if (!isObject(value))
    throw new InputError('rounding', `must be an object like {"mode":"half_up"}, got ${quote(value)}`);
  for (const key of Object.keys(value)) {
    if (!roundingFields.has(key)) throw new InputError(`rounding.${key}`, 'is not a rounding field');
  }
  const mode = oneOf(value.mode ?? 'half_up', roundingModes, 'rounding.mode');
  const interestMode = oneOf(value.interestMode ?? 'half_up', roundingModes, 'rounding.interestMode');
  if (value.installmentMultiple === undefined) return { mode, installmentMultipleMinor: 1n, interestMode };
  const multiple = parseMoney(value.installmentMultiple, currency, {
    field: 'rounding.installmentMultiple',
    allowZero: false,
  });
  return { mode, installmentMultipleMinor: multiple.amountMinor, interestMode };
}

function parseFees(value: unknown, currency: string): Fee[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InputError('fees', `must be a list, got ${quote(value)}`);
  return value.map((fee: unknown, index): Fee => {
    const at = `fees[${index}]`;
    if (!isObject(fee)) throw new InputError(at, `must be an object, got ${quote(fee)}`);
    const kind = oneOf(fee.kind, ['per_installment', 'upfront'] as const, `${at}.kind`);
    if (kind === 'upfront') {
      const amount = parseMoney(fee.amount, currency, { field: `${at}.amount` });
      return { kind, amountMinor: amount.amountMinor };
    }
    if (fee.amount !== undefined && fee.rate === undefined) {
      return { kind, amountMinor: parseMoney(fee.amount, currency, { field: `${at}.amount` }).amountMinor };
    }
    const rate = parseRate(fee.rate, { field: `${at}.rate` });
    if (fee.base !== undefined) oneOf(fee.base, ['principal'] as const, `${at}.base`);
    return { kind, rate, base: 'principal' };
  });
}

/**
 * What to do with a due date in a year the holiday calendar has no data for: `refuse` (default) the
 * terms, naming businessDay.calendar, or adjust it for `weekends_only`, acknowledged by the caller. An
 * acknowledgement read at parsing only: it is not part of the parsed terms.
 */
export const beyondCalendarModes = ['refuse', 'weekends_only'] as const;
export type BeyondCalendarMode = (typeof beyondCalendarModes)[number];

function parseBeyondCalendar(value: unknown): BeyondCalendarMode {
  if (!isObject(value) || value.beyondCalendar === undefined) return 'refuse';
  return oneOf(value.beyondCalendar, beyondCalendarModes, 'businessDay.beyondCalendar');
}

/**
 * Refuses terms whose business-day adjustment would consult a year the calendar does not cover (there it
 * knows weekends only, so 2027-01-01 would stay a due date in China). Checking the unadjusted and the
 * adjusted date suffices: every day the adjustment looks at lies between them (a modified-following
 * look into the next month only decides to go back, whatever it finds).
 */
function checkCalendarCoverage(terms: LoanTerms): void {
  const rule = terms.businessDay;
  if (rule === undefined || rule.convention === 'none') return;
  const calendar = holidayCalendar(rule.calendar);
  if (calendar.coveredYears === undefined) return;
  const adjusted = dueDates(terms);
  const unadjusted = dueDates({ ...terms, businessDay: undefined });
  for (let k = 0; k < adjusted.length; k += 1) {
    const date = [unadjusted[k], adjusted[k]].find((day) => day !== undefined && beyondCoverage(calendar, day));
    if (date === undefined) continue;
    throw new InputError(
      'businessDay.calendar',
      `${coverageText(calendar)}; ${date} (installment ${k + 1}) is outside it, where only weekends would count as days off. Update the holiday data (docs/servicing.md), or set businessDay.beyondCalendar to "weekends_only" to accept that`,
    );
  }
}

function parseBusinessDay(value: unknown): BusinessDayRule | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    throw new InputError(
      'businessDay',
      `must be an object like {"convention":"following","calendar":"CN"}, got ${quote(value)}`,
    );
  }
  return {
    convention: oneOf(value.convention ?? 'following', businessDayConventions, 'businessDay.convention'),
    calendar: oneOf(value.calendar, holidayCalendarIds, 'businessDay.calendar'),
  };
}

/** Parses the contract's LoanTerms JSON. Throws InputError naming the first bad field. */
export function parseLoanTerms(input: unknown): LoanTerms {
  if (!isObject(input)) throw new InputError('terms', `must be a JSON object, got ${quote(input)}`);
  for (const key of Object.keys(input)) {
    if (!knownFields.has(key)) throw new InputError(key, 'is not a LoanTerms field');
  }
  const currency = input.currency === undefined ? 'CNY' : String(input.currency);
  if (typeof input.currency !== 'undefined' && typeof input.currency !== 'string') {
    throw new InputError('currency', `must be an ISO 4217 code like "CNY", got ${quote(input.currency)}`);
  }
  minorDigits(currency);
  if (input.principal === undefined) throw new InputError('principal', 'is required');
  const principal = parseMoney(input.principal, currency, { field: 'principal', allowZero: false });
  if (principal.amountMinor > 10n ** 15n)
    throw new InputError('principal', `is larger than this system allows, got ${quote(input.principal)}`);
  if (input.annualRate === undefined) throw new InputError('annualRate', 'is required');
  const annualRate = parseRate(input.annualRate, { field: 'annualRate' });
  if (input.termCount === undefined) throw new InputError('termCount', 'is required');
  const termCount = wholeNumber(input.termCount, 'termCount', { min: 1, max: maxTermCount });
  if (input.startDate === undefined) throw new InputError('startDate', 'is required');
  const startDate = parseIsoDate(input.startDate, 'startDate');
  const firstDueDate = input.firstDueDate === undefined ? undefined : parseIsoDate(input.firstDueDate, 'firstDueDate');
  if (firstDueDate !== undefined && toEpochDay(firstDueDate) <= toEpochDay(startDate)) {
    throw new InputError('firstDueDate', `must be after startDate ${startDate}, got ${quote(firstDueDate)}`);
  }
  const principalGraceTerms =
    input.principalGraceTerms === undefined
      ? 0
      : wholeNumber(input.principalGraceTerms, 'principalGraceTerms', { min: 0, max: maxTermCount });
  if (principalGraceTerms >= termCount) {
    throw new InputError('principalGraceTerms', `must be less than termCount ${termCount}, got ${principalGraceTerms}`);
  }
  const fees = parseFees(input.fees, currency);
  const upfrontMinor = fees.reduce((sum, fee) => (fee.kind === 'upfront' ? sum + fee.amountMinor : sum), 0n);
  if (upfrontMinor >= principal.amountMinor) {
    throw new InputError('fees', 'upfront fees must be less than the principal');
  }
  const terms: LoanTerms = {
    principalMinor: principal.amountMinor,
    currency,
    annualRate,
    termCount,
    frequency: parseFrequency(input.frequency),
    startDate,
    firstDueDate,
    method: oneOf(input.method ?? 'equal_installment', methods, 'method'),
    interestType: oneOf(input.interestType ?? 'declining', interestTypes, 'interestType'),
    interestBasis: oneOf(input.interestBasis ?? 'periodic', interestBases, 'interestBasis'),
    daysInYear: parseDaysInYear(input.daysInYear),
    principalGraceTerms,
    rounding: parseRounding(input.rounding, currency),
    fees,
    businessDay: parseBusinessDay(input.businessDay),
  };
  if (parseBeyondCalendar(input.businessDay) === 'refuse') checkCalendarCoverage(terms);
  return terms;
}

export const zeroRate = ratio(0n, 1n);
