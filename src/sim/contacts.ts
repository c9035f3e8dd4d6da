// The contact half of `kuan simulate`: each simulated day every borrower's day is planned by the strategy
// (planBorrowerDay), each planned contact passes the compliance gate when planned and again at the
// instant it would go (evaluateContact, against the live loans and the borrower's contact state), and
// the outcome becomes one `contact` line (CONTRACTS.md): `sent` with its verification code, or
// `suppressed` with the rule that stopped it. A contact that must wait (quiet hours, a no-contact day, a
// full cap) is queued again and appears once, when it is finally sent or dropped. Scenario events (holds,
// promises, replies, opt-outs, call outcomes, hardship requests, contact updates) change the borrower's
// contact state through the same pure transitions the store uses. With channel adapters given, a sent
// contact is also rendered and handed to the real channel (SMTP, HTTP providers, PDF letters, call tasks).
import { formatZonedInstant, localDate, localParts, msPerDay, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import {
  applyContactEvent,
  contactView,
  evaluateContact,
  judgePromises,
  loanContactView,
  messageVariables,
  newBorrowerContactState,
  planBorrowerDay,
  planLoanView,
  recordContact,
  renderTemplate,
  verificationCode,
  type BorrowerContactState,
  type ContactChannel,
  type ContactIntent,
  type ContactRecord,
  type ContactStateEvent,
  type PolicyPack,
  type PromiseToPay,
  type Strategy,
} from '../contact/index.ts';
import type { ChannelAdapter } from '../channels/channel.ts';
import type { LoanState } from '../servicing/index.ts';
import type { ContactEvent, ScenarioBorrower } from './scenario.ts';

export interface ContactLine {
  kind: 'contact';
  at: string;
  borrowerId: string;
  loanIds: string[];
  channel: ContactChannel;
  template: string;
  status: 'sent' | 'suppressed';
  /** The verification code the message carries (sent contacts only). */
  code?: string;
  reasons: string[];
}

export interface ContactDeskOptions {
  policy: PolicyPack;
  strategy: Strategy;
  /** The lender's secret for verification codes; the simulator's default is fixed so output is reproducible. */
  secret: string;
  /** Real channels to hand sent contacts to; without them a sent contact is only a line. */
  adapters?: Partial<Record<ContactChannel, ChannelAdapter>>;
  portalUrl?: string;
  lenderName?: string;
}

interface QueuedContact {
  atMs: number;
  /** Insertion order: the tie-break that keeps the queue deterministic. */
  seq: number;
  intent: ContactIntent;
}

/**
 * A contact's instant with its offset; with milliseconds when it has them (a contact re-planned or a
 * fallback tried at an event's instant, such as 23:59:59.500), so its line sorts where it happened.
 */
function formatContactInstant(zone: string, atMs: number): string {
  const text = formatZonedInstant(zone, atMs);
  const millis = ((atMs % 1000) + 1000) % 1000;
  if (millis === 0) return text;
  return `${text.slice(0, 19)}.${String(millis).padStart(3, '0')}${text.slice(19)}`;
}

/** The scenario's event as the contact state's event. */
function stateEventOf(
  event: ContactEvent & { index: number },
  loansOf: (borrowerId: string) => readonly LoanState[],
): ContactStateEvent {
  switch (event.type) {
    case 'promise_to_pay':
      return {
        type: 'promise_to_pay',
        promiseId: `event:${event.index}`,
        loanId: event.loanId,
        amountMinor: event.amountMinor,
        date: event.date,
        takenBy: 'scenario',
        ...(event.remindMe ? { remindMe: true } : {}),
      };
    case 'call_outcome':
      return {
        type: 'call_outcome',
        outcome: event.outcome,
        ...(event.number === undefined ? {} : { number: event.number }),
        loanIds: event.loanId ? [event.loanId] : loansOf(event.borrowerId).map((loan) => loan.loanId),
        loansNamed: event.loanId !== undefined,
      };
    case 'hold':
      return { type: 'hold', days: event.days, reason: event.reason };
    case 'reply':
      return { type: 'reply', channel: event.channel, text: event.text };
    case 'opt_out':
      return { type: 'opt_out', channel: event.channel };
    case 'hardship_request':
      return { type: 'hardship_request', reason: event.reason };
    case 'complaint':
      return { type: 'complaint', reason: event.category };
    case 'complaint_reviewed':
      return { type: 'pause_lifted', reason: event.category };
    case 'contact_update':
      return { type: 'contact_update', contacts: event.contacts };
  }
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
  /** Promises judged broken, kept for one day so the strategy's promise_broken step can fire. */
  readonly #recentlyBroken = new Map<string, PromiseToPay[]>();

  /** `states`: borrowers' contact states to start from (a preview on the live book); new ones otherwise. */
  constructor(
    borrowers: readonly ScenarioBorrower[],
    options: ContactDeskOptions,
    states: ReadonlyMap<string, BorrowerContactState> = new Map(),
  ) {
    this.#options = options;
    for (const borrower of borrowers) {
      this.#names.set(borrower.id, borrower.name ?? borrower.id);
      const known = states.get(borrower.id);
      if (known) {
        this.#borrowers.set(borrower.id, known);
        continue;
      }
      this.#borrowers.set(
        borrower.id,
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

  #enqueue(atMs: number, intent: ContactIntent): void {
    const item = { atMs, seq: (this.#seq += 1), intent };
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

  /** Start of a simulated day: judge promises that fell due, then plan every borrower's contacts. */
  startDay(date: IsoDate, loansByBorrower: ReadonlyMap<string, readonly LoanState[]>): void {
    this.#today = date;
    this.#plannedToday = new Set();
    for (const [borrowerId, before] of this.#borrowers) {
      const loans = loansByBorrower.get(borrowerId) ?? [];
      const settled = new Set(loans.filter((loan) => loan.status === 'closed').map((loan) => loan.loanId));
      const { state, judged } = judgePromises(before, date, settled);
      this.#borrowers.set(borrowerId, state);
      this.#recentlyBroken.set(
        borrowerId,
        judged.filter((promise) => promise.status !== 'kept'),
      );
      if (loans.length === 0) continue;
      this.#planAndQueue(state, date, loans, Number.NEGATIVE_INFINITY);
    }
  }

  /** Plans the borrower's day and queues what was not planned yet, no earlier than `notBeforeMs`. */
  #planAndQueue(state: BorrowerContactState, date: IsoDate, loans: readonly LoanState[], notBeforeMs: number): void {
    for (const intent of this.#plan(state, date, loans)) {
      if (this.#plannedToday.has(intent.intentId)) continue;
      this.#plannedToday.add(intent.intentId);
      this.#enqueue(Math.max(intent.plannedAtMs, notBeforeMs), intent);
    }
  }

  #plan(state: BorrowerContactState, date: IsoDate, loans: readonly LoanState[]): ContactIntent[] {
    const zone = state.timezone;
    const dayStartMs = zonedEpochMs(zone, date, 0);
    const hold = state.holds.find((span) => span.fromMs < dayStartMs + msPerDay && span.untilMs > dayStartMs);
    const promises = [
      ...state.promises.filter((promise) => promise.status === 'open'),
      ...(this.#recentlyBroken.get(state.borrowerId) ?? []),
    ];
    return planBorrowerDay({
      date,
      borrower: { id: state.borrowerId, timezone: zone, locale: state.locale },
      loans: loans.map((loan) => planLoanView(loan, date)),
      hold: hold ? { fromDate: localDate(zone, hold.fromMs), untilDate: localDate(zone, hold.untilMs - 1) } : undefined,
      promises: promises.map((promise) => ({
        loanId: promise.loanId,
        date: promise.date,
        amountMinor: promise.amountMinor,
      })),
      hardship: state.hardshipSince ? { fromDate: state.hardshipSince } : undefined,
      strategy: this.#options.strategy,
    });
  }

  /** The instant of the next queued contact whose local date is on or before `date`, or null. */
  nextDueMs(date: IsoDate): number | null {
    for (const item of this.#queue) {
      const zone = this.#state(item.intent.borrowerId).timezone;
      if (localDate(zone, item.atMs) <= date) return item.atMs;
      // Later items in other zones may still fall on `date`; the queue is short enough to scan.
    }
    return null;
  }

  /** Decides (and, with adapters, delivers) the earliest queued contact due on or before `date`. */
  async dispatchNext(
    date: IsoDate,
    loansOf: (borrowerId: string) => readonly LoanState[],
  ): Promise<ContactLine | null> {
    const index = this.#queue.findIndex(
      (item) => localDate(this.#state(item.intent.borrowerId).timezone, item.atMs) <= date,
    );
    if (index < 0) return null;
    const [item] = this.#queue.splice(index, 1) as [QueuedContact];
    return this.#dispatch(item, loansOf(item.intent.borrowerId));
  }

  async #dispatch(item: QueuedContact, loans: readonly LoanState[]): Promise<ContactLine | null> {
    const { intent, atMs } = item;
    let state = this.#state(intent.borrowerId);
    const line = (status: ContactLine['status'], reasons: string[], loanIds = intent.loanIds, code?: string) => ({
      kind: 'contact' as const,
      at: formatContactInstant(state.timezone, atMs),
      borrowerId: intent.borrowerId,
      loanIds,
      channel: intent.channel,
      template: intent.template,
      status,
      ...(code === undefined ? {} : { code }),
      reasons,
    });
    const address = state.addresses[intent.channel];
    if (address === undefined) {
      this.#fallback(intent, atMs, 'undelivered');
      return line('suppressed', [...intent.reasons, `no_address ${intent.channel}`]);
    }
    const decision = evaluateContact({
      intent,
      view: contactView(state, loans.map(loanContactView)),
      policy: this.#options.policy,
      nowMs: atMs,
      address,
    });
    if (decision.verdict === 'defer') {
      this.#enqueue(decision.notBeforeMs as number, intent);
      return null;
    }
    if (decision.verdict === 'suppress') return line('suppressed', decision.reasons);
    const loanIds = decision.loanIds ?? intent.loanIds;
    const code = verificationCode({ secret: this.#options.secret, messageId: intent.intentId });
    const delivered = await this.#deliver(intent, { address, code, loanIds, loans, state });
    if (delivered !== null) {
      this.#fallback(intent, atMs, 'undelivered');
      return line('suppressed', [...decision.reasons, delivered], loanIds);
    }
    const record: ContactRecord = {
      atMs,
      channel: intent.channel,
      localDate: localParts(state.timezone, atMs).date,
      loanIds,
      ...(intent.channel === 'voice' ? { call: { number: address, outcome: 'pending' as const } } : {}),
    };
    state = recordContact(state, record);
    this.#borrowers.set(intent.borrowerId, state);
    if (intent.channel === 'voice') this.#lastCall.set(intent.borrowerId, intent);
    return line('sent', decision.reasons, loanIds, code);
  }

  /** Hands a sent contact to its real channel; returns null when accepted, else the reason it was not. */
  async #deliver(
    intent: ContactIntent,
    message: {
      address: string;
      code: string;
      loanIds: string[];
      loans: readonly LoanState[];
      state: BorrowerContactState;
    },
  ): Promise<string | null> {
    const adapter = this.#options.adapters?.[intent.channel];
    if (!adapter) return null;
    const rendered = renderTemplate({
      templateId: intent.template,
      channel: intent.channel,
      locale: message.state.locale,
      optOutRequired: this.#options.policy.optOutTextRequired.includes(intent.channel),
      variables: messageVariables({
        intent,
        loanIds: message.loanIds,
        loans: message.loans,
        state: message.state,
        borrowerName: this.#names.get(intent.borrowerId) ?? intent.borrowerId,
        code: message.code,
        lenderName: this.#options.lenderName ?? 'Kuan',
        portalUrl: this.#options.portalUrl ?? 'http://localhost:4000/portal',
      }),
    });
    const outcome = await adapter.send({
      messageId: intent.intentId,
      borrowerId: intent.borrowerId,
      channel: intent.channel,
      to: message.address,
      locale: rendered.locale,
      ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
      body: rendered.body,
      verificationCode: message.code,
      loanIds: message.loanIds,
    });
    if (outcome.outcome === 'accepted') return null;
    return `channel_${outcome.outcome} ${outcome.code}`;
  }

  /** Queues the intent's fallback, if it has one for this reason. */
  #fallback(intent: ContactIntent, atMs: number, when: 'undelivered' | 'unanswered'): void {
    const fallback = intent.fallback;
    if (!fallback || fallback.when !== when || intent.intentId.endsWith(':fallback')) return;
    this.#enqueue(atMs, {
      ...intent,
      intentId: `${intent.intentId}:fallback`,
      channel: fallback.channel,
      template: fallback.template,
      plannedAtMs: atMs,
      fallback: undefined,
      reasons: [...intent.reasons, `fallback after ${when} ${intent.channel}`],
    });
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

  /** Applies a scenario's contact event at its instant, through the same transition production uses. */
  applyEvent(
    event: ContactEvent & { atMs: number; index: number },
    loansOf: (borrowerId: string) => readonly LoanState[],
  ): void {
    const state = this.#state(event.borrowerId);
    const { atMs } = event;
    const outcome = applyContactEvent(state, stateEventOf(event, loansOf), { atMs, policy: this.#options.policy });
    const next = outcome.state;
    const call = this.#lastCall.get(event.borrowerId);
    if (outcome.call?.completed && outcome.call.unanswered && call) this.#fallback(call, atMs, 'unanswered');
    this.#borrowers.set(event.borrowerId, next);
    // A hold, a promise or a hardship request changes the borrower's stage today: plan again, so a hold's
    // confirmation goes today rather than being skipped (what was planned before is re-checked by the gate).
    const replan = event.type === 'hold' || event.type === 'promise_to_pay' || event.type === 'hardship_request';
    if (replan && this.#today !== undefined) {
      const loans = loansOf(event.borrowerId);
      if (loans.length > 0) this.#planAndQueue(next, this.#today, loans, atMs);
    }
  }
}
