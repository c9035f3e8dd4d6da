// The collector workbench at service level, on whichever database openTestDatabase picks (PGlite, or
// PostgreSQL with DATABASE_URL): a seeded book serviced for 40 days plus a few borrowers long overdue;
// the queue built from it and explained case by case, assignment, claims, call outcomes and their
// effects on the contact state, callbacks, escalation to the lawyer's letter, complaints with their
// pause, breach alerts and surveys, cases resolved by payment, and a status notice queued.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, msPerDay, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import { contactView, defaultPolicy, evaluateContact, loanContactView, type ContactIntent } from '../contact/index.ts';
import {
  addNote,
  alertComplaintBreaches,
  closeComplaint,
  escalate,
  explainQueue,
  nextCase,
  openComplaint,
  queueStatusNotice,
  recordCallOutcome,
  recordSurvey,
  refreshCases,
  reviewComplaint,
  saveAgents,
  scheduleCallback,
  type CaseServiceConfig,
} from './workbench.ts';
import { openLoans, postPayment, readLoanState } from './index.ts';
import { buildCase, caseLoanOf, explainPriority, priorityTermNames } from '../workbench/queue.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules, scheduledOutstanding, penaltyOutstanding } from '../servicing/index.ts';
import {
  getCase,
  getEscalationLetter,
  getOpenCase,
  getSurvey,
  listCallbacks,
  listCallLogs,
  listCaseAssignments,
  listNotes,
  listQueue,
} from '../store/cases.ts';
import {
  assignVerificationCode,
  findMessageByCode,
  getContact,
  insertContacts,
  listBorrowerMessages,
  loadContactSubjects,
  updateContact,
} from '../store/contacts.ts';
import { getOutboxEvent, openTestDatabase, queryRows, upsertBorrowers, type TestDatabase } from '../store/index.ts';
import { FIRST_DAY, runDays, seedBook } from './testing.ts';

const zone = 'Asia/Shanghai';
const DAYS = 40;
const lastDay: IsoDate = addDays(FIRST_DAY, DAYS - 1); // 2026-02-09
const today: IsoDate = addDays(lastDay, 1);
const at = (date: IsoDate, time: string) =>
  zonedEpochMs(zone, date, Number(time.slice(0, 2)) * 60 + Number(time.slice(3)));
const now = at(today, '10:00');
const secret = 'a-test-secret-of-32-bytes-length';
const config: CaseServiceConfig = {
  lender: { name: '宽信贷', address: '北京市朝阳区建国路1号', portalUrl: 'https://kuan.example/portal' },
  verificationSecret: secret,
};
const phone = (n: number) => `+86138000000${String(n).padStart(2, '0')}`;

/** Borrowers W1–W4, each with one loan long overdue (first due 2025-11-01), and W3 reading English. */
async function seedWorkbenchBorrowers(test: TestDatabase) {
  await upsertBorrowers(
    test.db,
    [1, 2, 3, 4].map((n) => ({
      borrowerId: `W${n}`,
      name: ['王芳', '李强', 'Alex Chen', '赵敏'][n - 1] as string,
      timezone: zone,
      locale: n === 3 ? 'en' : 'zh-CN',
      contacts: { voice: phone(n), sms: phone(n), letter: `上海市浦东新区世纪大道${n}00号` },
    })),
  );
  const rules = parseServicingRules({});
  await openLoans(
    test.db,
    [1, 2, 3, 4].map((n) => ({
      loanId: `WL${n}`,
      borrowerId: `W${n}`,
      terms: parseLoanTerms({ principal: `${n * 3000}.00`, annualRate: '0.12', termCount: 6, startDate: '2025-10-01' }),
      rules,
      disbursedOn: '2025-10-01',
    })),
  );
}

/** A message the contact pipeline sent (planned, coded, sent), as escalation reads them. */
async function seedSentMessage(test: TestDatabase, borrowerId: string, template: string, sentOn: IsoDate) {
  const sentAtMs = at(sentOn, '10:00');
  const intent: ContactIntent = {
    intentId: `${borrowerId}:${sentOn}:${template}:letter`,
    borrowerId,
    loanIds: [`WL${borrowerId.slice(1)}`],
    subjects: [],
    channel: 'letter',
    template,
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: template },
    date: sentOn,
    plannedAtMs: sentAtMs,
    validUntilMs: sentAtMs + msPerDay,
    reasons: [],
  };
  const key = { borrowerId, contactId: intent.intentId };
  await insertContacts(test.db, [
    {
      intent,
      businessDate: sentOn,
      status: 'planned',
      dueAtMs: sentAtMs,
      verdict: 'send',
      reasons: [],
      decidedAtMs: sentAtMs,
    },
  ]);
  await assignVerificationCode(test.db, { ...key, secret, createdAtMs: sentAtMs });
  await updateContact(test.db, key, { status: 'sent', address: 'letter', sentAtMs }, sentAtMs);
}

async function contactState(test: TestDatabase, borrowerId: string) {
  const [subject] = await loadContactSubjects(test.db, [borrowerId]);
  return subject?.state ?? null;
}

describe('the collector workbench', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase({ poolSize: 6 });
    await seedBook(test.db, 60);
    await seedWorkbenchBorrowers(test);
    await runDays(test.db, [], { days: DAYS, payments: false });
    await saveAgents({
      db: test.db,
      nowMs: now,
      agents: [
        { agentId: 'A-zh', name: '刘洋', capacity: 20, skills: { languages: ['zh-CN'] } },
        { agentId: 'A-late', name: '陈静', capacity: 10, skills: { languages: ['zh'], buckets: ['M3', 'M4', 'M5'] } },
        { agentId: 'A-en', name: 'Sam Lee', capacity: 5, skills: { languages: ['en'] } },
      ],
    });
    await saveAgents({
      db: test.db,
      nowMs: now,
      team: 'complaints',
      agents: [{ agentId: 'S1', name: '周敏', capacity: 50 }],
    });
    await saveAgents({
      db: test.db,
      nowMs: now,
      team: 'floor',
      agents: [
        { agentId: 'P1', name: 'Pool one', capacity: 100 },
        { agentId: 'P2', name: 'Pool two', capacity: 100 },
      ],
    });
  });
  afterAll(async () => test.dispose());

  it('the queue order for a seeded book is explained case by case', async () => {
    const stats = await refreshCases({ db: test.db, date: lastDay, nowMs: now, config });
    const inCollection = await queryRows<{ borrower_id: string }>(
      test.db,
      sql`SELECT DISTINCT borrower_id FROM loans WHERE status IN ('overdue', 'charged_off') ORDER BY borrower_id`,
    );
    expect(stats.opened).toBe(inCollection.length);
    expect(stats.opened).toBeGreaterThan(20);
    const queue = await explainQueue({ db: test.db, limit: 1000 });
    expect(queue.map((e) => e.borrowerId).sort()).toEqual(inCollection.map((r) => r.borrower_id));

    const lines: string[] = [];
    for (const [index, entry] of queue.entries()) {
      expect(entry.rank).toBe(index + 1);
      // Higher priority first; equal priorities by borrower id.
      const previous = queue[index - 1];
      if (previous) {
        expect(previous.priority).toBeGreaterThanOrEqual(entry.priority);
        if (previous.priority === entry.priority) expect(previous.borrowerId < entry.borrowerId).toBe(true);
      }
      // Every term of the formula is shown, and they add up to the priority.
      expect(entry.terms.map((t) => t.name)).toEqual([...priorityTermNames]);
      const sum = entry.terms.reduce((total, t) => total + Math.round(t.contribution * 100), 0);
      expect(sum).toBe(Math.round(entry.priority * 100));
      const points = (t: { contribution: number }) =>
        `${t.contribution < 0 ? '-' : '+'}${Math.abs(t.contribution).toFixed(2)}`;
      expect(entry.text).toBe(
        `${entry.rank}. ${entry.borrowerId} ${entry.priority.toFixed(2)} = ${entry.terms.map((t) => `${t.name} ${points(t)}`).join(' + ')}`,
      );
      // The explanation is the formula applied to the borrower's loans as they are now.
      const loanIds = (
        await queryRows<{ loan_id: string }>(
          test.db,
          sql`SELECT loan_id FROM loans WHERE borrower_id = ${entry.borrowerId}`,
        )
      ).map((r) => r.loan_id);
      const loans = [];
      for (const loanId of loanIds) loans.push(caseLoanOf((await readLoanState(test.db, loanId))!.state));
      const expected = buildCase({
        borrowerId: entry.borrowerId,
        locale: entry.borrowerId === 'W3' ? 'en' : 'zh-CN',
        timezone: zone,
        date: lastDay,
        loans,
        contact: await contactState(test, entry.borrowerId),
      });
      expect(entry.terms).toEqual(explainPriority(expected!).terms);
      lines.push(entry.text);
    }
    // The long-overdue borrowers lead the queue: DPD is the heaviest term.
    expect(
      queue
        .slice(0, 4)
        .map((e) => e.borrowerId)
        .sort(),
    ).toEqual(['W1', 'W2', 'W3', 'W4']);
    expect(lines[0]).toBe(
      '1. W4 43.43 = dpd +22.22 + balance +6.21 + promise_open +0.00 + promise_broken +0.00 + last_contact +15.00 + score +0.00',
    );
    expect(queue[0]?.terms.map((t) => t.text)).toEqual([
      'DPD 100 (full at 180): 0.5556 × 40 = +22.22',
      'balance CNY 12423.48 (full at 50000.00): 0.2485 × 25 = +6.21',
      'no open promise to pay: 0.0000 × -30 = +0.00',
      'no broken promise: 0.0000 × 20 = +0.00',
      'no contact on record (full at 7 days): 1.0000 × 15 = +15.00',
      'no propensity-to-pay score: 0.0000 × 10 = +0.00',
    ]);
  });

  it('hands cases out by skill within each agent’s capacity, highest priority first', async () => {
    const open = await listQueue(test.db, { limit: 1000 });
    const of = (agentId: string | null) => open.filter((c) => c.assignedAgentId === agentId);
    expect(of('A-zh')).toHaveLength(20);
    // A-late works M3–M5 only: of the long-overdue zh borrowers it took the first (W4, the largest
    // balance), after which A-zh was the less loaded (0/20 against 1/10).
    expect(of('A-late').map((c) => c.borrowerId)).toEqual(['W4']);
    expect(of('A-en').map((c) => c.borrowerId)).toEqual(['W3']);
    expect(open.some((c) => c.assignedAgentId?.startsWith('P') || c.assignedAgentId === 'S1')).toBe(false);
    const w3 = await getOpenCase(test.db, 'W3');
    expect(await listCaseAssignments(test.db, w3!)).toMatchObject([
      { seq: 1, agentId: 'A-en', strategy: 'by_skill', reason: 'works bucket M4 and speaks en; 1/5 open' },
    ]);
    // Capacity ran out in queue order: every case left waiting ranks below every case A-zh was given.
    const lowestGiven = Math.min(...of('A-zh').map((c) => c.priorityCenti));
    for (const c of of(null)) expect(c.priorityCenti).toBeLessThanOrEqual(lowestGiven);
    expect(of(null)).toHaveLength(open.length - 22);
  });

  it('two agents asking at once never get the same case', async () => {
    const claims = await Promise.all(
      ['P1', 'P2', 'P1', 'P2', 'P1', 'P2'].map((agentId, i) =>
        nextCase({ db: test.db, agentId, nowMs: now + i, config }),
      ),
    );
    const ids = claims.map((c) => c?.case.borrowerId);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    // Pool cases become the claiming agent's, best first.
    for (const claim of claims) expect(claim?.case.assignedAgentId).toMatch(/^P[12]$/);
    const w4 = await nextCase({ db: test.db, agentId: 'A-late', nowMs: now, config });
    expect(w4?.case.borrowerId).toBe('W4');
    expect(w4?.number).toBe(phone(4));
    expect(w4?.callCheck).toMatchObject({ verdict: 'send' });
    expect(w4?.entry).toMatchObject({ rank: 1, borrowerId: 'W4' });
    // A-late is under capacity but no unassigned case fits its buckets.
    expect(await nextCase({ db: test.db, agentId: 'A-late', nowMs: now, config })).toBeNull();
  });

  it('a call outcome feeds the gate and sets off its effects, once per idempotency key', async () => {
    const base = { agentId: 'A-zh', borrowerId: 'W1', caseId: `C${lastDay}` };
    expect((await getOpenCase(test.db, 'W1'))?.assignedAgentId).toBe('A-zh');
    const first = await recordCallOutcome({
      db: test.db,
      config,
      request: { ...base, idempotencyKey: 'call-1', outcome: 'no_answer', atMs: at(today, '10:05') },
    });
    expect(first).toMatchObject({ outcome: 'recorded', effects: [] });
    const promise = { loanId: 'WL1', amountMinor: 100_000n, date: addDays(today, 5) };
    const request = {
      ...base,
      idempotencyKey: 'call-2',
      outcome: 'promise' as const,
      atMs: at(today, '10:30'),
      promise,
      note: '发薪日还款',
    };
    const second = await recordCallOutcome({ db: test.db, config, request });
    expect(second).toMatchObject({
      outcome: 'recorded',
      effects: [
        { kind: 'promise', loanId: 'WL1' },
        { kind: 'note', text: '发薪日还款' },
      ],
    });
    expect(await recordCallOutcome({ db: test.db, config, request })).toMatchObject({ outcome: 'replayed' });
    // A retry arrives a moment later: the same request, answered by the first answer.
    const retried = { ...request, atMs: request.atMs + 2_000 };
    expect(await recordCallOutcome({ db: test.db, config, request: retried })).toMatchObject({ outcome: 'replayed' });
    expect(await recordCallOutcome({ db: test.db, config, request: { ...request, note: 'changed' } })).toEqual({
      outcome: 'rejected',
      code: 'idempotency_key_reused',
      message: 'idempotencyKey: already used for another request',
    });

    const state = await contactState(test, 'W1');
    expect(state?.history.map((r) => r.call)).toEqual([
      { number: phone(1), outcome: 'no_answer' },
      { number: phone(1), outcome: 'promise' },
    ]);
    expect(state?.promises).toMatchObject([{ loanId: 'WL1', amountMinor: 100_000n, status: 'open', takenBy: 'A-zh' }]);
    expect((await listCallLogs(test.db, { borrowerId: 'W1' })).map((c) => c.outcome)).toEqual(['no_answer', 'promise']);
    expect((await listNotes(test.db, { borrowerId: 'W1' })).map((n) => n.text)).toEqual(['发薪日还款']);
    expect((await getCase(test.db, base))?.claimedBy).toBeNull();

    // The promise lowers the case at the next refresh, and says why.
    await refreshCases({ db: test.db, date: lastDay, nowMs: now, config });
    const entry = (await explainQueue({ db: test.db, limit: 1000 })).find((e) => e.borrowerId === 'W1');
    expect(entry?.terms.find((t) => t.name === 'promise_open')).toMatchObject({ value: 1, contribution: -30 });
    expect(entry?.terms.find((t) => t.name === 'last_contact')).toMatchObject({ value: 0, contribution: 0 });
  });

  it('a callback must fall in the borrower’s contact window; a refused one writes nothing', async () => {
    const base = {
      agentId: 'A-zh',
      borrowerId: 'W1',
      caseId: `C${lastDay}`,
      outcome: 'callback' as const,
      atMs: at(today, '11:00'),
    };
    const late = await recordCallOutcome({
      db: test.db,
      config,
      request: { ...base, idempotencyKey: 'call-3', callback: { date: addDays(today, 1), time: '21:30' } },
    });
    expect(late).toEqual({
      outcome: 'rejected',
      code: 'callback_outside_window',
      message: `callback: ${addDays(today, 1)} 21:30 Asia/Shanghai is outside the contact window: quiet hours 21:00-08:00 in the borrower's zone`,
    });
    expect(await listCallLogs(test.db, { borrowerId: 'W1' })).toHaveLength(2);
    // The key was not used up: the agent corrects the time and sends it again.
    const ok = await recordCallOutcome({
      db: test.db,
      config,
      request: { ...base, idempotencyKey: 'call-3', callback: { date: addDays(today, 1), time: '19:30' } },
    });
    expect(ok).toMatchObject({ outcome: 'recorded', effects: [{ kind: 'callback', localTime: '19:30' }] });
    const scheduled = await scheduleCallback({
      db: test.db,
      config,
      request: {
        idempotencyKey: 'cb-1',
        agentId: 'A-zh',
        borrowerId: 'W1',
        caseId: `C${lastDay}`,
        date: addDays(today, 2),
        time: '09:15',
        atMs: now,
      },
    });
    expect(scheduled).toMatchObject({
      outcome: 'scheduled',
      localTime: `${addDays(today, 2)} 09:15`,
      dueAtMs: at(addDays(today, 2), '09:15'),
    });
    expect((await listCallbacks(test.db, { borrowerId: 'W1' })).map((c) => c.localTime)).toEqual([
      `${addDays(today, 1)} 19:30`,
      `${addDays(today, 2)} 09:15`,
    ]);
    expect(
      await addNote({
        db: test.db,
        borrowerId: 'W1',
        caseId: `C${lastDay}`,
        author: 'A-zh',
        text: '家人住院',
        atMs: now,
      }),
    ).toBe(2);
  });

  it('a wrong number or a third party is blocked, and the agent of another case is refused', async () => {
    const w4 = await getOpenCase(test.db, 'W4');
    const wrong = await recordCallOutcome({
      db: test.db,
      config,
      request: {
        idempotencyKey: 'call-w4',
        agentId: w4!.assignedAgentId!,
        borrowerId: 'W4',
        caseId: w4!.caseId,
        outcome: 'third_party',
        atMs: now,
      },
    });
    expect(wrong).toMatchObject({
      outcome: 'recorded',
      effects: [{ kind: 'block_number', number: phone(4), reason: 'third_party' }],
    });
    expect((await contactState(test, 'W4'))?.blockedAddresses).toEqual([phone(4)]);
    // The call released the claim; the case comes back, and the gate now refuses that number.
    const next = await nextCase({ db: test.db, agentId: w4!.assignedAgentId!, nowMs: now + 1, config });
    expect(next?.case.borrowerId).toBe('W4');
    expect(next?.callCheck).toEqual({ verdict: 'suppress', reasons: ['blocked_address voice'] });
    const stranger = await recordCallOutcome({
      db: test.db,
      config,
      request: {
        idempotencyKey: 'call-x',
        agentId: 'A-en',
        borrowerId: 'W4',
        caseId: w4!.caseId,
        outcome: 'connected',
        atMs: now,
      },
    });
    expect(stranger).toMatchObject({ outcome: 'rejected', code: 'case_not_assigned' });
  });

  it('escalates up the ladder only with the DPD and notices, and sends the lawyer’s letter to the borrower’s own address', async () => {
    const base = { agentId: 'A-zh', borrowerId: 'W1', caseId: `C${lastDay}` };
    // Not while the promise taken on the call is still to come.
    expect(
      await escalate({
        db: test.db,
        config,
        request: { ...base, nowMs: now, idempotencyKey: 'esc-0', toStage: 'hard' },
      }),
    ).toMatchObject({
      ok: false,
      code: 'promise_open',
      field: 'toStage',
    });
    const day = addDays(today, 8);
    const nowMs = at(day, '10:00');
    expect(
      await escalate({ db: test.db, config, request: { ...base, nowMs, idempotencyKey: 'esc-1', toStage: 'hard' } }),
    ).toEqual({
      ok: false,
      code: 'notices_missing',
      message: 'toStage: "hard" needs notice overdue_30 sent',
      field: 'toStage',
    });
    await seedSentMessage(test, 'W1', 'overdue_30', '2025-12-01');
    expect(
      await escalate({ db: test.db, config, request: { ...base, nowMs, idempotencyKey: 'esc-1', toStage: 'hard' } }),
    ).toMatchObject({
      ok: true,
      value: {
        outcome: 'escalated',
        fromStage: 'soft',
        toStage: 'hard',
        reasons: ['DPD 109 ≥ 31', 'notice overdue_30 sent on 2025-12-01'],
        seq: 1,
        letter: null,
      },
    });
    await seedSentMessage(test, 'W1', 'final_notice', addDays(day, -3));
    expect(
      await escalate({ db: test.db, config, request: { ...base, nowMs, idempotencyKey: 'esc-2', toStage: 'legal' } }),
    ).toMatchObject({
      ok: false,
      code: 'notices_missing',
    });
    await seedSentMessage(test, 'W1', 'final_notice', addDays(day, -8));

    const dry = await escalate({
      db: test.db,
      config,
      request: { ...base, nowMs, idempotencyKey: 'esc-2', toStage: 'legal', dryRun: true },
    });
    // A dry run is the decision and what would be written, computed: nothing is written, no key is used.
    expect(dry).toMatchObject({
      ok: true,
      value: {
        outcome: 'dry_run',
        toStage: 'legal',
        seq: null,
        letter: null,
        wouldWrite: {
          caseStage: 'legal',
          letter: { contactId: `W1:${day}:escalation_legal:letter`, address: '上海市浦东新区世纪大道100号' },
        },
      },
    });
    expect(dry.ok && dry.value.preview?.recipientAddress).toBe('王芳\n上海市浦东新区世纪大道100号');
    expect((await getOpenCase(test.db, 'W1'))?.stage).toBe('hard');
    expect(await getContact(test.db, { borrowerId: 'W1', contactId: `W1:${day}:escalation_legal:letter` })).toBe(
      undefined,
    );

    const legal = await escalate({
      db: test.db,
      config,
      request: { ...base, nowMs, idempotencyKey: 'esc-2', toStage: 'legal' },
    });
    expect(legal).toMatchObject({
      ok: true,
      value: { outcome: 'escalated', fromStage: 'hard', toStage: 'legal', seq: 2 },
    });
    if (!legal.ok) throw new Error(legal.message);
    const letter = legal.value.letter!;
    // The letter printed is the one recorded: its code is the contact's.
    expect(letter.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect(letter.address).toBe('上海市浦东新区世纪大道100号');
    expect(letter.subject).toBe('关于您逾期借款的正式通知');
    const pdf = await getEscalationLetter(test.db, { borrowerId: 'W1', caseId: `C${lastDay}`, seq: 2 });
    expect(pdf?.length).toBe(letter.bytes);
    expect(Buffer.from(pdf!.slice(0, 5)).toString('latin1')).toBe('%PDF-');
    // The letter is a message like any other: in the borrower's list, with a code that verifies it.
    const messages = await listBorrowerMessages(test.db, 'W1');
    expect(messages[0]).toMatchObject({
      template: 'lawyer_letter',
      channel: 'letter',
      code: letter.code,
      status: 'sent',
    });
    expect(await findMessageByCode(test.db, letter.code)).toMatchObject({
      borrowerId: 'W1',
      contactId: letter.contactId,
    });
    expect((await getContact(test.db, { borrowerId: 'W1', contactId: letter.contactId }))?.address).toBe(
      letter.address,
    );
    expect((await contactState(test, 'W1'))?.history.at(-1)).toMatchObject({ channel: 'letter', atMs: nowMs });
    expect((await getOpenCase(test.db, 'W1'))?.stage).toBe('legal');
    // The same request again answers the first answer and writes nothing more.
    expect(
      await escalate({ db: test.db, config, request: { ...base, nowMs, idempotencyKey: 'esc-2', toStage: 'legal' } }),
    ).toEqual({ ...legal, value: { ...legal.value, replayed: true } });
    expect(
      await escalate({ db: test.db, config, request: { ...base, nowMs, idempotencyKey: 'esc-2', toStage: 'hard' } }),
    ).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
  });

  it('a dispute pauses collection contact and escalation until it is reviewed', async () => {
    const w2 = await getOpenCase(test.db, 'W2');
    const agentId = w2!.assignedAgentId!;
    const disputed = await recordCallOutcome({
      db: test.db,
      config,
      request: {
        idempotencyKey: 'call-w2',
        agentId,
        borrowerId: 'W2',
        caseId: w2!.caseId,
        outcome: 'dispute',
        atMs: now,
        note: '称已于12月结清',
      },
    });
    expect(disputed).toMatchObject({
      outcome: 'recorded',
      effects: [
        { kind: 'pause', reason: 'dispute' },
        { kind: 'review', category: 'dispute', pauseReason: 'dispute' },
        { kind: 'note', text: '称已于12月结清' },
      ],
    });
    const complaintId = disputed.outcome === 'recorded' ? disputed.complaintId! : '';
    const paused = await contactState(test, 'W2');
    expect(paused?.pauses).toEqual([{ fromMs: now, untilMs: null, reason: 'dispute' }]);
    const loan = (await readLoanState(test.db, 'WL2'))!.state;
    const gate = (nowMs: number, state = paused!) =>
      evaluateContact({
        intent: {
          intentId: 'W2:x:sms',
          borrowerId: 'W2',
          loanIds: ['WL2'],
          subjects: [],
          channel: 'sms',
          template: 'overdue_60',
          purpose: 'reminder',
          stage: 'delinquent',
          strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'x' },
          date: today,
          plannedAtMs: nowMs,
          validUntilMs: nowMs + msPerDay,
          reasons: [],
        },
        view: contactView(state, [loanContactView(loan)]),
        policy: defaultPolicy,
        nowMs,
      });
    expect(gate(now + 3600_000)).toEqual({ verdict: 'suppress', reasons: ['paused dispute'] });
    expect(
      await escalate({
        db: test.db,
        config,
        request: {
          idempotencyKey: 'esc-w2',
          agentId,
          borrowerId: 'W2',
          caseId: w2!.caseId,
          toStage: 'hard',
          nowMs: now,
        },
      }),
    ).toMatchObject({ ok: false, code: 'contact_paused' });

    const reviewed = await reviewComplaint({
      db: test.db,
      config,
      request: { borrowerId: 'W2', complaintId, by: 'S1', atMs: now + 7200_000, note: '未找到结清记录' },
    });
    expect(reviewed).toMatchObject({
      outcome: 'done',
      lifted: true,
      complaint: { status: 'reviewed', category: 'dispute', assignedAgentId: 'S1' },
    });
    const lifted = await contactState(test, 'W2');
    expect(gate(now + 3 * 3600_000, lifted!).verdict).toBe('send');
  });

  it('a complaint is routed with its deadline, pauses contact, alerts once on breach and ends with a survey', async () => {
    const opened = await openComplaint({
      db: test.db,
      config,
      request: {
        idempotencyKey: 'complaint-1',
        borrowerId: 'W3',
        loanId: 'WL3',
        source: 'borrower',
        raisedBy: 'W3',
        category: 'contact_conduct',
        text: 'You called me at work twice.',
        atMs: now,
      },
    });
    expect(opened).toMatchObject({
      outcome: 'opened',
      paused: true,
      complaint: {
        team: 'complaints',
        assignedAgentId: 'S1',
        caseId: `C${lastDay}`,
        loanId: 'WL3',
        deadlineAtMs: now + 15 * msPerDay,
      },
    });
    if (opened.outcome !== 'opened') throw new Error('not opened');
    const { complaintId } = opened.complaint;
    expect((await contactState(test, 'W3'))?.pauses).toEqual([
      { fromMs: now, untilMs: null, reason: `complaint:${complaintId}` },
    ]);

    expect(await alertComplaintBreaches({ db: test.db, nowMs: now + 15 * msPerDay })).toEqual([]);
    // W2's dispute (reviewed, not closed) and this complaint both passed their deadline.
    const breached = await alertComplaintBreaches({ db: test.db, nowMs: now + 16 * msPerDay });
    expect(breached.map((c) => c.borrowerId)).toEqual(['W2', 'W3']);
    expect(breached[1]?.complaintId).toBe(complaintId);
    expect(await alertComplaintBreaches({ db: test.db, nowMs: now + 17 * msPerDay })).toEqual([]);
    const event = await getOutboxEvent(test.db, { borrowerId: 'W3', eventId: `complaint:${complaintId}:breach` });
    expect(event).toMatchObject({
      kind: 'complaint_breach',
      payload: { team: 'complaints', assignedAgentId: 'S1', overdueHours: 24 },
    });

    const closed = await closeComplaint({
      db: test.db,
      config,
      request: {
        borrowerId: 'W3',
        complaintId,
        by: 'S1',
        atMs: now + 17 * msPerDay,
        resolution: 'Apologised; calls to work numbers stopped.',
      },
    });
    expect(closed).toMatchObject({ outcome: 'done', lifted: true, complaint: { status: 'closed' } });
    const surveyId = `complaint:${complaintId}`;
    expect(await getSurvey(test.db, { borrowerId: 'W3', surveyId })).toMatchObject({ status: 'pending' });
    expect(
      await recordSurvey({
        db: test.db,
        request: { borrowerId: 'W3', surveyId, score: 4, comment: 'Handled well.', atMs: now + 18 * msPerDay },
      }),
    ).toEqual({
      outcome: 'answered',
    });
    expect(
      await recordSurvey({ db: test.db, request: { borrowerId: 'W3', surveyId, score: 1, atMs: now + 19 * msPerDay } }),
    ).toMatchObject({
      outcome: 'rejected',
      code: 'survey_answered',
    });
    await expect(
      recordSurvey({ db: test.db, request: { borrowerId: 'W3', surveyId, score: 6, atMs: now } }),
    ).rejects.toThrow('score: must be a whole number 1–5');
  });

  it('a borrower who pays what is overdue leaves the queue, and is offered a survey', async () => {
    const { state } = (await readLoanState(test.db, 'WL4'))!;
    let overdue = 0n;
    for (const row of state.installments)
      if (row.dueDate <= lastDay) overdue += scheduledOutstanding(row) + penaltyOutstanding(row);
    const paid = await postPayment(test.db, {
      loanId: 'WL4',
      amountMinor: overdue,
      on: lastDay,
      source: 'manual',
      idempotencyKey: 'pay-wl4',
    });
    expect(paid.outcome).toBe('posted');
    const caseId = (await getOpenCase(test.db, 'W4'))!.caseId;
    const stats = await refreshCases({ db: test.db, date: lastDay, nowMs: now + 1, config });
    expect(stats.resolved).toBe(1);
    expect(await getCase(test.db, { borrowerId: 'W4', caseId })).toMatchObject({
      status: 'resolved',
      resolution: 'cured',
      resolvedOn: lastDay,
    });
    expect(await getSurvey(test.db, { borrowerId: 'W4', surveyId: `case:${caseId}` })).toMatchObject({
      status: 'pending',
    });
    expect((await explainQueue({ db: test.db, limit: 1000 })).some((e) => e.borrowerId === 'W4')).toBe(false);
  });

  it('queues a status notice with its ETA for the contact pipeline, once', async () => {
    const request = {
      loanId: 'WL1',
      kind: 'refund' as const,
      amountMinor: 5_000n,
      etaMs: at(addDays(today, 2), '18:00'),
      reference: 'R-1',
      channel: 'sms' as const,
      nowMs: now,
    };
    const queued = await queueStatusNotice({ db: test.db, request });
    expect(queued).toEqual({
      contactId: `W1:${today}:status_refund_R-1:sms`,
      queued: true,
      variables: { what: '¥50.00退款', eta: '2026年2月12日 18:00' },
    });
    expect((await queueStatusNotice({ db: test.db, request })).queued).toBe(false);
    const contact = await getContact(test.db, { borrowerId: 'W1', contactId: queued.contactId });
    expect(contact).toMatchObject({ status: 'planned', template: 'status_delayed', channel: 'sms' });
    expect((contact?.intent as ContactIntent & { variables?: unknown }).variables).toEqual(queued.variables);
  });
});
