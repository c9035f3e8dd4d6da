// The daily close runner: closes every loan due on a business date, page by page. Each page is claimed
// (FOR UPDATE SKIP LOCKED, this worker's borrower-hash range) and saved in one transaction, so a crash
// (kill -9 anywhere) leaves each page fully applied or absent and a rerun continues where it stopped.
// Invariants: a loan is touched only when its next event date has come (nothing happening → its row,
// version and updated_at stay as they were); running a date again changes nothing (a completed run is
// skipped, and closed_through keeps already-closed loans out of the claim); every row written is a pure
// function of the loan's stored state and the date, so concurrent workers, restarts and one-worker runs
// end in the same book. Per loan closed, the page writes its row (the compact state document, see
// document.ts), one transaction, its journal entries and one outbox row carrying all of the step's
// events (`loan_events`), each table in one statement.
//
// Auto-debit (with a PaymentProvider): the core's `auto_debit_due` events become auto-debit attempts,
// recorded with the page (key `autodebit:<loanId>:<dueDate>:<attempt>`, attempt counted from 1), and
// after the pages each open attempt of this worker's range is presented to the provider under that key
// — so a rerun after a crash presents it again and the provider answers without debiting twice — and a
// successful debit is posted as a payment under the same idempotency key. A declined attempt is closed;
// an `unknown` answer stays open for the next run. Before its first presentment an attempt's amount is
// decided again under the loan's lock (the core's autoDebitPresentment: what the loan owes now less the
// money already on its way, portal payments and other presented attempts), so a borrower who paid
// meanwhile is not debited twice; nothing left to take skips the attempt without calling the provider.
import { sql } from 'drizzle-orm';
import { addDays, compareDates, maxDate, type IsoDate } from '../calendar/index.ts';
import type { PaymentProvider } from '../channels/payments/index.ts';
import { invariant } from '../errors/index.ts';
import { autoDebitPresentment, closeDay, defaultValueDate, type LoanState } from '../servicing/index.ts';
import {
  borrowerHash,
  checkPartition,
  completeAutoDebitAttempt,
  listOpenAutoDebitAttempts,
  markAutoDebitPresented,
  moneyInFlightMinor,
  skipAutoDebitAttempt,
  workerOfHash,
  type AutoDebitAttemptRow,
  type NewAutoDebitAttempt,
  claimDueLoans,
  countDueLoans,
  dueCursorOf,
  executeStatement,
  finishEodRun,
  lastCompletedEodRun,
  mergeEodRunStats,
  saveCloseBatch,
  startEodRun,
  type Database,
  type DueCursor,
  type LoanUpdate,
  type NewJournalEntry,
  type NewLoanTransaction,
  type NewOutboxEvent,
} from '../store/index.ts';
import { postPayment } from './loans.ts';
import {
  decodeLoanDocument,
  journalRows,
  readLoanState,
  loanUpdateOf,
  outboxRow,
  prepareServicingRules,
  transactionRow,
} from './document.ts';

export interface DailyCloseOptions {
  db: Database;
  businessDate: IsoDate;
  /** This worker, 0 … workers − 1 (default 0 of 1). */
  worker?: number;
  workers?: number;
  /** Loans per claimed page (default 1,000). */
  pageSize?: number;
  /** Presents auto-debits (loans whose rules enable it) when given. */
  provider?: PaymentProvider;
  /** Called after each page with the totals so far. */
  onProgress?: (progress: { loansClosed: number; due: number }) => void;
}

export interface DailyCloseStats {
  businessDate: IsoDate;
  worker: number;
  workers: number;
  /** True when the date's close had already completed: nothing was done. */
  alreadyCompleted: boolean;
  loansClosed: number;
  events: number;
  journalEntries: number;
  transactions: number;
  pages: number;
  /** Auto-debit presentments made in this run, and how many succeeded. */
  presented: number;
  debited: number;
  /** Auto-debit attempts closed unpresented: the loan owed nothing more once the money on its way lands. */
  skipped?: number;
  /** True when no loan of the date is left due in any range, so the run was marked completed. */
  completed: boolean;
}

export const DEFAULT_PAGE_SIZE = 1_000;

/** The stats of a close that has done nothing yet. */
export function emptyCloseStats(
  businessDate: IsoDate,
  partition: { worker: number; workers: number } = { worker: 0, workers: 1 },
): DailyCloseStats {
  return {
    businessDate,
    ...partition,
    alreadyCompleted: false,
    loansClosed: 0,
    events: 0,
    journalEntries: 0,
    transactions: 0,
    pages: 0,
    presented: 0,
    debited: 0,
    skipped: 0,
    completed: false,
  };
}

/**
 * The latest business date a close may run for without `force`: one day past the later of the last
 * completed close and today (in the lender's zone). A close of a far future date (a typo: 2062 for 2026)
 * would run every loan's schedule forward to it — penalties, buckets, charge-offs — in one go; a backlog
 * up to today, or a run one day ahead of the last close (a replay ahead of the wall clock), is allowed.
 */
export function latestClosableDate(options: { lastCompleted: IsoDate | undefined; today: IsoDate }): IsoDate {
  return addDays(
    options.lastCompleted === undefined ? options.today : maxDate(options.lastCompleted, options.today),
    1,
  );
}

/** Why a close of `businessDate` needs `force`, or undefined when it does not. */
export async function closeDateRefusal(
  db: Database,
  options: { businessDate: IsoDate; today: IsoDate },
): Promise<string | undefined> {
  const lastCompleted = (await lastCompletedEodRun(db))?.businessDate;
  const latest = latestClosableDate({ lastCompleted, today: options.today });
  if (compareDates(options.businessDate, latest) <= 0) return undefined;
  const basis =
    lastCompleted === undefined
      ? `today (${options.today}; no close has completed yet)`
      : `the later of the last completed close (${lastCompleted}) and today (${options.today})`;
  return `${options.businessDate} is more than one day past ${basis}, so it would close loans ahead of time`;
}

export async function runDailyClose(options: DailyCloseOptions): Promise<DailyCloseStats> {
  const { db, businessDate } = options;
  const partition = { worker: options.worker ?? 0, workers: options.workers ?? 1 };
  checkPartition(partition);
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  const stats = emptyCloseStats(businessDate, partition);
  const { run } = await startEodRun(db, businessDate);
  if (run.status === 'completed') return { ...stats, alreadyCompleted: true, completed: true };
  const due = options.onProgress ? await countDueLoans(db, { businessDate, partition }) : 0;
  try {
    // Pages with a cursor skip index entries already done; one pass without it picks up loans that were
    // locked (skipped) when the cursor passed them.
    let after: DueCursor | undefined;
    for (;;) {
      const page = await closePage(db, { businessDate, partition, pageSize, after }, stats);
      options.onProgress?.({ loansClosed: stats.loansClosed, due });
      if (page === undefined) break;
      after = page;
    }
    while ((await closePage(db, { businessDate, partition, pageSize, after: undefined }, stats)) !== undefined) {
      options.onProgress?.({ loansClosed: stats.loansClosed, due });
    }
    if (options.provider) await presentAutoDebits(db, options.provider, businessDate, partition, stats);
    const { alreadyCompleted: _unused, ...workerStats } = stats;
    await mergeEodRunStats(db, businessDate, { [`worker${partition.worker}of${partition.workers}`]: workerStats });
    if ((await countDueLoans(db, { businessDate })) === 0) {
      await finishEodRun(db, { businessDate, status: 'completed' });
      stats.completed = true;
    }
    return stats;
  } catch (error) {
    await finishEodRun(db, { businessDate, status: 'failed', stats: { error: String(error) } }).catch(() => undefined);
    throw error;
  }
}

/** Claims, closes and saves one page; returns the cursor after it, or undefined when nothing was due. */
async function closePage(
  db: Database,
  page: {
    businessDate: IsoDate;
    partition: { worker: number; workers: number };
    pageSize: number;
    after: DueCursor | undefined;
  },
  stats: DailyCloseStats,
): Promise<DueCursor | undefined> {
  const { businessDate } = page;
  return db.transaction(async (tx) => {
    const rows = await claimDueLoans(tx, {
      ...page.partition,
      businessDate,
      limit: page.pageSize,
      ...(page.after ? { after: page.after } : {}),
    });
    const last = rows.at(-1);
    if (last === undefined) return undefined;
    const loans: LoanUpdate[] = [];
    const transactions: NewLoanTransaction[] = [];
    const journal: NewJournalEntry[] = [];
    const outbox: NewOutboxEvent[] = [];
    const autoDebitAttempts: NewAutoDebitAttempt[] = [];
    let events = 0;
    await prepareServicingRules(tx, rows);
    for (const row of rows) {
      const { state, lastSeq } = decodeLoanDocument(row);
      const closed = closeDay(state, businessDate);
      const seq = lastSeq + 1;
      loans.push(loanUpdateOf(row, closed.state, seq));
      transactions.push(transactionRow(closed.state, seq, closed.transaction, businessDate));
      journal.push(...journalRows(closed.journal));
      const bundle = outboxRow(closed.events, { borrowerId: row.borrowerId, loanId: row.loanId, seq, businessDate });
      if (bundle) outbox.push(bundle);
      events += closed.events.length;
      autoDebitAttempts.push(...attemptsOf(closed.state, closed.events));
    }
    // The page's commit does not wait for its WAL to reach the disk (the WAL writer flushes it within a
    // fraction of a second). Waiting would idle this worker and its backend once per page; and nothing is
    // at stake: a page lost to a PostgreSQL crash leaves its loans due, and the rerun writes the same page
    // again (a pure function of the stored states and the date). The run is marked completed by a
    // synchronous commit, which flushes all WAL before it; an auto-debit presented from a lost attempt
    // row is presented again by the rerun under the same key, which the provider answers without
    // debiting twice.
    await executeStatement(tx, sql`SET LOCAL synchronous_commit = off`);
    const saved = await saveCloseBatch(tx, { loans, transactions, journal, outbox, autoDebitAttempts });
    stats.loansClosed += saved.loansUpdated;
    stats.transactions += saved.transactionsInserted;
    stats.journalEntries += saved.journalEntriesInserted;
    // A page lands whole or not at all and never holds a loan already closed for the date, so every
    // bundle it writes is new (the outbox would ignore one that is not, by its deterministic id).
    stats.events += events;
    stats.pages += 1;
    return dueCursorOf(last);
  });
}

/** The auto-debit attempts a close's events open (a reversal's catch-up close opens them too). */
export function attemptsOf(state: LoanState, events: ReturnType<typeof closeDay>['events']): NewAutoDebitAttempt[] {
  const attempts: NewAutoDebitAttempt[] = [];
  for (const event of events) {
    if (event.type !== 'auto_debit_due') continue;
    const dueDate = state.installments[event.installmentNumber - 1]?.dueDate;
    if (dueDate === undefined) continue;
    const attempt = event.attempt + 1;
    attempts.push({
      borrowerId: state.borrowerId,
      loanId: state.loanId,
      dueDate,
      attempt,
      businessDate: event.date,
      idempotencyKey: `autodebit:${state.loanId}:${dueDate}:${attempt}`,
      amountMinor: event.amountMinor,
      currency: state.currency,
    });
  }
  return attempts;
}

/**
 * Presents the open attempts (through businessDate) of this worker's borrowers, outside any page
 * transaction (a provider call must not hold loan locks). The borrower id is the account reference.
 */
async function presentAutoDebits(
  db: Database,
  provider: PaymentProvider,
  businessDate: IsoDate,
  partition: { worker: number; workers: number },
  stats: DailyCloseStats,
): Promise<void> {
  const seen = new Set<string>();
  for (;;) {
    const open = await listOpenAutoDebitAttempts(db, { through: businessDate, limit: 1_000 });
    const mine = open.filter(
      (attempt) =>
        !seen.has(attempt.idempotencyKey) &&
        workerOfHash(borrowerHash(attempt.borrowerId), partition.workers) === partition.worker,
    );
    if (mine.length === 0) return;
    for (const attempt of mine) {
      seen.add(attempt.idempotencyKey);
      const amountMinor =
        attempt.presentedAt === null ? await fixPresentment(db, attempt, businessDate) : attempt.amountMinor;
      if (amountMinor === undefined) {
        stats.skipped = (stats.skipped ?? 0) + 1;
        continue;
      }
      const outcome = await provider.debit({
        idempotencyKey: attempt.idempotencyKey,
        accountRef: attempt.borrowerId,
        amountMinor,
        currency: attempt.currency,
        reference: `${attempt.loanId} ${attempt.dueDate}`,
      });
      stats.presented += 1;
      if (outcome.outcome === 'unknown') continue;
      const key = {
        borrowerId: attempt.borrowerId,
        loanId: attempt.loanId,
        dueDate: attempt.dueDate,
        attempt: attempt.attempt,
      };
      if (outcome.outcome === 'declined') {
        await completeAutoDebitAttempt(db, {
          ...key,
          status: 'declined',
          providerRef: outcome.providerRef ?? null,
          result: { code: outcome.code },
        });
        continue;
      }
      const posted = await postPayment(db, {
        loanId: attempt.loanId,
        amountMinor: outcome.amountMinor,
        on: businessDate,
        source: 'auto_debit',
        idempotencyKey: attempt.idempotencyKey,
      });
      stats.debited += 1;
      await completeAutoDebitAttempt(db, {
        ...key,
        status: 'succeeded',
        providerRef: outcome.providerRef,
        result:
          posted.outcome === 'rejected' ? { posting: 'rejected', code: posted.code } : { posting: posted.outcome },
      });
    }
  }
}

/**
 * Decides an announced attempt's amount under the loan's row lock and fixes it on the attempt, or closes
 * the attempt as skipped. Answers the amount to present, or undefined when there is nothing to present
 * (skipped here, or fixed or answered by a concurrent worker, which presents it itself).
 */
async function fixPresentment(
  db: Database,
  attempt: AutoDebitAttemptRow,
  businessDate: IsoDate,
): Promise<bigint | undefined> {
  return db.transaction(async (tx) => {
    const key = {
      borrowerId: attempt.borrowerId,
      loanId: attempt.loanId,
      dueDate: attempt.dueDate,
      attempt: attempt.attempt,
    };
    const loan = await readLoanState(tx, attempt.loanId, { forUpdate: true });
    invariant(loan !== undefined, `auto-debit ${attempt.idempotencyKey}: its loan exists`);
    const inFlightMinor = await moneyInFlightMinor(tx, {
      loanId: attempt.loanId,
      excludingKey: attempt.idempotencyKey,
    });
    const decision = autoDebitPresentment({
      state: loan.state,
      on: defaultValueDate({ today: businessDate, closedThrough: loan.state.closedThrough }),
      announcedMinor: attempt.amountMinor,
      inFlightMinor,
    });
    if (decision.present) {
      const fixed = await markAutoDebitPresented(tx, { ...key, amountMinor: decision.amountMinor });
      return fixed ? decision.amountMinor : undefined;
    }
    await skipAutoDebitAttempt(tx, { ...key, reason: decision.reason });
    return undefined;
  });
}
