// Auto-debit attempts: one row per presentment of a due installment to the borrower's bound account.
// Invariants: an attempt is recorded (status pending, with its idempotency key) before the provider is
// called, and that key is used for every retry of the same attempt, so a crash between the call and
// the outcome can never debit twice; (borrower, loan, due date, attempt) and the key are unique, so
// recording the same attempt again (a rerun of the close) is a no-op. The amount is fixed once, at
// presentment (presented_at): a retry of a presented attempt presents the same amount under the same key,
// and presented attempts still unanswered count as money in flight for the loan.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import {
  assertUniqueKeys,
  batchDocument,
  BATCH_ROWS_MAX,
  chunks,
  jsonOrNull,
  toBigint,
  toDate,
  toInstant,
  toInteger,
  toText,
  toTextOrNull,
} from './rows.ts';

/** `skipped`: nothing was left to collect at presentment, and the provider was never called. */
export type AutoDebitStatus = 'pending' | 'succeeded' | 'declined' | 'unknown' | 'skipped';

export interface AutoDebitAttemptKey {
  borrowerId: string;
  loanId: string;
  dueDate: IsoDate;
  /** 1, 2, 3 … per due date, bounded by the product's retry schedule. */
  attempt: number;
}

export interface NewAutoDebitAttempt extends AutoDebitAttemptKey {
  /** The business date on which this attempt is to be presented. */
  businessDate: IsoDate;
  idempotencyKey: string;
  amountMinor: bigint;
  currency: string;
}

export interface AutoDebitAttemptRow extends NewAutoDebitAttempt {
  status: AutoDebitStatus;
  /** When the amount was fixed for presentment; null while only announced. */
  presentedAt: string | null;
  providerRef: string | null;
  result: unknown;
  createdAt: string;
  updatedAt: string;
}

const attemptColumns = sql.raw(
  'borrower_id, loan_id, due_date, attempt, business_date, idempotency_key, amount_minor, currency, status, presented_at, provider_ref, result, created_at, updated_at',
);

/** Records attempts as pending; an attempt that exists already is left as it is. Returns how many were new. */
export async function insertAutoDebitAttempts(
  queryable: Queryable,
  attempts: readonly NewAutoDebitAttempt[],
): Promise<number> {
  assertUniqueKeys(attempts, keyText, 'auto-debit attempt');
  let inserted = 0;
  for (const chunk of chunks(attempts, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((attempt) => {
        invariant(attempt.amountMinor > 0n, `auto-debit ${keyText(attempt)}: the amount is positive`);
        return {
          borrower_id: attempt.borrowerId,
          loan_id: attempt.loanId,
          due_date: attempt.dueDate,
          attempt: attempt.attempt,
          business_date: attempt.businessDate,
          idempotency_key: attempt.idempotencyKey,
          amount_minor: attempt.amountMinor.toString(),
          currency: attempt.currency,
        };
      }),
    );
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO auto_debit_attempts (borrower_id, loan_id, due_date, attempt, business_date, idempotency_key,
                                           amount_minor, currency, status)
          SELECT borrower_id, loan_id, due_date, attempt, business_date, idempotency_key, amount_minor, currency, 'pending'
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, loan_id text, due_date date,
               attempt integer, business_date date, idempotency_key text, amount_minor bigint, currency text)
          ON CONFLICT DO NOTHING`,
    );
  }
  return inserted;
}

/** Records a provider's answer. `unknown` keeps the attempt open, to be retried with the same key. */
export async function completeAutoDebitAttempt(
  queryable: Queryable,
  outcome: AutoDebitAttemptKey & { status: AutoDebitStatus; providerRef?: string | null; result?: unknown },
): Promise<void> {
  const updated = await executeStatement(
    queryable,
    sql`UPDATE auto_debit_attempts
        SET status = ${outcome.status}, provider_ref = ${outcome.providerRef ?? null},
            result = ${jsonOrNull(outcome.result)}::jsonb, updated_at = now()
        WHERE borrower_id = ${outcome.borrowerId} AND loan_id = ${outcome.loanId}
          AND due_date = ${outcome.dueDate}::date AND attempt = ${outcome.attempt}`,
  );
  invariant(updated === 1, `auto-debit attempt ${keyText(outcome)} exists`);
}

/**
 * Fixes the amount of an announced attempt for presentment. Run it under the loan's row lock, after
 * deciding the amount from the loan and what is in flight. Answers false when the attempt was already
 * presented or answered (a concurrent worker got there first).
 */
export async function markAutoDebitPresented(
  queryable: Queryable,
  attempt: AutoDebitAttemptKey & { amountMinor: bigint },
): Promise<boolean> {
  invariant(attempt.amountMinor > 0n, `auto-debit ${keyText(attempt)}: the amount is positive`);
  const updated = await executeStatement(
    queryable,
    sql`UPDATE auto_debit_attempts
        SET amount_minor = ${attempt.amountMinor.toString()}::bigint, presented_at = now(), updated_at = now()
        WHERE ${isAnnounced(attempt)}`,
  );
  return updated === 1;
}

/**
 * Closes an announced, unpresented attempt as skipped (nothing left to collect), with the reason. Answers
 * false when it was presented or answered meanwhile.
 */
export async function skipAutoDebitAttempt(
  queryable: Queryable,
  attempt: AutoDebitAttemptKey & { reason: string },
): Promise<boolean> {
  const updated = await executeStatement(
    queryable,
    sql`UPDATE auto_debit_attempts
        SET status = 'skipped', result = ${jsonOrNull({ code: attempt.reason })}::jsonb, updated_at = now()
        WHERE ${isAnnounced(attempt)}`,
  );
  return updated === 1;
}

/** Attempts still to present (pending or unknown) with business date ≤ through, oldest first. */
export async function listOpenAutoDebitAttempts(
  queryable: Queryable,
  options: { through: IsoDate; limit: number },
): Promise<AutoDebitAttemptRow[]> {
  invariant(Number.isInteger(options.limit) && options.limit >= 1 && options.limit <= 10_000, 'limit 1…10000');
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${attemptColumns} FROM auto_debit_attempts
        WHERE status IN ('pending', 'unknown') AND business_date <= ${options.through}::date
        ORDER BY business_date, borrower_id, loan_id, due_date, attempt
        LIMIT ${options.limit}`,
  );
  return rows.map(toAttemptRow);
}

/** A loan's attempts, by due date and attempt number. */
export async function listLoanAutoDebitAttempts(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string },
): Promise<AutoDebitAttemptRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${attemptColumns} FROM auto_debit_attempts
        WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId}
        ORDER BY due_date, attempt`,
  );
  return rows.map(toAttemptRow);
}

/** The attempt, while it is still only announced (pending, amount not yet fixed for presentment). */
function isAnnounced(key: AutoDebitAttemptKey) {
  return sql`borrower_id = ${key.borrowerId} AND loan_id = ${key.loanId} AND due_date = ${key.dueDate}::date
             AND attempt = ${key.attempt} AND status = 'pending' AND presented_at IS NULL`;
}

function keyText(key: AutoDebitAttemptKey): string {
  return `${key.borrowerId}/${key.loanId}@${key.dueDate}#${key.attempt}`;
}

function toAttemptRow(row: Record<string, unknown>): AutoDebitAttemptRow {
  return {
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    dueDate: toDate(row.due_date),
    attempt: toInteger(row.attempt),
    businessDate: toDate(row.business_date),
    idempotencyKey: toText(row.idempotency_key),
    amountMinor: toBigint(row.amount_minor),
    currency: toText(row.currency),
    status: toText(row.status) as AutoDebitStatus,
    presentedAt: row.presented_at === null || row.presented_at === undefined ? null : toInstant(row.presented_at),
    providerRef: toTextOrNull(row.provider_ref),
    result: row.result,
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
  };
}
