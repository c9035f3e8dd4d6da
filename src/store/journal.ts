// The double-entry journal: append-only entries, each with its balanced postings inline (jsonb), and
// the trial balance computed from them in SQL. Invariants checked on every insert: an entry has at least
// one debit and one credit, every amount is a positive integer of minor units, and debits equal
// credits; entries are never updated or deleted (a correction is a new entry).
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable } from './db.ts';
import { assertUniqueKeys, batchRows, BATCH_ROWS_MAX, chunks, toBigint, toDate, toInstant, toText } from './rows.ts';

export type PostingSide = 'debit' | 'credit';

export interface JournalPosting {
  account: string;
  side: PostingSide;
  amountMinor: bigint;
}

export interface NewJournalEntry {
  borrowerId: string;
  /** Unique per borrower and deterministic (e.g. derived from loan, transaction seq and kind). */
  entryId: string;
  loanId: string;
  businessDate: IsoDate;
  kind: string;
  currency: string;
  postings: readonly JournalPosting[];
}

export interface JournalEntryRow extends NewJournalEntry {
  createdAt: string;
}

export interface TrialBalanceLine {
  account: string;
  currency: string;
  debitMinor: bigint;
  creditMinor: bigint;
  /** debitMinor − creditMinor. */
  balanceMinor: bigint;
}

export async function insertJournalEntries(queryable: Queryable, entries: readonly NewJournalEntry[]): Promise<number> {
  assertUniqueKeys(entries, (entry) => `${entry.borrowerId}/${entry.entryId}`, 'journal entry');
  let inserted = 0;
  for (const chunk of chunks(entries, BATCH_ROWS_MAX)) {
    const rows = batchRows(
      chunk.map((entry) => {
        assertBalanced(entry);
        return [
          entry.borrowerId,
          entry.entryId,
          entry.loanId,
          entry.businessDate,
          entry.kind,
          entry.currency,
          entry.postings.map((posting) => ({
            account: posting.account,
            side: posting.side,
            amountMinor: posting.amountMinor.toString(),
          })),
        ];
      }),
    );
    inserted += await executeStatement(
      queryable,
      sql`INSERT INTO journal_entries (borrower_id, entry_id, loan_id, business_date, kind, currency, postings)
          SELECT e->>0, e->>1, e->>2, (e->>3)::date, e->>4, e->>5, e->6
          FROM jsonb_array_elements(${rows}::jsonb) AS e`,
    );
  }
  return inserted;
}

/** A loan's entries in business-date order. */
export async function listLoanJournal(
  queryable: Queryable,
  loan: { borrowerId: string; loanId: string },
): Promise<JournalEntryRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, entry_id, loan_id, business_date, kind, currency, postings, created_at
        FROM journal_entries WHERE borrower_id = ${loan.borrowerId} AND loan_id = ${loan.loanId}
        ORDER BY business_date, entry_id`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    entryId: toText(row.entry_id),
    loanId: toText(row.loan_id),
    businessDate: toDate(row.business_date),
    kind: toText(row.kind),
    currency: toText(row.currency),
    postings: (row.postings as { account: string; side: PostingSide; amountMinor: string }[]).map((posting) => ({
      account: posting.account,
      side: posting.side,
      amountMinor: toBigint(posting.amountMinor),
    })),
    createdAt: toInstant(row.created_at),
  }));
}

/**
 * Debits and credits per account and currency over the entries with business date ≤ asOf (and ≥ from,
 * when given: from = asOf gives one day's activity). Totals over all accounts of one currency always
 * balance, since every entry does.
 */
export async function trialBalance(
  queryable: Queryable,
  options: { asOf: IsoDate; from?: IsoDate },
): Promise<TrialBalanceLine[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT p.value->>'account' AS account, e.currency,
               sum(CASE WHEN p.value->>'side' = 'debit' THEN (p.value->>'amountMinor')::bigint ELSE 0 END)::text AS debit,
               sum(CASE WHEN p.value->>'side' = 'credit' THEN (p.value->>'amountMinor')::bigint ELSE 0 END)::text AS credit
        FROM journal_entries e CROSS JOIN LATERAL jsonb_array_elements(e.postings) AS p(value)
        WHERE e.business_date <= ${options.asOf}::date
          ${options.from ? sql`AND e.business_date >= ${options.from}::date` : sql``}
        GROUP BY 1, 2
        ORDER BY 2, 1`,
  );
  return rows.map((row) => {
    const debitMinor = toBigint(row.debit);
    const creditMinor = toBigint(row.credit);
    return {
      account: toText(row.account),
      currency: toText(row.currency),
      debitMinor,
      creditMinor,
      balanceMinor: debitMinor - creditMinor,
    };
  });
}

function assertBalanced(entry: NewJournalEntry): void {
  let debit = 0n;
  let credit = 0n;
  for (const posting of entry.postings) {
    invariant(posting.amountMinor > 0n, `journal entry ${entry.entryId}: posting amounts are positive`);
    invariant(posting.account.length > 0, `journal entry ${entry.entryId}: every posting names an account`);
    if (posting.side === 'debit') debit += posting.amountMinor;
    else if (posting.side === 'credit') credit += posting.amountMinor;
    else invariant(false, `journal entry ${entry.entryId}: posting side is debit or credit`);
  }
  invariant(debit > 0n && debit === credit, `journal entry ${entry.entryId}: debits ${debit} equal credits ${credit}`);
}
