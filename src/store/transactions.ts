// Loan transactions: each loan's append-only history (disbursement, due, payment, penalty, waiver, …),
// numbered 1, 2, 3 … per loan by the caller, from which the servicing core can replay the loan's state.
// Invariants: rows are never updated or deleted; (borrower, loan, seq) is unique, so writing a sequence
// number twice fails loudly instead of recording an event twice.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import { assertUniqueKeys, batchRows, BATCH_ROWS_MAX, chunks, toDate, toInstant, toInteger, toText } from './rows.ts';

export interface NewLoanTransaction {
  borrowerId: string;
  loanId: string;
  /** 1, 2, 3 … per loan, assigned by the caller (typically a counter kept in the loan's state). */
  seq: number;
  kind: string;
  businessDate: IsoDate;
  /** JSON-serialisable body (amounts as strings). */
  body: unknown;
}

export interface LoanTransactionRow extends NewLoanTransaction {
  createdAt: string;
}

export async function appendLoanTransactions(
  queryable: Queryable,
  transactions: readonly NewLoanTransaction[],
): Promise<number> {
  assertUniqueKeys(transactions, (row) => `${row.borrowerId}/${row.loanId}#${row.seq}`, 'loan transaction');
  let inserted = 0;
  for (const chunk of chunks(transactions, BATCH_ROWS_MAX)) {
    const rows = batchRows(
      chunk.map((row) => {
        invariant(Number.isInteger(row.seq) && row.seq >= 1, `seq of a ${row.loanId} transaction is ≥ 1`);
        return [row.borrowerId, row.loanId, row.seq, row.kind, row.businessDate, row.body];
      }),
    );
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO loan_transactions (borrower_id, loan_id, seq, kind, business_date, body)
          SELECT e->>0, e->>1, (e->>2)::integer, e->>3, (e->>4)::date, e->5
          FROM jsonb_array_elements(${rows}::jsonb) AS e`,
    );
  }
  return inserted;
}

/** A loan's history in order (optionally only after a sequence number). */
export async function listLoanTransactions(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string; afterSeq?: number },
): Promise<LoanTransactionRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, loan_id, seq, kind, business_date, body, created_at FROM loan_transactions
        WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId} AND seq > ${loan.afterSeq ?? 0}
        ORDER BY seq`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    seq: toInteger(row.seq),
    kind: toText(row.kind),
    businessDate: toDate(row.business_date),
    body: row.body,
    createdAt: toInstant(row.created_at),
  }));
}

/** The highest sequence number a loan has used, 0 when it has no history yet. */
export async function lastLoanTransactionSeq(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string },
): Promise<number> {
  const rows = await queryRows<{ seq: unknown }>(
    queryable,
    sql`SELECT coalesce(max(seq), 0) AS seq FROM loan_transactions
        WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId}`,
  );
  return toInteger(rows[0]?.seq ?? 0);
}
