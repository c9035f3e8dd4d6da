// `kuan cases` and `kuan experiments` in-process on a database the commands open themselves (an embedded
// data folder, or with DATABASE_URL a database made for the test): a case escalated to hard and, with the
// lender's settings in the environment, to legal with the lawyer's letter written as a PDF; a repeat under
// the same key replays; refusals and bad flags exit 2 naming the flag; a status notice queued; complaint
// deadline breaches listed; and a strategy's arms compared.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msPerDay, type IsoDate } from '../../src/calendar/index.ts';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import type { ContactIntent } from '../../src/contact/index.ts';
import { alertComplaintBreaches, openComplaint, openLoans, saveAgents } from '../../src/app/index.ts';
import { parseLoanTerms } from '../../src/schedule/index.ts';
import { parseServicingRules } from '../../src/servicing/index.ts';
import {
  assignVerificationCode,
  databaseConfigFromEnv,
  finishEodRun,
  insertContacts,
  insertPayments,
  migrate,
  openDatabase,
  startEodRun,
  updateContact,
  upsertBorrowers,
  upsertCases,
  type Database,
} from '../../src/store/index.ts';

const adminUrl = process.env.DATABASE_URL?.trim();
const secret = 'cases-cli-test-secret-0123456789';
const lenderEnv = {
  KUAN_LENDER_NAME: '宽信贷',
  KUAN_LENDER_ADDRESS: '北京市朝阳区建国路1号',
  KUAN_PORTAL_URL: 'https://kuan.example/portal',
};
const caseId = 'C2026-03-09';
const march10 = '2026-03-10T12:00:00+08:00';

let env: Record<string, string>;
let folder: string;
let cleanup: () => Promise<void>;

/** A contact the pipeline sent (with its code) or held back, on a business date at 10:00 Shanghai. */
async function seedContact(
  db: Database,
  input: { template: string; date: IsoDate; status: 'sent' | 'suppressed'; strategy?: string },
) {
  const atMs = Date.parse(`${input.date}T02:00:00Z`);
  const intent: ContactIntent = {
    intentId: `B1:${input.date}:${input.template}:sms`,
    borrowerId: 'B1',
    loanIds: ['L1'],
    subjects: [],
    channel: 'sms',
    template: input.template,
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: input.strategy ?? 'default', version: 1, arm: 'champion', stepId: input.template },
    date: input.date,
    plannedAtMs: atMs,
    validUntilMs: atMs + msPerDay,
    reasons: [],
  };
  const suppressed = input.status === 'suppressed';
  await insertContacts(db, [
    {
      intent,
      businessDate: input.date,
      status: suppressed ? 'suppressed' : 'planned',
      dueAtMs: atMs,
      verdict: suppressed ? 'suppress' : 'send',
      reasons: [],
      decidedAtMs: atMs,
    },
  ]);
  if (suppressed) return;
  const key = { borrowerId: 'B1', contactId: intent.intentId };
  await assignVerificationCode(db, { ...key, secret, createdAtMs: atMs });
  await updateContact(db, key, { status: 'sent', address: '+8613800000001', sentAtMs: atMs }, atMs);
}

async function seed(db: Database) {
  await upsertBorrowers(db, [
    {
      borrowerId: 'B1',
      name: '王芳',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: { sms: '+8613800000001', letter: '上海市浦东新区世纪大道100号' },
    },
  ]);
  await openLoans(db, [
    {
      loanId: 'L1',
      borrowerId: 'B1',
      terms: parseLoanTerms({ principal: '5000.00', annualRate: '0.12', termCount: 12, startDate: '2026-01-05' }),
      rules: parseServicingRules({ graceDays: 3 }),
      disbursedOn: '2026-01-05',
    },
  ]);
  const nowMs = Date.parse(march10);
  await upsertCases(
    db,
    [
      {
        borrowerId: 'B1',
        caseId,
        openedOn: '2026-03-09',
        stage: 'soft',
        locale: 'zh-CN',
        timezone: 'Asia/Shanghai',
        loanIds: ['L1'],
        dpd: 33,
        bucket: 'M2',
        chargedOff: false,
        facts: {},
        priorityCenti: 100,
        explanation: {},
        refreshedOn: '2026-03-09',
      },
    ],
    nowMs,
  );
  await saveAgents({ db, agents: [{ agentId: 'ann', name: 'Ann', capacity: 40 }], nowMs });
  await seedContact(db, { template: 'overdue_30', date: '2026-03-06', status: 'sent' });
  await seedContact(db, { template: 'final_notice', date: '2026-03-20', status: 'sent' });
  // A complaint filed in January, its deadline long past by March: alerted once.
  const opened = await openComplaint({
    db,
    request: {
      idempotencyKey: 'k-1',
      borrowerId: 'B1',
      source: 'borrower',
      raisedBy: 'B1',
      category: 'fees',
      text: '罚息太高',
      atMs: Date.parse('2026-01-10T10:00:00+08:00'),
    },
  });
  expect(opened).toMatchObject({ outcome: 'opened' });
  expect(await alertComplaintBreaches({ db, nowMs })).toHaveLength(1);
  // Strategy "trial": a sent contact followed by a payment within 7 days, and one held back.
  await seedContact(db, { template: 'exp_a', date: '2026-03-02', status: 'sent', strategy: 'trial' });
  await seedContact(db, { template: 'exp_b', date: '2026-03-03', status: 'suppressed', strategy: 'trial' });
  await insertPayments(db, [
    {
      borrowerId: 'B1',
      paymentId: 'P-exp',
      loanId: 'L1',
      idempotencyKey: 'exp:L1',
      requestHash: 'x',
      amountMinor: 10_000n,
      currency: 'CNY',
      source: 'manual',
      status: 'posted',
      result: null,
      receivedAt: '2026-03-04T00:00:00.000Z',
    },
  ]);
  await startEodRun(db, '2026-03-31');
  await finishEodRun(db, { businessDate: '2026-03-31', status: 'completed' });
}

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-cases-'));
  const common = { KUAN_CODE_SECRET: secret };
  if (adminUrl) {
    const name = `kuan_cases_cli_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { ...common, DATABASE_URL: url.toString() };
    cleanup = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  } else {
    env = { ...common, KUAN_DATA_DIR: join(folder, 'data') };
    cleanup = async () => undefined;
  }
  const db = await openDatabase(databaseConfigFromEnv(env));
  try {
    await migrate(db);
    await seed(db);
  } finally {
    await db.close();
  }
}, 60_000);
afterAll(async () => {
  await cleanup();
  rmSync(folder, { recursive: true, force: true });
});

async function kuan(argv: string[], extraEnv: Record<string, string> = {}) {
  const io = memoryIo('', { env: { ...env, ...extraEnv } });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

const escalateArgs = (to: string, key: string, ...more: string[]) => [
  'cases',
  'escalate',
  '--borrower',
  'B1',
  '--case',
  caseId,
  '--to',
  to,
  '--agent',
  'ann',
  '--key',
  key,
  ...more,
];

describe('kuan cases and kuan experiments', () => {
  it('escalates a case, replays a repeat, and sends the lawyer’s letter only with the lender’s settings', async () => {
    const missing = await kuan(['cases', 'escalate', '--borrower', 'B1', '--case', caseId]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--to: is required/);
    const badNow = await kuan(escalateArgs('hard', 'e-1', '--now', '2026-03-10'));
    expect(badNow.code).toBe(2);
    expect(badNow.stderr).toMatch(/^--now: must be an instant/);

    // Someone who is no agent of the queue is named; as a supervisor they may act on any open case.
    const boss = (...more: string[]) =>
      escalateArgs('hard', 'e-0', '--now', march10, '--dry-run', ...more).map((arg) => (arg === 'ann' ? 'boss' : arg));
    const notAgent = await kuan(boss());
    expect(notAgent.code).toBe(2);
    expect(notAgent.stderr).toMatch(/^--agent: no active agent "boss"/);
    const supervised = await kuan(boss('--supervisor'));
    expect(supervised.code, supervised.stderr).toBe(0);
    expect(JSON.parse(supervised.stdout)).toMatchObject({ outcome: 'dry_run', toStage: 'hard', seq: null });

    const hard = await kuan(escalateArgs('hard', 'e-1', '--now', march10));
    expect(hard.code, hard.stderr).toBe(0);
    expect(JSON.parse(hard.stdout)).toMatchObject({ outcome: 'escalated', fromStage: 'soft', toStage: 'hard', seq: 1 });
    const again = await kuan(escalateArgs('hard', 'e-1', '--now', '2026-03-10T12:05:00+08:00'));
    expect(JSON.parse(again.stdout)).toMatchObject({ seq: 1, replayed: true });

    // Legal needs DPD 90 and the final notice sent 7 days before: by 2026-05-11 both hold.
    const may11 = '2026-05-11T12:00:00+08:00';
    const early = await kuan(escalateArgs('legal', 'e-2', '--now', '2026-03-25T12:00:00+08:00'));
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/^--to: .*\[dpd_below_stage\]\n$/);
    const noLender = await kuan(escalateArgs('legal', 'e-2', '--now', may11));
    expect(noLender.code).toBe(2);
    expect(noLender.stderr).toMatch(/^KUAN_LENDER_NAME: /);

    const file = join(folder, 'letter.pdf');
    const legal = await kuan(escalateArgs('legal', 'e-2', '--now', may11, '--letter', file), lenderEnv);
    expect(legal.code, legal.stderr).toBe(0);
    const answer = JSON.parse(legal.stdout) as { seq: number; letter: { bytes: number; code: string } };
    expect(answer).toMatchObject({ outcome: 'escalated', fromStage: 'hard', toStage: 'legal', seq: 2 });
    const pdf = readFileSync(file);
    expect(pdf.length).toBe(answer.letter.bytes);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const verified = await kuan(['contacts', 'verify', answer.letter.code]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/genuine letter message \(lawyer_letter\)/);
  });

  it('queues a status notice once, naming a bad flag', async () => {
    const args = [
      'cases',
      'notice',
      '--loan',
      'L1',
      '--kind',
      'refund',
      '--amount',
      '50.00',
      '--eta',
      '2026-03-14T18:00:00+08:00',
      '--reference',
      'R-1',
      '--channel',
      'sms',
      '--key',
      'n-1',
      '--now',
      march10,
    ];
    const queued = await kuan(args);
    expect(queued.code, queued.stderr).toBe(0);
    expect(JSON.parse(queued.stdout)).toMatchObject({
      queued: true,
      replayed: false,
      variables: { what: '¥50.00退款' },
    });
    expect(JSON.parse((await kuan(args)).stdout)).toMatchObject({ queued: true, replayed: true });
    const badKind = await kuan(args.map((arg) => (arg === 'refund' ? 'rebate' : arg)));
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toMatch(/^--kind: must be one of/);
    const past = await kuan([...args.slice(0, -4), '--key', 'n-2', '--now', '2026-03-20T12:00:00+08:00']);
    expect(past.code).toBe(2);
    expect(past.stderr).toMatch(/^--eta: must be after now/);
  });

  it('lists complaint deadline breaches and compares a strategy’s arms', async () => {
    const breaches = await kuan(['cases', 'breaches']);
    expect(breaches.code, breaches.stderr).toBe(0);
    const lines = breaches.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ borrowerId: 'B1', category: 'fees', status: 'open' });
    expect(lines[0]?.breachAlertedAt).toBe(new Date(Date.parse(march10)).toISOString());

    const results = await kuan([
      'experiments',
      'results',
      '--strategy',
      'trial',
      '--from',
      '2026-03-01',
      '--through',
      '2026-03-31',
    ]);
    expect(results.code, results.stderr).toBe(0);
    expect(JSON.parse(results.stdout)).toMatchObject({
      strategy: 'trial',
      windowDays: 7,
      knownThrough: '2026-03-31',
      champion: { intents: 2, sent: 1, suppressed: 1, outcomesKnown: 2, paid: 2, paidRate: '1.0000' },
      challenger: { intents: 0, paidRate: null },
      paidRateLift: null,
    });
    const backwards = await kuan([
      'experiments',
      'results',
      '--strategy',
      'trial',
      '--from',
      '2026-04-01',
      '--through',
      '2026-03-01',
    ]);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toMatch(/^--from: /);
  });
});
