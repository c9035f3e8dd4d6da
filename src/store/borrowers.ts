// Borrowers: who owes, in which time zone and language they are contacted, and their contact points.
// Invariant: borrower_id is the key every borrower-owned table starts with.
import { eq, sql } from 'drizzle-orm';
import { executeStatement, executorOf, queryRows, type Queryable } from './db.ts';
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

/** A phone number as compared for replies: its `+` and digits only (spaces, dashes and brackets dropped). */
export function phoneKey(number: string): string {
  return number.replace(/[^0-9+]/g, '');
}

/**
 * The borrowers whose SMS address is `number` (compared by phoneKey, through the index of migration 0015),
 * in id order: a reply from a number shared by a family reaches each of them.
 */
export async function listBorrowerIdsBySmsNumber(queryable: Queryable, number: string): Promise<string[]> {
  const key = phoneKey(number);
  if (key.replace('+', '').length === 0) return [];
  const rows = await queryRows<{ borrower_id: string }>(
    queryable,
    sql`SELECT borrower_id FROM borrowers
        WHERE regexp_replace(contacts->>'sms', '[^0-9+]', '', 'g') = ${key}
        ORDER BY borrower_id LIMIT 100`,
  );
  return rows.map((row) => row.borrower_id);
}
