// The contact half of `kuan simulate`: the contact core's in-memory desk (src/contact/desk.ts) run over a
// scenario, and its decisions printed as `contact` lines (CONTRACTS.md): `sent` with its verification
// code, or `suppressed` with the rule that stopped it. Planning, the gate, dispatch, fallbacks and
// retries are the core's — the same functions production's dispatcher calls; this file turns scenario
// events into contact-state events, hands sent contacts to real channels when adapters are given (SMTP,
// HTTP providers, PDF letters, call tasks), and formats the lines.
import { formatZonedInstant, type IsoDate } from '../calendar/index.ts';
import {
  ContactDesk as CoreContactDesk,
  DISPATCH_RETRY_BASE_MS_DEFAULT,
  DISPATCH_RETRY_MAX_MS_DEFAULT,
  messageVariables,
  renderTemplate,
  type BorrowerContactState,
  type ChannelAnswer,
  type ContactChannel,
  type ContactStateEvent,
  type DeskContact,
  type DeskSend,
  type PolicyPack,
  type Strategy,
} from '../contact/index.ts';
import type { ChannelAdapter } from '../channels/channel.ts';
import { retryDelayMs } from '../channels/index.ts';
import type { LoanState } from '../servicing/index.ts';
import type { ContactEvent, ScenarioBorrower } from './scenario.ts';

/** A `contact` line: the desk's decision with its instant written in the borrower's zone. */
export type ContactLine = { kind: 'contact'; at: string } & Omit<DeskContact, 'atMs' | 'timezone'>;

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

/** The desk's decision as a `contact` line, keys in the contract's order. */
function lineOf(contact: DeskContact): ContactLine {
  return {
    kind: 'contact',
    at: formatContactInstant(contact.timezone, contact.atMs),
    borrowerId: contact.borrowerId,
    loanIds: contact.loanIds,
    channel: contact.channel,
    template: contact.template,
    status: contact.status,
    ...(contact.code === undefined ? {} : { code: contact.code }),
    reasons: contact.reasons,
  };
}

/** Events that change the borrower's stage today, so the day is planned again. */
const replanningEvents = new Set<ContactEvent['type']>(['hold', 'promise_to_pay', 'hardship_request']);

export class ContactDesk {
  readonly #options: ContactDeskOptions;
  readonly #desk: CoreContactDesk;

  /** `states`: borrowers' contact states to start from; new ones otherwise. */
  constructor(
    borrowers: readonly ScenarioBorrower[],
    options: ContactDeskOptions,
    states: ReadonlyMap<string, BorrowerContactState> = new Map(),
  ) {
    this.#options = options;
    this.#desk = new CoreContactDesk(
      borrowers,
      { policy: options.policy, strategy: options.strategy, secret: options.secret },
      states,
    );
  }

  /** Start of a simulated day: judge promises that fell due, then plan every borrower's contacts. */
  startDay(date: IsoDate, loansByBorrower: ReadonlyMap<string, readonly LoanState[]>): void {
    this.#desk.startDay(date, loansByBorrower);
  }

  /** The instant of the next queued contact whose local date is on or before `date`, or null. */
  nextDueMs(date: IsoDate): number | null {
    return this.#desk.nextDueMs(date);
  }

  /** Decides (and, with adapters, delivers) the earliest queued contact due on or before `date`. */
  async dispatchNext(
    date: IsoDate,
    loansOf: (borrowerId: string) => readonly LoanState[],
  ): Promise<ContactLine | null> {
    const step = this.#desk.next(date, loansOf);
    if (step === null) return null;
    if (step.kind === 'decided') return step.contact === null ? null : lineOf(step.contact);
    const { send } = step;
    const answer = await this.#deliver(send);
    const retry = { baseMs: DISPATCH_RETRY_BASE_MS_DEFAULT, maxMs: DISPATCH_RETRY_MAX_MS_DEFAULT };
    const contact = this.#desk.settle(send, answer, { backoffMs: (attempts) => retryDelayMs(attempts, retry) });
    return contact === null ? null : lineOf(contact);
  }

  /** Hands a sent contact to its real channel; without an adapter for it, the line is the delivery. */
  async #deliver(send: DeskSend): Promise<ChannelAnswer> {
    const { intent } = send;
    const adapter = this.#options.adapters?.[intent.channel];
    if (!adapter) return { outcome: 'accepted' };
    const rendered = renderTemplate({
      templateId: intent.template,
      channel: intent.channel,
      locale: send.state.locale,
      optOutRequired: this.#options.policy.optOutTextRequired.includes(intent.channel),
      variables: messageVariables({
        intent,
        loanIds: send.loanIds,
        loans: send.loans,
        state: send.state,
        borrowerName: send.borrowerName,
        code: send.code,
        lenderName: this.#options.lenderName ?? 'Kuan',
        portalUrl: this.#options.portalUrl ?? 'http://localhost:4000/portal',
      }),
    });
    return adapter.send({
      messageId: intent.intentId,
      borrowerId: intent.borrowerId,
      channel: intent.channel,
      to: send.address,
      locale: rendered.locale,
      ...(rendered.subject === undefined ? {} : { subject: rendered.subject }),
      body: rendered.body,
      verificationCode: send.code,
      loanIds: send.loanIds,
    });
  }

  /** A hardship plan was decided (granted or refused): ordinary contact resumes. */
  notePlanDecided(borrowerId: string, atMs: number, outcome: string): void {
    this.#desk.notePlanDecided(borrowerId, atMs, outcome);
  }

  /** A payment posted on a loan counts toward the borrower's open promises on it. */
  notePayment(borrowerId: string, loanId: string, amountMinor: bigint): void {
    this.#desk.notePayment(borrowerId, loanId, amountMinor);
  }

  /** Applies a scenario's contact event at its instant, through the same transition production uses. */
  applyEvent(
    event: ContactEvent & { atMs: number; index: number },
    loansOf: (borrowerId: string) => readonly LoanState[],
  ): void {
    // A hold, a promise or a hardship request changes the borrower's stage today: the day is planned
    // again, so a hold's confirmation goes today (what was planned before is re-checked by the gate).
    this.#desk.applyEvent(event.borrowerId, stateEventOf(event, loansOf), {
      atMs: event.atMs,
      replan: replanningEvents.has(event.type),
      loans: loansOf(event.borrowerId),
    });
  }
}
