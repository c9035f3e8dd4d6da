// What happens to a borrower's contact state when something happens to the borrower: a hold, a promise to
// pay, a reply (STOP, 退订 …), an opt-out, a call's outcome, a hardship request, a complaint, new contact
// addresses, a payment (it counts toward open promises). One pure function, `applyContactEvent`, used by
// the simulator and by the production pipeline (src/app/contacts.ts), so an event means the same thing
// in a simulation and in the database. Also what the planner needs to know about the state alone
// (`contactPlanThrough`: until which local date a hold, promise or hardship gives it something to do).
// Invariants: every transition goes through the pure functions of borrower.ts; the result says which
// channel an event opted out of and which pending call it completed, so the caller can record it.
import { addDays, localDate, msPerDay, type IsoDate } from '../calendar/index.ts';
import { InputError, quote } from '../errors/index.ts';
import {
  addHold,
  addPause,
  addPromise,
  applyReply,
  creditPromises,
  liftPauses,
  optOut,
  recordCallOutcome,
  type BorrowerContactState,
} from './borrower.ts';
import type { CallOutcome, ContactChannel, ContactRecord } from './model.ts';
import type { PolicyPack } from './policy/index.ts';
import { promiseStageDaysAfter } from './strategy/index.ts';

/** A hold longer than a year is a mistake, not a hold. */
export const holdDaysMax = 366;
/** The plan-through date of an open-ended state (a hardship plan until someone closes it). */
export const openEndedDate: IsoDate = '9999-12-31';

const unansweredOutcomes: ReadonlySet<CallOutcome> = new Set(['no_answer', 'busy']);
/** Outcomes that mean the number must not be dialled or texted again. */
const blockingOutcomes: ReadonlySet<CallOutcome> = new Set(['wrong_number', 'third_party']);

/** Something that happened to a borrower (the borrower is the state's). */
export type ContactStateEvent =
  | { type: 'hold'; days: number; reason: string }
  | {
      type: 'promise_to_pay';
      /** Unique per borrower; the same id again replaces the promise. */
      promiseId: string;
      loanId: string;
      amountMinor: bigint;
      /** The promised date, the borrower's local date. */
      date: IsoDate;
      /** Who took it (an agent id, "borrower", "scenario"); default "borrower". */
      takenBy?: string;
      /** The borrower asked to be reminded before the date; without it no reminder goes while the promise is open. */
      remindMe?: boolean;
    }
  | { type: 'reply'; channel: ContactChannel; text: string }
  | { type: 'opt_out'; channel: ContactChannel }
  | {
      type: 'call_outcome';
      outcome: CallOutcome;
      /** The number dialled; default the borrower's voice address. */
      number?: string;
      /** The loans the call was about (a manual call's record names them). */
      loanIds: string[];
      /**
       * Whether the outcome named `loanIds` (default true). False: they are only the caller's default (all
       * the borrower's loans), and a call task the outcome completes keeps its own loans.
       */
      loansNamed?: boolean;
    }
  /** The borrower asks for help: only hardship steps and acknowledgements go until it is closed. */
  | { type: 'hardship_request'; reason: string }
  /** The request was decided (a plan granted or refused) or closed by staff: ordinary contact resumes. */
  | { type: 'hardship_closed'; reason: string }
  /** A complaint about contact or a dispute: pauses collection contact when the policy says so. */
  | { type: 'complaint'; reason: string }
  /** Someone reviewed it: lifts the open pauses with this reason. */
  | { type: 'pause_lifted'; reason: string }
  | { type: 'contact_update'; contacts: Partial<Record<ContactChannel, string | null>> }
  /** Money posted on a loan: counts toward its open promises. */
  | { type: 'payment'; loanId: string; amountMinor: bigint };

export type ContactStateEventType = ContactStateEvent['type'];

export interface ContactEventOutcome {
  state: BorrowerContactState;
  /** The channel the event opted the borrower out of (an opt-out, or a reply with an opt-out keyword). */
  optedOut: ContactChannel | null;
  /** For a call outcome: the pending call it completed (null: an attempt of its own) and whether it went unanswered. */
  call: { completed: ContactRecord | null; unanswered: boolean } | null;
}

/** Adds an address the borrower must never be contacted at (a wrong number, a third party's, a dead mailbox). */
export function blockAddress(state: BorrowerContactState, address: string): BorrowerContactState {
  if (state.blockedAddresses.includes(address)) return state;
  return { ...state, blockedAddresses: [...state.blockedAddresses, address].sort() };
}

/**
 * New addresses per channel (null removes one). An address taken off a channel — removed, or replaced by
 * another — is no longer the borrower's: it is blocked, so it is used on no channel (the same number is
 * often both the SMS and the voice address). An address the update gives explicitly is the borrower's
 * again and is unblocked. A plain opt-out is not an update: it stops one channel only.
 */
export function updateAddresses(
  state: BorrowerContactState,
  contacts: Partial<Record<ContactChannel, string | null>>,
): BorrowerContactState {
  const addresses = { ...state.addresses };
  const given = new Set<string>();
  const removed = new Set<string>();
  for (const [channel, address] of Object.entries(contacts) as [ContactChannel, string | null][]) {
    const old = addresses[channel];
    if (old !== undefined && old !== address) removed.add(old);
    if (address === null) delete addresses[channel];
    else {
      addresses[channel] = address;
      given.add(address);
    }
  }
  let next: BorrowerContactState = { ...state, addresses };
  if (given.size > 0 && state.blockedAddresses.some((address) => given.has(address))) {
    next = { ...next, blockedAddresses: state.blockedAddresses.filter((address) => !given.has(address)) };
  }
  for (const address of removed) if (!given.has(address)) next = blockAddress(next, address);
  return next;
}

/** Applies one event at `atMs`. Pure; throws InputError (naming the event's field) for an impossible event. */
export function applyContactEvent(
  state: BorrowerContactState,
  event: ContactStateEvent,
  context: { atMs: number; policy: PolicyPack },
): ContactEventOutcome {
  const { atMs, policy } = context;
  const unchanged = (next: BorrowerContactState): ContactEventOutcome => ({ state: next, optedOut: null, call: null });
  switch (event.type) {
    case 'hold': {
      if (!Number.isInteger(event.days) || event.days < 1 || event.days > holdDaysMax) {
        throw new InputError('days', `must be a whole number of days 1–${holdDaysMax}, got ${quote(event.days)}`);
      }
      return unchanged(addHold(state, { fromMs: atMs, untilMs: atMs + event.days * msPerDay, reason: event.reason }));
    }
    case 'promise_to_pay':
      if (event.amountMinor <= 0n)
        throw new InputError('amount', `must be positive, got ${event.amountMinor} minor units`);
      return unchanged(
        addPromise(state, {
          promiseId: event.promiseId,
          loanId: event.loanId,
          date: event.date,
          amountMinor: event.amountMinor,
          madeAtMs: atMs,
          paidMinor: 0n,
          status: 'open',
          takenBy: event.takenBy ?? 'borrower',
          ...(event.remindMe === true ? { remindMe: true } : {}),
        }),
      );
    case 'reply': {
      const replied = applyReply(state, { channel: event.channel, text: event.text }, policy);
      return { state: replied.state, optedOut: replied.optedOut ? event.channel : null, call: null };
    }
    case 'opt_out':
      return { state: optOut(state, event.channel), optedOut: event.channel, call: null };
    case 'call_outcome': {
      const number = event.number ?? state.addresses.voice ?? 'unknown';
      const result = recordCallOutcome(state, {
        atMs,
        number,
        outcome: event.outcome,
        loanIds: event.loanIds,
        ...(event.loansNamed === undefined ? {} : { loansNamed: event.loansNamed }),
      });
      let next = result.state;
      if (blockingOutcomes.has(event.outcome)) next = blockAddress(next, number);
      if (event.outcome === 'dispute' && policy.pauseOnComplaint) {
        next = addPause(next, { fromMs: atMs, untilMs: null, reason: 'dispute' });
      }
      return {
        state: next,
        optedOut: null,
        call: { completed: result.completed, unanswered: unansweredOutcomes.has(event.outcome) },
      };
    }
    case 'hardship_request':
      return unchanged({
        ...state,
        hardshipSince: state.hardshipSince ?? localDate(state.timezone, atMs),
        // A second request while one is open changes nothing: the first still awaits its decision.
        hardshipRequest: state.hardshipRequest ?? { atMs, reason: event.reason },
      });
    case 'hardship_closed':
      if (state.hardshipSince === null && !state.hardshipRequest) return unchanged(state);
      return unchanged({ ...state, hardshipSince: null, hardshipRequest: null });
    case 'complaint':
      if (!policy.pauseOnComplaint) return unchanged(state);
      return unchanged(addPause(state, { fromMs: atMs, untilMs: null, reason: event.reason }));
    case 'pause_lifted':
      return unchanged(liftPauses(state, event.reason, atMs));
    case 'contact_update':
      return unchanged(updateAddresses(state, event.contacts));
    case 'payment':
      if (event.amountMinor <= 0n)
        throw new InputError('amount', `must be positive, got ${event.amountMinor} minor units`);
      return unchanged(creditPromises(state, event.loanId, event.amountMinor));
  }
}

/**
 * The last local date on which the state alone gives the planner something to do: an active or future
 * hold (its last day), a promise to pay not yet judged or judged unkept (through the day after its date,
 * when the broken-promise notice goes), a hardship request (open-ended). Null when there is none, so the
 * planner can find these borrowers without reading every state.
 */
export function contactPlanThrough(state: BorrowerContactState): IsoDate | null {
  let through: IsoDate | null = null;
  const later = (date: IsoDate): void => {
    if (through === null || date > through) through = date;
  };
  for (const hold of state.holds) later(localDate(state.timezone, hold.untilMs - 1));
  for (const promise of state.promises) {
    if (promise.status !== 'kept') later(addDays(promise.date, promiseStageDaysAfter));
  }
  if (state.hardshipSince !== null) later(openEndedDate);
  return through;
}
