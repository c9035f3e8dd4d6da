// The daily close's write: everything one page of loans produced, saved in the caller's transaction
// with one bulk statement per table. Invariant: a batch lands entirely or not at all — the loans'
// new states and closed-through dates, their transactions, journal entries, outbox events and
// auto-debit attempts commit together, so after a crash (kill -9 anywhere) each loan is either still
// due (and the rerun processes it from its old state) or done (and the rerun skips it). The same call
// serves any command that changes loans (a payment from the API), with closedThrough passed through.
import type { Transaction } from './db.ts';
import { insertAutoDebitAttempts, type NewAutoDebitAttempt } from './auto-debit.ts';
import { insertJournalEntries, type NewJournalEntry } from './journal.ts';
import { updateLoans, type LoanUpdate } from './loans.ts';
import { enqueueOutbox, type NewOutboxEvent } from './outbox.ts';
import { appendLoanTransactions, type NewLoanTransaction } from './transactions.ts';

export interface CloseBatch {
  loans: readonly LoanUpdate[];
  transactions?: readonly NewLoanTransaction[];
  journal?: readonly NewJournalEntry[];
  /**
   * Ids new by construction: each names a loan's step by the transaction seq this batch inserts, so an
   * id seen before would mean a seq used twice, which the transactions' key refuses anyway. A duplicate
   * fails the batch rather than being skipped (and the close skips the conflict check, ~1 µs a loan).
   */
  outbox?: readonly NewOutboxEvent[];
  /** Presentments to make; an attempt already recorded is ignored. */
  autoDebitAttempts?: readonly NewAutoDebitAttempt[];
}

export interface CloseBatchResult {
  loansUpdated: number;
  transactionsInserted: number;
  journalEntriesInserted: number;
  outboxInserted: number;
  autoDebitAttemptsInserted: number;
}

/**
 * Saves a batch in `tx`. Throws (and the caller's transaction must roll back) on a version conflict
 * (StoreConflictError) or any constraint violation, e.g. a transaction sequence number used twice.
 */
export async function saveCloseBatch(tx: Transaction, batch: CloseBatch): Promise<CloseBatchResult> {
  const loansUpdated = await updateLoans(tx, batch.loans);
  const transactionsInserted = await appendLoanTransactions(tx, batch.transactions ?? []);
  const journalEntriesInserted = await insertJournalEntries(tx, batch.journal ?? []);
  const outboxInserted = await enqueueOutbox(tx, batch.outbox ?? [], { duplicates: 'refuse' });
  const autoDebitAttemptsInserted = await insertAutoDebitAttempts(tx, batch.autoDebitAttempts ?? []);
  return { loansUpdated, transactionsInserted, journalEntriesInserted, outboxInserted, autoDebitAttemptsInserted };
}
