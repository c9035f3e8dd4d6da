// An in-memory contact desk: borrowers' contact states, a queue of planned contacts, and the decisions of
// the pure core applied to them — planContactDay plans, decideDispatch and decideDelivery decide,
// fallbackOf tries the other channel, applyContactEvent and recordContact move the state. It is what the
// simulator (`kuan simulate`) and the strategy preview run instead of the database: the same decisions as
// production's dispatcher, over plain data. Sending is the caller's: `next` hands over a send, the caller
// delivers it (or not) and reports the channel's answer to `settle`.
// Invariants: the queue is ordered by instant, then by insertion (deterministic); an intent is planned at
// most once a day; a contact that waits is queued again and reported once, when it is sent or dropped.
import { localDate, localParts, type IsoDate } from '../calendar/index.ts';
import type { LoanState } from '../servicing/index.ts';
import {
  contactView,
  judgePromises,
  loanContactView,
  newBorrowerContactState,
  recordContact,
  type BorrowerContactState,
} from './borrower.ts';
import { verificationCode } from './codes.ts';
import { planContactDay } from './day-plan.ts';
import { decideDelivery, decideDispatch, fallbackOf, type ChannelAnswer } from './dispatch.ts';
import { applyContactEvent, type ContactStateEvent } from './events.ts';
import type { ContactChannel, ContactIntent, ContactRecord } from './model.ts';
import type { PolicyPack } from './policy/index.ts';
import type { FallbackWhen, Strategy } from './strategy/index.ts';

export interface DeskBorrower {
  id: string;
  timezone: string;
  locale?: string | undefined;
  name?: string | undefined;
  contacts: Partial<Record<ContactChannel, string>>;
}

export interface ContactDeskOptions {
  policy: PolicyPack;
  strategy: Strategy;
  /** The lender's secret for verification codes. */
  secret: string;
}

/** A contact decided for good: sent (with its code) or suppressed (with the rule that stopped it). */
export interface DeskContact {
  atMs: number;
  timezone: string;
  borrowerId: string;
  loanIds: string[];
  channel: ContactChannel;
  template: string;
  status: 'sent' | 'suppressed';
  code?: string;
  reasons: string[];
}

/** A contact decided for sending; the caller hands it to the channel and reports the answer to `settle`. */
export interface DeskSend {
  readonly intent: ContactIntent;
  readonly atMs: number;
  readonly address: string;
  readonly code: string;
  readonly loanIds: string[];
  readonly reasons: string[];
  /** This attempt's number (the first send is 1). */
  readonly attempts: number;
  readonly state: BorrowerContactState;
  readonly borrowerName: string;
  readonly loans: readonly LoanState[];
}

/** What `next` did: decided a contact without a send (null: it waits, queued again), or asks for a send. */
export type DeskStep = { kind: 'decided'; contact: DeskContact | null } | { kind: 'send'; send: DeskSend };

interface QueuedContact {
  atMs: number;
  /** Insertion order: the tie-break that keeps the queue deterministic. */
  seq: number;
  intent: ContactIntent;
  /** A send already decided whose attempt failed for now: tried again with the same code and address. */
  resend?: { attempts: number; address: string; code: string; loanIds: string[]; reasons: string[] };
}

export class ContactDesk {
  readonly #options: ContactDeskOptions;
  readonly #borrowers = new Map<string, BorrowerContactState>();
  readonly #names = new Map<string, string>();
  readonly #queue: QueuedContact[] = [];
  #seq = 0;
  /** The last call task per borrower, for the "unanswered → fallback" rule. */
  readonly #lastCall = new Map<string, ContactIntent>();
  /** Intents planned on the current day, so a re-plan after a hold or promise adds only what is new. */
  #plannedToday = new Set<string>();
  #today: IsoDate | undefined;

  /** `states`: borrowers' contact states to start from (a preview on the live book); new ones otherwise. */
  constructor(
    borrowers: readonly DeskBorrower[],
    options: ContactDeskOptions,
    states: ReadonlyMap<string, BorrowerContactState> = new Map(),
  ) {
    this.#options = options;
    for (const borrower of borrowers) {
      this.#names.set(borrower.id, borrower.name ?? borrower.id);
      const known = states.get(borrower.id);
      this.#borrowers.set(
        borrower.id,
        known ??
          newBorrowerContactState({
            borrowerId: borrower.id,
            timezone: borrower.timezone,
            locale: borrower.locale ?? 'zh-CN',
            addresses: borrower.contacts,
          }),
      );
    }
  }

  #state(borrowerId: string): BorrowerContactState {
    const state = this.#borrowers.get(borrowerId);
    if (!state) throw new Error(`borrower ${borrowerId} is not in the scenario`);
    return state;
  }

  #enqueue(atMs: number, intent: ContactIntent, resend?: QueuedContact['resend']): void {
    const item: QueuedContact = { atMs, seq: (this.#seq += 1), intent, ...(resend ? { resend } : {}) };
    let low = 0;
    let high = this.#queue.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const other = this.#queue[middle] as QueuedContact;
      if (other.atMs < atMs || (other.atMs === atMs && other.seq < item.seq)) low = middle + 1;
      else high = middle;
    }
    this.#queue.splice(low, 0, item);
  }

  /** Start of a day: judge promises that fell due, then plan every borrower's contacts. */
  startDay(date: IsoDate, loansByBorrower: ReadonlyMap<string, readonly LoanState[]>): void {
    this.#today = date;
    this.#plannedToday = new Set();
    for (const [borrowerId, before] of this.#borrowers) {
      const loans = loansByBorrower.get(borrowerId) ?? [];
      const settled = new Set(loans.filter((loan) => loan.status === 'closed').map((loan) => loan.loanId));
      const { state } = judgePromises(before, date, settled);
      this.#borrowers.set(borrowerId, state);
      if (loans.length === 0) continue;
      this.#planAndQueue(state, date, loans, Number.NEGATIVE_INFINITY);
    }
  }

  /** Plans the borrower's day and queues what was not planned yet, no earlier than `notBeforeMs`. */
  #planAndQueue(state: BorrowerContactState, date: IsoDate, loans: readonly LoanState[], notBeforeMs: number): void {
    for (const intent of planContactDay({ state, date, loans, strategy: this.#options.strategy })) {
      if (this.#plannedToday.has(intent.intentId)) continue;
      this.#plannedToday.add(intent.intentId);
      this.#enqueue(Math.max(intent.plannedAtMs, notBeforeMs), intent);
    }
  }

  #dueIndex(date: IsoDate): number {
    // Items in other zones may fall on `date` after one that does not; the queue is short enough to scan.
    return this.#queue.findIndex((item) => localDate(this.#state(item.intent.borrowerId).timezone, item.atMs) <= date);
  }

  /** The instant of the next queued contact whose local date is on or before `date`, or null. */
  nextDueMs(date: IsoDate): number | null {
    const index = this.#dueIndex(date);
    return index < 0 ? null : (this.#queue[index] as QueuedContact).atMs;
  }

  /** Decides the earliest queued contact due on or before `date`; null when none is due. */
  next(date: IsoDate, loansOf: (borrowerId: string) => readonly LoanState[]): DeskStep | null {
    const index = this.#dueIndex(date);
    if (index < 0) return null;
    const [item] = this.#queue.splice(index, 1) as [QueuedContact];
    const { intent, atMs, resend } = item;
    const state = this.#state(intent.borrowerId);
    const loans = loansOf(intent.borrowerId);
    const decision = decideDispatch({
      intent,
      view: contactView(state, loans.map(loanContactView)),
      address: resend?.address ?? state.addresses[intent.channel],
      policy: this.#options.policy,
      nowMs: atMs,
      ...(resend ? { resend: { attempts: resend.attempts } } : {}),
    });
    const decided = (contact: DeskContact | null): DeskStep => ({ kind: 'decided', contact });
    switch (decision.action) {
      case 'hold':
        this.#enqueue(decision.untilMs, intent);
        return decided(null);
      case 'skip':
        if (decision.fallback) this.#enqueue(atMs, decision.fallback);
        return decided(
          this.#contact(item, 'suppressed', decision.reasons, decision.loanIds ?? resend?.loanIds ?? intent.loanIds),
        );
      case 'resend':
      case 'send': {
        const chosen =
          decision.action === 'send'
            ? {
                attempts: 1,
                address: decision.address,
                code: verificationCode({ secret: this.#options.secret, messageId: intent.intentId }),
                loanIds: decision.loanIds,
                reasons: decision.reasons,
              }
            : (resend as NonNullable<QueuedContact['resend']>);
        return {
          kind: 'send',
          send: {
            intent,
            atMs,
            ...chosen,
            state,
            borrowerName: this.#names.get(intent.borrowerId) ?? intent.borrowerId,
            loans,
          },
        };
      }
    }
  }

  /**
   * The channel's answer to a send from `next`: accepted → recorded and reported sent; otherwise the
   * delivery decision (a retry after `backoffMs(attempts)`, or suppressed with `channel_<outcome> <code>` and the
   * fallback tried). Null when the contact is queued again.
   */
  settle(
    send: DeskSend,
    answer: ChannelAnswer,
    options: { backoffMs: (attempts: number) => number },
  ): DeskContact | null {
    const { intent, atMs } = send;
    const item: QueuedContact = { atMs, seq: 0, intent };
    const delivery = decideDelivery({
      intent,
      answer,
      attempts: send.attempts,
      backoffMs: options.backoffMs,
      nowMs: atMs,
    });
    if (delivery.action === 'retry') {
      const { address, code, loanIds, reasons } = send;
      this.#enqueue(delivery.atMs, intent, { attempts: send.attempts + 1, address, code, loanIds, reasons });
      return null;
    }
    if (delivery.action === 'give_up') {
      if (delivery.fallback) this.#enqueue(atMs, delivery.fallback);
      const failed = answer as Exclude<ChannelAnswer, { outcome: 'accepted' }>;
      return this.#contact(
        item,
        'suppressed',
        [...send.reasons, `channel_${failed.outcome} ${failed.code}`],
        send.loanIds,
      );
    }
    const state = this.#state(intent.borrowerId);
    const record: ContactRecord = {
      atMs,
      channel: intent.channel,
      localDate: localParts(state.timezone, atMs).date,
      loanIds: send.loanIds,
      ...(intent.channel === 'voice' ? { call: { number: send.address, outcome: 'pending' as const } } : {}),
    };
    this.#borrowers.set(intent.borrowerId, recordContact(state, record));
    if (intent.channel === 'voice') this.#lastCall.set(intent.borrowerId, intent);
    return { ...this.#contact(item, 'sent', send.reasons, send.loanIds), code: send.code };
  }

  #contact(item: QueuedContact, status: DeskContact['status'], reasons: string[], loanIds: string[]): DeskContact {
    const { intent, atMs } = item;
    return {
      atMs,
      timezone: this.#state(intent.borrowerId).timezone,
      borrowerId: intent.borrowerId,
      loanIds,
      channel: intent.channel,
      template: intent.template,
      status,
      reasons,
    };
  }

  #fallback(intent: ContactIntent, atMs: number, when: FallbackWhen): void {
    const fallback = fallbackOf(intent, when, atMs);
    if (fallback) this.#enqueue(atMs, fallback);
  }

  /**
   * A hardship plan was decided (granted or refused): the borrower's hardship request is answered, so
   * ordinary contact resumes (a granted plan's schedule is reminded of as usual).
   */
  notePlanDecided(borrowerId: string, atMs: number, outcome: string): void {
    const closed = { type: 'hardship_closed' as const, reason: `plan ${outcome}` };
    const { state } = applyContactEvent(this.#state(borrowerId), closed, { atMs, policy: this.#options.policy });
    this.#borrowers.set(borrowerId, state);
  }

  /** A payment posted on a loan counts toward the borrower's open promises on it. */
  notePayment(borrowerId: string, loanId: string, amountMinor: bigint): void {
    const payment = { type: 'payment' as const, loanId, amountMinor };
    const { state } = applyContactEvent(this.#state(borrowerId), payment, { atMs: 0, policy: this.#options.policy });
    this.#borrowers.set(borrowerId, state);
  }

  /**
   * Applies a contact event at `atMs` through the same transition production uses; an unanswered call
   * tries the last call's fallback. `replan`: the event changes the borrower's stage today (a hold, a
   * promise, a hardship request), so the day is planned again and what is new is queued from `atMs`.
   */
  applyEvent(
    borrowerId: string,
    event: ContactStateEvent,
    context: { atMs: number; replan: boolean; loans: readonly LoanState[] },
  ): void {
    const { atMs } = context;
    const outcome = applyContactEvent(this.#state(borrowerId), event, { atMs, policy: this.#options.policy });
    const call = this.#lastCall.get(borrowerId);
    if (outcome.call?.completed && outcome.call.unanswered && call) this.#fallback(call, atMs, 'unanswered');
    this.#borrowers.set(borrowerId, outcome.state);
    if (context.replan && this.#today !== undefined && context.loans.length > 0) {
      this.#planAndQueue(outcome.state, this.#today, context.loans, atMs);
    }
  }
}
