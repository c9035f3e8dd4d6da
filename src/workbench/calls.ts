// A collector's calls on a case: call outcomes and what each one sets off, callbacks, notes, and whether a
// call may be made now (escalation is escalation.ts's). Pure: every function takes the borrower's
// contact state (and the policy pack) and returns the new state plus the side effects as data, which the
// shell (src/app/workbench.ts) writes.
//
// Invariants:
// - every call outcome becomes one voice ContactRecord (number + outcome) in the borrower's contact
//   history, through the same transition the simulator uses (applyContactEvent), so the gate counts it;
// - `wrong_number` and `third_party` block the number (never dialled or texted again) and can carry no
//   promise or callback: a third party is never told about the debt, nor asked to pay it;
// - `dispute` pauses collection contact (when the policy says so) and opens a review;
// - a callback is at a local time inside the policy's contact window, on a contact day, in the
//   borrower's zone, in the future and at most `callbackDaysMax` days ahead — refused with a reason otherwise.
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
  zonedEpochMs,
  type IsoDate,
} from '../calendar/index.ts';
import {
  contactView,
  evaluateContact,
  quietHoursText,
  callOutcomes,
  type BorrowerContactState,
  type CallOutcome,
  type ContactIntent,
  type ContactRecord,
  type GateDecision,
  type LoanContactView,
  type PolicyPack,
} from '../contact/index.ts';
import { applyContactEvent } from '../contact/events.ts';
import { InputError, quote } from '../errors/index.ts';

export { callOutcomes };

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
