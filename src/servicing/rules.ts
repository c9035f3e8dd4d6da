// ServicingRules: a product's servicing rules (grace, penalty, allocation, charge-off, buckets,
// overpayment, prepayment, reminders, auto-debit), parsed once at the edge from JSON into exact values
// with every default filled in, and immutable after. Each rejection names its field (prefixed with where
// the rules sit, e.g. "loans[0].servicing.graceDays"). Invariants kept: buckets start at DPD 0 and rise
// strictly; charge-off comes after grace; retry days start at 0 (the due date) and rise strictly; every list
// has a bound.
import { InputError, quote } from '../errors/index.ts';
import { formatRatio, parseRate, ratio, type Ratio } from '../money/index.ts';

export const components = ['penalty', 'fee', 'interest', 'principal'] as const;
export type Component = (typeof components)[number];

export const penaltyBases = ['overdue_principal', 'overdue_principal_interest'] as const;
export type PenaltyBase = (typeof penaltyBases)[number];

/**
 * When penalty interest starts:
 * - `due_date`: accrues (and is booked) daily from the day after the due date; if the installment is
 *   settled inside grace, what accrued is waived.
 * - `retroactive`: nothing is charged during grace; once grace is exceeded, the penalty is charged back
 *   to the day after the due date.
 * - `grace_end`: accrues only from the day after grace ends.
 */
export const penaltyStarts = ['due_date', 'retroactive', 'grace_end'] as const;
export type PenaltyStart = (typeof penaltyStarts)[number];

export const allocationOrderings = ['installment_first', 'component_first'] as const;
export type AllocationOrdering = (typeof allocationOrderings)[number];

export const overpaymentModes = ['prepay_next', 'credit_balance'] as const;
export type OverpaymentMode = (typeof overpaymentModes)[number];

export const prepaymentModes = ['shorten_term', 'lower_installment'] as const;
export type PrepaymentMode = (typeof prepaymentModes)[number];

export type PenaltyDaysInYear = 360 | 365;

export interface Bucket {
  readonly name: string;
  readonly dpdAtLeast: number;
}

export interface ServicingRules {
  readonly graceDays: number;
  readonly penaltyAnnualRate: Ratio;
  /**
   * Penalty as a multiple of the contract rate (罚息 = 合同利率 × 1.5 is the common Chinese form); when
   * set, `penaltyAnnualRate` is zero and the daily close reads the contract's rate each day, so the
   * penalty follows any change of the contract rate from the day it applies (state.ts `penaltyRate`).
   * Absent means the absolute `penaltyAnnualRate` applies.
   */
  readonly penaltyRateMultiple?: Ratio;
  readonly penaltyBase: PenaltyBase;
  readonly penaltyStart: PenaltyStart;
  readonly penaltyDaysInYear: PenaltyDaysInYear;
  readonly allocation: { readonly order: readonly Component[]; readonly ordering: AllocationOrdering };
  readonly chargeOffDpd: number;
  /** First match from the top wins; the first bucket (DPD ≥ 0) is the clear state for loans not delinquent. */
  readonly buckets: readonly Bucket[];
  readonly overpayment: OverpaymentMode;
  readonly prepayment: PrepaymentMode;
  readonly dueSoonDays: number;
  readonly autoDebit: { readonly enabled: boolean; readonly retryDays: readonly number[] };
}

export const defaultBuckets: readonly Bucket[] = [
  { name: 'M0', dpdAtLeast: 0 },
  { name: 'M1', dpdAtLeast: 1 },
  { name: 'M2', dpdAtLeast: 31 },
  { name: 'M3', dpdAtLeast: 61 },
  { name: 'M4', dpdAtLeast: 91 },
  { name: 'M5', dpdAtLeast: 121 },
  { name: 'M6', dpdAtLeast: 151 },
  { name: 'M7+', dpdAtLeast: 181 },
];

/**
 * The defaults. Penalty days in year is 360: the People's Bank of China's convention for a daily rate
 * (日利率 = 年利率 / 360), which Chinese lenders quote penalty interest in.
 */
export const defaultServicingRules: ServicingRules = {
  graceDays: 0,
  penaltyAnnualRate: ratio(0n, 1n),
  penaltyBase: 'overdue_principal',
  penaltyStart: 'retroactive',
  penaltyDaysInYear: 360,
  allocation: { order: ['penalty', 'fee', 'interest', 'principal'], ordering: 'installment_first' },
  chargeOffDpd: 180,
  buckets: defaultBuckets,
  overpayment: 'prepay_next',
  prepayment: 'shorten_term',
  dueSoonDays: 3,
  autoDebit: { enabled: false, retryDays: [0, 1, 3, 7] },
};

const knownFields = new Set([
  'graceDays',
  'penaltyAnnualRate',
  'penaltyRateMultiple',
  'penaltyBase',
  'penaltyStart',
  'penaltyDaysInYear',
  'allocation',
  'chargeOffDpd',
  'buckets',
  'overpayment',
  'prepayment',
  'dueSoonDays',
  'autoDebit',
]);

const bucketsMax = 20;
/** A penalty multiple above this is surely a typo for a rate (1.5, not 150). */
const penaltyRateMultipleMax = ratio(10n, 1n);
const retryDaysMax = 10;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(field, `must be one of ${allowed.join(', ')}, got ${quote(value)}`);
}

function wholeNumber(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InputError(field, `must be a whole number, got ${quote(value)}`);
  }
  if (value < min || value > max) throw new InputError(field, `must be between ${min} and ${max}, got ${quote(value)}`);
  return value;
}

function parseAllocation(value: unknown, field: string): ServicingRules['allocation'] {
  const fallback = defaultServicingRules.allocation;
  if (value === undefined) return fallback;
  // A bare list is the component order with the default ordering.
  const shape = Array.isArray(value) ? { order: value } : value;
  if (!isObject(shape)) {
    throw new InputError(field, `must be a list of components or {"order":[…],"ordering":…}, got ${quote(value)}`);
  }
  for (const key of Object.keys(shape)) {
    if (key !== 'order' && key !== 'ordering') throw new InputError(`${field}.${key}`, 'is not an allocation field');
  }
  let order = fallback.order;
  if (shape.order !== undefined) {
    if (!Array.isArray(shape.order))
      throw new InputError(`${field}.order`, `must be a list, got ${quote(shape.order)}`);
    const list = shape.order.map((item: unknown, index) => oneOf(item, components, `${field}.order[${index}]`));
    if (list.length !== components.length || new Set(list).size !== components.length) {
      throw new InputError(
        `${field}.order`,
        `must name each of ${components.join(', ')} once, got ${quote(shape.order)}`,
      );
    }
    order = list;
  }
  const ordering =
    shape.ordering === undefined ? fallback.ordering : oneOf(shape.ordering, allocationOrderings, `${field}.ordering`);
  return { order, ordering };
}

function parseBuckets(value: unknown, field: string): readonly Bucket[] {
  if (value === undefined) return defaultBuckets;
  if (!Array.isArray(value) || value.length === 0) {
    throw new InputError(field, `must be a non-empty list of {"name","dpdAtLeast"}, got ${quote(value)}`);
  }
  if (value.length > bucketsMax)
    throw new InputError(field, `allows at most ${bucketsMax} buckets, got ${value.length}`);
  const names = new Set<string>();
  return value.map((item: unknown, index): Bucket => {
    const at = `${field}[${index}]`;
    if (!isObject(item))
      throw new InputError(at, `must be an object like {"name":"M1","dpdAtLeast":1}, got ${quote(item)}`);
    if (typeof item.name !== 'string' || item.name.trim() === '' || item.name.length > 40) {
      throw new InputError(`${at}.name`, `must be a short non-empty string, got ${quote(item.name)}`);
    }
    if (names.has(item.name)) throw new InputError(`${at}.name`, `repeats ${quote(item.name)}`);
    names.add(item.name);
    const dpdAtLeast = wholeNumber(item.dpdAtLeast, `${at}.dpdAtLeast`, 0, 36500);
    if (index === 0 && dpdAtLeast !== 0)
      throw new InputError(`${at}.dpdAtLeast`, `must be 0 for the first bucket, got ${dpdAtLeast}`);
    const previous = value[index - 1] as Json | undefined;
    if (previous !== undefined && dpdAtLeast <= (previous.dpdAtLeast as number)) {
      throw new InputError(
        `${at}.dpdAtLeast`,
        `must be above the previous bucket's ${String(previous.dpdAtLeast)}, got ${dpdAtLeast}`,
      );
    }
    return { name: item.name, dpdAtLeast };
  });
}

function parseAutoDebit(value: unknown, field: string, stored: boolean): ServicingRules['autoDebit'] {
  const fallback = defaultServicingRules.autoDebit;
  if (value === undefined) return fallback;
  // The scenario format writes `"autoDebit": false`; a boolean switches it with the default retries.
  if (typeof value === 'boolean') return { enabled: value, retryDays: fallback.retryDays };
  if (!isObject(value))
    throw new InputError(field, `must be true, false or {"enabled":…,"retryDays":[…]}, got ${quote(value)}`);
  for (const key of Object.keys(value)) {
    if (key !== 'enabled' && key !== 'retryDays') throw new InputError(`${field}.${key}`, 'is not an autoDebit field');
  }
  if (value.enabled !== undefined && typeof value.enabled !== 'boolean') {
    throw new InputError(`${field}.enabled`, `must be true or false, got ${quote(value.enabled)}`);
  }
  let retryDays = fallback.retryDays;
  if (value.retryDays !== undefined) {
    if (!Array.isArray(value.retryDays) || value.retryDays.length === 0) {
      throw new InputError(
        `${field}.retryDays`,
        `must be a non-empty list of days after the due date, got ${quote(value.retryDays)}`,
      );
    }
    if (value.retryDays.length > retryDaysMax) {
      throw new InputError(
        `${field}.retryDays`,
        `allows at most ${retryDaysMax} attempts, got ${value.retryDays.length}`,
      );
    }
    const list = value.retryDays.map((day: unknown, index) => wholeNumber(day, `${field}.retryDays[${index}]`, 0, 180));
    // A list without 0 would silently skip the due date itself (the close presents only on listed days).
    // Rules stored before this check keep the list they were accepted with: the loan's contract stands.
    if (list[0] !== 0 && !stored) {
      throw new InputError(`${field}.retryDays`, `must start with 0 (the due date), got [${list.join(',')}]`);
    }
    list.forEach((day, index) => {
      if (index > 0 && day <= (list[index - 1] as number)) {
        throw new InputError(
          `${field}.retryDays[${index}]`,
          `must be above the previous day ${list[index - 1]}, got ${day}`,
        );
      }
    });
    retryDays = list;
  }
  return { enabled: value.enabled ?? true, retryDays };
}

/**
 * Parses servicing rules JSON (every field optional). `field` prefixes error field names so a message
 * points into the document it came from ("loans[2].servicing.graceDays: must be …"). `stored` reads rules
 * the store accepted earlier: checks added since (retryDays starting at 0) do not refuse them.
 */
export function parseServicingRules(
  input: unknown,
  options: { field?: string; stored?: boolean } = {},
): ServicingRules {
  const prefix = options.field ?? 'servicing';
  const at = (name: string): string => (prefix === '' ? name : `${prefix}.${name}`);
  if (input === undefined || input === null) return defaultServicingRules;
  if (!isObject(input)) throw new InputError(prefix || 'servicing', `must be a JSON object, got ${quote(input)}`);
  for (const key of Object.keys(input)) {
    if (!knownFields.has(key)) throw new InputError(at(key), 'is not a servicing rules field');
  }
  const d = defaultServicingRules;
  const graceDays = input.graceDays === undefined ? d.graceDays : wholeNumber(input.graceDays, at('graceDays'), 0, 90);
  const chargeOffDpd =
    input.chargeOffDpd === undefined ? d.chargeOffDpd : wholeNumber(input.chargeOffDpd, at('chargeOffDpd'), 1, 3650);
  if (chargeOffDpd <= graceDays) {
    throw new InputError(at('chargeOffDpd'), `must be above graceDays ${graceDays}, got ${chargeOffDpd}`);
  }
  let penaltyDaysInYear: PenaltyDaysInYear = d.penaltyDaysInYear;
  if (input.penaltyDaysInYear !== undefined) {
    if (input.penaltyDaysInYear !== 360 && input.penaltyDaysInYear !== 365) {
      throw new InputError(at('penaltyDaysInYear'), `must be 360 or 365, got ${quote(input.penaltyDaysInYear)}`);
    }
    penaltyDaysInYear = input.penaltyDaysInYear;
  }
  let penaltyRateMultiple: Ratio | undefined;
  if (input.penaltyRateMultiple !== undefined) {
    if (input.penaltyAnnualRate !== undefined) {
      throw new InputError(
        at('penaltyRateMultiple'),
        'cannot be set together with penaltyAnnualRate: give the penalty either as a multiple of the contract rate or as an annual rate',
      );
    }
    penaltyRateMultiple = parseRate(input.penaltyRateMultiple, {
      field: at('penaltyRateMultiple'),
      max: penaltyRateMultipleMax,
    });
  }
  return {
    graceDays,
    penaltyAnnualRate:
      input.penaltyAnnualRate === undefined
        ? d.penaltyAnnualRate
        : parseRate(input.penaltyAnnualRate, { field: at('penaltyAnnualRate') }),
    ...(penaltyRateMultiple === undefined ? {} : { penaltyRateMultiple }),
    penaltyBase:
      input.penaltyBase === undefined ? d.penaltyBase : oneOf(input.penaltyBase, penaltyBases, at('penaltyBase')),
    penaltyStart:
      input.penaltyStart === undefined ? d.penaltyStart : oneOf(input.penaltyStart, penaltyStarts, at('penaltyStart')),
    penaltyDaysInYear,
    allocation: parseAllocation(input.allocation, at('allocation')),
    chargeOffDpd,
    buckets: parseBuckets(input.buckets, at('buckets')),
    overpayment:
      input.overpayment === undefined ? d.overpayment : oneOf(input.overpayment, overpaymentModes, at('overpayment')),
    prepayment:
      input.prepayment === undefined ? d.prepayment : oneOf(input.prepayment, prepaymentModes, at('prepayment')),
    dueSoonDays:
      input.dueSoonDays === undefined ? d.dueSoonDays : wholeNumber(input.dueSoonDays, at('dueSoonDays'), 0, 60),
    autoDebit: parseAutoDebit(input.autoDebit, at('autoDebit'), options.stored === true),
  };
}

/** The rules back as JSON that `parseServicingRules` reads into the same value (rates as decimal strings). */
export function servicingRulesToJson(rules: ServicingRules): Record<string, unknown> {
  return {
    graceDays: rules.graceDays,
    // One of the two, as they were given: the multiple leaves the absolute rate out (they exclude each other).
    ...(rules.penaltyRateMultiple === undefined
      ? { penaltyAnnualRate: ratioToDecimal(rules.penaltyAnnualRate) }
      : { penaltyRateMultiple: ratioToDecimal(rules.penaltyRateMultiple) }),
    penaltyBase: rules.penaltyBase,
    penaltyStart: rules.penaltyStart,
    penaltyDaysInYear: rules.penaltyDaysInYear,
    allocation: { order: [...rules.allocation.order], ordering: rules.allocation.ordering },
    chargeOffDpd: rules.chargeOffDpd,
    buckets: rules.buckets.map((bucket) => ({ name: bucket.name, dpdAtLeast: bucket.dpdAtLeast })),
    overpayment: rules.overpayment,
    prepayment: rules.prepayment,
    dueSoonDays: rules.dueSoonDays,
    autoDebit: { enabled: rules.autoDebit.enabled, retryDays: [...rules.autoDebit.retryDays] },
  };
}

/** A parsed rate has a power-of-ten denominator (at most 10 decimals), so this is exact. */
function ratioToDecimal(value: Ratio): string {
  for (let decimals = 0; decimals <= 10; decimals += 1) {
    if ((value.numerator * 10n ** BigInt(decimals)) % value.denominator === 0n) return formatRatio(value, decimals);
  }
  return formatRatio(value, 10);
}

/** The bucket of a loan: the first (clear) bucket unless delinquent, else the last whose DPD floor is reached. */
export function bucketFor(rules: ServicingRules, dpd: number, delinquent: boolean): string {
  const { buckets } = rules;
  const clear = (buckets[0] as Bucket).name;
  if (!delinquent) return clear;
  let name = clear;
  for (const bucket of buckets) {
    if (bucket.dpdAtLeast <= dpd) name = bucket.name;
    else break;
  }
  return name;
}
