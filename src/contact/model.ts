// The contact engine's shared vocabulary: channels, stages, what the planner asks to send (a ContactIntent),
// what the gate knows about a borrower at a given moment (a BorrowerContactView) and what it answers (a
// GateDecision). Plain data only; instants are epoch milliseconds (UTC) and contractual dates plain ISO
// dates, so the gate can run hundreds of thousands of decisions a second without parsing.
import type { IsoDate } from '../calendar/index.ts';

export const contactChannels = ['sms', 'email', 'push', 'letter', 'voice'] as const;
export type ContactChannel = (typeof contactChannels)[number];
/** Channels that deliver a written message (everything but a call). */
export const messageChannels: readonly ContactChannel[] = ['sms', 'email', 'push', 'letter'];

/**
 * Where a loan stands for the strategy, with the day offset steps are keyed on:
 * - `pre_due`: an installment falls due in N days (offset −N);
 * - `due`: an installment falls due today (offset 0);
 * - `grace`: past due inside the grace days (offset = DPD);
 * - `delinquent`: past the grace days (offset = DPD; steps may also name buckets);
 * - `hold`, `promise`, `hardship`: the borrower is under a hold, an open promise to pay or a hardship plan
 *   (offset = days since it began; for a promise, days relative to the promised date).
 */
export const contactStages = ['pre_due', 'due', 'grace', 'delinquent', 'hold', 'promise', 'hardship'] as const;
export type ContactStage = (typeof contactStages)[number];

/** Kinds of contact the gate treats differently: a reminder of money owed, or a notice the borrower needs anyway. */
export type ContactPurpose = 'reminder' | 'notice';

/** What a reminder is about on one loan, so that a later payment can make it moot. */
export interface LoanSubject {
  loanId: string;
  /** Installments the message reminds of (due, overdue); empty for a notice about the loan as a whole. */
  installmentNumbers: number[];
  /** The amount the message will quote, minor units of the loan's currency. */
  amountMinor: bigint;
  currency: string;
}

/** One planned contact: one borrower, one channel, one slot; several loans of the borrower consolidated. */
export interface ContactIntent {
  /** Deterministic, unique per borrower: `${borrowerId}:${date}:${stepId}:${channel}`. */
  intentId: string;
  borrowerId: string;
  /** Sorted, unique; at least one. */
  loanIds: string[];
  subjects: LoanSubject[];
  channel: ContactChannel;
  template: string;
  purpose: ContactPurpose;
  stage: ContactStage;
  strategy: { name: string; version: number; arm: 'champion' | 'challenger'; stepId: string };
  /** The borrower's local date the step belongs to. */
  date: IsoDate;
  /** When the strategy wants it sent (the step's local send time on `date`, as an instant). */
  plannedAtMs: number;
  /** After this instant the contact is no longer worth sending (default: end of `date`, local). */
  validUntilMs: number;
  /** What to try when this contact is not delivered (message) or not answered (call). */
  fallback?: { channel: ContactChannel; template: string; when: 'undelivered' | 'unanswered' };
  /** Why it was planned, e.g. "strategy default step pre_due_3". */
  reasons: string[];
  /** Template variables the contact brings itself (a status notice's `what` and `eta`); they win over derived ones. */
  variables?: Record<string, string | number>;
}

/** How a call ended: the one list the workbench, the API's schema, the simulator and the console use. */
export const callOutcomes = [
  'connected',
  'no_answer',
  'busy',
  'wrong_number',
  'third_party',
  'refused',
  'dispute',
  'promise',
  'callback',
] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** A contact that happened (a message handed to a channel, or a call attempt). */
export interface ContactRecord {
  atMs: number;
  channel: ContactChannel;
  /** The borrower's local date of `atMs`. */
  localDate: IsoDate;
  loanIds: string[];
  /**
   * Calls: the number dialled and how it ended (`pending` while the call task waits for an agent), and the
   * debts the conversation was about when the outcome named them (absent: `loanIds`). Reg F's quiet days
   * after a conversation count per debt, so a call about L1 in which the borrower talked about L2 is a
   * conversation about L2.
   */
  call?: { number: string; outcome: CallOutcome | 'pending'; about?: string[] };
}

export interface HoldView {
  fromMs: number;
  untilMs: number;
  reason: string;
}

export interface PromiseView {
  loanId: string;
  /** The promised date (borrower's local date); reminders for the loan wait until it has passed. */
  date: IsoDate;
  amountMinor: bigint;
  /** The borrower asked to be reminded: only then may a promise-stage reminder go before the date passes. */
  remindMe?: boolean;
}

/** A borrower's request for help (a hardship request, or a plan asked for) that nobody has decided yet. */
export interface HardshipRequestView {
  fromMs: number;
  /** What the borrower gave as the reason ("income_loss"), or the plan asked for ("plan deferral"). */
  reason: string;
}

/** A pause of collection contact (complaint about contact, dispute, hardship review) until reviewed. */
export interface PauseView {
  fromMs: number;
  /** null: until someone lifts it. */
  untilMs: number | null;
  reason: string;
}

/** Live state of one loan as far as the gate cares. */
export interface LoanContactView {
  loanId: string;
  status: 'active' | 'overdue' | 'closed' | 'charged_off';
  /** Installment numbers that are still not fully paid or waived. */
  unsettledInstallments: number[];
}

/** Everything the gate reads about a borrower, gathered by the shell (or the simulator) before deciding. */
export interface BorrowerContactView {
  borrowerId: string;
  timezone: string;
  optOuts: ContactChannel[];
  holds: HoldView[];
  promises: PromiseView[];
  pauses: PauseView[];
  /** Contacts of at least the last 8 days (older ones may be omitted). */
  history: ContactRecord[];
  loans: LoanContactView[];
  /** Numbers known to be wrong or to belong to someone else: never dialled or texted. */
  blockedAddresses?: string[];
  /** An open hardship request: until it is decided only hardship steps and acknowledgements go. */
  hardshipRequest?: HardshipRequestView;
}

export type GateVerdict = 'send' | 'defer' | 'suppress';

export interface GateDecision {
  verdict: GateVerdict;
  /** For `defer`: the earliest instant the contact may go (the window opening), still inside its validity. */
  notBeforeMs?: number;
  /** For `send`: the loans still worth mentioning (a paid loan drops out of a consolidated message). */
  loanIds?: string[];
  /** Every rule consulted that shaped the answer, e.g. "quiet_hours 22:00-08:00 Asia/Shanghai", "cap sms 1/2 today". */
  reasons: string[];
}
