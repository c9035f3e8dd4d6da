// Loans: one row per loan holding the servicing core's state as an opaque JSON document (text), plus the copies
// of status, DPD, bucket, next event date and closed-through date that queries and indexes need; and the
// loan's contract, written once when it opens and never by the close: its terms, and its servicing rules
// by digest (servicing_rules: one row per distinct rule set, keyed by the SHA-256 of the rules' jsonb
// text, computed in SQL so every writer derives the same key).
// Invariants: a loan's borrower_hash is borrowerHash(borrower_id), computed here and nowhere else;
// every update names the version it read and bumps it (optimistic concurrency), and a batch whose
// versions do not all match fails as a whole; claimDueLoans returns only loans due on the business
// date, not yet closed through it, in the caller's hash range, and locked for the caller's transaction.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { executeStatement, queryRows, type Queryable, type Transaction } from './db.ts';
import { StoreConflictError } from './errors.ts';
import { borrowerHash, partitionRange, type Partition } from './partition.ts';
import {
  assertUniqueKeys,
  batchDocument,
  batchRows,
  BATCH_ROWS_MAX,
  chunks,
  idListJson,
  toDateOrNull,
  toInstant,
  toInteger,
  toText,
  toTextOrNull,
} from './rows.ts';

export interface LoanRow {
  borrowerId: string;
  loanId: string;
  productId: string | null;
  currency: string;
  status: string;
  dpd: number;
  bucket: string;
  nextEventDate: IsoDate | null;
  closedThrough: IsoDate | null;
  borrowerHash: number;
  /** The servicing core's document, as JSON (the store never looks inside). */
  state: unknown;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** The loan's terms as given at opening (JSON), or null for a loan opened without a contract. */
  terms: unknown;
  /** The key of its servicing rules in servicing_rules (see getServicingRules), or null likewise. */
  rulesDigest: string | null;
}

/** What never changes after a loan opens: its terms and servicing rules, JSON-serialisable. */
export interface LoanContractDocument {
  terms: unknown;
  rules: unknown;
}

export interface NewLoan {
  borrowerId: string;
  loanId: string;
  productId?: string | null;
  currency: string;
  status: string;
  dpd?: number;
  bucket: string;
  nextEventDate: IsoDate | null;
  closedThrough?: IsoDate | null;
  /** JSON-serialisable (encode bigint amounts as strings before they get here). */
  state: unknown;
  /** Stored once, apart from the state: terms in loans.terms, rules in servicing_rules (by digest). */
  contract?: LoanContractDocument;
}

/** A loan's new state after the close or a command; expectedVersion is the version that was read. */
export interface LoanUpdate {
  borrowerId: string;
  loanId: string;
  expectedVersion: number;
  state: unknown;
  status: string;
  dpd: number;
  bucket: string;
  nextEventDate: IsoDate | null;
  closedThrough: IsoDate | null;
}

/** Where the previous page of claimDueLoans ended: the index key of its last loan. */
export interface DueCursor {
  nextEventDate: IsoDate;
  borrowerId: string;
  loanId: string;
}

export interface ClaimDueLoansOptions extends Partition {
  businessDate: IsoDate;
  /** Page size, 1 … CLAIM_LIMIT_MAX. */
  limit: number;
  /** Continue after this key (dueCursorOf the previous page's last loan); see claimDueLoans. */
  after?: DueCursor;
}

export const CLAIM_LIMIT_MAX = 10_000;

const loanColumns = sql.raw(
  'borrower_id, loan_id, product_id, currency, status, dpd, bucket, next_event_date, closed_through, borrower_hash, state, version, created_at, updated_at, terms, rules_digest',
);

/** What the close reads of a due loan: no more than it needs, since it reads every due loan of the day. */
export type DueLoanRow = Pick<
  LoanRow,
  | 'borrowerId'
  | 'loanId'
  | 'currency'
  | 'nextEventDate'
  | 'borrowerHash'
  | 'state'
  | 'version'
  | 'terms'
  | 'rulesDigest'
>;

const dueLoanColumns = sql.raw(
  'borrower_id, loan_id, currency, next_event_date, borrower_hash, state, version, terms, rules_digest',
);

/**
 * Inserts new loans in bulk (their borrowers must exist; a loan id may not exist under any borrower),
 * with their contracts where given; returns how many loans were inserted.
 */
export async function insertLoans(queryable: Queryable, loans: readonly NewLoan[]): Promise<number> {
  assertUniqueKeys(loans, (loan) => loan.loanId, 'loan');
  let inserted = 0;
  for (const chunk of chunks(loans, BATCH_ROWS_MAX)) {
    // Each distinct rule set travels once per statement; loans point at it by position.
    const ruleSets = new Map<string, number>();
    const rows = chunk.map((loan) => {
      let rulesIndex: number | null = null;
      if (loan.contract) {
        const text = JSON.stringify(loan.contract.rules);
        rulesIndex = ruleSets.get(text) ?? ruleSets.size + 1;
        ruleSets.set(text, rulesIndex);
      }
      return {
        borrower_id: loan.borrowerId,
        loan_id: loan.loanId,
        product_id: loan.productId ?? null,
        currency: loan.currency,
        status: loan.status,
        dpd: loan.dpd ?? 0,
        bucket: loan.bucket,
        next_event_date: loan.nextEventDate,
        closed_through: loan.closedThrough ?? null,
        borrower_hash: borrowerHash(loan.borrowerId),
        state: JSON.stringify(loan.state),
        terms: loan.contract?.terms ?? null,
        rules_index: rulesIndex,
      };
    });
    const rules = `[${[...ruleSets.keys()].join(',')}]`;
    // One statement, so the directory entries, contracts and loans land together even outside a transaction.
    inserted += await executeStatement(
      queryable,
      sql`WITH r AS (
            SELECT n, value AS rules, encode(sha256(convert_to(value::text, 'UTF8')), 'hex') AS rules_digest
            FROM jsonb_array_elements(${rules}::jsonb) WITH ORDINALITY AS e(value, n)
          ), rules_in AS (
            INSERT INTO servicing_rules (rules_digest, rules)
            SELECT DISTINCT ON (rules_digest) rules_digest, rules FROM r ORDER BY rules_digest
            ON CONFLICT (rules_digest) DO NOTHING
          ), v AS (
            SELECT * FROM jsonb_to_recordset(${batchDocument(rows)}::jsonb) AS v(borrower_id text, loan_id text,
              product_id text, currency text, status text, dpd integer, bucket text, next_event_date date,
              closed_through date, borrower_hash integer, state text, terms jsonb, rules_index integer)
          ), directory AS (
            INSERT INTO loan_directory (loan_id, borrower_id) SELECT loan_id, borrower_id FROM v
          )
          INSERT INTO loans (borrower_id, loan_id, product_id, currency, status, dpd, bucket, next_event_date,
                             closed_through, borrower_hash, state, rules_digest, terms)
          SELECT v.borrower_id, v.loan_id, v.product_id, v.currency, v.status, v.dpd, v.bucket, v.next_event_date,
                 v.closed_through, v.borrower_hash, v.state, r.rules_digest, v.terms
          FROM v LEFT JOIN r ON r.n = v.rules_index`,
    );
  }
  return inserted;
}

/** Servicing rules by digest (LoanRow.rulesDigest), as the JSON they were stored as; unknown digests are absent. */
export async function getServicingRules(
  queryable: Queryable,
  digests: readonly string[],
): Promise<Map<string, unknown>> {
  const found = new Map<string, unknown>();
  if (digests.length === 0) return found;
  const rows = await queryRows<{ rules_digest: unknown; rules: unknown }>(
    queryable,
    sql`SELECT rules_digest, rules FROM servicing_rules
        WHERE rules_digest IN (SELECT jsonb_array_elements_text(${JSON.stringify([...new Set(digests)])}::jsonb))`,
  );
  for (const row of rows) found.set(toText(row.rules_digest), row.rules);
  return found;
}

/** One loan by its id; forUpdate locks it until the caller's transaction ends. */
export async function getLoan(
  queryable: Queryable,
  loanId: string,
  options: { forUpdate?: boolean } = {},
): Promise<LoanRow | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${loanColumns} FROM loans
        WHERE borrower_id = (SELECT borrower_id FROM loan_directory WHERE loan_id = ${loanId}) AND loan_id = ${loanId}
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return rows[0] ? toLoanRow(rows[0]) : undefined;
}

/**
 * Loans by id, whoever their borrowers, in key order; with `forUpdate` locked in that order, so two
 * transactions locking overlapping sets wait for each other instead of deadlocking. Ids with no loan are
 * left out.
 */
export async function getLoans(
  queryable: Queryable,
  loanIds: readonly string[],
  options: { forUpdate?: boolean } = {},
): Promise<LoanRow[]> {
  if (loanIds.length === 0) return [];
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${loanColumns} FROM loans
        WHERE (borrower_id, loan_id) IN (
          SELECT borrower_id, loan_id FROM loan_directory
          -- The LIMIT cuts nothing; it tells the planner how few ids come, so it looks them up by index.
          WHERE loan_id IN (SELECT jsonb_array_elements_text(${idListJson(loanIds)}::jsonb) LIMIT ${loanIds.length}))
        ORDER BY borrower_id, loan_id
        ${options.forUpdate ? sql`FOR UPDATE` : sql``}`,
  );
  return rows.map(toLoanRow);
}

/** A borrower's loans, by loan id. */
export async function listBorrowerLoans(queryable: Queryable, borrowerId: string): Promise<LoanRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${loanColumns} FROM loans WHERE borrower_id = ${borrowerId} ORDER BY loan_id`,
  );
  return rows.map(toLoanRow);
}

/**
 * The next page of loans the daily close must process for businessDate in this worker's hash range:
 * next_event_date ≤ businessDate and not yet closed through it, in index order (next event date,
 * borrower id, loan id), locked FOR UPDATE SKIP LOCKED so concurrent workers never get
 * the same loan. Call it and saveCloseBatch in one transaction.
 *
 * Without `after`, each call starts at the front of the due range: loans saved by earlier pages have
 * left it (their closed_through is the business date), so calling until a page comes back empty
 * processes every due loan. `after` (dueCursorOf the last loan of the previous page) skips the index
 * entries of loans already processed in this run, which matters when a day has hundreds of thousands of
 * due loans; but a loan that was locked by someone else when the cursor passed it is skipped, so a
 * cursor run must end with one more pass without `after` (and countDueLoans tells whether anything is
 * still left, e.g. a loan locked by a long API transaction).
 */
export async function claimDueLoans(tx: Transaction, options: ClaimDueLoansOptions): Promise<DueLoanRow[]> {
  const { businessDate, limit, after } = options;
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= CLAIM_LIMIT_MAX, `claim limit 1…${CLAIM_LIMIT_MAX}`);
  const { low, high } = partitionRange(options);
  const rows = await queryRows<Record<string, unknown>>(
    tx,
    sql`SELECT ${dueLoanColumns} FROM loans
        WHERE next_event_date <= ${businessDate}::date
          AND (closed_through IS NULL OR closed_through < ${businessDate}::date)
          AND borrower_hash BETWEEN ${low} AND ${high}
          ${
            after
              ? sql`AND (next_event_date, borrower_id, loan_id) > (${after.nextEventDate}::date, ${after.borrowerId}, ${after.loanId})`
              : sql``
          }
        ORDER BY next_event_date, borrower_id, loan_id
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED`,
  );
  return rows.map(toDueLoanRow);
}

export function dueCursorOf(loan: DueLoanRow): DueCursor {
  invariant(loan.nextEventDate !== null, 'a due loan has a next event date');
  return { nextEventDate: loan.nextEventDate, borrowerId: loan.borrowerId, loanId: loan.loanId };
}

/** How many loans are still due for businessDate (in one worker's range, or all); takes no locks. */
export async function countDueLoans(
  queryable: Queryable,
  options: { businessDate: IsoDate; partition?: Partition },
): Promise<number> {
  const range = options.partition ? partitionRange(options.partition) : { low: 0, high: 2 ** 31 - 1 };
  const rows = await queryRows<{ count: unknown }>(
    queryable,
    sql`SELECT count(*) AS count FROM loans
        WHERE next_event_date <= ${options.businessDate}::date
          AND (closed_through IS NULL OR closed_through < ${options.businessDate}::date)
          AND borrower_hash BETWEEN ${range.low} AND ${range.high}`,
  );
  return toInteger(rows[0]?.count ?? 0);
}

/**
 * Writes new loan states in one statement per chunk. Throws StoreConflictError (code
 * loan_version_conflict) when any loan's version is not the expected one: the caller's transaction
 * must then roll back, so none of its changes land.
 */
export async function updateLoans(queryable: Queryable, updates: readonly LoanUpdate[]): Promise<number> {
  assertUniqueKeys(updates, (update) => `${update.borrowerId}/${update.loanId}`, 'loan');
  let updated = 0;
  for (const chunk of chunks(updates, BATCH_ROWS_MAX)) {
    const rows = batchRows(
      chunk.map((update) => {
        invariant(update.dpd >= 0 && Number.isInteger(update.dpd), `dpd of ${update.loanId} is a whole number ≥ 0`);
        return [
          update.borrowerId,
          update.loanId,
          update.expectedVersion,
          JSON.stringify(update.state),
          update.status,
          update.dpd,
          update.bucket,
          update.nextEventDate,
          update.closedThrough,
        ];
      }),
    );
    const count = await executeStatement(
      queryable,
      sql`UPDATE loans AS l
          SET state = v.state, status = v.status, dpd = v.dpd, bucket = v.bucket,
              next_event_date = v.next_event_date, closed_through = v.closed_through,
              version = l.version + 1, updated_at = now()
          FROM (SELECT e->>0 AS borrower_id, e->>1 AS loan_id, (e->>2)::integer AS expected_version, e->>3 AS state,
                       e->>4 AS status, (e->>5)::integer AS dpd, e->>6 AS bucket, (e->>7)::date AS next_event_date,
                       (e->>8)::date AS closed_through
                FROM jsonb_array_elements(${rows}::jsonb) AS e
                -- Not a cut (there are exactly this many): it tells the planner how many rows come, so a few
                -- (an API payment) join by index instead of a hash join over every loan.
                LIMIT ${chunk.length}) AS v
          WHERE l.borrower_id = v.borrower_id AND l.loan_id = v.loan_id AND l.version = v.expected_version`,
    );
    if (count !== chunk.length) {
      throw new StoreConflictError(
        'loan_version_conflict',
        `${chunk.length - count} of ${chunk.length} loans changed since they were read (or do not exist)`,
      );
    }
    updated += count;
  }
  return updated;
}

function toLoanRow(row: Record<string, unknown>): LoanRow {
  return {
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    productId: toTextOrNull(row.product_id),
    currency: toText(row.currency),
    status: toText(row.status),
    dpd: toInteger(row.dpd),
    bucket: toText(row.bucket),
    nextEventDate: toDateOrNull(row.next_event_date),
    closedThrough: toDateOrNull(row.closed_through),
    borrowerHash: toInteger(row.borrower_hash),
    state: loanDocumentOf(row.state),
    version: toInteger(row.version),
    createdAt: toInstant(row.created_at),
    updatedAt: toInstant(row.updated_at),
    terms: row.terms ?? null,
    rulesDigest: toTextOrNull(row.rules_digest),
  };
}

/** The stored loan document, parsed: JSON text since migration 0008 (the store never looks inside). */
export function loanDocumentOf(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

function toDueLoanRow(row: Record<string, unknown>): DueLoanRow {
  return {
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    currency: toText(row.currency),
    nextEventDate: toDateOrNull(row.next_event_date),
    borrowerHash: toInteger(row.borrower_hash),
    state: loanDocumentOf(row.state),
    version: toInteger(row.version),
    terms: row.terms ?? null,
    rulesDigest: toTextOrNull(row.rules_digest),
  };
}
