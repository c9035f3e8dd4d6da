// The keyset pages the HTTP API lists with: borrowers, loans and daily-close runs, and the book by
// bucket. Invariant: every page has a bounded size (ACCESS_PAGE_MAX) and a stable order, so a client
// walking `after`/`before` sees each row once.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { ACCESS_PAGE_MAX } from './access.ts';
import { invariant } from '../errors/index.ts';
import { queryRows, type Queryable } from './db.ts';
import type { BorrowerRow } from './borrowers.ts';
import type { EodRunRow, EodRunStatus } from './close-runs.ts';
import { toDateOrNull, toInstant, toInstantOrNull, toInteger, toText, toTextOrNull } from './rows.ts';

function checkLimit(limit: number): void {
  invariant(Number.isInteger(limit) && limit >= 1 && limit <= ACCESS_PAGE_MAX, `page size 1…${ACCESS_PAGE_MAX}`);
}

/** Borrowers by id, after `after`. */
export async function listBorrowersPage(
  queryable: Queryable,
  options: { after?: string; limit: number },
): Promise<BorrowerRow[]> {
  checkLimit(options.limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT borrower_id, name, timezone, locale, contacts, created_at FROM borrowers
        ${options.after === undefined ? sql`` : sql`WHERE borrower_id > ${options.after}`}
        ORDER BY borrower_id LIMIT ${options.limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    name: toText(row.name),
    timezone: toText(row.timezone),
    locale: toText(row.locale),
    contacts: row.contacts,
    createdAt: toInstant(row.created_at),
  }));
}

/** A loan's row without its state document: what a list shows. */
export interface LoanListRow {
  borrowerId: string;
  loanId: string;
  productId: string | null;
  currency: string;
  status: string;
  dpd: number;
  bucket: string;
  nextEventDate: IsoDate | null;
  closedThrough: IsoDate | null;
  createdAt: string;
}

export interface LoanPageOptions {
  /** Loans with ids after this one. */
  after?: string;
  limit: number;
  borrowerId?: string;
  status?: string;
  bucket?: string;
}

/** Loans by loan id (through loan_directory, whose key is the loan id), optionally filtered. */
export async function listLoansPage(queryable: Queryable, options: LoanPageOptions): Promise<LoanListRow[]> {
  checkLimit(options.limit);
  const { after, borrowerId, status, bucket } = options;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT l.borrower_id, l.loan_id, l.product_id, l.currency, l.status, l.dpd, l.bucket, l.next_event_date,
               l.closed_through, l.created_at
        FROM loan_directory AS d JOIN loans AS l ON l.borrower_id = d.borrower_id AND l.loan_id = d.loan_id
        WHERE true
          ${after === undefined ? sql`` : sql`AND d.loan_id > ${after}`}
          ${borrowerId === undefined ? sql`` : sql`AND d.borrower_id = ${borrowerId}`}
          ${status === undefined ? sql`` : sql`AND l.status = ${status}`}
          ${bucket === undefined ? sql`` : sql`AND l.bucket = ${bucket}`}
        ORDER BY d.loan_id LIMIT ${options.limit}`,
  );
  return rows.map((row) => ({
    borrowerId: toText(row.borrower_id),
    loanId: toText(row.loan_id),
    productId: toTextOrNull(row.product_id),
    currency: toText(row.currency),
    status: toText(row.status),
    dpd: toInteger(row.dpd),
    bucket: toText(row.bucket),
    nextEventDate: toDateOrNull(row.next_event_date),
    closedThrough: toDateOrNull(row.closed_through),
    createdAt: toInstant(row.created_at),
  }));
}

/** Daily-close runs, newest business date first, before `before`. */
export async function listEodRunsPage(
  queryable: Queryable,
  options: { before?: IsoDate; limit: number },
): Promise<EodRunRow[]> {
  checkLimit(options.limit);
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT business_date, status, started_at, finished_at, stats FROM eod_runs
        ${options.before === undefined ? sql`` : sql`WHERE business_date < ${options.before}::date`}
        ORDER BY business_date DESC LIMIT ${options.limit}`,
  );
  return rows.map((row) => ({
    businessDate: toDateOrNull(row.business_date) as IsoDate,
    status: toText(row.status) as EodRunStatus,
    startedAt: toInstant(row.started_at),
    finishedAt: toInstantOrNull(row.finished_at),
    stats: row.stats as Record<string, unknown>,
  }));
}

export interface BookBucketRow {
  currency: string;
  bucket: string;
  status: string;
  loans: number;
  /** Sum of DPD over these loans (for an average). */
  dpdTotal: number;
}

/** The book by currency, bucket and status. */
export async function bookByBucket(queryable: Queryable): Promise<BookBucketRow[]> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT currency, bucket, status, count(*) AS loans, coalesce(sum(dpd), 0) AS dpd_total FROM loans
        GROUP BY currency, bucket, status ORDER BY currency, bucket, status`,
  );
  return rows.map((row) => ({
    currency: toText(row.currency),
    bucket: toText(row.bucket),
    status: toText(row.status),
    loans: toInteger(row.loans),
    dpdTotal: toInteger(row.dpd_total),
  }));
}
