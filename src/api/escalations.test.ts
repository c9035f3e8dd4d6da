// The workbench's doors through the API (on whichever database openTestDatabase picks): a collector
// escalates their case up the ladder — refused with the stable code until the DPD and notices allow it,
// idempotent by the Idempotency-Key, a dry run that writes nothing, 503 while the server has no lender for
// the lawyer's letter, then the letter recorded and its PDF served; a status notice queued once per key
// and per notice; complaints whose deadline passed listed for compliance; and a strategy's champion and
// challenger compared, counting only payments within the window and outcomes whose window has closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msPerDay, type IsoDate } from '../calendar/index.ts';
import type { ContactIntent } from '../contact/index.ts';
import { alertComplaintBreaches, openComplaint, saveAgents } from '../app/index.ts';
import {
  assignVerificationCode,
  finishEodRun,
  getContact,
  getOpenCase,
  insertContacts,
  insertPayments,
  startEodRun,
  updateContact,
  upsertBorrowers,
  upsertCases,
  type Database,
} from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

const secret = 'an-api-test-secret-of-32-bytes!!';
const lender = { name: '宽信贷', address: '北京市朝阳区建国路1号', portalUrl: 'https://kuan.example/portal' };
/** A short ladder, so the seeded loans (33 days past due on 2026-03-10) can reach the letter stage. */
const ladder = [
  { name: 'soft', dpdAtLeast: 1, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'hard', dpdAtLeast: 20, noticesRequired: ['overdue_30'], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'legal', dpdAtLeast: 30, noticesRequired: ['final_notice'], noticesSentDaysBeforeMin: 7, lawyerLetter: true },
];
const caseId = 'C2026-03-09';

function intentOf(input: {
  borrowerId: string;
  loanId: string;
  template: string;
  date: IsoDate;
  arm?: 'champion' | 'challenger';
  strategy?: string;
}): ContactIntent {
  const atMs = Date.parse(`${input.date}T02:00:00Z`);
  return {
    intentId: `${input.borrowerId}:${input.date}:${input.template}:sms`,
    borrowerId: input.borrowerId,
    loanIds: [input.loanId],
    subjects: [],
    channel: 'sms',
    template: input.template,
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: input.strategy ?? 'default', version: 1, arm: input.arm ?? 'champion', stepId: input.template },
    date: input.date,
    plannedAtMs: atMs,
    validUntilMs: atMs + msPerDay,
    reasons: [],
  };
}

/** A contact as the pipeline leaves it: sent (with its verification code) or suppressed. */
async function seedContact(db: Database, intent: ContactIntent, status: 'sent' | 'suppressed') {
  const atMs = intent.plannedAtMs;
  await insertContacts(db, [
    {
      intent,
      businessDate: intent.date,
      status: status === 'suppressed' ? 'suppressed' : 'planned',
      dueAtMs: atMs,
      verdict: status === 'suppressed' ? 'suppress' : 'send',
      reasons: [],
      decidedAtMs: atMs,
    },
  ]);
  if (status === 'sent') {
    const key = { borrowerId: intent.borrowerId, contactId: intent.intentId };
    await assignVerificationCode(db, { ...key, secret, createdAtMs: atMs });
    await updateContact(db, key, { status: 'sent', address: '+8613800000001', sentAtMs: atMs }, atMs);
  }
}

describe('escalation, status notices, complaint breaches and experiment results through the API', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
    // B1 has a postal address (the letter goes there), and an open case the refresh would have opened.
    await upsertBorrowers(h.db, [
      {
        borrowerId: 'B1',
        name: 'Wang Fang',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: { sms: '+8613800000001', email: 'wang@example.com', letter: '上海市浦东新区世纪大道100号' },
      },
    ]);
    await upsertCases(
      h.db,
      [
        {
          borrowerId: 'B1',
          caseId,
          openedOn: '2026-03-09',
          stage: 'soft',
          locale: 'zh-CN',
          timezone: 'Asia/Shanghai',
          loanIds: ['L1', 'L2'],
          dpd: 33,
          bucket: 'M2',
          chargedOff: false,
          facts: {},
          priorityCenti: 100,
          explanation: {},
          refreshedOn: '2026-03-09',
        },
      ],
      h.clock.nowMs,
    );
    await saveAgents({
      db: h.db,
      agents: [{ agentId: 'collector', name: 'Collector', capacity: 40 }],
      nowMs: h.clock.nowMs,
    });
  });
  afterAll(async () => h.close());

  const escalation = (body: object, key: string | undefined, token = h.staffTokens.collector) =>
    h.call({
      method: 'POST',
      url: `/api/v1/cases/B1/${caseId}/escalations`,
      token,
      payload: body,
      ...(key === undefined ? {} : { headers: { 'idempotency-key': key } }),
    });

  it('escalates a case only when the ladder allows, once per key, and sends the lawyer’s letter with its PDF', async () => {
    expect((await escalation({ toStage: 'hard' }, 'e-1', h.staffTokens.viewer)).statusCode).toBe(403);
    const keyless = await escalation({ toStage: 'hard' }, undefined);
    expect(keyless.statusCode).toBe(400);
    expect(keyless.json()).toMatchObject({ field: 'Idempotency-Key' });
    h.api.context.cases = { ladder };
    const early = await escalation({ toStage: 'hard' }, 'e-1');
    expect(early.statusCode).toBe(422);
    expect(early.json()).toMatchObject({ code: 'notices_missing', field: 'toStage' });
    await seedContact(
      h.db,
      intentOf({ borrowerId: 'B1', loanId: 'L1', template: 'overdue_30', date: '2026-03-06' }),
      'sent',
    );

    const hard = await escalation({ toStage: 'hard' }, 'e-1');
    expect(hard.statusCode, hard.body).toBe(201);
    expect(hard.json()).toMatchObject({
      outcome: 'escalated',
      fromStage: 'soft',
      toStage: 'hard',
      seq: 1,
      letter: null,
      replayed: false,
    });
    expect(hard.json().reasons).toEqual(['DPD 33 ≥ 20', 'notice overdue_30 sent on 2026-03-06']);
    // The same request a minute later answers the first answer; another body under the key is refused.
    h.clock.nowMs += 60_000;
    const again = await escalation({ toStage: 'hard' }, 'e-1');
    expect(again.statusCode).toBe(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.json()).toMatchObject({ seq: 1, replayed: true });
    const reused = await escalation({ toStage: 'legal' }, 'e-1');
    expect(reused.statusCode).toBe(409);
    expect(reused.json()).toMatchObject({ code: 'idempotency_key_reused' });

    await seedContact(
      h.db,
      intentOf({ borrowerId: 'B1', loanId: 'L1', template: 'final_notice', date: '2026-03-01' }),
      'sent',
    );
    // No lender configured: the letter stage is unavailable, and nothing was written.
    const unavailable = await escalation({ toStage: 'legal' }, 'e-2');
    expect(unavailable.statusCode).toBe(503);
    expect(unavailable.json()).toMatchObject({ code: 'letters_unavailable' });
    h.api.context.cases = { ladder, lender, verificationSecret: secret };

    // A supervisor works no queue and may escalate any open case (here: a dry run, writing nothing).
    const dry = await escalation({ toStage: 'legal', dryRun: true }, 'e-2', h.staffTokens.supervisor);
    expect(dry.statusCode, dry.body).toBe(200);
    expect(dry.json()).toMatchObject({
      outcome: 'dry_run',
      fromStage: 'hard',
      toStage: 'legal',
      seq: null,
      wouldWrite: { caseStage: 'legal', letter: { address: '上海市浦东新区世纪大道100号' } },
    });
    expect(dry.json().preview.recipientAddress).toBe('Wang Fang\n上海市浦东新区世纪大道100号');
    expect((await getOpenCase(h.db, 'B1'))?.stage).toBe('hard');

    const legal = await escalation({ toStage: 'legal' }, 'e-2');
    expect(legal.statusCode, legal.body).toBe(201);
    const letter = legal.json().letter as { contactId: string; code: string; bytes: number };
    expect(legal.json()).toMatchObject({ outcome: 'escalated', toStage: 'legal', seq: 2 });
    expect(letter.code).toMatch(/^[A-HJKMNP-Z2-9]{6}$/);
    expect(await getContact(h.db, { borrowerId: 'B1', contactId: letter.contactId })).toMatchObject({
      template: 'lawyer_letter',
      status: 'sent',
      verificationCode: letter.code,
    });
    expect((await getOpenCase(h.db, 'B1'))?.stage).toBe('legal');

    const listed = await h.call({
      method: 'GET',
      url: `/api/v1/cases/B1/${caseId}/escalations`,
      token: h.staffTokens.collector,
    });
    expect(listed.json().items.map((row: { toStage: string }) => row.toStage)).toEqual(['hard', 'legal']);
    const pdf = await h.call({
      method: 'GET',
      url: `/api/v1/cases/B1/${caseId}/escalations/2/letter`,
      token: h.staffTokens.collector,
    });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.length).toBe(letter.bytes);
    expect(pdf.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const none = await h.call({
      method: 'GET',
      url: `/api/v1/cases/B1/${caseId}/escalations/1/letter`,
      token: h.staffTokens.collector,
    });
    expect(none.statusCode).toBe(404);
  });

  it('queues a status notice once per key and once per notice, staff only', async () => {
    const notice = (key: string, body: object = {}, token = h.staffTokens.collector) =>
      h.call({
        method: 'POST',
        url: '/api/v1/loans/L3/status-notices',
        token,
        headers: { 'idempotency-key': key },
        payload: {
          kind: 'refund',
          amount: '50.00',
          eta: '2026-03-14T18:00:00+08:00',
          reference: 'R-1',
          channel: 'sms',
          ...body,
        },
      });
    expect((await notice('n-1', {}, h.borrowerTokens.B2)).statusCode).toBe(403);
    const queued = await notice('n-1');
    expect(queued.statusCode, queued.body).toBe(201);
    expect(queued.json()).toMatchObject({ queued: true, replayed: false, variables: { what: '¥50.00退款' } });
    const contactId = queued.json().contactId as string;
    expect(await getContact(h.db, { borrowerId: 'B2', contactId })).toMatchObject({
      template: 'status_delayed',
      status: 'planned',
    });
    const replay = await notice('n-1');
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(replay.json()).toMatchObject({ contactId, queued: true, replayed: true });
    expect((await notice('n-1', { amount: '60.00' })).statusCode).toBe(409);
    // The same notice under another key inserts nothing.
    expect((await notice('n-2')).json()).toMatchObject({ contactId, queued: false, replayed: false });
    const past = await notice('n-3', { eta: '2026-03-01T18:00:00+08:00' });
    expect(past.statusCode).toBe(400);
    expect(past.json()).toMatchObject({ field: 'eta' });
    const missing = await h.call({
      method: 'POST',
      url: '/api/v1/loans/NOPE/status-notices',
      token: h.staffTokens.collector,
      headers: { 'idempotency-key': 'n-4' },
      payload: { kind: 'refund', amount: '1.00', eta: '2026-03-14T18:00:00+08:00', reference: 'R-2', channel: 'sms' },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('lists the complaints whose deadline passed for compliance', async () => {
    const opened = await openComplaint({
      db: h.db,
      request: {
        idempotencyKey: 'k-1',
        borrowerId: 'B2',
        source: 'borrower',
        raisedBy: 'B2',
        category: 'fees',
        text: '罚息太高',
        atMs: h.clock.nowMs,
      },
    });
    expect(opened).toMatchObject({ outcome: 'opened' });
    const breached = () =>
      h.call({ method: 'GET', url: '/api/v1/complaints?breached=true', token: h.staffTokens.compliance });
    expect((await breached()).json().items).toEqual([]);
    const alerted = await alertComplaintBreaches({ db: h.db, nowMs: h.clock.nowMs + 60 * msPerDay });
    expect(alerted).toHaveLength(1);
    const listed = (await breached()).json().items as { complaintId: string; breachAlertedAt: string | null }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      complaintId: (opened as { complaint: { complaintId: string } }).complaint.complaintId,
      breachAlertedAt: new Date(h.clock.nowMs + 60 * msPerDay).toISOString(),
    });
    const others = await h.call({
      method: 'GET',
      url: '/api/v1/complaints?breached=false',
      token: h.staffTokens.compliance,
    });
    expect(others.json().items).toEqual([]);
  });

  it('compares a strategy’s arms: payments within the window, outcomes known only once the window closed', async () => {
    const contacts: [string, string, 'champion' | 'challenger', 'sent' | 'suppressed', IsoDate][] = [
      ['B1', 'L1', 'champion', 'sent', '2026-03-02'],
      ['B2', 'L3', 'champion', 'sent', '2026-03-02'],
      ['B1', 'L2', 'challenger', 'sent', '2026-03-03'],
      ['B2', 'L4', 'challenger', 'suppressed', '2026-03-03'],
      ['B2', 'L3', 'challenger', 'sent', '2026-03-09'],
    ];
    for (const [borrowerId, loanId, arm, status, date] of contacts) {
      const intent = intentOf({ borrowerId, loanId, template: `exp_${arm}`, date, arm, strategy: 'trial' });
      await seedContact(h.db, { ...intent, intentId: `${intent.intentId}:${loanId}` }, status);
    }
    const payment = (borrowerId: string, loanId: string, on: IsoDate, status = 'posted') => ({
      borrowerId,
      paymentId: `P-${loanId}-${on}`,
      loanId,
      idempotencyKey: `exp:${loanId}:${on}`,
      requestHash: 'x',
      amountMinor: 10_000n,
      currency: 'CNY',
      source: 'manual',
      status,
      result: null,
      receivedAt: `${on}T00:00:00.000Z`,
    });
    await insertPayments(h.db, [
      payment('B1', 'L1', '2026-03-05'), // champion B1 paid within 7 days
      payment('B2', 'L3', '2026-03-20'), // champion B2 paid, but too late
      payment('B1', 'L2', '2026-03-04', 'declined'), // a declined debit is no payment
      payment('B2', 'L4', '2026-03-04'), // challenger B2 (suppressed) paid
    ]);
    const results = (token = h.staffTokens.compliance) =>
      h.call({
        method: 'GET',
        url: '/api/v1/strategies/trial/results?from=2026-03-01&through=2026-03-31&windowDays=7',
        token,
      });
    // No close completed yet: nothing is known.
    expect((await results()).json()).toMatchObject({
      knownThrough: null,
      champion: { intents: 2, sent: 2, outcomesKnown: 0, paidRate: null },
      challenger: { intents: 3, sent: 2, suppressed: 1, outcomesKnown: 0 },
      paidRateLift: null,
    });
    await startEodRun(h.db, '2026-03-10');
    await finishEodRun(h.db, { businessDate: '2026-03-10', status: 'completed' });
    const known = await results(h.staffTokens.supervisor);
    expect(known.statusCode, known.body).toBe(200);
    // The 03-09 contact's window ends 03-16, after the close: not known yet.
    expect(known.json()).toEqual({
      strategy: 'trial',
      from: '2026-03-01',
      through: '2026-03-31',
      windowDays: 7,
      knownThrough: '2026-03-10',
      champion: {
        arm: 'champion',
        intents: 2,
        sent: 2,
        suppressed: 0,
        sentRate: '1.0000',
        outcomesKnown: 2,
        paid: 1,
        paidRate: '0.5000',
      },
      challenger: {
        arm: 'challenger',
        intents: 3,
        sent: 2,
        suppressed: 1,
        sentRate: '0.6667',
        outcomesKnown: 2,
        paid: 1,
        paidRate: '0.5000',
      },
      paidRateLift: '0.0000',
    });
    const span = await h.call({
      method: 'GET',
      url: '/api/v1/strategies/trial/results?from=2026-03-31&through=2026-03-01',
      token: h.staffTokens.compliance,
    });
    expect(span.statusCode).toBe(400);
    expect(span.json()).toMatchObject({ field: 'from' });
  });
});
