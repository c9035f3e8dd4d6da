// Test support for the application layer: a seeded book of loans with mixed due dates, a driver that runs the close
// day by day with some payments, and a hash of everything the close writes (loan states, transactions,
// journal, outbox) that leaves out wall-clock columns, so two runs can be compared.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { addDays, type IsoDate } from '../calendar/index.ts';
import { openLoans, postPayment, runDailyClose, type OpenLoanRequest } from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { contractTerms } from '../servicing/testing.ts';
import { queryRows, upsertBorrowers, type Database } from '../store/index.ts';

export const FIRST_DAY: IsoDate = '2026-01-01';

/**
 * The contract's example loan (5,000.00 at 12 % over 18 months from 2026-02-15, whole units: 305.00 a
 * month, first due 2026-03-15), disbursed on its start date under the rules given.
 */
export function contractLoanRequest(
  loanId: string,
  borrowerId: string,
  rules: Record<string, unknown>,
): OpenLoanRequest {
  const terms = parseLoanTerms(contractTerms);
  return { loanId, borrowerId, terms, rules: parseServicingRules(rules), disbursedOn: '2026-02-15' };
}

/** A small deterministic generator (mulberry32), so the book is the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` loans disbursed over the 40 days before FIRST_DAY, so due dates fall on many days. */
export function bookRequests(count: number, seed = 7): OpenLoanRequest[] {
  const random = seededRandom(seed);
  const rules = parseServicingRules({});
  return Array.from({ length: count }, (_, index) => {
    const disbursedOn = addDays(FIRST_DAY, -1 - Math.floor(random() * 40));
    const terms = parseLoanTerms({
      principal: `${1000 + Math.floor(random() * 9000)}.00`,
      currency: 'CNY',
      annualRate: '0.12',
      termCount: 3 + Math.floor(random() * 10),
      startDate: disbursedOn,
    });
    const id = String(index).padStart(4, '0');
    return { loanId: `L${id}`, borrowerId: `B${id}`, terms, rules, disbursedOn };
  });
}

export async function seedBook(db: Database, count: number): Promise<OpenLoanRequest[]> {
  const requests = bookRequests(count);
  await upsertBorrowers(
    db,
    requests.map((r) => ({
      borrowerId: r.borrowerId,
      name: r.borrowerId,
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: {},
    })),
  );
  await openLoans(db, requests);
  return requests;
}

/** Payments of one day: every 5th loan pays 400.00 on days 10 and 25 of the run (some are refused). */
export function paymentsOn(requests: readonly OpenLoanRequest[], dayIndex: number, date: IsoDate) {
  if (dayIndex !== 10 && dayIndex !== 25) return [];
  return requests
    .filter((_, index) => index % 5 === dayIndex % 5)
    .map((r) => ({
      loanId: r.loanId,
      amountMinor: 40_000n,
      on: date,
      source: 'manual' as const,
      idempotencyKey: `pay:${r.loanId}:${date}`,
    }));
}

export interface RunDaysOptions {
  days: number;
  /** Workers of each day, run one after another (default [[0, 1]]: one worker). */
  partitions?: readonly (readonly [number, number])[];
  pageSize?: number;
  /** Post the seeded payments (default true). */
  payments?: boolean;
  /** Called after each day's close. */
  afterDay?: (date: IsoDate, dayIndex: number) => Promise<void>;
}

export async function runDays(db: Database, requests: readonly OpenLoanRequest[], options: RunDaysOptions) {
  let posted = 0;
  for (let dayIndex = 0; dayIndex < options.days; dayIndex++) {
    const date = addDays(FIRST_DAY, dayIndex);
    for (const payment of options.payments === false ? [] : paymentsOn(requests, dayIndex, date)) {
      const result = await postPayment(db, payment);
      if (result.outcome === 'posted') posted++;
    }
    for (const [worker, workers] of options.partitions ?? [[0, 1]]) {
      await runDailyClose({
        db,
        businessDate: date,
        worker,
        workers,
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      });
    }
    await options.afterDay?.(date, dayIndex);
  }
  return { posted, lastDay: addDays(FIRST_DAY, options.days - 1) };
}

/**
 * SHA-256 over the book's loans, transactions, journal and outbox, without wall-clock columns; without
 * `versions`, also without the loans' row versions (which count writes, not what was written).
 */
export async function bookHash(db: Database, options: { versions?: boolean } = {}): Promise<string> {
  const hash = createHash('sha256');
  const parts = [
    sql`SELECT loan_id, ${options.versions === false ? sql`0` : sql`version`} AS v, status, dpd, bucket, next_event_date::text AS n, closed_through::text AS c, state::text AS s FROM loans ORDER BY loan_id`,
    sql`SELECT loan_id, seq, kind, business_date::text AS d, body::text AS b FROM loan_transactions ORDER BY loan_id, seq`,
    sql`SELECT borrower_id, entry_id, business_date::text AS d, postings::text AS p FROM journal_entries ORDER BY borrower_id, entry_id`,
    sql`SELECT borrower_id, event_id, kind, payload::text AS p FROM outbox ORDER BY borrower_id, event_id`,
  ];
  for (const part of parts) {
    for (const row of await queryRows<Record<string, unknown>>(db, part)) hash.update(JSON.stringify(row));
    hash.update('|');
  }
  return hash.digest('hex');
}

/** The tables a contact test case writes (and, by CASCADE, those referencing them). */
const contactCaseTables = [
  'borrowers',
  'loan_directory',
  'loans',
  'loan_transactions',
  'journal_entries',
  'payments',
  'outbox',
  'eod_runs',
  'auto_debit_attempts',
  'idempotency_keys',
  'contact_states',
  'contacts',
  'contact_decisions',
  'verification_codes',
  'call_tasks',
];

/** Empties what a contact test case wrote, so the next case starts from an empty book. */
export async function emptyContactCaseTables(db: Database): Promise<void> {
  await db.query(sql.raw(`TRUNCATE ${contactCaseTables.join(', ')} CASCADE`));
}
