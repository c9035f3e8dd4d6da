// Loan commands against the store: opening loans (schedule → opening state → loan row, opening
// journal and the opening transaction seq 1 that replay starts from) and posting payments.
// Invariants: each command writes the loan rows, their transactions, journal entries and outbox events in
// one database transaction; payments lock their loans first and are idempotent by key (the same request
// again returns the first answer and writes nothing; another request under the same key is rejected).
import { createHash } from 'node:crypto';
import type { IsoDate } from '../calendar/index.ts';
import { buildSchedule, type LoanTerms } from '../schedule/index.ts';
import {
  applyPayment,
  openLoan,
  valueDate,
  type LoanState,
  type PaymentSource,
  type ServicingRules,
} from '../servicing/index.ts';
import {
  findPaymentsByIdempotencyKeys,
  getLoans,
  IDEMPOTENCY_KEY_REUSED,
  insertJournalEntries,
  insertLoans,
  insertPayments,
  isUniqueViolation,
  requestHash,
  saveCloseBatch,
  appendLoanTransactions,
  type Database,
  type LoanRow,
  type NewJournalEntry,
  type NewLoan,
  type NewLoanTransaction,
  type NewOutboxEvent,
  type NewPayment,
  type Transaction,
} from '../store/index.ts';
import {
  decodeLoanDocument,
  encodeLoanDocument,
  indexedColumns,
  journalRows,
  jsonSafe,
  loanContractOf,
  loanUpdateOf,
  openingTransaction,
  outboxRow,
  prepareServicingRules,
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
  /** The value date asked for; servicing's `valueDate` decides the date the payment is applied on. */
  on?: IsoDate;
  /** Required without `on`. */
  today?: IsoDate;
  /** When set, `on` may be at most this many days after max(today, the loan's last closed date). */
  futureDaysMax?: number;
  source: PaymentSource;
  idempotencyKey: string;
}

export type PostPaymentResult =
  | { outcome: 'posted'; paymentId: string; on: IsoDate; result: unknown; payment: NewPayment }
  | { outcome: 'replayed'; paymentId: string; on: IsoDate; result: unknown; payment: NewPayment }
  /** `field` names the request field at fault when the request itself is invalid (not a business refusal). */
  | { outcome: 'rejected'; code: string; message: string; field?: string };

/** The payment id a key names: derived, so a retried request names the same payment. */
export function paymentIdOf(idempotencyKey: string): string {
  return `P${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

export async function postPayment(db: Database, request: PostPaymentRequest): Promise<PostPaymentResult> {
  const [result] = await postPayments(db, [request]);
  return result as PostPaymentResult;
}

/** Attempts at a batch when a key was taken by a concurrent request between the look-up and the insert. */
const KEY_RACE_ATTEMPTS = 2;

/**
 * Posts payments in one database transaction, in the order given (several may be for one loan; each sees
 * the state the previous left), and answers each as postPayment would alone. The loans are locked in key
 * order, so concurrent batches wait rather than deadlock; one transaction (one commit) for many requests
 * is what lets the API take payments far faster than one commit each. Throws when the transaction fails
 * as a whole; then nothing of it is stored.
 */
export async function postPayments(
  db: Database,
  requests: readonly PostPaymentRequest[],
): Promise<PostPaymentResult[]> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction((tx) => postPaymentsIn(tx, requests));
    } catch (error) {
      if (attempt >= KEY_RACE_ATTEMPTS || !isUniqueViolation(error)) throw error;
    }
  }
}

interface OpenLoan {
  row: LoanRow;
  state: LoanState;
  lastSeq: number;
  changed: boolean;
}

async function postPaymentsIn(tx: Transaction, requests: readonly PostPaymentRequest[]): Promise<PostPaymentResult[]> {
  const rows = await getLoans(tx, [...new Set(requests.map((request) => request.loanId))], { forUpdate: true });
  await prepareServicingRules(tx, rows);
  const loans = new Map<string, OpenLoan>(
    rows.map((row) => [row.loanId, { row, ...decodeLoanDocument(row), changed: false }]),
  );
  const known: Map<string, NewPayment> = await findPaymentsByIdempotencyKeys(
    tx,
    requests.map((request) => request.idempotencyKey),
  );
  const payments: NewPayment[] = [];
  const writes = {
    transactions: [] as NewLoanTransaction[],
    journal: [] as NewJournalEntry[],
    outbox: [] as NewOutboxEvent[],
  };
  const results = requests.map((request): PostPaymentResult => {
    const loan = loans.get(request.loanId);
    if (!loan) return { outcome: 'rejected', code: 'loan_not_found', message: `loanId: no loan ${request.loanId}` };
    const earlier = known.get(request.idempotencyKey);
    const dated = valueDate({
      requestedOn: request.on,
      today: request.today,
      closedThrough: loan.state.closedThrough,
      futureDaysMax: request.futureDaysMax,
      firstOn: earlier ? dateOfInstant(earlier.receivedAt) : undefined,
    });
    if (!dated.ok) return { outcome: 'rejected', code: dated.code, field: dated.field, message: dated.message };
    const { on } = dated;
    const { loanId, amountMinor, source, idempotencyKey } = request;
    const hash = requestHash(jsonSafe({ loanId, amountMinor, on, source, idempotencyKey }));
    if (earlier) {
      if (earlier.requestHash !== hash) {
        return {
          outcome: 'rejected',
          code: IDEMPOTENCY_KEY_REUSED,
          message: 'idempotencyKey: already used for another request',
        };
      }
      return { outcome: 'replayed', paymentId: earlier.paymentId, on, result: earlier.result, payment: earlier };
    }
    const paymentId = paymentIdOf(idempotencyKey);
    const applied = applyPayment(loan.state, { paymentId, amountMinor, on, source });
    if (!applied.ok) return { outcome: 'rejected', code: applied.code, message: applied.message };
    const seq = loan.lastSeq + 1;
    const { row } = loan;
    const payment: NewPayment = {
      borrowerId: row.borrowerId,
      paymentId,
      loanId,
      idempotencyKey,
      requestHash: hash,
      amountMinor,
      currency: row.currency,
      source,
      status: 'posted',
      // `recovery`: paid on a charged-off loan (the payments API and console mark it).
      result: jsonSafe({ allocation: applied.allocation, ...(applied.recovery ? { recovery: true } : {}) }),
      receivedAt: `${on}T00:00:00.000Z`,
    };
    payments.push(payment);
    known.set(idempotencyKey, payment);
    writes.transactions.push(transactionRow(applied.state, seq, applied.transaction, on));
    writes.journal.push(...journalRows(applied.journal));
    const events = outboxRow(applied.events, { ...row, seq, businessDate: on });
    if (events) writes.outbox.push(events);
    Object.assign(loan, { state: applied.state, lastSeq: seq, changed: true });
    return { outcome: 'posted', paymentId, on, result: payment.result, payment };
  });
  if (payments.length > 0) {
    await insertPayments(tx, payments);
    const changed = [...loans.values()].filter((loan) => loan.changed);
    await saveCloseBatch(tx, {
      loans: changed.map((loan) => loanUpdateOf(loan.row, loan.state, loan.lastSeq)),
      ...writes,
    });
  }
  return results;
}

function dateOfInstant(instant: string): IsoDate {
  return instant.slice(0, 10) as IsoDate;
}
