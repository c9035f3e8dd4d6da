// The ledger half of `kuan simulate`: a virtual clock that walks a parsed Scenario day by day through
// the same pure servicing functions the daily close uses (openLoan, applyPayment, closeDay,
// loanDaySummary) and returns the output lines (CONTRACTS.md "Simulation output"). No clock, no I/O:
// the same scenario gives the same lines, byte for byte.
//
// One simulated day D, in this order:
// 1. for each loan (document order) disbursed by D: closeDay(state, D); then every borrower's day is
//    planned by the contact engine;
// 2. in time order (per borrower, by instant; at the same instant events, then closings, then contacts):
//    that day's events (local date in the borrower's time zone) — a payment → applyPayment → one `payment`
//    line (source "manual"; on a charged-off loan a recovery, marked `"recovery": true`);
//    `auto_debit_funds` sets the account's balance; contact and plan events go to their desks — the
//    day's contacts, and each loan's closing at 23:59:59 local time: if the close or a payment that day
//    asked for an auto-debit presentment (`auto_debit_due`, on the due date and each retry day) and
//    something is still collectible, the provider is debited min(balance, collectible) → one `payment`
//    line (source "auto_debit"); then its active plan is judged;
// 3. one `loan_day` line per disbursed loan, from loanDaySummary(state, D), after every line of the day.
// A loan is opened on its terms' startDate; before then it has no `loan_day` line, and a payment for it
// is answered with result "loan_not_disbursed".
import { Temporal } from 'temporal-polyfill';
import { addDays, toEpochDay, type IsoDate } from '../calendar/index.ts';
import { createLedgerPaymentProvider } from '../channels/payments/index.ts';
import { invariant } from '../errors/index.ts';
import { formatMinor, parseMoney } from '../money/index.ts';
import { buildSchedule } from '../schedule/index.ts';
import {
  applyPayment,
  autoDebitCollectible,
  closeDay,
  loanDaySummary,
  openLoan,
  type Allocation,
  type LoanEvent,
  type LoanState,
  type PaymentMode,
  type PaymentSource,
} from '../servicing/index.ts';
import { ContactDesk, type ContactDeskOptions, type ContactLine } from './contacts.ts';
import { PlanDesk, type PlanLine } from './plans.ts';
import type { Scenario, ScenarioEvent, ScenarioLoan } from './scenario.ts';

export interface PaymentLine {
  kind: 'payment';
  at: string;
  loanId: string;
  amount: string;
  source: PaymentSource;
  /** "posted", or the refusal code (servicing's, a provider's decline code, or "loan_not_disbursed"). */
  result: string;
  /** The four contract components; `credit` only when part of the payment went to (or came from) the credit balance. */
  allocation: { penalty: string; fee: string; interest: string; principal: string; credit?: string };
  /**
   * Present (true) only on a payment on a charged-off loan: a recovery, allocated against the written-off
   * balance (principal first). An optional field, so the contract's payment line is otherwise unchanged.
   */
  recovery?: true;
}

export interface LoanDayLine {
  kind: 'loan_day';
  date: IsoDate;
  loanId: string;
  dpd: number;
  delinquent: boolean;
  inGrace: boolean;
  bucket: string;
  overdue: string;
  penalty: string;
  status: string;
}

export type SimulationLine = PaymentLine | LoanDayLine | ContactLine | PlanLine;

/** The in-process provider over account balances (its interface is not exported by channels/payments). */
type LedgerPaymentProvider = ReturnType<typeof createLedgerPaymentProvider>;

/** Auto-debit presents once a day, at this local time: after every event of the day, before the day ends. */
const presentmentTime = '23:59:59';

interface LoanRun {
  loan: ScenarioLoan;
  timezone: string;
  state: LoanState | undefined;
  /** An `auto_debit_due` was raised today (by the close or by a payment that ran today's step). */
  presentToday: boolean;
}

function allocationJson(allocation: Allocation | undefined, currency: string): PaymentLine['allocation'] {
  const format = (minor: bigint): string => formatMinor(minor, currency);
  if (!allocation) return { penalty: format(0n), fee: format(0n), interest: format(0n), principal: format(0n) };
  const json: PaymentLine['allocation'] = {
    penalty: format(allocation.penaltyMinor),
    fee: format(allocation.feeMinor),
    interest: format(allocation.interestMinor),
    principal: format(allocation.principalMinor),
  };
  if (allocation.creditBalanceMinor !== 0n) json.credit = format(allocation.creditBalanceMinor);
  return json;
}

function openIfDue(run: LoanRun, date: IsoDate): void {
  if (run.state !== undefined || toEpochDay(run.loan.terms.startDate) > toEpochDay(date)) return;
  const { loan } = run;
  run.state = openLoan({
    loanId: loan.id,
    borrowerId: loan.borrowerId,
    schedule: buildSchedule(loan.terms),
    terms: loan.terms,
    rules: loan.rules,
    disbursedOn: loan.terms.startDate,
  }).state;
}

function noteEvents(run: LoanRun, events: readonly LoanEvent[]): void {
  if (events.some((event) => event.type === 'auto_debit_due')) run.presentToday = true;
}

interface PaymentRequest {
  at: string;
  paymentId: string;
  amountMinor: bigint;
  on: IsoDate;
  source: PaymentSource;
  mode: PaymentMode;
}

function pay(run: LoanRun, request: PaymentRequest): PaymentLine {
  const currency = run.loan.terms.currency;
  const line = (result: string, allocation?: Allocation): PaymentLine => ({
    kind: 'payment',
    at: request.at,
    loanId: run.loan.id,
    amount: formatMinor(request.amountMinor, currency),
    source: request.source,
    result,
    allocation: allocationJson(allocation, currency),
  });
  if (run.state === undefined) return line('loan_not_disbursed');
  const result = applyPayment(run.state, {
    paymentId: request.paymentId,
    amountMinor: request.amountMinor,
    on: request.on,
    source: request.source,
    mode: request.mode,
  });
  if (!result.ok) return line(result.code);
  run.state = result.state;
  noteEvents(run, result.events);
  const { allocation } = result;
  invariant(
    allocation.penaltyMinor +
      allocation.feeMinor +
      allocation.interestMinor +
      allocation.principalMinor +
      allocation.creditBalanceMinor ===
      request.amountMinor,
    `payment ${request.paymentId} allocates exactly its amount`,
  );
  const posted = line('posted', allocation);
  if (result.recovery === true) posted.recovery = true;
  return posted;
}

function presentmentInstant(date: IsoDate, timezone: string): string {
  return Temporal.PlainDateTime.from(`${date}T${presentmentTime}`)
    .toZonedDateTime(timezone)
    .toString({ timeZoneName: 'never' });
}

function presentmentMs(date: IsoDate, timezone: string): number {
  return Temporal.PlainDateTime.from(`${date}T${presentmentTime}`).toZonedDateTime(timezone).epochMilliseconds;
}

async function presentAutoDebit(
  run: LoanRun,
  date: IsoDate,
  provider: LedgerPaymentProvider,
): Promise<PaymentLine | undefined> {
  const state = run.state;
  if (!state || !run.presentToday) return undefined;
  // The amount production presents (autoDebitCollectible, which autoDebitPresentment is built on), as the
  // loan stands at presentment, after the day's payments. Nothing else is on its way to the loan here (no
  // portal payments; one presentment a day), so nothing in flight is subtracted.
  const collectibleMinor = autoDebitCollectible(state, date);
  if (collectibleMinor <= 0n) return undefined;
  // Documented choice: present what the account can cover, up to what is collectible, so a partly funded
  // account still pays something; an empty or unknown account is declined for the full amount.
  const balance = provider.balanceOf(run.loan.autoDebitAccount) ?? 0n;
  const requestMinor = balance > 0n && balance < collectibleMinor ? balance : collectibleMinor;
  const at = presentmentInstant(date, run.timezone);
  const outcome = await provider.debit({
    idempotencyKey: `${run.loan.id}:auto_debit:${date}`,
    accountRef: run.loan.autoDebitAccount,
    amountMinor: requestMinor,
    currency: state.currency,
    reference: `${run.loan.id} ${date}`,
  });
  if (outcome.outcome !== 'succeeded') {
    return {
      kind: 'payment',
      at,
      loanId: run.loan.id,
      amount: formatMinor(requestMinor, state.currency),
      source: 'auto_debit',
      result: outcome.outcome === 'declined' ? outcome.code : 'unknown',
      allocation: allocationJson(undefined, state.currency),
    };
  }
  const line = pay(run, {
    at,
    paymentId: `auto_debit:${date}`,
    amountMinor: outcome.amountMinor,
    on: date,
    source: 'auto_debit',
    mode: 'regular',
  });
  invariant(line.result === 'posted', `auto-debit of ${run.loan.id} on ${date} posts (${line.result})`);
  return line;
}

function loanDayLine(state: LoanState, date: IsoDate): LoanDayLine {
  const summary = loanDaySummary(state, date);
  return {
    kind: 'loan_day',
    date,
    loanId: summary.loanId,
    dpd: summary.dpd,
    delinquent: summary.delinquent,
    inGrace: summary.inGrace,
    bucket: summary.bucket,
    overdue: formatMinor(summary.overdueMinor, state.currency),
    penalty: formatMinor(summary.penaltyMinor, state.currency),
    status: summary.status,
  };
}

function applyEvent(
  event: ScenarioEvent,
  runs: ReadonlyMap<string, LoanRun>,
  provider: LedgerPaymentProvider,
): PaymentLine | undefined {
  if (event.type === 'auto_debit_funds') {
    provider.setBalance(event.account, event.amountMinor);
    return undefined;
  }
  invariant(event.type === 'payment', 'contact and plan events are handled by their desks');
  const run = runs.get(event.loanId);
  invariant(run !== undefined, `event ${event.index} names a parsed loan`);
  return pay(run, {
    at: event.at,
    paymentId: `event:${event.index}`,
    amountMinor: event.amountMinor,
    on: event.day,
    source: 'manual',
    mode: event.mode,
  });
}

export interface RunScenarioOptions {
  /** Real channels to hand sent contacts to (SMTP, HTTP providers, letters, call tasks). */
  adapters?: ContactDeskOptions['adapters'];
  /** The verification-code secret; the default is fixed so a scenario's output is reproducible. */
  secret?: string;
}

/** The simulator's verification-code secret when none is given (documented in the README). */
export const simulationSecret = 'kuan-simulation-secret';

function eventMs(event: ScenarioEvent): number {
  return Number(event.epochNanoseconds / 1_000_000n);
}

/** Replays the scenario through the servicing core and the contact engine; returns the lines in time order. */
export async function runScenario(scenario: Scenario, options: RunScenarioOptions = {}): Promise<SimulationLine[]> {
  const timezones = new Map(scenario.borrowers.map((borrower) => [borrower.id, borrower.timezone]));
  const runs = new Map<string, LoanRun>(
    scenario.loans.map((loan) => [
      loan.id,
      { loan, timezone: timezones.get(loan.borrowerId) ?? 'UTC', state: undefined, presentToday: false },
    ]),
  );
  const runsByBorrower = new Map<string, LoanRun[]>();
  for (const run of runs.values()) {
    const list = runsByBorrower.get(run.loan.borrowerId);
    if (list) list.push(run);
    else runsByBorrower.set(run.loan.borrowerId, [run]);
  }
  const loansOf = (borrowerId: string): LoanState[] =>
    (runsByBorrower.get(borrowerId) ?? []).flatMap((run) => (run.state ? [run.state] : []));
  const desk = new ContactDesk(scenario.borrowers, {
    policy: scenario.policy,
    strategy: scenario.strategy,
    secret: options.secret ?? simulationSecret,
    ...(options.adapters ? { adapters: options.adapters } : {}),
  });
  const provider = createLedgerPaymentProvider();
  const plans = new PlanDesk();
  /** A posted payment counts toward the borrower's promises and the loan's active plan. */
  const notePosted = (run: LoanRun, amountMinor: bigint, on: IsoDate): void => {
    desk.notePayment(run.loan.borrowerId, run.loan.id, amountMinor);
    plans.notePayment(run.loan.id, { on, amountMinor });
  };
  const lines: SimulationLine[] = [];
  // Events are sorted by instant; each day takes those whose local date is that day.
  const byDay = new Map<IsoDate, ScenarioEvent[]>();
  for (const event of scenario.events) {
    const list = byDay.get(event.day);
    if (list) list.push(event);
    else byDay.set(event.day, [event]);
  }
  for (let offset = 0; offset < scenario.days; offset += 1) {
    const date = addDays(scenario.start, offset);
    // The close of D runs first: a payment on D would run D's step anyway, and the day's contacts are
    // planned on the loans as of D.
    for (const run of runs.values()) {
      openIfDue(run, date);
      run.presentToday = false;
      if (run.state === undefined) continue;
      const closed = closeDay(run.state, date);
      run.state = closed.state;
      noteEvents(run, closed.events);
    }
    const loansByBorrower = new Map([...runsByBorrower.keys()].map((id) => [id, loansOf(id)]));
    desk.startDay(date, loansByBorrower);
    // The day's events, loan closings and contacts in time order. At the same instant a scenario event
    // goes first (a payment, hold or opt-out is seen by whatever follows), then a loan's closing, then
    // contacts. A loan's closing — its auto-debit presentment and the judging of its plan — is at 23:59:59
    // local time: an event later than that on the same day comes after it, so per borrower the lines stay
    // in the order of their instants.
    const events = byDay.get(date) ?? [];
    const closings = [...runs.values()]
      .filter((run) => run.state !== undefined)
      .map((run) => ({ run, ms: presentmentMs(date, run.timezone) }))
      .sort((a, b) => a.ms - b.ms);
    let next = 0;
    let nextClosing = 0;
    for (;;) {
      const event = events[next];
      const closing = closings[nextClosing];
      const contactMs = desk.nextDueMs(date) ?? Number.POSITIVE_INFINITY;
      const closingMs = closing?.ms ?? Number.POSITIVE_INFINITY;
      if (event !== undefined && eventMs(event) <= closingMs && eventMs(event) <= contactMs) {
        next += 1;
        if (event.type === 'payment' || event.type === 'auto_debit_funds') {
          const line = applyEvent(event, runs, provider);
          if (line) {
            lines.push(line);
            const run = event.type === 'payment' ? runs.get(event.loanId) : undefined;
            if (line.result === 'posted' && run) notePosted(run, event.amountMinor, date);
          }
        } else if (event.type === 'plan') {
          const run = runs.get(event.loanId);
          invariant(run !== undefined, `event ${event.index} names a parsed loan`);
          if (run.state === undefined) continue;
          const planned = plans.request(run.state, {
            planId: `event:${event.index}`,
            terms: event.terms,
            approverRole: event.approverRole,
            reason: event.reason,
            on: date,
            at: event.at,
          });
          run.state = planned.state;
          lines.push(planned.line);
          desk.notePlanDecided(run.loan.borrowerId, eventMs(event), planned.line.status);
        } else {
          desk.applyEvent({ ...event, atMs: eventMs(event) }, loansOf);
        }
        continue;
      }
      if (closing !== undefined && closingMs <= contactMs) {
        nextClosing += 1;
        const { run } = closing;
        const debit = await presentAutoDebit(run, date, provider);
        if (debit) {
          lines.push(debit);
          if (debit.result === 'posted') {
            const { amountMinor } = parseMoney(debit.amount, run.loan.terms.currency, { field: 'amount' });
            notePosted(run, amountMinor, date);
          }
        }
        const judged = run.state === undefined ? undefined : plans.judge(run.state, date, run.timezone);
        if (judged) {
          run.state = judged.state;
          lines.push(judged.line);
        }
        continue;
      }
      if (contactMs === Number.POSITIVE_INFINITY) break;
      const line = await desk.dispatchNext(date, loansOf);
      if (line) lines.push(line);
    }
    for (const run of runs.values()) {
      if (run.state !== undefined) lines.push(loanDayLine(run.state, date));
    }
  }
  return lines;
}

/** The lines as JSON Lines text: one object per line, each ending in a newline. */
export function toJsonLines(lines: readonly SimulationLine[]): string {
  return lines.map((line) => `${JSON.stringify(line)}\n`).join('');
}
