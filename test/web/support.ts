// Browser end-to-end support: the real API server (src/api buildApi) listening on a free port over a
// fresh test database (PGlite, or a schema on DATABASE_URL) seeded with a small book, serving the built
// console (web/dist); Debian's Chromium driven by playwright-core; and screenshots under
// .kuan/screenshots (ignored by git). Nothing is downloaded: without /usr/bin/chromium or a built
// web/dist the suites skip with a message saying which is missing.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import {
  buildApi,
  hashPassword,
  MemoryCodeSender,
  testPasswordHashing,
  type KuanApi,
  type StaffRole,
} from '../../src/api/index.ts';
import { addDays, localDate, type IsoDate } from '../../src/calendar/index.ts';
import { openLoans, refreshCases, runDailyClose, saveAgents } from '../../src/app/index.ts';
import { parseLoanTerms } from '../../src/schedule/index.ts';
import { parseServicingRules } from '../../src/servicing/index.ts';
import { createStaffAccount } from '../../src/store/access.ts';
import {
  borrowerHash,
  executeStatement,
  openTestDatabase,
  upsertBorrowers,
  upsertProduct,
  type Database,
  type TestDatabase,
} from '../../src/store/index.ts';

export const CHROMIUM_PATH = process.env.KUAN_CHROMIUM ?? '/usr/bin/chromium';
export const WEB_DIST = process.env.KUAN_WEB_DIST ?? fileURLToPath(new URL('../../web/dist', import.meta.url));
export const SCREENSHOT_DIR =
  process.env.KUAN_SCREENSHOTS ?? fileURLToPath(new URL('../../.kuan/screenshots', import.meta.url));

/** The flags a headless Chromium needs in a container, and none that reach the network on their own. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Why the browser suites cannot run here, or null when they can. */
export function browserTestsUnavailable(): string | null {
  if (!existsSync(CHROMIUM_PATH)) {
    return `browser e2e skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set KUAN_CHROMIUM)`;
  }
  if (!existsSync(join(WEB_DIST, 'index.html'))) {
    return `browser e2e skipped: the console is not built (${WEB_DIST}/index.html missing; run npm run build:web)`;
  }
  return null;
}

export const PASSWORD = 'correct horse battery staple';
export const ZONE = 'Asia/Shanghai';

/** The seeded people and loans the scenarios use. */
export const SEED = {
  collector: 'chen',
  supervisor: 'zhou',
  compliance: 'wu',
  /** 75 days after disbursement and never paid: overdue, DPD 45, bucket M2. */
  overdue: { borrowerId: 'B-ZHANG', loanId: 'LN-OVERDUE', phone: '+8613900000001', name: 'Zhang Wei' },
  /** Paying on time; signs in to the portal. */
  current: { borrowerId: 'B-LIU', loanId: 'LN-CURRENT', phone: '+8613900000002', name: 'Liu Yang' },
  /** A message Kuan sent B-LIU, and one it sent someone else. */
  messageCode: 'K7Q2M9',
  otherMessageCode: 'H3JK4P',
  /** A well-formed code Kuan never issued. */
  fakeCode: 'ZZZZ22',
} as const;

const staffRoles: Record<string, StaffRole> = { chen: 'collector', zhou: 'supervisor', wu: 'compliance' };

/** A message as the contact pipeline leaves it once sent (SQL: the pipeline is not what these tests test). */
async function insertSentMessage(
  db: Database,
  message: { borrowerId: string; loanId: string; code: string; date: IsoDate; address: string },
): Promise<void> {
  const contactId = `${message.borrowerId}:${message.date}:pre_due_3:sms`;
  const at = `${message.date}T01:00:00Z`;
  const intent = {
    intentId: contactId,
    borrowerId: message.borrowerId,
    loanIds: [message.loanId],
    subjects: [],
    channel: 'sms',
    template: 'due_soon',
    purpose: 'reminder',
    stage: 'pre_due',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'pre_due_3' },
    date: message.date,
    plannedAtMs: Date.parse(at),
    validUntilMs: Date.parse(at) + 86_400_000,
    reasons: ['strategy default step pre_due_3'],
  };
  await executeStatement(
    db,
    sql`INSERT INTO contacts (borrower_id, contact_id, borrower_hash, business_date, channel, template, intent, loan_ids,
                              status, due_at, attempts, address, verification_code, sent_at, reasons, created_at, updated_at)
        VALUES (${message.borrowerId}, ${contactId}, ${borrowerHash(message.borrowerId)}, ${message.date}::date, 'sms',
                'due_soon', ${JSON.stringify(intent)}::jsonb, ${JSON.stringify([message.loanId])}::jsonb, 'sent',
                ${at}::timestamptz, 1, ${message.address}, ${message.code}, ${at}::timestamptz,
                '["strategy default step pre_due_3", "segment all", "cap sms 1/2 today"]'::jsonb,
                ${at}::timestamptz, ${at}::timestamptz)`,
  );
  await executeStatement(
    db,
    sql`INSERT INTO verification_codes (code, borrower_id, contact_id, created_at)
        VALUES (${message.code}, ${message.borrowerId}, ${contactId}, ${at}::timestamptz)`,
  );
}

/** A small book as of `today`: an overdue loan, a current one and a third borrower, closed through today. */
export async function seedBook(db: Database, today: IsoDate, nowMs: number): Promise<void> {
  await upsertProduct(db, {
    productId: 'P-STD',
    name: 'Standard 12 months',
    terms: { annualRate: '0.12', termCount: 12 },
    rules: { graceDays: 3, penaltyAnnualRate: '0.18' },
  });
  const { overdue, current } = SEED;
  await upsertBorrowers(db, [
    {
      borrowerId: overdue.borrowerId,
      name: overdue.name,
      timezone: ZONE,
      locale: 'zh-CN',
      contacts: { sms: overdue.phone, voice: overdue.phone, email: 'zhang@example.com' },
    },
    {
      borrowerId: current.borrowerId,
      name: current.name,
      timezone: ZONE,
      locale: 'en',
      contacts: { sms: current.phone, voice: current.phone },
    },
    {
      borrowerId: 'B-OTHER',
      name: 'Other Person',
      timezone: ZONE,
      locale: 'zh-CN',
      contacts: { sms: '+8613900000003' },
    },
  ]);
  const rules = parseServicingRules({ graceDays: 3, penaltyAnnualRate: '0.18' });
  const loan = (loanId: string, borrowerId: string, startDate: IsoDate, principal: string) => ({
    loanId,
    borrowerId,
    productId: 'P-STD',
    terms: parseLoanTerms({ principal, currency: 'CNY', annualRate: '0.12', termCount: 12, startDate }),
    rules,
    disbursedOn: startDate,
  });
  await openLoans(db, [
    loan(overdue.loanId, overdue.borrowerId, addDays(today, -75), '8000.00'),
    loan(current.loanId, current.borrowerId, addDays(today, -20), '5000.00'),
    loan('LN-OTHER', 'B-OTHER', addDays(today, -10), '3000.00'),
  ]);
  await runDailyClose({ db, businessDate: today });
  await insertSentMessage(db, {
    borrowerId: current.borrowerId,
    loanId: current.loanId,
    code: SEED.messageCode,
    date: addDays(today, -2),
    address: current.phone,
  });
  await insertSentMessage(db, {
    borrowerId: 'B-OTHER',
    loanId: 'LN-OTHER',
    code: SEED.otherMessageCode,
    date: addDays(today, -1),
    address: '+8613900000003',
  });
  const passwordHash = await hashPassword(PASSWORD, testPasswordHashing);
  for (const [username, role] of Object.entries(staffRoles)) {
    await createStaffAccount(db, { username, role, passwordHash, atMs: nowMs });
  }
  // The collector is an agent of the collections team; the queue holds the overdue borrower's case.
  await saveAgents({
    db,
    agents: [{ agentId: SEED.collector, name: 'Chen Jing', skills: { languages: ['zh'], buckets: [] }, capacity: 50 }],
    nowMs,
  });
  await refreshCases({ db, date: today, nowMs });
}

export interface WebHarness {
  url: string;
  api: KuanApi;
  db: Database;
  codes: MemoryCodeSender;
  browser: Browser;
  today: IsoDate;
  /** Routes the API registered, as "METHOD /api/v1/path". */
  hasRoute(method: string, url: string): boolean;
  /** The routes of `wanted` this API does not have (the scenario's steps that need them skip). */
  missingRoutes(wanted: readonly string[]): string[];
  /** The request body media types the OpenAPI document gives a route ("/api/v1/loans/{loanId}/…"). */
  bodyTypes(method: string, openApiPath: string): string[];
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  screenshot(page: Page, name: string): Promise<void>;
  close(): Promise<void>;
}

export async function startWebHarness(): Promise<WebHarness> {
  const test: TestDatabase = await openTestDatabase();
  const db = test.db;
  const nowMs = Date.now();
  const today = localDate(ZONE, nowMs);
  const contexts: BrowserContext[] = [];
  let api: KuanApi | undefined;
  let browser: Browser | undefined;
  try {
    await seedBook(db, today, nowMs);
    const codes = new MemoryCodeSender();
    api = await buildApi({
      db,
      timezone: ZONE,
      codeSender: codes,
      passwordHashing: testPasswordHashing,
      staticDir: WEB_DIST,
      // The suites sign in several times from one address; the limits themselves are tested in test/api.
      rateLimits: { requestsPerMinute: 0, signInPerMinute: 1_000, codesPerMinute: 1_000, verifyPerMinute: 1_000 },
      codes: { resendGapMs: 0, perHourMax: 1_000 },
    });
    const url = await api.app.listen({ port: 0, host: '127.0.0.1' });
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, timeout: 60_000 });
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    const routes = new Set(api.routes.map((route) => `${route.method} ${route.url}`));
    const started = { api, browser };
    return {
      url,
      api,
      db,
      codes,
      browser,
      today,
      hasRoute: (method, path) => routes.has(`${method} ${path}`),
      missingRoutes: (wanted) => wanted.filter((route) => !routes.has(route)),
      bodyTypes(method, openApiPath) {
        const document = started.api.app.swagger() as {
          paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, unknown> } }>>;
        };
        return Object.keys(document.paths?.[openApiPath]?.[method.toLowerCase()]?.requestBody?.content ?? {});
      },
      async newContext(options = {}) {
        const context = await started.browser.newContext({ baseURL: url, locale: 'en-US', ...options });
        // Generous: the suite shares two cores with the rest of `npm test`.
        context.setDefaultTimeout(45_000);
        contexts.push(context);
        return context;
      },
      async screenshot(page, name) {
        // Web fonts (the bundled Chinese subsets) swap in late; wait so the picture shows the real text.
        await page.evaluate('document.fonts.ready.then(() => true)');
        // A full-page capture keeps the viewport's height, which leaves the portal's sticky tab bar in the
        // middle of the picture: grow the viewport to the page for the shot instead.
        const viewport = page.viewportSize();
        const height = Number(await page.evaluate('document.documentElement.scrollHeight'));
        if (viewport && height > viewport.height) await page.setViewportSize({ width: viewport.width, height });
        await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
        if (viewport && height > viewport.height) await page.setViewportSize(viewport);
      },
      async close() {
        for (const context of contexts) await context.close().catch(() => undefined);
        await started.browser.close();
        await started.api.close();
        await test.dispose();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => undefined);
    await api?.close().catch(() => undefined);
    await test.dispose();
    throw error;
  }
}

/** Signs a staff member in through the console's sign-in page and waits for the menu. */
export async function staffSignIn(page: Page, username: string): Promise<void> {
  await page.goto('/console');
  await page.getByTestId('staff-username').fill(username);
  await page.getByTestId('staff-password').fill(PASSWORD);
  await page.getByTestId('staff-sign-in').click();
  await page.getByTestId('staff-identity').waitFor();
}

/** Signs a borrower in to the portal with the one-time code the API handed to the in-memory sender. */
export async function borrowerSignIn(
  page: Page,
  harness: WebHarness,
  borrower: { borrowerId: string; phone: string },
): Promise<void> {
  await page.goto('/portal');
  await page.getByTestId('portal-phone').fill(borrower.phone);
  const sentBefore = harness.codes.sent.length;
  await page.getByTestId('portal-send-code').click();
  await page.getByTestId('portal-code').waitFor();
  const deadline = Date.now() + 10_000;
  while (harness.codes.sent.length === sentBefore && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const message = harness.codes.latest(borrower.borrowerId);
  if (!message || message.address !== borrower.phone) throw new Error(`no sign-in code was sent to ${borrower.phone}`);
  await page.getByTestId('portal-code').fill(message.code);
  await page.getByTestId('portal-sign-in').click();
  await page.getByTestId('portal-greeting').waitFor();
}
