// A collector's work on one case: call outcomes and what each one sets off, callbacks, notes, the
// escalation ladder and the lawyer's letter at its legal stage. Pure: every function takes the borrower's
// contact state (and the policy pack) and returns the new state plus the side effects as data, which the
// shell (src/jobs/cases.ts) writes.
//
// Invariants:
// - every call outcome becomes one voice ContactRecord (number + outcome) in the borrower's contact
//   history, through the same transition the simulator uses (applyContactEvent), so the gate counts it;
// - `wrong_number` and `third_party` block the number (never dialled or texted again) and can carry no
//   promise or callback: a third party is never told about the debt, nor asked to pay it;
// - `dispute` pauses collection contact (when the policy says so) and opens a review;
// - a callback is at a local time inside the policy's contact window, on a contact day, in the
//   borrower's zone, in the future and at most `callbackDaysMax` days ahead — refused with a reason otherwise;
// - an escalation goes to a later stage of the ladder only when the borrower's DPD and the notices sent
//   meet that stage's conditions, and never while contact is paused for a complaint or dispute, a
//   hardship request is open or a promise to pay has not yet come due; the lawyer's letter goes only to the borrower's own postal address.
import {
  addDays,
  daysBetween,
  dayOfWeek,
  formatClockTime,
  localDate,
  localParts,
  msPerDay,
  parseClockTime,
  parseIsoDate,
  toEpochDay,
  zonedDayEndMs,
  zonedEpochMs,
  type IsoDate,
} from '../calendar/index.ts';
import {
  contactView,
  evaluateContact,
  formatLoanList,
  quietHoursText,
  renderTemplate,
  resolveTemplateLocale,
  type BorrowerContactState,
  type CallOutcome,
  type ContactIntent,
  type ContactRecord,
  type GateDecision,
  type LoanContactView,
  type PolicyPack,
} from '../contact/index.ts';
import { applyContactEvent } from '../contact/events.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { formatMoneyForLocale } from '../money/index.ts';
import { isSettled, penaltyOutstanding, scheduledOutstanding, type LoanState } from '../servicing/index.ts';
import { formatLocalDate } from './notices.ts';

export const callOutcomes: readonly CallOutcome[] = [
  'connected',
  'no_answer',
  'busy',
  'wrong_number',
  'third_party',
  'refused',
  'dispute',
  'promise',
  'callback',
];

/** Outcomes where the person on the line was not the borrower: the number is blocked. */
export const notBorrowerOutcomes: readonly CallOutcome[] = ['wrong_number', 'third_party'];

export function parseCallOutcome(value: unknown, field = 'outcome'): CallOutcome {
  if (typeof value !== 'string' || !(callOutcomes as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${callOutcomes.join(', ')}, got ${quote(value)}`);
  }
  return value as CallOutcome;
}

/** Limits of the workbench. */
export const caseLimits = {
  noteLengthMax: 2_000,
  /** A callback further away than this is a new contact plan, not a callback. */
  callbackDaysMax: 14,
  /** A promise to pay further away than this is a plan, not a promise. */
  promiseDaysMax: 30,
  loansPerCallMax: 100,
} as const;

/** A note's text, trimmed; InputError when empty or longer than caseLimits.noteLengthMax. */
export function parseNote(text: unknown, field = 'note'): string {
  if (typeof text !== 'string' || text.trim().length === 0) {
    throw new InputError(field, `must be some text, got ${quote(text)}`);
  }
  const trimmed = text.trim();
  if (trimmed.length > caseLimits.noteLengthMax) {
    throw new InputError(field, `must be at most ${caseLimits.noteLengthMax} characters, got ${trimmed.length}`);
  }
  return trimmed;
}

// ---- callbacks --------------------------------------------------------------------------------------

/** A callback at the borrower's local date and time ("HH:MM"). */
export interface CallbackRequest {
  date: IsoDate;
  time: string;
}

export interface ScheduledCallback {
  dueAtMs: number;
  localDate: IsoDate;
  localTime: string;
  timezone: string;
}

export type CallbackRejectionCode =
  | 'callback_in_past'
  | 'callback_too_far'
  | 'callback_outside_window'
  | 'callback_no_contact_day'
  | 'callback_time_skipped';

export type CallbackCheck =
  { ok: true; callback: ScheduledCallback } | { ok: false; code: CallbackRejectionCode; reason: string };

/** Checks a requested callback against the policy's contact window in the borrower's zone. */
export function checkCallback(
  request: CallbackRequest,
  context: { timezone: string; policy: PolicyPack; nowMs: number; callbackDaysMax?: number },
): CallbackCheck {
  const { timezone, policy, nowMs } = context;
  const daysMax = context.callbackDaysMax ?? caseLimits.callbackDaysMax;
  const date = parseIsoDate(request.date, 'callback.date');
  const minute = parseClockTime(request.time, 'callback.time');
  const local = `${date} ${formatClockTime(minute)} ${timezone}`;
  if (minute < policy.windowStartMinute || minute >= policy.windowEndMinute) {
    return {
      ok: false,
      code: 'callback_outside_window',
      reason: `${local} is outside the contact window: quiet hours ${quietHoursText(policy)} in the borrower's zone`,
    };
  }
  if (policy.noContactDates.includes(date) || policy.noContactWeekdays.includes(dayOfWeek(date))) {
    return { ok: false, code: 'callback_no_contact_day', reason: `${date} is a no-contact day under ${policy.name}` };
  }
  const dueAtMs = zonedEpochMs(timezone, date, minute);
  const check = localParts(timezone, dueAtMs);
  if (check.date !== date || check.minuteOfDay !== minute) {
    return { ok: false, code: 'callback_time_skipped', reason: `${local} does not exist (a clock change skips it)` };
  }
  if (dueAtMs <= nowMs) {
    return { ok: false, code: 'callback_in_past', reason: `${local} has already passed` };
  }
  if (dueAtMs > nowMs + daysMax * msPerDay) {
    return { ok: false, code: 'callback_too_far', reason: `${local} is more than ${daysMax} days away` };
  }
  return { ok: true, callback: { dueAtMs, localDate: date, localTime: formatClockTime(minute), timezone } };
}

// ---- call outcomes ----------------------------------------------------------------------------------

export interface CallOutcomeInput {
  outcome: CallOutcome;
  atMs: number;
  /** Who made the call. */
  agentId: string;
  /** The number dialled. */
  number: string;
  /** The loans the call was about (the case's loans). */
  loanIds: string[];
  /** Required for `promise`, refused otherwise. */
  promise?: { promiseId: string; loanId: string; amountMinor: bigint; date: IsoDate };
  /** Required for `callback`, refused otherwise. */
  callback?: CallbackRequest;
  note?: string;
}

/** What a call outcome sets off besides the contact record, for the shell to write. */
export type CaseEffect =
  | { kind: 'promise'; promiseId: string; loanId: string; amountMinor: bigint; date: IsoDate }
  | ({ kind: 'callback' } & ScheduledCallback)
  | { kind: 'pause'; reason: string }
  | { kind: 'block_number'; number: string; reason: 'wrong_number' | 'third_party' }
  | { kind: 'review'; category: 'dispute'; pauseReason: string | null }
  | { kind: 'note'; text: string };

export type CallOutcomeResult =
  | {
      ok: true;
      state: BorrowerContactState;
      record: ContactRecord;
      /** The call completed a pending call (a strategy's call task to this number today) rather than adding one. */
      completedPending: boolean;
      effects: CaseEffect[];
    }
  | { ok: false; code: CallbackRejectionCode; reason: string };

/** The reason of the pause a disputed call sets (applyContactEvent's). */
export const disputePauseReason = 'dispute';

/**
 * Applies a call's outcome to the borrower's contact state. InputError for an impossible input (a promise
 * without its details, a promise from a third party); a rejected callback time is a result code.
 */
export function applyCallOutcome(
  state: BorrowerContactState,
  input: CallOutcomeInput,
  context: { policy: PolicyPack; callbackDaysMax?: number; promiseDaysMax?: number },
): CallOutcomeResult {
  const { policy } = context;
  const outcome = parseCallOutcome(input.outcome);
  if (typeof input.number !== 'string' || input.number.trim().length === 0) {
    throw new InputError('number', 'must name the number dialled');
  }
  if (input.loanIds.length === 0 || input.loanIds.length > caseLimits.loansPerCallMax) {
    throw new InputError('loanIds', `must name 1–${caseLimits.loansPerCallMax} loans the call was about`);
  }
  if (outcome !== 'promise' && input.promise !== undefined) {
    throw new InputError(
      'promise',
      notBorrowerOutcomes.includes(outcome)
        ? 'a promise to pay is taken from the borrower only, never from a third party'
        : `only a "promise" outcome takes a promise, got "${outcome}"`,
    );
  }
  if (outcome !== 'callback' && input.callback !== undefined) {
    throw new InputError(
      'callback',
      notBorrowerOutcomes.includes(outcome)
        ? 'a callback is arranged with the borrower only, never with a third party'
        : `only a "callback" outcome takes a callback time, got "${outcome}"`,
    );
  }
  const note = input.note === undefined ? undefined : parseNote(input.note);
  const effects: CaseEffect[] = [];

  let callback: ScheduledCallback | undefined;
  if (outcome === 'callback') {
    if (input.callback === undefined)
      throw new InputError('callback', 'a "callback" outcome needs the local date and time');
    const checked = checkCallback(input.callback, {
      timezone: state.timezone,
      policy,
      nowMs: input.atMs,
      callbackDaysMax: context.callbackDaysMax,
    });
    if (!checked.ok) return checked;
    callback = checked.callback;
  }
  if (outcome === 'promise') {
    const promise = input.promise;
    if (promise === undefined) throw new InputError('promise', 'a "promise" outcome needs the amount and the date');
    if (!input.loanIds.includes(promise.loanId)) {
      throw new InputError(
        'promise.loanId',
        `must be one of the loans the call was about (${input.loanIds.join(', ')})`,
      );
    }
    const today = localDate(state.timezone, input.atMs);
    const date = parseIsoDate(promise.date, 'promise.date');
    const daysMax = context.promiseDaysMax ?? caseLimits.promiseDaysMax;
    if (date < today || daysBetween(today, date) > daysMax) {
      throw new InputError('promise.date', `must be from ${today} to ${addDays(today, daysMax)}, got ${quote(date)}`);
    }
  }

  const called = applyContactEvent(
    state,
    { type: 'call_outcome', outcome, number: input.number, loanIds: [...input.loanIds].sort() },
    { atMs: input.atMs, policy },
  );
  let next = called.state;
  const record: ContactRecord = called.call?.completed ?? {
    atMs: input.atMs,
    channel: 'voice',
    localDate: localDate(state.timezone, input.atMs),
    loanIds: [...input.loanIds].sort(),
    call: { number: input.number, outcome },
  };

  if (notBorrowerOutcomes.includes(outcome)) {
    effects.push({ kind: 'block_number', number: input.number, reason: outcome as 'wrong_number' | 'third_party' });
  }
  if (outcome === 'dispute') {
    const paused = policy.pauseOnComplaint;
    if (paused) effects.push({ kind: 'pause', reason: disputePauseReason });
    effects.push({ kind: 'review', category: 'dispute', pauseReason: paused ? disputePauseReason : null });
  }
  if (outcome === 'promise' && input.promise) {
    const promise = input.promise;
    next = applyContactEvent(
      next,
      {
        type: 'promise_to_pay',
        promiseId: promise.promiseId,
        loanId: promise.loanId,
        amountMinor: promise.amountMinor,
        date: promise.date,
        takenBy: input.agentId,
      },
      { atMs: input.atMs, policy },
    ).state;
    effects.push({ kind: 'promise', ...promise });
  }
  if (callback) effects.push({ kind: 'callback', ...callback });
  if (note !== undefined) effects.push({ kind: 'note', text: note });
  return { ok: true, state: next, record, completedPending: called.call?.completed != null, effects };
}

/**
 * Whether a manual call may be made now: the compliance gate on a voice contact about these loans
 * (window, holds, pauses, opt-outs, blocked number, call limits), so the workbench can say why not.
 */
export function checkCallNow(input: {
  state: BorrowerContactState;
  loans: readonly LoanContactView[];
  loanIds: readonly string[];
  number: string;
  policy: PolicyPack;
  nowMs: number;
}): GateDecision {
  const { state, policy, nowMs } = input;
  const date = localDate(state.timezone, nowMs);
  const intent: ContactIntent = {
    intentId: `${state.borrowerId}:${date}:workbench_call:voice`,
    borrowerId: state.borrowerId,
    loanIds: [...input.loanIds].sort(),
    subjects: input.loanIds.map((loanId) => ({ loanId, installmentNumbers: [], amountMinor: 0n, currency: '' })),
    channel: 'voice',
    template: 'workbench_call',
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'workbench', version: 1, arm: 'champion', stepId: 'workbench_call' },
    date,
    plannedAtMs: nowMs,
    validUntilMs: nowMs,
    reasons: ['workbench call'],
  };
  return evaluateContact({ intent, view: contactView(state, input.loans), policy, nowMs, address: input.number });
}

// ---- escalation -------------------------------------------------------------------------------------

export interface EscalationStage {
  readonly name: string;
  /** The borrower's highest DPD must be at least this. */
  readonly dpdAtLeast: number;
  /** Templates that must have been sent to the borrower (any channel) before this stage … */
  readonly noticesRequired: readonly string[];
  /** … at least this many days before (time to respond). */
  readonly noticesSentDaysBeforeMin: number;
  /** This stage sends a lawyer's letter to the borrower's postal address. */
  readonly lawyerLetter: boolean;
}

/** The first stage is where every case starts; its conditions are not checked. */
export const defaultEscalationLadder: readonly EscalationStage[] = [
  { name: 'soft', dpdAtLeast: 1, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'hard', dpdAtLeast: 31, noticesRequired: ['overdue_30'], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'legal', dpdAtLeast: 90, noticesRequired: ['final_notice'], noticesSentDaysBeforeMin: 7, lawyerLetter: true },
];

const stagesMax = 10;

/** Validates a ladder given as JSON; InputError names the field. */
export function parseEscalationLadder(json: unknown, field = 'ladder'): EscalationStage[] {
  if (json === undefined || json === null) return [...defaultEscalationLadder];
  if (!Array.isArray(json) || json.length === 0 || json.length > stagesMax) {
    throw new InputError(field, `must be a list of 1–${stagesMax} stages, got ${quote(json)}`);
  }
  const names = new Set<string>();
  let previousDpd = -1;
  return json.map((item: unknown, index) => {
    const at = `${field}[${index}]`;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new InputError(at, `must be an object, got ${quote(item)}`);
    }
    const stage = item as Record<string, unknown>;
    for (const key of Object.keys(stage)) {
      if (!['name', 'dpdAtLeast', 'noticesRequired', 'noticesSentDaysBeforeMin', 'lawyerLetter'].includes(key)) {
        throw new InputError(`${at}.${key}`, 'is not a known setting');
      }
    }
    if (typeof stage.name !== 'string' || !/^[a-z][a-z0-9_]{0,31}$/.test(stage.name) || names.has(stage.name)) {
      throw new InputError(`${at}.name`, `must be a new lower snake case name, got ${quote(stage.name)}`);
    }
    names.add(stage.name);
    const dpd = stage.dpdAtLeast;
    if (typeof dpd !== 'number' || !Number.isInteger(dpd) || dpd < 0 || dpd > 3650 || dpd < previousDpd) {
      throw new InputError(
        `${at}.dpdAtLeast`,
        `must be a whole number 0–3650, not below the stage before, got ${quote(dpd)}`,
      );
    }
    previousDpd = dpd;
    const notices = stage.noticesRequired ?? [];
    if (
      !Array.isArray(notices) ||
      notices.length > 20 ||
      notices.some((n) => typeof n !== 'string' || !/^[a-z][a-z0-9_]*$/.test(n))
    ) {
      throw new InputError(`${at}.noticesRequired`, `must be a list of template ids, got ${quote(notices)}`);
    }
    const wait = stage.noticesSentDaysBeforeMin ?? 0;
    if (typeof wait !== 'number' || !Number.isInteger(wait) || wait < 0 || wait > 365) {
      throw new InputError(`${at}.noticesSentDaysBeforeMin`, `must be a whole number 0–365, got ${quote(wait)}`);
    }
    const letter = stage.lawyerLetter ?? false;
    if (typeof letter !== 'boolean')
      throw new InputError(`${at}.lawyerLetter`, `must be true or false, got ${quote(letter)}`);
    return {
      name: stage.name,
      dpdAtLeast: dpd,
      noticesRequired: notices as string[],
      noticesSentDaysBeforeMin: wait,
      lawyerLetter: letter,
    };
  });
}

/** What an escalation is judged on, gathered by the shell. */
export interface EscalationFacts {
  currentStage: string;
  /** The borrower's highest DPD today. */
  dpd: number;
  /** The borrower's local date today. */
  date: IsoDate;
  /** Messages sent to the borrower: template and the local date it was sent. */
  noticesSent: readonly { template: string; sentOn: IsoDate }[];
  state: BorrowerContactState;
  nowMs: number;
}

export type EscalationRejectionCode =
  | 'unknown_stage'
  | 'not_a_later_stage'
  | 'dpd_below_stage'
  | 'notices_missing'
  | 'contact_paused'
  | 'hardship_open'
  | 'promise_open';

export type EscalationCheck =
  | { ok: true; stage: EscalationStage; reasons: string[] }
  | { ok: false; code: EscalationRejectionCode; reason: string };

/** May the case move from its current stage to `toStage` now? Every condition met is in `reasons`. */
export function checkEscalation(
  ladder: readonly EscalationStage[],
  facts: EscalationFacts,
  toStage: string,
): EscalationCheck {
  const target = ladder.findIndex((stage) => stage.name === toStage);
  if (target < 0) {
    return {
      ok: false,
      code: 'unknown_stage',
      reason: `no stage "${toStage}" (${ladder.map((s) => s.name).join(' → ')})`,
    };
  }
  const current = ladder.findIndex((stage) => stage.name === facts.currentStage);
  if (target <= current) {
    return { ok: false, code: 'not_a_later_stage', reason: `the case is at "${facts.currentStage}" already` };
  }
  const stage = ladder[target] as EscalationStage;
  const pause = facts.state.pauses.find(
    (p) => p.fromMs <= facts.nowMs && (p.untilMs === null || facts.nowMs < p.untilMs),
  );
  if (pause) {
    return { ok: false, code: 'contact_paused', reason: `contact is paused (${pause.reason}) until it is reviewed` };
  }
  if (facts.state.hardshipSince !== null) {
    return {
      ok: false,
      code: 'hardship_open',
      reason: `a hardship request is open since ${facts.state.hardshipSince}`,
    };
  }
  const promise = facts.state.promises.find((p) => p.status === 'open' && p.date >= facts.date);
  if (promise) {
    return {
      ok: false,
      code: 'promise_open',
      reason: `the borrower promised to pay on ${promise.loanId} by ${promise.date}; wait until it is judged`,
    };
  }
  if (facts.dpd < stage.dpdAtLeast) {
    return {
      ok: false,
      code: 'dpd_below_stage',
      reason: `"${stage.name}" needs DPD ≥ ${stage.dpdAtLeast}, the borrower is at ${facts.dpd}`,
    };
  }
  const reasons = [`DPD ${facts.dpd} ≥ ${stage.dpdAtLeast}`];
  const latestSentOn = addDays(facts.date, -stage.noticesSentDaysBeforeMin);
  for (const template of stage.noticesRequired) {
    const sent = facts.noticesSent
      .filter((notice) => notice.template === template && notice.sentOn <= latestSentOn)
      .sort((a, b) => (a.sentOn < b.sentOn ? -1 : 1))[0];
    if (!sent) {
      const when = stage.noticesSentDaysBeforeMin > 0 ? ` at least ${stage.noticesSentDaysBeforeMin} days ago` : '';
      return { ok: false, code: 'notices_missing', reason: `"${stage.name}" needs notice ${template} sent${when}` };
    }
    reasons.push(`notice ${template} sent on ${sent.sentOn}`);
  }
  return { ok: true, stage, reasons };
}

/** Every later stage and whether the case may move there now (for the console). */
export function escalationOptions(
  ladder: readonly EscalationStage[],
  facts: EscalationFacts,
): { stage: string; allowed: boolean; reason: string }[] {
  const current = ladder.findIndex((stage) => stage.name === facts.currentStage);
  return ladder.slice(current + 1).map((stage) => {
    const check = checkEscalation(ladder, facts, stage.name);
    return { stage: stage.name, allowed: check.ok, reason: check.ok ? check.reasons.join('; ') : check.reason };
  });
}

// ---- the lawyer's letter ----------------------------------------------------------------------------

/** A loan as the letter states it. */
export interface LetterLoan {
  loanId: string;
  /** The oldest unpaid due date. */
  oldestDueDate: IsoDate;
  /** Days from it to the letter's date. */
  daysOverdue: number;
  /** Principal, interest and fee past due, plus penalty owed. */
  amountDueMinor: bigint;
  currency: string;
}

/** The letter's facts about a loan on `date`; null when nothing of it is past due. */
export function letterLoanOf(state: LoanState, date: IsoDate): LetterLoan | null {
  const day = toEpochDay(date);
  let oldest: IsoDate | null = null;
  let amountDueMinor = 0n;
  for (const row of state.installments) {
    if (row.dueEpochDay >= day) break;
    amountDueMinor += scheduledOutstanding(row) + penaltyOutstanding(row);
    if (oldest === null && !isSettled(row)) oldest = row.dueDate;
  }
  if (oldest === null) return null;
  return {
    loanId: state.loanId,
    oldestDueDate: oldest,
    daysOverdue: daysBetween(oldest, date),
    amountDueMinor,
    currency: state.currency,
  };
}

/** The highest DPD among the loans on `date` (0 when none is past due). */
export function highestDpd(loans: readonly LetterLoan[]): number {
  return loans.reduce((max, loan) => Math.max(max, loan.daysOverdue), 0);
}

export type LetterRejectionCode = 'no_borrower_address' | 'address_blocked' | 'nothing_past_due' | 'gate_refused';

export type LawyerLetterPlan =
  | { ok: true; intent: ContactIntent; address: string; decision: GateDecision }
  | { ok: false; code: LetterRejectionCode; reason: string };

/**
 * The lawyer's letter as a contact: to the borrower's own postal address (state.addresses.letter — the
 * only address it can have; never a third party's or a blocked one), about the loans past due, checked
 * by the compliance gate now (opt-out of letters, holds, pauses, the letter cap).
 */
export function planLawyerLetter(input: {
  state: BorrowerContactState;
  stage: string;
  loans: readonly LetterLoan[];
  loanViews: readonly LoanContactView[];
  policy: PolicyPack;
  nowMs: number;
}): LawyerLetterPlan {
  const { state, nowMs } = input;
  const address = state.addresses.letter?.trim();
  if (address === undefined || address.length === 0) {
    return {
      ok: false,
      code: 'no_borrower_address',
      reason: 'the borrower has no postal address of their own on file',
    };
  }
  if (state.blockedAddresses.includes(address) || state.blockedAddresses.includes(state.addresses.letter as string)) {
    return { ok: false, code: 'address_blocked', reason: 'the postal address on file is marked as not the borrower’s' };
  }
  if (input.loans.length === 0) return { ok: false, code: 'nothing_past_due', reason: 'no loan is past due' };
  const date = localDate(state.timezone, nowMs);
  const loans = [...input.loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
  const stepId = `escalation_${input.stage}`;
  const intent: ContactIntent = {
    intentId: `${state.borrowerId}:${date}:${stepId}:letter`,
    borrowerId: state.borrowerId,
    loanIds: loans.map((loan) => loan.loanId),
    subjects: loans.map((loan) => ({
      loanId: loan.loanId,
      installmentNumbers: [],
      amountMinor: loan.amountDueMinor,
      currency: loan.currency,
    })),
    channel: 'letter',
    template: 'lawyer_letter',
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'workbench', version: 1, arm: 'champion', stepId },
    date,
    plannedAtMs: nowMs,
    validUntilMs: zonedDayEndMs(state.timezone, date),
    reasons: [`escalation to ${input.stage}`],
  };
  const decision = evaluateContact({
    intent,
    view: contactView(state, input.loanViews),
    policy: input.policy,
    nowMs,
    address,
  });
  if (decision.verdict !== 'send') {
    return {
      ok: false,
      code: 'gate_refused',
      reason: `the compliance gate says ${decision.verdict}: ${decision.reasons.join('; ')}`,
    };
  }
  return { ok: true, intent, address, decision };
}

/** A letter ready for the PDF renderer (the shape of channels/letter's Letter). */
export interface LetterContent {
  locale: string;
  sender: { name: string; address: string };
  recipientAddress: string;
  dateText: string;
  subject: string;
  body: string;
  verificationCode: string;
  createdAtMs: number;
}

export interface Lender {
  name: string;
  /** Postal address printed as the sender. */
  address: string;
  portalUrl: string;
}

/** The lawyer's letter's text (template `lawyer_letter`, the long variant) addressed to the borrower. */
export function renderLawyerLetter(input: {
  borrowerName: string;
  locale: string;
  timezone: string;
  address: string;
  loans: readonly LetterLoan[];
  lender: Lender;
  verificationCode: string;
  nowMs: number;
}): LetterContent {
  invariant(input.loans.length > 0, 'a lawyer letter is about at least one loan');
  const locale = resolveTemplateLocale(input.locale);
  const loans = [...input.loans].sort((a, b) => (a.loanId < b.loanId ? -1 : 1));
  const totals = new Map<string, bigint>();
  for (const loan of loans) totals.set(loan.currency, (totals.get(loan.currency) ?? 0n) + loan.amountDueMinor);
  const amount = [...totals]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([currency, amountMinor]) =>
      formatMoneyForLocale({ amountMinor, currency }, locale === 'zh-CN' ? 'zh-CN' : 'en-US'),
    )
    .join(' + ');
  const oldest = loans.reduce(
    (min, loan) => (loan.oldestDueDate < min ? loan.oldestDueDate : min),
    loans[0]!.oldestDueDate,
  );
  const rendered = renderTemplate({
    templateId: 'lawyer_letter',
    channel: 'letter',
    locale,
    variables: {
      borrowerName: input.borrowerName,
      lenderName: input.lender.name,
      amount,
      loanList: formatLoanList({ locale, loanLabels: loans.map((loan) => loan.loanId) }),
      dueDate: formatLocalDate(oldest, locale),
      daysOverdue: highestDpd(loans),
      portalUrl: input.lender.portalUrl,
      verificationCode: input.verificationCode,
    },
  });
  return {
    locale,
    sender: { name: input.lender.name, address: input.lender.address },
    recipientAddress: `${input.borrowerName}\n${input.address}`,
    dateText: formatLocalDate(localDate(input.timezone, input.nowMs), locale),
    subject: rendered.subject ?? '',
    body: rendered.body,
    verificationCode: input.verificationCode,
    createdAtMs: input.nowMs,
  };
}
