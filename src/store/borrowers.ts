// Borrowers: who owes, in which time zone and language they are contacted, and their contact points.
// Invariant: borrower_id is the key every borrower-owned table starts with.
import { eq, sql } from 'drizzle-orm';
import { executeStatement, executorOf, type Queryable } from './db.ts';
import { assertUniqueKeys, batchDocument, BATCH_ROWS_MAX, chunks, toInstant } from './rows.ts';
import { borrowers } from './schema.ts';

export interface NewBorrower {
  borrowerId: string;
  name: string;
  /** IANA zone, e.g. Asia/Shanghai. */
  timezone: string;
  /** BCP 47, e.g. zh-CN. */
  locale: string;
  /** JSON-serialisable, e.g. { sms, email, push, voice }. */
  contacts: unknown;
}

export interface BorrowerRow extends NewBorrower {
  createdAt: string;
}

/** Creates borrowers or updates their name, zone, locale and contacts; returns how many rows it wrote. */
export async function upsertBorrowers(queryable: Queryable, rows: readonly NewBorrower[]): Promise<number> {
  assertUniqueKeys(rows, (row) => row.borrowerId, 'borrower');
  let written = 0;
  for (const chunk of chunks(rows, BATCH_ROWS_MAX)) {
    const document = batchDocument(
      chunk.map((row) => ({
        borrower_id: row.borrowerId,
        name: row.name,
        timezone: row.timezone,
        locale: row.locale,
        contacts: row.contacts ?? {},
      })),
    );
    written += await executeStatement(
      queryable,
      sql`INSERT INTO borrowers (borrower_id, name, timezone, locale, contacts)
          SELECT borrower_id, name, timezone, locale, contacts
          FROM jsonb_to_recordset(${document}::jsonb) AS v(borrower_id text, name text, timezone text,
               locale text, contacts jsonb)
          ON CONFLICT (borrower_id) DO UPDATE
          SET name = excluded.name, timezone = excluded.timezone, locale = excluded.locale,
              contacts = excluded.contacts`,
    );
  }
  return written;
}

export async function getBorrower(queryable: Queryable, borrowerId: string): Promise<BorrowerRow | undefined> {
  const [row] = await executorOf(queryable).select().from(borrowers).where(eq(borrowers.borrowerId, borrowerId));
  return row ? { ...row, createdAt: toInstant(row.createdAt) } : undefined;
}
