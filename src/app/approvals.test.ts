// Strategy activation with maker-checker approval, on whichever database openTestDatabase picks: a
// supervisor asks for an edited strategy, another member approves it, and the next day's contact planning
// (fed by activeStrategy, as `kuan contacts plan` and `kuan demo` are) follows the new document; the
// requester cannot approve their own request; a rejection changes nothing; of two approvers at once one
// wins; approving one request supersedes the other pending ones; a bad document is refused naming its
// field; a name and version cannot stand for two documents; `kuan contacts plan` plans with the active
// strategy unless --strategy names another.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandContext } from './index.ts';
import { memoryIo } from '../cli/io.ts';
import { main } from '../cli/main.ts';
import { parsePolicy } from '../contact/policy/index.ts';
import {
  builtInStrategies,
  parseStrategy,
  strategyDigest,
  strategyToJson,
  type Strategy,
  type StrategyJson,
} from '../contact/strategy/index.ts';
import { InputError } from '../errors/index.ts';
import {
  activeStrategy,
  activeStrategyRecord,
  approveRequest,
  openLoans,
  planContacts,
  rejectRequest,
  requestActivation,
  runDailyClose,
  strategyCatalogue,
  type DecisionInput,
  type RequestActivationInput,
} from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { listBorrowerContacts } from '../store/contacts.ts';
import {
  getApproval,
  listStrategyActivations,
  migrate,
  openDatabase,
  openTestDatabase,
  upsertBorrowers,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

const policy = parsePolicy('cn-2026');

const as = (db: Database, staff: string, nowMs: number): CommandContext => ({
  db,
  actor: { kind: 'staff', id: staff },
  nowMs,
});

function ask(db: Database, request: RequestActivationInput & { requestedBy: string; nowMs: number }) {
  const { requestedBy, nowMs, ...input } = request;
  return requestActivation(as(db, requestedBy, nowMs), { input });
}

function approve(db: Database, request: DecisionInput & { decidedBy: string; nowMs: number }) {
  const { decidedBy, nowMs, ...input } = request;
  return approveRequest(as(db, decidedBy, nowMs), { input });
}

function reject(db: Database, request: DecisionInput & { decidedBy: string; nowMs: number }) {
  const { decidedBy, nowMs, ...input } = request;
  return rejectRequest(as(db, decidedBy, nowMs), { input });
}
const builtInDefault = builtInStrategies.default as Strategy;
const T0 = Date.parse('2026-03-09T10:00:00Z');

function shanghai(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+08:00`);
}

/** The default without the pre-due e-mail, its pre-due SMS at 08:30: version 2. */
function editedDefault(version = 2): StrategyJson {
  const json = strategyToJson(builtInDefault);
  return {
    ...json,
    version,
    steps: json.steps
      .filter((step) => step.id !== 'pre_due_3_email')
      .map((step) => (step.id === 'pre_due_3' ? { ...step, sendAt: '08:30' } : step)),
  };
}

async function seedBorrowers(db: Database): Promise<void> {
  // P1's first installment is due 2026-03-13 and P2's 2026-03-14: each is three days out on its own day.
  const borrowers = [
    { id: 'P1', start: '2026-02-13' },
    { id: 'P2', start: '2026-02-14' },
  ];
  await upsertBorrowers(
    db,
    borrowers.map((b) => ({
      borrowerId: b.id,
      name: `Name ${b.id}`,
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: { sms: `+86138000${b.id === 'P1' ? '00201' : '00202'}`, email: `${b.id.toLowerCase()}@example.com` },
    })),
  );
  const rules = parseServicingRules({});
  await openLoans(
    db,
    borrowers.map((b) => ({
      loanId: `${b.id}-L`,
      borrowerId: b.id,
      terms: parseLoanTerms({ principal: '3000.00', annualRate: '0.12', termCount: 6, startDate: b.start }),
      rules,
      disbursedOn: b.start,
    })),
  );
}

async function planned(db: Database, borrowerId: string) {
  return (await listBorrowerContacts(db, borrowerId)).map((contact) => [
    contact.contactId,
    contact.dueAtMs,
    contact.intent.strategy.version,
  ]);
}

describe('strategy activation through approval', () => {
  let test: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    test = await openTestDatabase({ poolSize: 4 });
    db = test.db;
  });
  afterAll(async () => test.dispose());

  it('uses the built-in default until something is approved', async () => {
    const active = await activeStrategyRecord(db);
    expect(active).toMatchObject({ source: 'builtin', approvalId: null, digest: strategyDigest(builtInDefault) });
    expect(await activeStrategy(db)).toBe(builtInDefault);
    const catalogue = await strategyCatalogue(db);
    expect(catalogue.map((entry) => [entry.strategy.name, entry.active])).toEqual([
      ['default', true],
      ['gentle', false],
    ]);
  });

  it('refuses a bad document naming the field, and a comment that is too long', async () => {
    const bad = { ...editedDefault(), steps: [{ ...editedDefault().steps[0]!, channel: 'fax' }] };
    await expect(ask(db, { strategy: bad, requestedBy: 'sup', nowMs: T0 })).rejects.toThrow(
      expect.objectContaining({ field: 'strategy.steps[0].channel' }),
    );
    await expect(ask(db, { strategy: 'nope', requestedBy: 'sup', nowMs: T0 })).rejects.toThrow(InputError);
    await expect(
      ask(db, { strategy: editedDefault(), comment: 'x'.repeat(2001), requestedBy: 'sup', nowMs: T0 }),
    ).rejects.toThrow(expect.objectContaining({ field: 'comment' }));
  });

  it('refuses a document identical to the active strategy, and a name and version that stand for another document', async () => {
    expect(await ask(db, { strategy: 'default', requestedBy: 'sup', nowMs: T0 })).toMatchObject({
      ok: false,
      code: 'identical_to_active',
    });
    await expect(ask(db, { strategy: editedDefault(1), requestedBy: 'sup', nowMs: T0 })).rejects.toThrow(
      expect.objectContaining({ field: 'strategy.version' }),
    );
  });

  it('activates only after another member approves, and the next day is planned with the new strategy', async () => {
    await seedBorrowers(db);
    await runDailyClose({ db, businessDate: '2026-03-10' });
    await planContacts({ db, date: '2026-03-10', strategy: await activeStrategy(db), policy, nowMs: T0 });
    // The default: an SMS and an e-mail at 09:00, three days before the due date.
    expect(await planned(db, 'P1')).toEqual([
      ['P1:2026-03-10:pre_due_3:sms', shanghai('2026-03-10', '09:00'), 1],
      ['P1:2026-03-10:pre_due_3_email:email', shanghai('2026-03-10', '09:00'), 1],
    ]);

    const asked = await ask(db, {
      strategy: editedDefault(),
      comment: '  one reminder is enough  ',
      requestedBy: 'sup',
      nowMs: T0,
      approvalId: 'A-edit',
    });
    expect(asked).toMatchObject({
      ok: true,
      value: {
        approvalId: 'A-edit',
        status: 'pending',
        kind: 'strategy_activation',
        subject: 'default',
        requestedBy: 'sup',
        requestComment: 'one reminder is enough',
        digest: strategyDigest(parseStrategy(editedDefault())),
        baseDigest: strategyDigest(builtInDefault),
      },
    });
    if (!asked.ok) throw new Error('requested');
    expect((asked.value.changes as { text: string }[]).map((change) => change.text)).toEqual([
      'strategy changed: version 1 → 2',
      'step pre_due_3 changed: sendAt 09:00 → 08:30',
      expect.stringMatching(/^step pre_due_3_email removed/),
    ]);
    expect(asked.value.summary).toMatch(/^activate strategy default v2 \(replacing default v1\): /);
    // Asking for it twice is refused; asking alone changes nothing yet.
    expect(await ask(db, { strategy: editedDefault(), requestedBy: 'sup2', nowMs: T0 })).toMatchObject({
      ok: false,
      code: 'already_pending',
      about: 'A-edit',
    });
    expect((await activeStrategyRecord(db)).source).toBe('builtin');

    // The requester cannot approve (nor reject) their own request.
    expect(await approve(db, { approvalId: 'A-edit', decidedBy: 'sup', nowMs: T0 + 1000 })).toMatchObject({
      ok: false,
      code: 'own_request',
    });
    expect(await reject(db, { approvalId: 'A-edit', decidedBy: 'sup', nowMs: T0 + 1000 })).toMatchObject({
      ok: false,
      code: 'own_request',
    });
    expect((await getApproval(db, 'A-edit'))?.status).toBe('pending');

    const approved = await approve(db, {
      approvalId: 'A-edit',
      decidedBy: 'admin',
      comment: 'ok',
      nowMs: T0 + 2000,
    });
    expect(approved).toMatchObject({
      ok: true,
      value: {
        retired: null,
        superseded: [],
        approval: { status: 'approved', decidedBy: 'admin', decisionComment: 'ok' },
      },
    });
    const active = await activeStrategyRecord(db);
    expect(active).toMatchObject({
      source: 'activated',
      approvalId: 'A-edit',
      activatedBy: 'sup',
      approvedBy: 'admin',
    });
    expect(strategyToJson(active.strategy)).toEqual(editedDefault());
    expect(
      (await strategyCatalogue(db)).map((entry) => [entry.strategy.name, entry.strategy.version, entry.active]),
    ).toEqual([
      ['default', 2, true],
      ['gentle', 1, false],
    ]);

    // The next day P2 is three days out: one SMS at 08:30 and no e-mail, planned under version 2.
    await runDailyClose({ db, businessDate: '2026-03-11' });
    await planContacts({ db, date: '2026-03-11', strategy: await activeStrategy(db), policy, nowMs: T0 + 86_400_000 });
    expect(await planned(db, 'P2')).toEqual([['P2:2026-03-11:pre_due_3:sms', shanghai('2026-03-11', '08:30'), 2]]);

    // Deciding it again is refused.
    expect(await reject(db, { approvalId: 'A-edit', decidedBy: 'admin2', nowMs: T0 + 3000 })).toMatchObject({
      ok: false,
      code: 'approval_not_pending',
    });
    expect(await approve(db, { approvalId: 'A-404', decidedBy: 'admin', nowMs: T0 })).toMatchObject({
      code: 'approval_not_found',
    });
  });

  it('changes nothing on a rejection', async () => {
    const before = await activeStrategyRecord(db);
    const asked = await ask(db, { strategy: 'gentle', requestedBy: 'sup', nowMs: T0 + 5000 });
    if (!asked.ok) throw new Error(`requested, got ${asked.code}`);
    expect(asked.value.baseDigest).toBe(before.digest);
    const rejected = await reject(db, {
      approvalId: asked.value.approvalId,
      decidedBy: 'admin',
      comment: 'not this quarter',
      nowMs: T0 + 6000,
    });
    expect(rejected).toMatchObject({ ok: true, value: { approval: { status: 'rejected', decidedBy: 'admin' } } });
    expect((await activeStrategyRecord(db)).digest).toBe(before.digest);
  });

  it('lets exactly one of two concurrent approvers win, and supersedes the other pending requests', async () => {
    const first = await ask(db, { strategy: 'gentle', requestedBy: 'sup', nowMs: T0 + 7000 });
    const second = await ask(db, { strategy: editedDefault(3), requestedBy: 'sup2', nowMs: T0 + 8000 });
    if (!first.ok || !second.ok) throw new Error('requested');
    const id = first.value.approvalId;
    const results = await Promise.all(
      ['admin', 'admin2'].map((decidedBy) => approve(db, { approvalId: id, decidedBy, nowMs: T0 + 9000 })),
    );
    const outcomes = results.map((result) => (result.ok ? 'approved' : result.code)).sort();
    expect(outcomes).toEqual(['approval_not_pending', 'approved']);
    const winner = results.find((result) => result.ok);
    expect(winner).toMatchObject({ value: { retired: 'A-edit', superseded: [second.value.approvalId] } });
    expect(await getApproval(db, second.value.approvalId)).toMatchObject({ status: 'superseded', supersededBy: id });
    expect((await activeStrategy(db)).name).toBe('gentle');
    // Two approvals of different requests at once: one activation, the other request superseded.
    const a = await ask(db, { strategy: 'default', requestedBy: 'sup', nowMs: T0 + 10_000 });
    const b = await ask(db, { strategy: editedDefault(), requestedBy: 'sup', nowMs: T0 + 11_000 });
    if (!a.ok || !b.ok) throw new Error('requested');
    const both = await Promise.all(
      [a.value, b.value].map((asked) =>
        approve(db, { approvalId: asked.approvalId, decidedBy: 'admin', nowMs: T0 + 12_000 }),
      ),
    );
    expect(both.filter((result) => result.ok)).toHaveLength(1);
    expect(both.filter((result) => !result.ok && result.code === 'approval_not_pending')).toHaveLength(1);
    const history = await listStrategyActivations(db, 10);
    expect(history.filter((row) => row.active)).toHaveLength(1);
    expect(history).toHaveLength(3);
  });
});

describe('kuan contacts plan', () => {
  it('plans with the active strategy unless --strategy names another', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-approvals-'));
    try {
      const db = await openDatabase({ dataDir: folder });
      await migrate(db);
      await seedBorrowers(db);
      await runDailyClose({ db, businessDate: '2026-03-11' });
      const asked = await ask(db, { strategy: editedDefault(), requestedBy: 'sup', nowMs: T0 });
      if (!asked.ok) throw new Error('requested');
      await approve(db, { approvalId: asked.value.approvalId, decidedBy: 'admin', nowMs: T0 });
      await db.close();

      const kuan = async (argv: string[]) => {
        const io = memoryIo('', { env: { KUAN_DATA_DIR: folder } });
        const code = await main(argv, io);
        return { code, stderr: io.stderrText() };
      };
      // P2 is three days out on 03-11: the active strategy (v2) sends one SMS at 08:30, no e-mail.
      expect(await kuan(['contacts', 'plan', '--date', '2026-03-11'])).toEqual({ code: 0, stderr: '' });
      // --strategy overrides it: gentle's pre-due reminder is a push, planned next to the SMS.
      expect(await kuan(['contacts', 'plan', '--date', '2026-03-11', '--strategy', 'gentle'])).toEqual({
        code: 0,
        stderr: '',
      });
      const check = await openDatabase({ dataDir: folder });
      try {
        const contacts = await listBorrowerContacts(check, 'P2');
        expect(contacts.map((contact) => [contact.contactId, contact.dueAtMs, contact.intent.strategy])).toEqual([
          [
            'P2:2026-03-11:pre_due_3:push',
            shanghai('2026-03-11', '09:00'),
            expect.objectContaining({ name: 'gentle' }),
          ],
          [
            'P2:2026-03-11:pre_due_3:sms',
            shanghai('2026-03-11', '08:30'),
            expect.objectContaining({ name: 'default', version: 2 }),
          ],
        ]);
      } finally {
        await check.close();
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
