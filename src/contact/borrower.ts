// A borrower's contact state: addresses, opt-outs, holds, pauses, promises to pay, hardship, and the recent
// contact history the gate counts against. Pure transitions over plain data, shared by the simulator and
// the store (which keeps this object as one JSON document per borrower), so a rule can never be read one
// way in a simulation and another in production. Invariants: opt-outs are unique; history is sorted by
// instant and keeps only the last `historyKeepDays` days; a promise is judged once, after its date.
import { localParts, msPerDay, type IsoDate } from '../calendar/index.ts';
import { InputError, quote } from '../errors/index.ts';
import { isSettled, type LoanState } from '../servicing/index.ts';
import {
  contactChannels,
  type BorrowerContactView,
  type CallOutcome,
  type ContactChannel,
  type ContactRecord,
  type HoldView,
  type LoanContactView,
  type PauseView,
} from './model.ts';
import { revocationOf, type PolicyPack } from './policy/index.ts';

/** The gate looks back 7 days at most; one more keeps local-day counting right across time zones. */
export const historyKeepDays = 8;
/** Bounds: a borrower's lists never grow without limit. */
const historyMax = 500;
const promisesMax = 50;
const spansMax = 50;

export type PromiseStatus = 'open' | 'kept' | 'partly_kept' | 'broken';

export interface PromiseToPay {
  promiseId: string;
  loanId: string;
  /** The promised date, the borrower's local date. */
  date: IsoDate;
  amountMinor: bigint;
  madeAtMs: number;
  /** Paid on the loan since the promise was made. */
  paidMinor: bigint;
  status: PromiseStatus;
  /** Who took it (an agent id, "borrower", "simulation"). */
  takenBy: string;
  /** The borrower asked to be reminded before the date (absent: no reminder while the promise is open). */
  remindMe?: boolean;
}

export interface BorrowerContactState {
  borrowerId: string;
  timezone: string;
  locale: string;
  addresses: Partial<Record<ContactChannel, string>>;
  optOuts: ContactChannel[];
  holds: HoldView[];
  pauses: PauseView[];
  promises: PromiseToPay[];
  /** A hardship request or plan is open since this local date (the planner's hardship stage). */
  hardshipSince: IsoDate | null;
  /**
   * The borrower's request for help, open until it is decided (a plan granted or refused, or closed by
   * staff): while open the gate lets only hardship steps and acknowledgements through. Absent in states
   * stored before it existed.
   */
  hardshipRequest?: { atMs: number; reason: string } | null;
  history: ContactRecord[];
  blockedAddresses: string[];
}

export function newBorrowerContactState(input: {
  borrowerId: string;
  timezone: string;
  locale: string;
  addresses: Partial<Record<ContactChannel, string>>;
}): BorrowerContactState {
  return {
    borrowerId: input.borrowerId,
    timezone: input.timezone,
    locale: input.locale,
    addresses: { ...input.addresses },
    optOuts: [],
    holds: [],
    pauses: [],
    promises: [],
    hardshipSince: null,
    hardshipRequest: null,
    history: [],
    blockedAddresses: [],
  };
}

export function parseChannel(value: unknown, field: string): ContactChannel {
  if (typeof value !== 'string' || !(contactChannels as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${contactChannels.join(', ')}, got ${quote(value)}`);
  }
  return value as ContactChannel;
}

export function optOut(state: BorrowerContactState, channel: ContactChannel): BorrowerContactState {
  if (state.optOuts.includes(channel)) return state;
  return { ...state, optOuts: [...state.optOuts, channel].sort() };
}

/**
 * A reply on a channel; a revocation word of the pack (STOP, 退订, "please stop texting me" …, see
 * `revocationOf`) opts the borrower out of that channel, and with ALL / 全部 out of every channel but
 * letters. A repeated revocation changes nothing (opt-outs are a set) and sends nothing.
 */
export function applyReply(
  state: BorrowerContactState,
  reply: { channel: ContactChannel; text: string },
  policy: PolicyPack,
): { state: BorrowerContactState; optedOut: boolean } {
  const revocation = revocationOf(policy, reply.text);
  if (revocation === null) return { state, optedOut: false };
  let next = optOut(state, reply.channel);
  if (revocation.all) for (const channel of contactChannels) if (channel !== 'letter') next = optOut(next, channel);
  return { state: next, optedOut: true };
}

export function addHold(state: BorrowerContactState, hold: HoldView): BorrowerContactState {
  if (hold.untilMs <= hold.fromMs) throw new InputError('days', 'a hold must last at least one day');
  const holds = [...state.holds, hold].filter((span) => span.untilMs > hold.fromMs - 30 * msPerDay).slice(-spansMax);
  return { ...state, holds };
}

export function addPause(state: BorrowerContactState, pause: PauseView): BorrowerContactState {
  return { ...state, pauses: [...state.pauses, pause].slice(-spansMax) };
}

/** Lifts every open pause with this reason at `atMs`. */
export function liftPauses(state: BorrowerContactState, reason: string, atMs: number): BorrowerContactState {
  return {
    ...state,
    pauses: state.pauses.map((pause) =>
      pause.reason === reason && (pause.untilMs === null || pause.untilMs > atMs) ? { ...pause, untilMs: atMs } : pause,
    ),
  };
}

export function addPromise(state: BorrowerContactState, promise: PromiseToPay): BorrowerContactState {
  const promises = [...state.promises.filter((p) => p.promiseId !== promise.promiseId), promise];
  return { ...state, promises: promises.slice(-promisesMax) };
}

/** Money posted on a loan counts toward its open promises. */
export function creditPromises(state: BorrowerContactState, loanId: string, amountMinor: bigint): BorrowerContactState {
  if (!state.promises.some((p) => p.status === 'open' && p.loanId === loanId)) return state;
  return {
    ...state,
    promises: state.promises.map((p) =>
      p.status === 'open' && p.loanId === loanId ? { ...p, paidMinor: p.paidMinor + amountMinor } : p,
    ),
  };
}

/**
 * Judges open promises whose date is before `date` (the borrower's local date): kept when the promised
 * amount was paid (or the loan no longer owes anything), partly kept when some was, broken otherwise.
 */
export function judgePromises(
  state: BorrowerContactState,
  date: IsoDate,
  settledLoanIds: ReadonlySet<string> = new Set(),
): { state: BorrowerContactState; judged: PromiseToPay[] } {
  const judged: PromiseToPay[] = [];
  const promises = state.promises.map((p) => {
    if (p.status !== 'open' || p.date >= date) return p;
    let status: PromiseStatus = 'broken';
    if (p.paidMinor >= p.amountMinor || settledLoanIds.has(p.loanId)) status = 'kept';
    else if (p.paidMinor > 0n) status = 'partly_kept';
    const done = { ...p, status };
    judged.push(done);
    return done;
  });
  return judged.length === 0 ? { state, judged } : { state: { ...state, promises }, judged };
}

/** Appends a contact that happened and forgets what the gate no longer looks at. */
export function recordContact(state: BorrowerContactState, record: ContactRecord): BorrowerContactState {
  const keepFromMs = record.atMs - historyKeepDays * msPerDay;
  const history = state.history.filter((old) => old.atMs >= keepFromMs);
  let index = history.length;
  while (index > 0 && (history[index - 1] as ContactRecord).atMs > record.atMs) index -= 1;
  history.splice(index, 0, record);
  return { ...state, history: history.slice(-historyMax) };
}

/**
 * A call's outcome. It completes the latest call task to the same number on the same local day that has
 * no outcome yet (the task was the attempt); otherwise it is an attempt of its own (an agent's manual call).
 * `loansNamed`: the outcome names its loans (default true). A completed task then counts as an attempt
 * about its own loans and the named ones, and as a conversation about the named ones only; an outcome
 * that names none is about the task's loans.
 */
export function recordCallOutcome(
  state: BorrowerContactState,
  call: { atMs: number; number: string; outcome: CallOutcome; loanIds: string[]; loansNamed?: boolean },
): { state: BorrowerContactState; completed: ContactRecord | null } {
  const date = localParts(state.timezone, call.atMs).date;
  const named = call.loansNamed !== false && call.loanIds.length > 0;
  for (let index = state.history.length - 1; index >= 0; index -= 1) {
    const record = state.history[index] as ContactRecord;
    if (record.channel !== 'voice' || record.localDate !== date || record.atMs > call.atMs) continue;
    if (record.call !== undefined && record.call.outcome !== 'pending') continue;
    const about = named ? [...new Set(call.loanIds)].sort() : null;
    const sameLoans = about !== null && about.join('\n') === record.loanIds.join('\n');
    const completed: ContactRecord =
      about === null || sameLoans
        ? { ...record, call: { number: call.number, outcome: call.outcome } }
        : {
            ...record,
            loanIds: [...new Set([...record.loanIds, ...about])].sort(),
            call: { number: call.number, outcome: call.outcome, about },
          };
    const history = [...state.history];
    history[index] = completed;
    return { state: { ...state, history }, completed };
  }
  const record: ContactRecord = {
    atMs: call.atMs,
    channel: 'voice',
    localDate: date,
    loanIds: call.loanIds,
    call: { number: call.number, outcome: call.outcome },
  };
  return { state: recordContact(state, record), completed: null };
}

/** The live state of a loan, as the gate reads it. */
export function loanContactView(loan: LoanState): LoanContactView {
  return {
    loanId: loan.loanId,
    status: loan.status,
    unsettledInstallments: loan.installments.filter((row) => !isSettled(row)).map((row) => row.number),
  };
}

/** What the gate reads: this state plus the borrower's loans as they are now. */
export function contactView(state: BorrowerContactState, loans: readonly LoanContactView[]): BorrowerContactView {
  return {
    borrowerId: state.borrowerId,
    timezone: state.timezone,
    optOuts: state.optOuts,
    holds: state.holds,
    pauses: state.pauses,
    promises: state.promises
      .filter((p) => p.status === 'open')
      .map((p) => ({
        loanId: p.loanId,
        date: p.date,
        amountMinor: p.amountMinor,
        ...(p.remindMe === true ? { remindMe: true } : {}),
      })),
    history: state.history,
    loans: [...loans],
    blockedAddresses: state.blockedAddresses,
    ...(state.hardshipRequest
      ? { hardshipRequest: { fromMs: state.hardshipRequest.atMs, reason: state.hardshipRequest.reason } }
      : {}),
  };
}
