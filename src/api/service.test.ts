// The borrower-service routes (src/api/routes: contacts.ts, cases.ts, complaints.ts) on the real API over
// a real store (PGlite, or PostgreSQL with DATABASE_URL): the contact timeline with every decision (staff
// only), the borrower's cases and notes, promises to pay and holds, contact preferences (opting back in,
// the preferred channel, the language of messages — each seen by the compliance gate on the next send),
// complaints reviewed and closed (reviewing lets collection contact resume; closing offers a survey), and
// surveys answered once. Every route: another borrower's id answers 404 exactly like a missing one; bad
// input is a 400 naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { msPerDay } from '../calendar/index.ts';
import {
  contactView,
  defaultPolicy,
  evaluateContact,
  loanContactView,
  type ContactChannel,
  type ContactIntent,
  type GateDecision,
} from '../contact/index.ts';
import { currentState, readLoanState } from '../app/index.ts';
import { insertContacts, loadContactSubjects, upsertCases } from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
let b1: string;
let b2: string;

beforeAll(async () => {
  h = await startApi();
  b1 = h.borrowerTokens.B1;
  b2 = h.borrowerTokens.B2;
});
afterAll(async () => h.close());

type Json = Record<string, unknown>;

async function call(method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, token: string, payload?: unknown) {
  const headers: Record<string, string> = {};
  if (method === 'POST' && url.endsWith('/complaints')) headers['idempotency-key'] = `k-${url}-${Math.random()}`;
  const response = await h.call({
    method,
    url: `/api/v1${url}`,
    token,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
  return { status: response.statusCode, body: response.json() as Json };
}

function expectProblem(answer: { status: number; body: Json }, status: number, field?: string) {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  if (field !== undefined) expect(answer.body.field).toBe(field);
}

function intentFor(borrowerId: string, channel: ContactChannel, id: string, atMs: number): ContactIntent {
  return {
    intentId: `${borrowerId}:${id}:${channel}`,
    borrowerId,
    loanIds: ['L1'],
    subjects: [],
    channel,
    template: 'overdue_1',
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'default', version: 1, arm: 'champion', stepId: id },
    date: '2026-03-10',
    plannedAtMs: atMs,
    validUntilMs: atMs + msPerDay,
    reasons: [`strategy default step ${id}`],
  };
}

/** What the compliance gate says now about a reminder on `channel`, from the stored contact state. */
async function gateNow(channel: ContactChannel, borrowerId = 'B1', loanId = 'L1'): Promise<GateDecision> {
  const [subject] = await loadContactSubjects(h.db, [borrowerId]);
  const loan = (await readLoanState(h.db, loanId))!.state;
  const nowMs = h.clock.nowMs;
  return evaluateContact({
    intent: { ...intentFor(borrowerId, channel, 'probe', nowMs), loanIds: [loanId] },
    view: contactView(currentState(subject!), [loanContactView(loan)]),
    policy: defaultPolicy,
    nowMs,
  });
}

describe('the contact timeline (staff)', () => {
  beforeAll(async () => {
    const at = h.clock.nowMs;
    await insertContacts(h.db, [
      {
        intent: intentFor('B1', 'sms', 'overdue_1', at - 3600_000),
        businessDate: '2026-03-10',
        status: 'suppressed',
        dueAtMs: at - 3600_000,
        verdict: 'suppress',
        reasons: ['quiet_hours 22:00-08:00 Asia/Shanghai'],
        decidedAtMs: at - 3600_000,
      },
      {
        intent: intentFor('B1', 'email', 'overdue_1', at + 3600_000),
        businessDate: '2026-03-10',
        status: 'deferred',
        dueAtMs: at + 3600_000,
        verdict: 'defer',
        reasons: ['cap email 1/1 today'],
        decidedAtMs: at,
      },
      {
        intent: intentFor('B2', 'sms', 'overdue_1', at),
        businessDate: '2026-03-10',
        status: 'suppressed',
        dueAtMs: at,
        verdict: 'suppress',
        reasons: ['hold no reminders (illness)'],
        decidedAtMs: at,
      },
    ]);
  });

  it('lists every contact of the borrower, sent or held back, newest first, a page at a time', async () => {
    const first = await call('GET', '/borrowers/B1/contacts?limit=2', h.staffTokens.compliance);
    expect(first.status).toBe(200);
    const items = first.body.items as Json[];
    expect(items.map((c) => [c.contactId, c.status])).toEqual([
      ['B1:overdue_1:email', 'deferred'],
      ['B1:overdue_1:sms', 'suppressed'],
    ]);
    expect(items[1]).toMatchObject({
      channel: 'sms',
      template: 'overdue_1',
      loanIds: ['L1'],
      businessDate: '2026-03-10',
      sentAt: null,
      verificationCode: null,
      reasons: ['quiet_hours 22:00-08:00 Asia/Shanghai'],
    });
    expect(typeof first.body.nextCursor).toBe('string');
    const second = await call(
      'GET',
      `/borrowers/B1/contacts?limit=2&cursor=${String(first.body.nextCursor)}`,
      h.staffTokens.compliance,
    );
    expect((second.body.items as Json[]).map((c) => [c.contactId, c.status, c.verificationCode])).toEqual([
      ['B1:2026-03-02:pre_due_3:sms', 'sent', 'K7Q2M9'],
    ]);
    expect(second.body.nextCursor).toBeNull();
  });

  it('gives one contact with its decisions, and the address masked only for staff without pii:read', async () => {
    const answer = await call('GET', '/borrowers/B1/contacts/B1:overdue_1:sms', h.staffTokens.collector);
    expect(answer.status).toBe(200);
    expect(answer.body.decisions).toEqual([
      {
        seq: 1,
        phase: 'plan',
        verdict: 'suppress',
        decidedAt: new Date(h.clock.nowMs - 3600_000).toISOString(),
        reasons: ['quiet_hours 22:00-08:00 Asia/Shanghai'],
      },
    ]);
    const sent = await call('GET', '/borrowers/B1/contacts/B1:2026-03-02:pre_due_3:sms', h.staffTokens.collector);
    expect(sent.body.address).toBe('+8613800000001');
  });

  it("answers 404 for another borrower's contact, and keeps the decisions from borrowers (403)", async () => {
    const theirs = await call('GET', '/borrowers/B1/contacts/B2:overdue_1:sms', h.staffTokens.admin);
    const missing = await call('GET', '/borrowers/B1/contacts/B1:nothing:sms', h.staffTokens.admin);
    expectProblem(theirs, 404);
    expectProblem(missing, 404);
    expectProblem(await call('GET', '/borrowers/B404/contacts', h.staffTokens.admin), 404);
    expectProblem(await call('GET', '/borrowers/B1/contacts', b1), 403);
    expectProblem(await call('GET', '/borrowers/B1/contacts?cursor=bm9wZQ', h.staffTokens.admin), 400, 'cursor');
    expectProblem(await call('GET', '/borrowers/B1/contacts?limit=0', h.staffTokens.admin), 400, 'limit');
    const forged = Buffer.from(JSON.stringify({ d: 1e20, c: 'x' })).toString('base64url');
    expectProblem(await call('GET', `/borrowers/B1/contacts?cursor=${forged}`, h.staffTokens.admin), 400, 'cursor');
  });
});

describe('cases and notes (staff)', () => {
  beforeAll(async () => {
    await upsertCases(
      h.db,
      [
        {
          borrowerId: 'B1',
          caseId: 'C2026-03-10',
          openedOn: '2026-03-10',
          stage: 'soft',
          locale: 'zh-CN',
          timezone: 'Asia/Shanghai',
          loanIds: ['L1'],
          dpd: 5,
          bucket: 'M1',
          chargedOff: false,
          facts: {},
          priorityCenti: 1234,
          explanation: [],
          refreshedOn: '2026-03-10',
        },
      ],
      h.clock.nowMs,
    );
  });

  it("finds the borrower's open case for the call form", async () => {
    const open = await call('GET', '/borrowers/B1/cases?status=open', h.staffTokens.collector);
    expect(open.status).toBe(200);
    expect(open.body.items).toEqual([
      expect.objectContaining({ caseId: 'C2026-03-10', status: 'open', dpd: 5, bucket: 'M1', priority: 12.34 }),
    ]);
    expect((await call('GET', '/borrowers/B2/cases?status=open', h.staffTokens.collector)).body.items).toEqual([]);
    expect((await call('GET', '/borrowers/B1/cases?status=resolved', h.staffTokens.collector)).body.items).toEqual([]);
    expectProblem(await call('GET', '/borrowers/B1/cases?status=shut', h.staffTokens.collector), 400, 'status');
    expectProblem(await call('GET', '/borrowers/B1/cases', h.staffTokens.compliance), 403);
  });

  it('adds notes (trimmed, by the signed-in member, on a case of the borrower) and lists them', async () => {
    const added = await call('POST', '/borrowers/B1/notes', h.staffTokens.collector, {
      text: '  will pay on Friday  ',
      caseId: 'C2026-03-10',
    });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      noteId: 1,
      caseId: 'C2026-03-10',
      complaintId: null,
      author: 'collector',
      text: 'will pay on Friday',
      createdAt: new Date(h.clock.nowMs).toISOString(),
    });
    await call('POST', '/borrowers/B1/notes', h.staffTokens.supervisor, { text: 'second' });
    const listed = await call('GET', '/borrowers/B1/notes?limit=1', h.staffTokens.viewer);
    expect((listed.body.items as Json[]).map((n) => n.text)).toEqual(['will pay on Friday']);
    const rest = await call(
      'GET',
      `/borrowers/B1/notes?cursor=${String(listed.body.nextCursor)}`,
      h.staffTokens.viewer,
    );
    expect((rest.body.items as Json[]).map((n) => [n.noteId, n.author])).toEqual([[2, 'supervisor']]);
  });

  it('refuses a note without text, on a case that is not theirs, or from a borrower', async () => {
    expectProblem(await call('POST', '/borrowers/B1/notes', h.staffTokens.collector, { text: '' }), 400, 'text');
    expectProblem(await call('POST', '/borrowers/B1/notes', h.staffTokens.collector, { text: '   ' }), 400, 'text');
    expectProblem(
      await call('POST', '/borrowers/B2/notes', h.staffTokens.collector, { text: 'x', caseId: 'C2026-03-10' }),
      400,
      'caseId',
    );
    expectProblem(await call('POST', '/borrowers/B404/notes', h.staffTokens.collector, { text: 'x' }), 404);
    expectProblem(await call('GET', '/borrowers/B1/notes', b1), 403);
    const forged = Buffer.from(JSON.stringify({ n: 2 ** 40 })).toString('base64url');
    expectProblem(await call('GET', `/borrowers/B1/notes?cursor=${forged}`, h.staffTokens.admin), 400, 'cursor');
    expectProblem(await call('POST', '/borrowers/B1/notes', h.staffTokens.viewer, { text: 'x' }), 403);
  });
});

describe('promises and holds', () => {
  it('shows the promises to pay recorded on the contact state, to the borrower and to staff', async () => {
    const made = await call('POST', '/borrowers/B1/contact-events', b1, {
      type: 'promise_to_pay',
      loanId: 'L1',
      amount: '305.00',
      date: '2026-03-20',
    });
    expect(made.status).toBe(200);
    for (const token of [b1, h.staffTokens.viewer]) {
      const answer = await call('GET', '/borrowers/B1/promises', token);
      expect(answer.status).toBe(200);
      expect(answer.body.items).toEqual([
        {
          promiseId: 'L1:2026-03-20',
          loanId: 'L1',
          amount: '305.00',
          paid: '0.00',
          date: '2026-03-20',
          status: 'open',
          takenBy: 'borrower',
          madeAt: new Date(h.clock.nowMs).toISOString(),
        },
      ]);
    }
    expect((await call('GET', '/borrowers/B2/promises', b2)).body.items).toEqual([]);
  });

  it('shows holds with their first and last local day and whether they are active', async () => {
    await call('POST', '/borrowers/B1/contact-events', b1, { type: 'hold', days: 7, reason: 'illness' });
    const answer = await call('GET', '/borrowers/B1/holds', b1);
    expect(answer.body.items).toEqual([
      expect.objectContaining({ fromDate: '2026-03-10', untilDate: '2026-03-17', reason: 'illness', status: 'active' }),
    ]);
  });

  it("answers 404 for another borrower's promises and holds, as for a borrower that does not exist", async () => {
    for (const url of ['/borrowers/B2/promises', '/borrowers/B2/holds']) {
      const theirs = await call('GET', url, b1);
      expectProblem(theirs, 404);
      const missing = await call('GET', url.replace('B2', 'B404'), h.staffTokens.admin);
      expectProblem(missing, 404);
    }
  });
});

describe('contact preferences', () => {
  it('reads the opt-outs, preferred channel, language and addresses (masked without pii:read)', async () => {
    const own = await call('GET', '/borrowers/B1/contact-preferences', b1);
    expect(own.body).toEqual({
      optOuts: [],
      preferredChannel: null,
      locale: 'zh-CN',
      addresses: { sms: '+8613800000001', email: 'wang@example.com' },
      masked: false,
    });
    const viewer = await call('GET', '/borrowers/B1/contact-preferences', h.staffTokens.viewer);
    expect(viewer.body.masked).toBe(true);
    expect((viewer.body.addresses as Json).sms).not.toBe('+8613800000001');
  });

  it('opts back in, sets the preferred channel and the language — and the gate sees it on the next send', async () => {
    await call('POST', '/borrowers/B1/contact-events', b1, { type: 'opt_out', channel: 'sms' });
    expect((await gateNow('sms')).reasons).toEqual(['opt_out sms']);
    const saved = await call('PUT', '/borrowers/B1/contact-preferences', b1, {
      optOuts: ['email'],
      preferredChannel: 'sms',
      locale: 'en',
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ optOuts: ['email'], preferredChannel: 'sms', locale: 'en' });
    expect((await gateNow('email')).reasons).toEqual(['opt_out email']);
    expect((await gateNow('sms')).reasons).not.toContain('opt_out sms');
    const borrower = await call('GET', '/borrowers/B1', b1);
    expect(borrower.body.locale).toBe('en');
    // The same request again changes nothing.
    const again = await call('PUT', '/borrowers/B1/contact-preferences', b1, {
      optOuts: ['email'],
      preferredChannel: 'sms',
      locale: 'en',
    });
    expect(again.body).toEqual(saved.body);
  });

  it('names the bad field: an unknown channel, an opted-out preferred channel, a language, a missing list', async () => {
    const put = (body: unknown, token = b1) => call('PUT', '/borrowers/B1/contact-preferences', token, body);
    expectProblem(await put({ optOuts: ['sms', 'fax'] }), 400, 'optOuts[1]');
    expectProblem(await put({ optOuts: ['email'], preferredChannel: 'email' }), 400, 'preferredChannel');
    expectProblem(await put({ optOuts: [], preferredChannel: 'pigeon' }), 400, 'preferredChannel');
    expectProblem(await put({ optOuts: [], locale: 'fr' }), 400, 'locale');
    expectProblem(await put({}), 400, 'optOuts');
    expectProblem(await put({ optOuts: [], addresses: { sms: '+1' } }), 400);
    expectProblem(await call('PUT', '/borrowers/B2/contact-preferences', b1, { optOuts: [] }), 404);
    expectProblem(await call('GET', '/borrowers/B2/contact-preferences', b1), 404);
    expectProblem(await put({ optOuts: [] }, h.staffTokens.viewer), 403);
    // Staff with contacts:write change them on the borrower's behalf.
    const staff = await put({ optOuts: [] }, h.staffTokens.collector);
    expect(staff.body).toMatchObject({ optOuts: [], preferredChannel: 'sms' });
  });
});

describe('complaints and surveys', () => {
  let complaintId = '';
  let otherId = '';

  beforeAll(async () => {
    const filed = await call('POST', '/borrowers/B1/complaints', b1, {
      category: 'contact_conduct',
      text: 'Your agent called me at 23:00.',
      loanId: 'L1',
    });
    expect(filed.status).toBe(201);
    complaintId = (filed.body.complaint as Json).complaintId as string;
    const other = await call('POST', '/borrowers/B2/complaints', b2, {
      category: 'contact_conduct',
      text: 'Texts at midnight.',
    });
    otherId = (other.body.complaint as Json).complaintId as string;
  });

  it("lists the borrower's own complaints without the internal fields", async () => {
    const own = await call('GET', '/borrowers/B1/complaints', b1);
    expect(own.status).toBe(200);
    const items = own.body.items as Json[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      complaintId,
      category: 'contact_conduct',
      text: 'Your agent called me at 23:00.',
      status: 'open',
      createdAt: new Date(h.clock.nowMs).toISOString(),
      resolution: null,
    });
    expect(Date.parse(items[0]!.deadlineAt as string)).toBeGreaterThan(h.clock.nowMs);
    expect(items[0]).not.toHaveProperty('assignedAgentId');
    expect(items[0]).not.toHaveProperty('reviewNote');
    expectProblem(await call('GET', '/borrowers/B2/complaints', b1), 404);
  });

  it('lists complaints for review by status, for compliance staff only', async () => {
    const open = await call('GET', '/complaints?status=open', h.staffTokens.compliance);
    expect(open.status).toBe(200);
    expect((open.body.items as Json[]).map((c) => [c.borrowerId, c.complaintId]).sort()).toEqual(
      [
        ['B1', complaintId],
        ['B2', otherId],
      ].sort(),
    );
    expect((await call('GET', '/complaints?status=closed', h.staffTokens.compliance)).body.items).toEqual([]);
    const paged = await call('GET', '/complaints?limit=1', h.staffTokens.compliance);
    expect(paged.body.items as Json[]).toHaveLength(1);
    const next = await call('GET', `/complaints?limit=1&cursor=${String(paged.body.nextCursor)}`, h.staffTokens.admin);
    expect((next.body.items as Json[])[0]!.complaintId).not.toBe((paged.body.items as Json[])[0]!.complaintId);
    expectProblem(await call('GET', '/complaints?status=lost', h.staffTokens.compliance), 400, 'status');
    expectProblem(await call('GET', '/complaints', b1), 403);
    expectProblem(await call('GET', '/complaints', h.staffTokens.viewer), 403);
  });

  it('reviewing the complaint lifts its pause: collection contact resumes', async () => {
    expect(await gateNow('sms', 'B2', 'L3')).toEqual({ verdict: 'suppress', reasons: [`paused complaint:${otherId}`] });
    const url = `/borrowers/B2/complaints/${otherId}`;
    expectProblem(await call('PATCH', url, h.staffTokens.compliance, { status: 'open' }), 400, 'status');
    expectProblem(await call('PATCH', url, b2, { status: 'reviewed' }), 403);
    const reviewed = await call('PATCH', url, h.staffTokens.compliance, {
      status: 'reviewed',
      resolution: 'Agent spoken to.',
    });
    expect(reviewed.status).toBe(200);
    expect(reviewed.body).toMatchObject({
      status: 'reviewed',
      reviewedBy: 'compliance',
      reviewNote: 'Agent spoken to.',
      changed: true,
      liftedPause: true,
    });
    expect(await gateNow('sms', 'B2', 'L3')).toMatchObject({ verdict: 'send' });
    // Asking again changes nothing.
    const again = await call('PATCH', url, h.staffTokens.compliance, { status: 'reviewed' });
    expect(again.body).toMatchObject({ status: 'reviewed', changed: false });
  });

  it('closes with a resolution (required), offers a survey, and never goes back', async () => {
    const url = `/borrowers/B1/complaints/${complaintId}`;
    expectProblem(await call('PATCH', url, h.staffTokens.compliance, { status: 'closed' }), 400, 'resolution');
    expectProblem(
      await call('PATCH', url, h.staffTokens.compliance, { status: 'closed', resolution: '  ' }),
      400,
      'resolution',
    );
    const closed = await call('PATCH', url, h.staffTokens.supervisor, {
      status: 'closed',
      resolution: 'Apologised; calls after 21:00 blocked.',
    });
    expect(closed.body).toMatchObject({ status: 'closed', closedBy: 'supervisor', changed: true });
    const back = await call('PATCH', url, h.staffTokens.compliance, { status: 'reviewed' });
    expectProblem(back, 409, 'complaintId');
    expect(back.body.code).toBe('complaint_not_open');
    const own = await call('GET', '/borrowers/B1/complaints', b1);
    expect((own.body.items as Json[])[0]).toMatchObject({
      status: 'closed',
      resolution: 'Apologised; calls after 21:00 blocked.',
    });
    // Another borrower's complaint under this borrower's id, or one that does not exist: 404 alike.
    expectProblem(
      await call('PATCH', `/borrowers/B1/complaints/${otherId}`, h.staffTokens.admin, { status: 'reviewed' }),
      404,
    );
    expectProblem(
      await call('PATCH', '/borrowers/B1/complaints/K404', h.staffTokens.admin, { status: 'reviewed' }),
      404,
    );
  });

  it('the borrower answers the survey once: a score 1-5 and a comment', async () => {
    const surveys = await call('GET', '/borrowers/B1/surveys', b1);
    expect(surveys.body.items).toEqual([
      expect.objectContaining({
        surveyId: `complaint:${complaintId}`,
        subject: 'complaint',
        subjectId: complaintId,
        status: 'pending',
      }),
    ]);
    const url = `/borrowers/B1/surveys/complaint:${complaintId}`;
    expectProblem(await call('POST', url, b1, { score: 6 }), 400, 'score');
    expectProblem(await call('POST', url, b1, { score: 2.5 }), 400, 'score');
    expectProblem(await call('POST', url, b1, {}), 400, 'score');
    expectProblem(await call('POST', url, h.staffTokens.compliance, { score: 5 }), 422);
    expectProblem(await call('POST', `/borrowers/B2/surveys/complaint:${complaintId}`, b1, { score: 5 }), 404);
    expectProblem(await call('POST', `/borrowers/B2/surveys/complaint:${complaintId}`, b2, { score: 5 }), 404);
    const answered = await call('POST', url, b1, { score: 4, comment: ' quick and polite ' });
    expect(answered).toEqual({ status: 200, body: { surveyId: `complaint:${complaintId}`, status: 'answered' } });
    const twice = await call('POST', url, b1, { score: 1 });
    expectProblem(twice, 409, 'surveyId');
    expect(String(twice.body.detail)).toContain(`complaint:${complaintId}`);
    const after = await call('GET', '/borrowers/B1/surveys', h.staffTokens.compliance);
    expect((after.body.items as Json[])[0]).toMatchObject({
      status: 'answered',
      score: 4,
      comment: 'quick and polite',
    });
    expectProblem(await call('GET', '/borrowers/B2/surveys', b1), 404);
  });
});
