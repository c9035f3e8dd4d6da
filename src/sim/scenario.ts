// The Scenario document of `kuan simulate` (CONTRACTS.md "Scenario"), parsed and validated once at the
// edge into exact values. Every error is an InputError whose field is a path into the document
// (`loans[0].terms.principal`, `events[3].type`), so a user can find the mistake. Invariants of the
// result: borrower and loan ids are unique; every loan's borrower exists; every event's loan or borrower
// exists; every event's local day (in its borrower's time zone) is known and not before `start`.
// Contact-engine events (hold, promise_to_pay, reply, opt_out, call_outcome, hardship_request,
// contact_update) are parsed into typed values too; the policy is resolved to a pack here.
import { Temporal } from 'temporal-polyfill';
import { addDays, parseIsoDate, toEpochDay, type IsoDate } from '../calendar/index.ts';
import {
  callOutcomes,
  type CallOutcome,
  type ContactChannel,
  parseChannel,
  parsePolicy,
  type PolicyPack,
  resolveStrategy,
  type Strategy,
} from '../contact/index.ts';
import { InputError, quote } from '../errors/index.ts';
import {
  defaultHardshipPolicy,
  overdueReasonCategories,
  parsePlanRequest,
  type OverdueReasonCategory,
} from '../hardship/index.ts';
import { parseMoney } from '../money/index.ts';
import { parseLoanTerms, type LoanTerms } from '../schedule/index.ts';
import {
  paymentModes,
  parseServicingRules,
  type PaymentMode,
  type PlanTerms,
  type ServicingRules,
} from '../servicing/index.ts';

/** A scenario longer than ten years is a mistake, not a simulation. */
export const scenarioDaysMax = 3660;
export const scenarioBorrowersMax = 10_000;
export const scenarioLoansMax = 10_000;
export const scenarioEventsMax = 200_000;

/** Event types the ledger half acts on. */
export const ledgerEventTypes = ['payment', 'auto_debit_funds'] as const;
/** Event types the contact engine acts on. */
export const contactEventTypes = [
  'hold',
  'promise_to_pay',
  'reply',
  'opt_out',
  'call_outcome',
  'hardship_request',
  'contact_update',
  'complaint',
  'complaint_reviewed',
] as const;
/** Event types the hardship engine acts on. */
export const hardshipEventTypes = ['plan'] as const;
export const scenarioEventTypes = [...ledgerEventTypes, ...contactEventTypes, ...hardshipEventTypes] as const;
export type ScenarioEventType = (typeof scenarioEventTypes)[number];

export interface ScenarioBorrower {
  id: string;
  timezone: string;
  locale: string | undefined;
  name: string | undefined;
  /** Addresses per channel (phone, e-mail, device token, postal address, phone for calls). */
  contacts: Partial<Record<ContactChannel, string>>;
}

export interface ScenarioLoan {
  id: string;
  borrowerId: string;
  terms: LoanTerms;
  rules: ServicingRules;
  /** The account auto-debit presents to: the loan's `autoDebitAccount`, else the borrower id. */
  autoDebitAccount: string;
}

interface EventBase {
  /** Position in the document: the tie-break for events at the same instant, and the payment id. */
  index: number;
  /** The `at` string exactly as written (echoed in output lines). */
  at: string;
  epochNanoseconds: bigint;
  /** The event's local date in its borrower's time zone. */
  day: IsoDate;
}

/** The contact engine's events; `borrowerId` is always set (from the loan when the event names one). */
export type ContactEvent =
  | { type: 'hold'; borrowerId: string; days: number; reason: string }
  | {
      type: 'promise_to_pay';
      borrowerId: string;
      loanId: string;
      amountMinor: bigint;
      date: IsoDate;
      /** The borrower asked to be reminded before the date (optional `remindMe: true`). */
      remindMe: boolean;
    }
  | { type: 'reply'; borrowerId: string; channel: ContactChannel; text: string }
  | { type: 'opt_out'; borrowerId: string; channel: ContactChannel }
  | {
      type: 'call_outcome';
      borrowerId: string;
      loanId: string | undefined;
      outcome: CallOutcome;
      number: string | undefined;
    }
  | { type: 'hardship_request'; borrowerId: string; loanId: string | undefined; reason: string }
  | { type: 'contact_update'; borrowerId: string; contacts: Partial<Record<ContactChannel, string | null>> }
  /** A complaint about contact or a dispute: pauses collection contact (policy `pauseOnComplaint`) until reviewed. */
  | { type: 'complaint'; borrowerId: string; category: string }
  | { type: 'complaint_reviewed'; borrowerId: string; category: string };

export type ScenarioEvent = EventBase &
  (
    | { type: 'payment'; loanId: string; amountMinor: bigint; mode: PaymentMode }
    | { type: 'auto_debit_funds'; account: string; amountMinor: bigint }
    /** A hardship plan requested and, when the role's limits allow, approved at once (docs/hardship.md). */
    | {
        type: 'plan';
        loanId: string;
        terms: PlanTerms;
        approverRole: string;
        /** The overdue reason on file (policies may require one). */
        reason: OverdueReasonCategory | null;
      }
    | ContactEvent
  );

/** A pack name or an object of overrides on the default. */
export type PolicyChoice = string | Record<string, unknown> | undefined;

export interface Scenario {
  start: IsoDate;
  days: number;
  policy: PolicyPack;
  strategy: Strategy;
  borrowers: ScenarioBorrower[];
  loans: ScenarioLoan[];
  /** Sorted by instant; events at the same instant keep their document order. */
  events: ScenarioEvent[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function objectAt(value: unknown, field: string): Json {
  if (!isObject(value)) throw new InputError(field, `must be a JSON object, got ${quote(value)}`);
  return value;
}

function listAt(value: unknown, field: string, max: number, required: boolean): unknown[] {
  if (value === undefined && !required) return [];
  if (!Array.isArray(value)) throw new InputError(field, `must be a list, got ${quote(value)}`);
  if (value.length > max) throw new InputError(field, `allows at most ${max} entries, got ${value.length}`);
  return value;
}

function idAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new InputError(field, `must be a non-empty string id, got ${quote(value)}`);
  }
  return value;
}

function policyAt(value: unknown, field: string): PolicyChoice {
  if (value === undefined || typeof value === 'string' || isObject(value)) return value;
  throw new InputError(field, `must be a pack name or an object of overrides, got ${quote(value)}`);
}

/** Checks an IANA zone name by using it; the polyfill throws a RangeError for unknown zones. */
function timeZoneAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new InputError(field, `must be an IANA time zone like "Asia/Shanghai", got ${quote(value)}`);
  }
  try {
    Temporal.Instant.fromEpochMilliseconds(0).toZonedDateTimeISO(value);
  } catch {
    throw new InputError(field, `is not a known IANA time zone, got ${quote(value)}`);
  }
  return value;
}

/** Prefixes the field of an error from a parser that names fields relative to its own document. */
function within<T>(prefix: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const field = error.field === 'terms' ? prefix : `${prefix}.${error.field}`;
    throw new InputError(field, error.reason);
  }
}

function parseBorrower(value: unknown, index: number): ScenarioBorrower {
  const field = `borrowers[${index}]`;
  const json = objectAt(value, field);
  const locale = json.locale;
  if (locale !== undefined && typeof locale !== 'string') {
    throw new InputError(`${field}.locale`, `must be a string like "zh-CN", got ${quote(locale)}`);
  }
  const name = json.name;
  if (name !== undefined && (typeof name !== 'string' || name.length > 200)) {
    throw new InputError(`${field}.name`, `must be a string of at most 200 characters, got ${quote(name)}`);
  }
  const contacts: Partial<Record<ContactChannel, string>> = {};
  if (json.contacts !== undefined) {
    for (const [channel, address] of Object.entries(objectAt(json.contacts, `${field}.contacts`))) {
      const channelName = parseChannel(channel, `${field}.contacts.${channel}`);
      contacts[channelName] = addressAt(address, `${field}.contacts.${channel}`);
    }
  }
  return {
    id: idAt(json.id, `${field}.id`),
    timezone: timeZoneAt(json.timezone, `${field}.timezone`),
    locale,
    name,
    contacts,
  };
}

function addressAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
    throw new InputError(field, `must be a non-empty address of at most 500 characters, got ${quote(value)}`);
  }
  return value;
}

function textAt(value: unknown, field: string, fallback?: string): string {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'string' || value.length > 2000) {
    throw new InputError(field, `must be a string of at most 2000 characters, got ${quote(value)}`);
  }
  return value;
}

/** The typed contact event; `borrower` is the event's borrower, `loan` its loan when it names one. */
function parseContactEvent(
  type: (typeof contactEventTypes)[number],
  json: Json,
  field: string,
  context: { borrower: ScenarioBorrower; loan: ScenarioLoan | undefined },
): ContactEvent {
  const borrowerId = context.borrower.id;
  const loanId = context.loan?.id;
  switch (type) {
    case 'hold': {
      const days = json.days;
      if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > 365) {
        throw new InputError(`${field}.days`, `must be a whole number of days from 1 to 365, got ${quote(days)}`);
      }
      return { type, borrowerId, days, reason: textAt(json.reason, `${field}.reason`, 'unspecified') };
    }
    case 'promise_to_pay': {
      if (!context.loan) throw new InputError(`${field}.loanId`, 'is required for a promise to pay');
      const amount = parseMoney(json.amount, context.loan.terms.currency, { field: `${field}.amount` });
      if (amount.amountMinor <= 0n) throw new InputError(`${field}.amount`, 'must be more than zero');
      if (json.remindMe !== undefined && typeof json.remindMe !== 'boolean') {
        throw new InputError(`${field}.remindMe`, `must be true or false, got ${quote(json.remindMe)}`);
      }
      return {
        type,
        borrowerId,
        loanId: context.loan.id,
        amountMinor: amount.amountMinor,
        date: parseIsoDate(json.date, `${field}.date`),
        remindMe: json.remindMe === true,
      };
    }
    case 'reply':
      return {
        type,
        borrowerId,
        channel: parseChannel(json.channel, `${field}.channel`),
        text: textAt(json.text, `${field}.text`),
      };
    case 'opt_out':
      return { type, borrowerId, channel: parseChannel(json.channel, `${field}.channel`) };
    case 'call_outcome': {
      if (typeof json.outcome !== 'string' || !(callOutcomes as readonly string[]).includes(json.outcome)) {
        throw new InputError(
          `${field}.outcome`,
          `must be one of ${callOutcomes.join(', ')}, got ${quote(json.outcome)}`,
        );
      }
      const number = json.number === undefined ? undefined : addressAt(json.number, `${field}.number`);
      return { type, borrowerId, loanId, outcome: json.outcome as CallOutcome, number };
    }
    case 'hardship_request':
      return { type, borrowerId, loanId, reason: textAt(json.reason, `${field}.reason`, 'other') };
    case 'complaint':
    case 'complaint_reviewed':
      return { type, borrowerId, category: textAt(json.category, `${field}.category`, 'contact_conduct') };
    case 'contact_update': {
      const contacts: Partial<Record<ContactChannel, string | null>> = {};
      for (const [channel, address] of Object.entries(objectAt(json.contacts, `${field}.contacts`))) {
        const channelName = parseChannel(channel, `${field}.contacts.${channel}`);
        contacts[channelName] = address === null ? null : addressAt(address, `${field}.contacts.${channel}`);
      }
      return { type, borrowerId, contacts };
    }
  }
}

function parseLoan(value: unknown, index: number, borrowers: ReadonlyMap<string, ScenarioBorrower>): ScenarioLoan {
  const field = `loans[${index}]`;
  const json = objectAt(value, field);
  const id = idAt(json.id, `${field}.id`);
  const borrowerId = idAt(json.borrowerId, `${field}.borrowerId`);
  if (!borrowers.has(borrowerId))
    throw new InputError(`${field}.borrowerId`, `names no borrower, got ${quote(borrowerId)}`);
  if (json.terms === undefined) throw new InputError(`${field}.terms`, 'is required');
  const terms = within(`${field}.terms`, () => parseLoanTerms(json.terms));
  const rules = parseServicingRules(json.servicing, { field: `${field}.servicing` });
  const autoDebitAccount =
    json.autoDebitAccount === undefined ? borrowerId : idAt(json.autoDebitAccount, `${field}.autoDebitAccount`);
  return { id, borrowerId, terms, rules, autoDebitAccount };
}

interface Lookup {
  start: IsoDate;
  borrowers: ReadonlyMap<string, ScenarioBorrower>;
  loans: ReadonlyMap<string, ScenarioLoan>;
}

function parseInstant(value: unknown, field: string): Temporal.Instant {
  if (typeof value !== 'string') {
    throw new InputError(field, `must be an ISO-8601 instant with an offset, got ${quote(value)}`);
  }
  try {
    return Temporal.Instant.from(value);
  } catch {
    throw new InputError(field, `must be an ISO-8601 instant with an offset or Z, got ${quote(value)}`);
  }
}

function loanAt(json: Json, field: string, lookup: Lookup): ScenarioLoan {
  const loanId = idAt(json.loanId, `${field}.loanId`);
  const loan = lookup.loans.get(loanId);
  if (!loan) throw new InputError(`${field}.loanId`, `names no loan, got ${quote(loanId)}`);
  return loan;
}

function borrowerAt(json: Json, field: string, lookup: Lookup): ScenarioBorrower {
  const borrowerId = idAt(json.borrowerId, `${field}.borrowerId`);
  const borrower = lookup.borrowers.get(borrowerId);
  if (!borrower) throw new InputError(`${field}.borrowerId`, `names no borrower, got ${quote(borrowerId)}`);
  return borrower;
}

function parseEvent(value: unknown, index: number, lookup: Lookup): ScenarioEvent {
  const field = `events[${index}]`;
  const json = objectAt(value, field);
  const type = json.type;
  if (typeof type !== 'string' || !(scenarioEventTypes as readonly string[]).includes(type)) {
    throw new InputError(`${field}.type`, `must be one of ${scenarioEventTypes.join(', ')}, got ${quote(type)}`);
  }
  const instant = parseInstant(json.at, `${field}.at`);
  // The borrower whose clock dates the event: the loan's borrower when the event names a loan.
  let loan: ScenarioLoan | undefined;
  let borrower: ScenarioBorrower;
  if (type === 'payment' || (json.loanId !== undefined && json.borrowerId === undefined)) {
    loan = loanAt(json, field, lookup);
    borrower = lookup.borrowers.get(loan.borrowerId) as ScenarioBorrower;
  } else {
    borrower = borrowerAt(json, field, lookup);
    if (json.loanId !== undefined) {
      loan = loanAt(json, field, lookup);
      if (loan.borrowerId !== borrower.id) {
        throw new InputError(
          `${field}.loanId`,
          `belongs to borrower ${quote(loan.borrowerId)}, not ${quote(borrower.id)}`,
        );
      }
    }
  }
  const day = instant.toZonedDateTimeISO(borrower.timezone).toPlainDate().toString();
  if (toEpochDay(day) < toEpochDay(lookup.start)) {
    throw new InputError(
      `${field}.at`,
      `is on ${day} in ${borrower.timezone}, before the scenario start ${lookup.start}`,
    );
  }
  const base: EventBase = { index, at: json.at as string, epochNanoseconds: instant.epochNanoseconds, day };
  if (type === 'payment') {
    const paymentLoan = loan as ScenarioLoan;
    const amount = parseMoney(json.amount, paymentLoan.terms.currency, { field: `${field}.amount` });
    let mode: PaymentMode = 'regular';
    if (json.mode !== undefined) {
      if (typeof json.mode !== 'string' || !(paymentModes as readonly string[]).includes(json.mode)) {
        throw new InputError(`${field}.mode`, `must be one of ${paymentModes.join(', ')}, got ${quote(json.mode)}`);
      }
      mode = json.mode as PaymentMode;
    }
    return { ...base, type, loanId: paymentLoan.id, amountMinor: amount.amountMinor, mode };
  }
  if (type === 'auto_debit_funds') {
    // The balance is in the currency of the loan it funds, or of the borrower's first loan.
    const currency =
      loan?.terms.currency ??
      [...lookup.loans.values()].find((candidate) => candidate.borrowerId === borrower.id)?.terms.currency ??
      'CNY';
    const amountText = json.amount ?? json.balance;
    const amount = parseMoney(amountText, currency, { field: `${field}.amount` });
    let account: string;
    if (json.account !== undefined) account = idAt(json.account, `${field}.account`);
    else account = loan ? loan.autoDebitAccount : borrower.id;
    return { ...base, type, account, amountMinor: amount.amountMinor };
  }
  if (type === 'plan') {
    if (!loan) throw new InputError(`${field}.loanId`, 'is required for a plan');
    const terms = parsePlanRequest(
      json.plan,
      { currency: loan.terms.currency, policy: defaultHardshipPolicy },
      `${field}.plan`,
    );
    const role = json.approverRole ?? 'manager';
    const roles = defaultHardshipPolicy.approval.roles.map((candidate) => candidate.name);
    if (typeof role !== 'string' || !roles.includes(role)) {
      throw new InputError(`${field}.approverRole`, `must be one of ${roles.join(', ')}, got ${quote(role)}`);
    }
    let reason: OverdueReasonCategory | null = null;
    if (json.reason !== undefined) {
      if (typeof json.reason !== 'string' || !(overdueReasonCategories as readonly string[]).includes(json.reason)) {
        throw new InputError(
          `${field}.reason`,
          `must be one of ${overdueReasonCategories.join(', ')}, got ${quote(json.reason)}`,
        );
      }
      reason = json.reason as OverdueReasonCategory;
    }
    return { ...base, type, loanId: loan.id, terms, approverRole: role, reason };
  }
  return { ...base, ...parseContactEvent(type as (typeof contactEventTypes)[number], json, field, { borrower, loan }) };
}

/** Parses a Scenario JSON document; throws InputError naming the first bad field by its path. */
export function parseScenario(input: unknown): Scenario {
  const json = objectAt(input, 'scenario');
  if (json.start === undefined) throw new InputError('start', 'is required');
  const start = parseIsoDate(json.start, 'start');
  const days = json.days;
  if (typeof days !== 'number' || !Number.isInteger(days) || days < 1 || days > scenarioDaysMax) {
    throw new InputError('days', `must be a whole number from 1 to ${scenarioDaysMax}, got ${quote(days)}`);
  }
  const policy = parsePolicy(policyAt(json.policy, 'policy'), 'policy');
  const strategy = resolveStrategy(policyAt(json.strategy, 'strategy'), 'strategy');

  const borrowers = new Map<string, ScenarioBorrower>();
  listAt(json.borrowers, 'borrowers', scenarioBorrowersMax, true).forEach((value, index) => {
    const borrower = parseBorrower(value, index);
    if (borrowers.has(borrower.id)) {
      throw new InputError(`borrowers[${index}].id`, `repeats an earlier borrower id ${quote(borrower.id)}`);
    }
    borrowers.set(borrower.id, borrower);
  });
  const loans = new Map<string, ScenarioLoan>();
  listAt(json.loans, 'loans', scenarioLoansMax, true).forEach((value, index) => {
    const loan = parseLoan(value, index, borrowers);
    if (loans.has(loan.id)) throw new InputError(`loans[${index}].id`, `repeats an earlier loan id ${quote(loan.id)}`);
    loans.set(loan.id, loan);
  });
  const lookup: Lookup = { start, borrowers, loans };
  const events = listAt(json.events, 'events', scenarioEventsMax, false).map((value, index) =>
    parseEvent(value, index, lookup),
  );
  events.sort((a, b) =>
    a.epochNanoseconds === b.epochNanoseconds ? a.index - b.index : a.epochNanoseconds < b.epochNanoseconds ? -1 : 1,
  );
  return { start, days, policy, strategy, borrowers: [...borrowers.values()], loans: [...loans.values()], events };
}

/** The last simulated date. */
export function scenarioEnd(scenario: Pick<Scenario, 'start' | 'days'>): IsoDate {
  return addDays(scenario.start, scenario.days - 1);
}
