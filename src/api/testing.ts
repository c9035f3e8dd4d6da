// Test support for the HTTP API: a database (PGlite in memory, or a fresh schema on DATABASE_URL), the API
// over it with a settable clock, cheap argon2 parameters and an in-memory code sender; one staff account
// per role; two borrowers with loans, one of them with a sent message; and helpers to sign in and call.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import {
  buildApi,
  hashPassword,
  MemoryCodeSender,
  staffRoles,
  testPasswordHashing,
  type KuanApi,
  type RateLimits,
  type StaffRole,
} from './index.ts';
import { openLoans } from '../app/index.ts';
import type { MetricsSettings } from './metrics.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { createStaffAccount } from '../store/access.ts';
import {
  borrowerHash,
  executeStatement,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  upsertProduct,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

/** 2026-03-10 12:00 in Shanghai. */
export const START_MS = Date.parse('2026-03-10T04:00:00Z');
export const PASSWORD = 'correct horse battery staple';
export const MESSAGE_CODE = 'K7Q2M9';
export const OTHER_MESSAGE_CODE = 'H3JK4P';

export interface ApiHarness {
  test: TestDatabase;
  db: Database;
  api: KuanApi;
  codes: MemoryCodeSender;
  clock: { nowMs: number };
  /** A Bearer token per staff role (usernames are the role names). */
  staffTokens: Record<StaffRole, string>;
  /** Bearer tokens of borrowers B1 and B2. */
  borrowerTokens: { B1: string; B2: string };
  call(options: InjectOptions & { token?: string }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export function loanTerms(startDate: string, principal = '5000.00') {
  return { principal, currency: 'CNY', annualRate: '0.12', termCount: 12, startDate };
}

/** Two borrowers with two loans each, a product, and a sent message for each borrower. */
export async function seed(db: Database): Promise<void> {
  await upsertProduct(db, {
    productId: 'P-STD',
    name: 'Standard 12 months',
    terms: { annualRate: '0.12', termCount: 12 },
    rules: { graceDays: 3 },
  });
  await upsertBorrowers(db, [
    {
      borrowerId: 'B1',
      name: 'Wang Fang',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: { sms: '+8613800000001', email: 'wang@example.com' },
    },
    {
      borrowerId: 'B2',
      name: 'Li Lei',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: { sms: '+8613800000002' },
    },
  ]);
  const rules = parseServicingRules({ graceDays: 3, penaltyAnnualRate: '0.18' });
  await openLoans(
    db,
    [
      ['L1', 'B1', '2026-01-05'],
      ['L2', 'B1', '2026-02-01'],
      ['L3', 'B2', '2026-01-05'],
      ['L4', 'B2', '2026-02-10'],
    ].map(([loanId, borrowerId, start]) => ({
      loanId: loanId as string,
      borrowerId: borrowerId as string,
      terms: parseLoanTerms(loanTerms(start as string)),
      rules,
      disbursedOn: start as string,
    })),
  );
  await insertSentMessage(db, { borrowerId: 'B1', contactId: 'B1:2026-03-02:pre_due_3:sms', code: MESSAGE_CODE });
  await insertSentMessage(db, { borrowerId: 'B2', contactId: 'B2:2026-03-02:pre_due_3:sms', code: OTHER_MESSAGE_CODE });
}

/** A message as the contact pipeline leaves it once sent (written with SQL: the pipeline is not under test). */
export async function insertSentMessage(
  db: Database,
  message: { borrowerId: string; contactId: string; code: string },
): Promise<void> {
  const at = '2026-03-02T01:00:00Z';
  const intent = {
    intentId: message.contactId,
    borrowerId: message.borrowerId,
    loanIds: ['L1'],
    subjects: [],
    channel: 'sms',
    template: 'due_soon',
    purpose: 'reminder',
    stage: 'pre_due',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'pre_due_3' },
    date: '2026-03-02',
    plannedAtMs: Date.parse(at),
    validUntilMs: Date.parse(at) + 86_400_000,
    reasons: ['strategy default step pre_due_3'],
  };
  await executeStatement(
    db,
    sql`INSERT INTO contacts (borrower_id, contact_id, borrower_hash, business_date, channel, template, intent, loan_ids,
                              status, due_at, attempts, address, verification_code, sent_at, reasons, created_at, updated_at)
        VALUES (${message.borrowerId}, ${message.contactId}, ${borrowerHash(message.borrowerId)}, '2026-03-02', 'sms',
                'due_soon', ${JSON.stringify(intent)}::jsonb, '["L1"]'::jsonb, 'sent', ${at}::timestamptz, 1, '+8613800000001',
                ${message.code}, ${at}::timestamptz, '["strategy default step pre_due_3"]'::jsonb,
                ${at}::timestamptz, ${at}::timestamptz)`,
  );
  await executeStatement(
    db,
    sql`INSERT INTO verification_codes (code, borrower_id, contact_id, created_at)
        VALUES (${message.code}, ${message.borrowerId}, ${message.contactId}, ${at}::timestamptz)`,
  );
}

export async function createStaff(db: Database): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD, testPasswordHashing);
  for (const role of staffRoles) await createStaffAccount(db, { username: role, role, passwordHash, atMs: START_MS });
}

export async function startApi(
  options: { rateLimits?: Partial<RateLimits>; seed?: boolean; metrics?: MetricsSettings } = {},
): Promise<ApiHarness> {
  const test = await openTestDatabase();
  const db = test.db;
  if (options.seed !== false) await seed(db);
  await createStaff(db);
  const clock = { nowMs: START_MS };
  const codes = new MemoryCodeSender();
  const api = await buildApi({
    db,
    clock: () => clock.nowMs,
    timezone: 'Asia/Shanghai',
    passwordHashing: testPasswordHashing,
    codeSender: codes,
    sessions: { staffTtlMs: 7 * 24 * 3600 * 1000 },
    rateLimits: {
      requestsPerMinute: 0,
      signInPerMinute: 10_000,
      codesPerMinute: 10_000,
      verifyPerMinute: 10_000,
      ...options.rateLimits,
    },
    ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
  });
  const call = (request: InjectOptions & { token?: string }) => {
    const { token, ...rest } = request;
    const headers = { ...(rest.headers ?? {}) } as Record<string, string>;
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    return api.app.inject({ ...rest, headers });
  };
  const staffTokens = {} as Record<StaffRole, string>;
  for (const role of staffRoles) staffTokens[role] = await signInStaff(call, role);
  const borrowerTokens = { B1: '', B2: '' };
  if (options.seed !== false) {
    for (const borrowerId of ['B1', 'B2'] as const) {
      borrowerTokens[borrowerId] = await signInBorrower(call, codes, borrowerId);
      clock.nowMs += 61_000; // the next code for anyone is not held back by the resend gap
    }
  }
  return {
    test,
    db,
    api,
    codes,
    clock,
    staffTokens,
    borrowerTokens,
    call,
    async close() {
      await api.close();
      await test.dispose();
    },
  };
}

type Call = ApiHarness['call'];

export async function signInStaff(call: Call, username: string): Promise<string> {
  const response = await call({
    method: 'POST',
    url: '/api/v1/auth/staff/sign-in',
    payload: { username, password: PASSWORD },
  });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${username}: ${response.statusCode} ${response.body}`);
  return (response.json() as { token: string }).token;
}

export async function signInBorrower(call: Call, codes: MemoryCodeSender, borrowerId: string): Promise<string> {
  const asked = await call({ method: 'POST', url: '/api/v1/auth/borrower/code', payload: { borrowerId } });
  if (asked.statusCode !== 202) throw new Error(`code for ${borrowerId}: ${asked.statusCode} ${asked.body}`);
  const code = codes.latest(borrowerId)?.code;
  if (code === undefined) throw new Error(`no code was sent to ${borrowerId}`);
  const response = await call({ method: 'POST', url: '/api/v1/auth/borrower/sign-in', payload: { borrowerId, code } });
  if (response.statusCode !== 200) throw new Error(`sign-in of ${borrowerId}: ${response.statusCode} ${response.body}`);
  return (response.json() as { token: string }).token;
}

/** SHA-256 over every loan's state, version and indexed columns, and every payment: "did any balance move?". */
export async function bookHash(db: Database): Promise<string> {
  const loans = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT borrower_id, loan_id, status, dpd, bucket, next_event_date::text, closed_through::text, state, version
        FROM loans ORDER BY borrower_id, loan_id`,
  );
  const payments = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT borrower_id, payment_id, amount_minor::text FROM payments ORDER BY borrower_id, payment_id`,
  );
  const journal = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT count(*)::text AS entries FROM journal_entries`,
  );
  return createHash('sha256').update(JSON.stringify({ loans, payments, journal })).digest('hex');
}
