// The contact repositories on whichever database openTestDatabase picks (PGlite, or PostgreSQL with
// DATABASE_URL): idempotent planned contacts with one plan decision, claims with leases and SKIP LOCKED,
// contact states under optimistic versions, the verification-code directory with collisions, the portal's
// message list, call tasks and the planning borrower list.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newBorrowerContactState } from '../contact/borrower.ts';
import { verificationCode } from '../contact/codes.ts';
import type { ContactChannel, ContactIntent } from '../contact/model.ts';
import { upsertBorrowers } from './borrowers.ts';
import {
  appendContactDecision,
  assignVerificationCode,
  claimDueContacts,
  completeCallTask,
  ContactStateConflictError,
  createCallTask,
  decodeContactState,
  encodeContactState,
  findContactsByProviderMessageId,
  findMessageByCode,
  getCallTask,
  getContact,
  insertContacts,
  listBorrowerMessages,
  listContactDecisions,
  listOpenCallTasks,
  listPlanningBorrowers,
  loadContactSubjects,
  saveContactStates,
  updateContact,
  type NewContact,
} from './contacts.ts';
import { queryRows } from './db.ts';
import { insertLoans } from './loans.ts';
import { borrowerHash, partitionRange } from './partition.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const T0 = Date.parse('2026-03-10T01:00:00Z');
const SECRET = 'store-test-secret-0123456789';

function intentOf(borrowerId: string, step: string, channel: ContactChannel = 'sms'): ContactIntent {
  return {
    intentId: `${borrowerId}:2026-03-10:${step}:${channel}`,
    borrowerId,
    loanIds: [`L-${borrowerId}`],
    subjects: [{ loanId: `L-${borrowerId}`, installmentNumbers: [1], amountMinor: 30_500n, currency: 'CNY' }],
    channel,
    template: 'due_soon',
    purpose: 'reminder',
    stage: 'pre_due',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: step },
    date: '2026-03-10',
    plannedAtMs: T0,
    validUntilMs: T0 + 86_400_000,
    fallback: { channel: 'email', template: 'due_soon', when: 'undelivered' },
    reasons: [`strategy default step ${step}`],
  };
}

function planned(intent: ContactIntent, dueAtMs = T0): NewContact {
  return {
    intent,
    businessDate: '2026-03-10',
    status: 'planned',
    dueAtMs,
    verdict: 'send',
    reasons: ['cap sms 1/2 today'],
    decidedAtMs: T0 - 3_600_000,
  };
}

describe('contact store', () => {
  let test: TestDatabase;
  const borrowers = Array.from({ length: 12 }, (_, index) => `SB${String(index).padStart(2, '0')}`);

  beforeAll(async () => {
    test = await openTestDatabase();
    await upsertBorrowers(
      test.db,
      borrowers.map((borrowerId) => ({
        borrowerId,
        name: `Name ${borrowerId}`,
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: { sms: `+86138000000${borrowerId.slice(2)}` },
      })),
    );
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('inserts planned contacts once, with one plan decision each', async () => {
    const contacts = [planned(intentOf('SB00', 'pre_due_3')), planned(intentOf('SB00', 'pre_due_3', 'email'))];
    expect(await insertContacts(test.db, contacts)).toBe(2);
    expect(await insertContacts(test.db, contacts)).toBe(0);
    const row = await getContact(test.db, { borrowerId: 'SB00', contactId: 'SB00:2026-03-10:pre_due_3:sms' });
    expect(row?.status).toBe('planned');
    expect(row?.intent.subjects[0]?.amountMinor).toBe(30_500n);
    expect(row?.intent.fallback).toEqual({ channel: 'email', template: 'due_soon', when: 'undelivered' });
    expect(row?.dueAtMs).toBe(T0);
    const decisions = await listContactDecisions(test.db, row!);
    expect(decisions.map((d) => [d.seq, d.phase, d.verdict])).toEqual([[1, 'plan', 'send']]);
    expect(decisions[0]?.reasons).toEqual(['cap sms 1/2 today']);
    expect(
      await appendContactDecision(test.db, {
        ...row!,
        phase: 'dispatch',
        verdict: 'defer',
        decidedAtMs: T0,
        reasons: [],
      }),
    ).toBe(2);
  });

  it('claims due contacts once until the lease runs out, in the worker’s hash range', async () => {
    const ids = ['SB01', 'SB02', 'SB03', 'SB04', 'SB05'];
    await insertContacts(
      test.db,
      ids.map((id, index) => planned(intentOf(id, 'delinquent_1'), T0 + index * 1000)),
    );
    // Not yet due: nothing.
    const none = await claimDueContacts(test.db, {
      nowMs: T0 - 1,
      workerId: 'w1',
      limit: 10,
      leaseMs: 60_000,
      channels: ['sms'],
    });
    expect(none.filter((c) => c.contactId.includes('delinquent_1'))).toEqual([]);
    const first = await claimDueContacts(test.db, {
      nowMs: T0 + 2_000,
      workerId: 'w1',
      limit: 1000,
      leaseMs: 60_000,
      channels: ['sms'],
    });
    const mine = first.filter((c) => c.contactId.includes('delinquent_1')).map((c) => c.borrowerId);
    expect(mine).toEqual(['SB01', 'SB02', 'SB03']);
    expect(first.every((c) => c.claimedBy === 'w1' && c.claimedUntilMs === T0 + 62_000)).toBe(true);
    // Claimed: another worker gets only what was not.
    const second = await claimDueContacts(test.db, {
      nowMs: T0 + 10_000,
      workerId: 'w2',
      limit: 1000,
      leaseMs: 60_000,
      channels: ['sms'],
    });
    expect(second.filter((c) => c.contactId.includes('delinquent_1')).map((c) => c.borrowerId)).toEqual([
      'SB04',
      'SB05',
    ]);
    // After the lease: taken over; a 'sending' contact counts an attempt when re-claimed.
    await assignVerificationCode(test.db, { ...first[0]!, secret: SECRET, createdAtMs: T0 });
    await updateContact(test.db, first[0]!, { status: 'sending', attempts: 1, address: '+8613800000001' }, T0);
    const third = await claimDueContacts(test.db, {
      nowMs: T0 + 62_000,
      workerId: 'w3',
      limit: 1000,
      leaseMs: 60_000,
      channels: ['sms'],
    });
    const retaken = third.find((c) => c.contactId === first[0]!.contactId);
    expect(retaken?.claimedBy).toBe('w3');
    expect(retaken?.attempts).toBe(2);
    expect(third.find((c) => c.contactId === first[1]!.contactId)?.attempts).toBe(0);
    // Channels the dispatcher has no adapter for are left alone.
    const emails = await claimDueContacts(test.db, {
      nowMs: T0 + 200_000,
      workerId: 'w4',
      limit: 1000,
      leaseMs: 60_000,
      channels: ['email'],
    });
    expect(emails.map((c) => c.channel)).toEqual(['email']);
  });

  it('claims only the partition’s borrowers', async () => {
    const ids = ['SB06', 'SB07', 'SB08', 'SB09', 'SB10', 'SB11'];
    await insertContacts(
      test.db,
      ids.map((id) => planned(intentOf(id, 'part', 'push'))),
    );
    const seen: string[] = [];
    for (const worker of [0, 1, 2]) {
      const range = partitionRange({ worker, workers: 3 });
      const claimed = await claimDueContacts(test.db, {
        nowMs: T0,
        workerId: `p${worker}`,
        limit: 1000,
        leaseMs: 60_000,
        channels: ['push'],
        partition: { worker, workers: 3 },
      });
      for (const contact of claimed) {
        expect(contact.borrowerHash).toBeGreaterThanOrEqual(range.low);
        expect(contact.borrowerHash).toBeLessThanOrEqual(range.high);
        seen.push(contact.borrowerId);
      }
    }
    expect(seen.sort()).toEqual(ids);
  });

  it('saves contact states under optimistic versions', async () => {
    const state = {
      ...newBorrowerContactState({ borrowerId: 'SB00', timezone: 'Asia/Shanghai', locale: 'zh-CN', addresses: {} }),
      promises: [
        {
          promiseId: 'p1',
          loanId: 'L-SB00',
          date: '2026-03-12',
          amountMinor: 12_345_678_901_234_567n,
          madeAtMs: T0,
          paidMinor: 1n,
          status: 'open' as const,
          takenBy: 'agent',
        },
      ],
    };
    expect(decodeContactState(JSON.parse(JSON.stringify(encodeContactState(state))))).toEqual(state);
    await saveContactStates(test.db, [{ state, expectedVersion: 0, planThrough: '2026-03-13', updatedAtMs: T0 }]);
    const [subject] = await loadContactSubjects(test.db, ['SB00']);
    expect(subject?.version).toBe(1);
    expect(subject?.state).toEqual(state);
    expect(subject?.name).toBe('Name SB00');
    // Creating it again, or writing over a version not read, is a conflict.
    await expect(
      saveContactStates(test.db, [{ state, expectedVersion: 0, planThrough: null, updatedAtMs: T0 }]),
    ).rejects.toBeInstanceOf(ContactStateConflictError);
    await saveContactStates(test.db, [{ state, expectedVersion: 1, planThrough: null, updatedAtMs: T0 }]);
    await expect(
      saveContactStates(test.db, [{ state, expectedVersion: 1, planThrough: null, updatedAtMs: T0 }]),
    ).rejects.toBeInstanceOf(ContactStateConflictError);
    const [after] = await loadContactSubjects(test.db, ['SB00', 'nobody']);
    expect(after?.version).toBe(2);
    const [none] = await loadContactSubjects(test.db, ['SB01']);
    expect(none?.state).toBeNull();
    expect(none?.version).toBe(0);
  });

  it('gives each message its own code, the next attempt on a collision, and finds it by code', async () => {
    const intent = intentOf('SB01', 'codes');
    await insertContacts(test.db, [planned(intent)]);
    // Someone else's message already holds attempt 0's code.
    const taken = verificationCode({ secret: SECRET, messageId: intent.intentId });
    await test.db.query(
      sql`INSERT INTO verification_codes (code, borrower_id, contact_id, created_at)
        VALUES (${taken}, 'SB02', 'other', now())`,
    );
    const key = { borrowerId: 'SB01', contactId: intent.intentId };
    const code = await assignVerificationCode(test.db, { ...key, secret: SECRET, createdAtMs: T0 });
    expect(code).toBe(verificationCode({ secret: SECRET, messageId: intent.intentId, attempt: 1 }));
    expect(await assignVerificationCode(test.db, { ...key, secret: SECRET, createdAtMs: T0 })).toBe(code);
    await updateContact(test.db, key, { status: 'sent', sentAtMs: T0 + 5, providerMessageId: 'msg_9' }, T0 + 5);
    const found = await findMessageByCode(test.db, code);
    expect(found).toMatchObject({
      ...key,
      code,
      channel: 'sms',
      template: 'due_soon',
      status: 'sent',
      sentAtMs: T0 + 5,
    });
    expect(await findMessageByCode(test.db, 'ZZZZZZ')).toBeUndefined();
    const messages = await listBorrowerMessages(test.db, 'SB01');
    expect(messages.map((m) => m.contactId)).toEqual([intent.intentId]);
    expect((await findContactsByProviderMessageId(test.db, 'msg_9')).map((c) => c.contactId)).toEqual([
      intent.intentId,
    ]);
  });

  it('creates a call task once and completes it once', async () => {
    const task = {
      borrowerId: 'SB03',
      taskId: 'SB03:2026-03-10:delinquent_15:voice',
      phone: '+8613800000003',
      loanIds: ['L-SB03'],
      script: '您好…核验码ABCDEF',
      locale: 'zh-CN',
      verificationCode: 'ABCDEF',
      createdAtMs: T0,
    };
    expect(await createCallTask(test.db, task)).toBe(true);
    expect(await createCallTask(test.db, { ...task, script: 'other' })).toBe(false);
    expect((await listOpenCallTasks(test.db, { borrowerId: 'SB03' })).map((t) => t.script)).toEqual([task.script]);
    const done = await completeCallTask(test.db, {
      borrowerId: 'SB03',
      taskId: task.taskId,
      outcome: 'no_answer',
      completedAtMs: T0 + 1,
    });
    expect(done).toMatchObject({ status: 'done', outcome: 'no_answer', completedAtMs: T0 + 1 });
    expect(
      await completeCallTask(test.db, {
        borrowerId: 'SB03',
        taskId: task.taskId,
        outcome: 'connected',
        completedAtMs: T0 + 2,
      }),
    ).toBeUndefined();
    expect((await getCallTask(test.db, task))?.outcome).toBe('no_answer');
  });

  it('lists the borrowers planning must look at, page by page', async () => {
    const loan = (borrowerId: string, status: string, nextEventDate: string | null) => ({
      borrowerId,
      loanId: `PL-${borrowerId}-${status}`,
      currency: 'CNY',
      status,
      bucket: 'M0',
      nextEventDate,
      state: {},
    });
    await insertLoans(test.db, [
      loan('SB04', 'active', '2026-03-12'), // due soon
      loan('SB04', 'overdue', '2026-03-11'), // two loans: listed once
      loan('SB05', 'active', '2026-04-20'), // nothing soon
      loan('SB06', 'charged_off', null),
      loan('SB07', 'closed', null),
      loan('SB08', 'overdue', '2026-03-11'),
    ]);
    const hold = newBorrowerContactState({
      borrowerId: 'SB09',
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      addresses: {},
    });
    await saveContactStates(test.db, [
      { state: hold, expectedVersion: 0, planThrough: '2026-03-15', updatedAtMs: T0 },
      { state: { ...hold, borrowerId: 'SB10' }, expectedVersion: 0, planThrough: '2026-03-01', updatedAtMs: T0 },
    ]);
    const options = { date: '2026-03-10', eventThrough: '2026-03-13' };
    const all: string[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const ids = await listPlanningBorrowers(test.db, { ...options, limit: 2, ...(after ? { after } : {}) });
      if (ids.length === 0) break;
      expect(ids.length).toBeLessThanOrEqual(2);
      all.push(...ids);
      after = ids.at(-1);
    }
    expect(all).toEqual(['SB04', 'SB06', 'SB08', 'SB09']);
    const worker = (id: string) => (borrowerHash(id) >= partitionRange({ worker: 1, workers: 2 }).low ? 1 : 0);
    const part = await listPlanningBorrowers(test.db, { ...options, limit: 100, partition: { worker: 1, workers: 2 } });
    expect(part).toEqual(all.filter((id) => worker(id) === 1));
  });

  it('keeps instants exactly as the caller gave them', async () => {
    const rows = await queryRows<{ due: string }>(
      test.db,
      sql`SELECT to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS') AS due FROM contacts WHERE contact_id = 'SB00:2026-03-10:pre_due_3:email'`,
    );
    expect(rows[0]?.due).toBe('2026-03-10T01:00:00.000');
  });
});
