// The reports' reads: each loan's standing (bucket, status, outstanding principal) at snapshot dates, its
// delinquency episodes with the payments after them, and the history a replay needs. Everything is rebuilt
// from what servicing already records, so the daily close writes nothing extra for reports:
// * every step that changes a loan (a day's close, a payment, a plan step) writes one `loan_events` outbox
//   row in the same transaction as the loan (payload `{ seq, events: [{ type, date, … }] }`, seq = the
//   step's loan transaction), and outbox rows are kept after dispatch (dispatched_at is set, nothing is
//   deleted). A loan's bucket on date D is the `to` of its last `bucket_changed` event dated on or before D
//   (by step seq, then position in the step), the first bucket of its ladder before any; its status
//   likewise from `status_changed` (`active` before any);
// * a loan exists from its opening transaction's business date (loan_transactions seq 1);
// * outstanding principal on D is the loan's principal_receivable balance in the journal through D.
// Invariants: read-only; one statement per report (a consistent snapshot on PostgreSQL and PGlite alike);
// amounts are bigint minor units; the SQL is the same on both engines. Cost: these reads scan the outbox
// and journal once per request (no index serves a date range across loans); docs/reports.md says so.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { queryRows, type Queryable } from './db.ts';
import type { LoanTransactionRow } from './transactions.ts';
import { batchDocument, chunks, toBigint, toDate, toInstant, toInteger, toText, toTextOrNull } from './rows.ts';

/** Loans that went from one standing to another between snapshot k and k + 1 (null: no event yet). */
export interface StandingTransitionRow {
  /** Index of the period: snapshots[period] → snapshots[period + 1]. */
  period: number;
  rulesDigest: string | null;
  currency: string;
  /** null: no bucket_changed yet (the ladder's first bucket). */
  fromBucket: string | null;
  /** null: no status_changed yet (`active`). */
  fromStatus: string | null;
  toBucket: string | null;
  toStatus: string | null;
  loans: number;
  /** Outstanding principal at the first snapshot, summed. */
  principalMinor: bigint;
}

/** The most snapshot dates one read takes. */
export const SNAPSHOTS_MAX = 32;

/**
 * Every loan opened on or before snapshot k, paired with its standing at snapshot k + 1, grouped. Snapshots
 * ascend strictly.
 */
export async function standingTransitions(
  queryable: Queryable,
  snapshots: readonly IsoDate[],
): Promise<StandingTransitionRow[]> {
  invariant(snapshots.length >= 2 && snapshots.length <= SNAPSHOTS_MAX, `2…${SNAPSHOTS_MAX} snapshot dates`);
  snapshots.forEach((date, index) =>
    invariant(index === 0 || date > (snapshots[index - 1] as string), 'snapshot dates ascend'),
  );
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`WITH snapshot AS (
          SELECT (s.ord - 1)::integer AS k, s.value::date AS d
          FROM jsonb_array_elements_text(${JSON.stringify(snapshots)}::jsonb) WITH ORDINALITY AS s(value, ord)
        ),
        change AS (
          SELECT o.borrower_id, o.loan_id, (o.payload->>'seq')::integer AS seq, e.ord AS n,
                 e.value->>'type' AS type, (e.value->>'date')::date AS on_date, e.value->>'to' AS to_value
          FROM outbox AS o
          CROSS JOIN LATERAL jsonb_array_elements(o.payload->'events') WITH ORDINALITY AS e(value, ord)
          WHERE o.kind = 'loan_events' AND e.value->>'type' IN ('bucket_changed', 'status_changed')
        ),
        last_change AS (
          SELECT DISTINCT ON (c.borrower_id, c.loan_id, c.type, s.k) c.borrower_id, c.loan_id, c.type, s.k, c.to_value
          FROM change AS c JOIN snapshot AS s ON c.on_date <= s.d
          ORDER BY c.borrower_id, c.loan_id, c.type, s.k, c.seq DESC, c.n DESC
        ),
        principal AS (
          SELECT j.borrower_id, j.loan_id, s.k,
                 sum(CASE WHEN p.value->>'side' = 'debit' THEN (p.value->>'amountMinor')::bigint
                          ELSE -(p.value->>'amountMinor')::bigint END) AS minor
          FROM journal_entries AS j
          CROSS JOIN LATERAL jsonb_array_elements(j.postings) AS p(value)
          JOIN snapshot AS s ON j.business_date <= s.d
          WHERE p.value->>'account' = 'principal_receivable'
          GROUP BY j.borrower_id, j.loan_id, s.k
        ),
        standing AS (
          SELECT l.borrower_id, l.loan_id, l.rules_digest, l.currency, s.k,
                 b.to_value AS bucket, st.to_value AS status, coalesce(p.minor, 0) AS principal_minor
          FROM loans AS l
          JOIN loan_transactions AS t ON t.borrower_id = l.borrower_id AND t.loan_id = l.loan_id AND t.seq = 1
          JOIN snapshot AS s ON t.business_date <= s.d
          LEFT JOIN last_change AS b
            ON b.borrower_id = l.borrower_id AND b.loan_id = l.loan_id AND b.k = s.k AND b.type = 'bucket_changed'
          LEFT JOIN last_change AS st
            ON st.borrower_id = l.borrower_id AND st.loan_id = l.loan_id AND st.k = s.k AND st.type = 'status_changed'
          LEFT JOIN principal AS p ON p.borrower_id = l.borrower_id AND p.loan_id = l.loan_id AND p.k = s.k
        )
        SELECT a.k AS period, a.rules_digest, a.currency, a.bucket AS from_bucket, a.status AS from_status,
               z.bucket AS to_bucket, z.status AS to_status, count(*) AS loans,
               sum(a.principal_minor)::text AS principal_minor
        FROM standing AS a
        JOIN standing AS z ON z.borrower_id = a.borrower_id AND z.loan_id = a.loan_id AND z.k = a.k + 1
        GROUP BY a.k, a.rules_digest, a.currency, a.bucket, a.status, z.bucket, z.status
        ORDER BY a.k, a.rules_digest, a.currency, a.bucket, a.status, z.bucket, z.status`,
  );
  return rows.map((row) => ({
    period: toInteger(row.period),
    rulesDigest: toTextOrNull(row.rules_digest),
    currency: toText(row.currency),
    fromBucket: toTextOrNull(row.from_bucket),
    fromStatus: toTextOrNull(row.from_status),
    toBucket: toTextOrNull(row.to_bucket),
    toStatus: toTextOrNull(row.to_status),
    loans: toInteger(row.loans),
    principalMinor: toBigint(row.principal_minor),
  }));
}

/** A `became_delinquent` event with the payments and reversals that follow it until the loan's next one. */
export interface DelinquencyEpisodeRow {
  borrowerId: string;
  loanId: string;
  currency: string;
  /** The loan transaction seq of the step that made the loan delinquent. */
  seq: number;
  startedOn: IsoDate;
  payments: {
    kind: 'posted' | 'reversed';
    paymentId: string;
    on: IsoDate;
    amountMinor: bigint;
  }[];
}

/** Delinquency episodes that started from `from` through `through`, oldest first. */
export async function delinquencyEpisodes(
  queryable: Queryable,
  range: { from: IsoDate; through: IsoDate },
): Promise<DelinquencyEpisodeRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`WITH loan_event AS (
          SELECT o.borrower_id, o.loan_id, (o.payload->>'seq')::integer AS seq, e.ord AS n,
                 e.value->>'type' AS type, (e.value->>'date')::date AS on_date,
                 e.value->>'paymentId' AS payment_id, e.value->>'amountMinor' AS amount_minor
          FROM outbox AS o
          CROSS JOIN LATERAL jsonb_array_elements(o.payload->'events') WITH ORDINALITY AS e(value, ord)
          WHERE o.kind = 'loan_events'
            AND e.value->>'type' IN ('became_delinquent', 'payment_posted', 'payment_reversed')
        ),
        episode AS (
          SELECT borrower_id, loan_id, seq, n, on_date,
                 lead(seq) OVER (PARTITION BY borrower_id, loan_id ORDER BY seq, n) AS next_seq,
                 lead(n) OVER (PARTITION BY borrower_id, loan_id ORDER BY seq, n) AS next_n
          FROM loan_event WHERE type = 'became_delinquent'
        )
        SELECT ep.borrower_id, ep.loan_id, l.currency, ep.seq, ep.on_date,
               coalesce(jsonb_agg(jsonb_build_array(pay.type, pay.payment_id, pay.on_date, pay.amount_minor)
                                  ORDER BY pay.seq, pay.n) FILTER (WHERE pay.seq IS NOT NULL), '[]'::jsonb) AS payments
        FROM episode AS ep
        JOIN loans AS l ON l.borrower_id = ep.borrower_id AND l.loan_id = ep.loan_id
        LEFT JOIN loan_event AS pay
          ON pay.borrower_id = ep.borrower_id AND pay.loan_id = ep.loan_id
         AND pay.type IN ('payment_posted', 'payment_reversed')
         AND (pay.seq, pay.n) > (ep.seq, ep.n)
         AND (ep.next_seq IS NULL OR (pay.seq, pay.n) < (ep.next_seq, ep.next_n))
        WHERE ep.on_date BETWEEN ${range.from}::date AND ${range.through}::date
        GROUP BY ep.borrower_id, ep.loan_id, l.currency, ep.seq, ep.n, ep.on_date
        ORDER BY ep.on_date, ep.borrower_id, ep.loan_id, ep.seq, ep.n`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    currency: toText(row.currency),
    seq: toInteger(row.seq),
    startedOn: toDate(row.on_date),
    payments: (row.payments as [string, string, string, string][]).map(([type, paymentId, on, amount]) => ({
      kind: type === 'payment_reversed' ? ('reversed' as const) : ('posted' as const),
      paymentId: toText(paymentId),
      on: toDate(on),
      amountMinor: toBigint(amount),
    })),
  }));
}

/** The key of loanTransactionsThrough's answer. */
export function throughKey(loan: { loanId: string; throughSeq: number }): string {
  return `${loan.loanId}#${loan.throughSeq}`;
}

/**
 * Loans' transactions through a seq each (the opening included), for a replay to that step; keyed by
 * throughKey (one loan may be asked for through several seqs).
 */
export async function loanTransactionsThrough(
  queryable: Queryable,
  loans: readonly { borrowerId: string; loanId: string; throughSeq: number }[],
): Promise<Map<string, LoanTransactionRow[]>> {
  const byLoan = new Map<string, LoanTransactionRow[]>();
  for (const chunk of chunks(loans, 1_000)) {
    const document = batchDocument(
      chunk.map((loan) => ({ borrower_id: loan.borrowerId, loan_id: loan.loanId, through_seq: loan.throughSeq })),
    );
    const rows = await queryRows<Record<string, unknown>>(
      queryable,
      sql`SELECT v.through_seq, t.borrower_id, t.loan_id, t.seq, t.kind, t.business_date, t.body, t.created_at
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, loan_id text, through_seq integer)
          JOIN loan_transactions AS t
            ON t.borrower_id = v.borrower_id AND t.loan_id = v.loan_id AND t.seq <= v.through_seq
          ORDER BY t.borrower_id, t.loan_id, v.through_seq, t.seq`,
    );
    for (const row of rows) {
      const loanId = toText(row.loan_id);
      const key = throughKey({ loanId, throughSeq: toInteger(row.through_seq) });
      const list = byLoan.get(key) ?? [];
      list.push({
        borrowerId: toText(row.borrower_id),
        loanId,
        seq: toInteger(row.seq),
        kind: toText(row.kind),
        businessDate: toDate(row.business_date),
        body: row.body,
        createdAt: toInstant(row.created_at),
      });
      byLoan.set(key, list);
    }
  }
  return byLoan;
}

/** The latest business date whose daily close completed, or null before the first. */
export async function latestClosedDate(queryable: Queryable): Promise<IsoDate | null> {
  const rows = await queryRows<{ date: unknown }>(
    queryable,
    sql`SELECT max(business_date) AS date FROM eod_runs WHERE status = 'completed'`,
  );
  const date = rows[0]?.date;
  return date === null || date === undefined ? null : toDate(date);
}
