// Loan commands against the store: opening loans (schedule → opening state → loan row, opening
// journal and the opening transaction seq 1 that replay starts from) and posting a payment.
// Invariants: each command writes the loan row, its transactions, journal entries and outbox events in
// one database transaction; a payment locks its loan first and is idempotent by key (the same request
// again returns the first answer and writes nothing; another request under the same key is rejected).
import { createHash } from 'node:crypto';
import type { IsoDate } from '../calendar/index.ts';
import { buildSchedule, type LoanTerms } from '../schedule/index.ts';
import { applyPayment, openLoan, type PaymentSource, type ServicingRules } from '../servicing/index.ts';
import {
  checkPaymentIdempotency,
  insertJournalEntries,
  insertLoans,
  recordPayment,
  requestHash,
  saveCloseBatch,
  appendLoanTransactions,
  type Database,
  type NewJournalEntry,
  type NewLoan,
  type NewLoanTransaction,
} from '../store/index.ts';
import {
  encodeLoanDocument,
  indexedColumns,
  journalRows,
  jsonSafe,
  loanContractOf,
  loanUpdateOf,
  openingTransaction,
  outboxRow,
  readLoanState,
  transactionRow,
} from './document.ts';

export interface OpenLoanRequest {
  loanId: string;
  /** Must exist in the store (upsertBorrowers). */
  borrowerId: string;
  productId?: string;
  terms: LoanTerms;
  rules: ServicingRules;
  disbursedOn: IsoDate;
}

/** Opens the loans in one transaction; returns how many were created. */
export async function openLoans(db: Database, requests: readonly OpenLoanRequest[]): Promise<number> {
  const loans: NewLoan[] = [];
  const journal: NewJournalEntry[] = [];
  const transactions: NewLoanTransaction[] = [];
  for (const request of requests) {
    const opened = openLoan({ ...request, schedule: buildSchedule(request.terms) });
    loans.push({
      borrowerId: request.borrowerId,
      loanId: request.loanId,
      productId: request.productId ?? null,
      currency: opened.state.currency,
      ...indexedColumns(opened.state),
      state: encodeLoanDocument(opened.state, 1),
      contract: loanContractOf(opened.state),
    });
    journal.push(...journalRows(opened.journal));
    transactions.push(openingTransaction(opened.state));
  }
  return db.transaction(async (tx) => {
    const inserted = await insertLoans(tx, loans);
    await appendLoanTransactions(tx, transactions);
    await insertJournalEntries(tx, journal);
    return inserted;
  });
}

export interface PostPaymentRequest {
  loanId: string;
  amountMinor: bigint;
  on: IsoDate;
  source: PaymentSource;
  idempotencyKey: string;
}

export type PostPaymentResult =
  | { outcome: 'posted' | 'replayed'; paymentId: string; result: unknown }
  | { outcome: 'rejected'; code: string; message: string };

/** The payment id a key names: derived, so a retried request names the same payment. */
export function paymentIdOf(idempotencyKey: string): string {
  return `P${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

export async function postPayment(db: Database, request: PostPaymentRequest): Promise<PostPaymentResult> {
  const hash = requestHash(jsonSafe(request));
  return db.transaction(async (tx) => {
    const loan = await readLoanState(tx, request.loanId, { forUpdate: true });
    if (!loan) return { outcome: 'rejected', code: 'loan_not_found', message: `loanId: no loan ${request.loanId}` };
    const { row, state, lastSeq } = loan;
    const check = await checkPaymentIdempotency(tx, { idempotencyKey: request.idempotencyKey, requestHash: hash });
    if (check.outcome === 'replayed') {
      return { outcome: 'replayed', paymentId: check.payment.paymentId, result: check.payment.result };
    }
    if (check.outcome === 'rejected') {
      return { outcome: 'rejected', code: check.code, message: `idempotencyKey: already used for another request` };
    }
    const paymentId = paymentIdOf(request.idempotencyKey);
    const applied = applyPayment(state, {
      paymentId,
      amountMinor: request.amountMinor,
      on: request.on,
      source: request.source,
    });
    if (!applied.ok) return { outcome: 'rejected', code: applied.code, message: applied.message };
    const seq = lastSeq + 1;
    const result = jsonSafe({ allocation: applied.allocation });
    await recordPayment(tx, {
      borrowerId: row.borrowerId,
      paymentId,
      loanId: row.loanId,
      idempotencyKey: request.idempotencyKey,
      requestHash: hash,
      amountMinor: request.amountMinor,
      currency: row.currency,
      source: request.source,
      status: 'posted',
      result,
      receivedAt: `${request.on}T00:00:00Z`,
    });
    const events = outboxRow(applied.events, { ...row, seq, businessDate: request.on });
    await saveCloseBatch(tx, {
      loans: [loanUpdateOf(row, applied.state, seq)],
      transactions: [transactionRow(applied.state, seq, applied.transaction, request.on)],
      journal: journalRows(applied.journal),
      outbox: events ? [events] : [],
    });
    return { outcome: 'posted', paymentId, result };
  });
}
