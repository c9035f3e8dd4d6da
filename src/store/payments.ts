// Payments received (manual, auto-debit, transfer …), each under an idempotency key. Invariants: a key
// names one payment forever (a unique index: inserting a taken key fails, and the caller answers from the
// stored payment, found by key — src/app/loans.ts postPayments); amounts are positive bigint minor units.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { invariant } from '../errors/index.ts';
import { executeStatement, executorOf, type Queryable } from './db.ts';
import { batchDocument, BATCH_ROWS_MAX, chunks, toInstant } from './rows.ts';
import { payments } from './schema.ts';

export interface NewPayment {
  borrowerId: string;
  paymentId: string;
  loanId: string;
  idempotencyKey: string;
  /** requestHash(body) of the request that created it. */
  requestHash: string;
  amountMinor: bigint;
  currency: string;
  source: string;
  status: string;
  /** The outcome to replay (allocation, …); JSON-serialisable. */
  result: unknown;
  /** ISO-8601 instant. */
  receivedAt: string;
}

export interface PaymentRow extends NewPayment {
  createdAt: string;
  updatedAt: string;
}

/** Updates a payment's status and result (e.g. a pending auto-debit that settled). */
export async function updatePayment(
  queryable: Queryable,
  update: { borrowerId: string; paymentId: string; status: string; result: unknown },
): Promise<void> {
  const updated = await executorOf(queryable)
    .update(payments)
    .set({ status: update.status, result: update.result ?? null, updatedAt: sql`now()` })
    .where(and(eq(payments.borrowerId, update.borrowerId), eq(payments.paymentId, update.paymentId)))
    .returning({ paymentId: payments.paymentId });
  invariant(updated.length === 1, `payment ${update.borrowerId}/${update.paymentId} exists`);
}

/** Records payments whose keys are free, in one statement; a taken key fails the whole statement (23505). */
export async function insertPayments(queryable: Queryable, rows: readonly NewPayment[]): Promise<number> {
  let inserted = 0;
  for (const chunk of chunks(rows, BATCH_ROWS_MAX)) {
    for (const payment of chunk) {
      invariant(payment.amountMinor > 0n, `payment ${payment.paymentId}: the amount is positive`);
    }
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO payments (borrower_id, payment_id, loan_id, idempotency_key, request_hash, amount_minor, currency,
                                source, status, result, received_at)
          SELECT borrower_id, payment_id, loan_id, idempotency_key, request_hash, amount_minor, currency, source,
                 status, result, received_at
          FROM jsonb_to_recordset(${batchDocument(
            chunk.map((payment) => ({
              borrower_id: payment.borrowerId,
              payment_id: payment.paymentId,
              loan_id: payment.loanId,
              idempotency_key: payment.idempotencyKey,
              request_hash: payment.requestHash,
              amount_minor: payment.amountMinor.toString(),
              currency: payment.currency,
              source: payment.source,
              status: payment.status,
              result: payment.result ?? null,
              received_at: payment.receivedAt,
            })),
          )}::jsonb) AS v(borrower_id text, payment_id text, loan_id text, idempotency_key text, request_hash text,
               amount_minor bigint, currency text, source text, status text, result jsonb, received_at timestamptz)`,
    );
  }
  return inserted;
}

/** The payments stored under these keys, by key. */
export async function findPaymentsByIdempotencyKeys(
  queryable: Queryable,
  idempotencyKeys: readonly string[],
): Promise<Map<string, PaymentRow>> {
  const found = new Map<string, PaymentRow>();
  if (idempotencyKeys.length === 0) return found;
  const rows = await executorOf(queryable)
    .select()
    .from(payments)
    .where(inArray(payments.idempotencyKey, [...new Set(idempotencyKeys)]));
  for (const row of rows) found.set(row.idempotencyKey, toPaymentRow(row));
  return found;
}

export async function findPaymentByIdempotencyKey(
  queryable: Queryable,
  idempotencyKey: string,
): Promise<PaymentRow | undefined> {
  const [row] = await executorOf(queryable).select().from(payments).where(eq(payments.idempotencyKey, idempotencyKey));
  return row ? toPaymentRow(row) : undefined;
}

/** A payment by its id alone (index payments_payment_id_idx); ids derive from unique keys, so at most one. */
export async function findPaymentById(queryable: Queryable, paymentId: string): Promise<PaymentRow | undefined> {
  const rows = await executorOf(queryable).select().from(payments).where(eq(payments.paymentId, paymentId)).limit(2);
  invariant(rows.length <= 1, `payment id ${paymentId} names one payment`);
  return rows[0] ? toPaymentRow(rows[0]) : undefined;
}

/** A loan's payments in the order received. */
export async function listLoanPayments(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string },
): Promise<PaymentRow[]> {
  const rows = await executorOf(queryable)
    .select()
    .from(payments)
    .where(and(eq(payments.borrowerId, loan.borrowerId), eq(payments.loanId, loan.loanId)))
    .orderBy(asc(payments.receivedAt), asc(payments.paymentId));
  return rows.map(toPaymentRow);
}

function toPaymentRow(row: typeof payments.$inferSelect): PaymentRow {
  return {
    ...row,
    receivedAt: toInstant(row.receivedAt),
    createdAt: toInstant(row.createdAt),
    updatedAt: toInstant(row.updatedAt),
  };
}
