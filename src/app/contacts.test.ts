// The production contact pipeline end to end on whichever database openTestDatabase picks (PGlite, or
// PostgreSQL with DATABASE_URL): the daily close, planning, and the dispatcher sending real e-mail over
// SMTP and SMS/push over HTTP to local servers, read back with their verification codes; the gate run
// again at dispatch (a payment, a hold, an opt-out since planning wins); planning and dispatching twice
// doing the work once; call tasks and their unanswered fallback; delivery receipts; and a failing
// provider held off by the circuit breaker and retried with backoff instead of hammered.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createFcmPushChannel,
  createSmtpChannel,
  createWebhookChannel,
  withCircuitBreaker,
  type ChannelAdapter,
} from '../channels/index.ts';
import { parsePolicy } from '../contact/policy/index.ts';
import { builtInStrategies, resolveStrategy, type Strategy } from '../contact/strategy/index.ts';
import type { ContactChannel } from '../contact/model.ts';
import {
  dispatchContacts,
  planContacts,
  receiveDeliveryReceipt,
  recordContactEvent,
  type DispatchContactsOptions,
} from './contacts.ts';
import type { CommandContext } from './index.ts';
import { recordOverdueReason, refusePlan, requestPlan } from './hardship.ts';
import { openLoans, postPayment, readLoanState, runDailyClose } from './index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules, scheduledOutstanding } from '../servicing/index.ts';
import {
  countContactsByStatus,
  findMessageByCode,
  getCallTask,
  getContact,
  listBorrowerContacts,
  listBorrowerMessages,
  listContactDecisions,
  loadContactSubjects,
} from '../store/contacts.ts';
import { openTestDatabase, queryRows, upsertBorrowers, type Database, type TestDatabase } from '../store/index.ts';
import { startMessageProviderServer, type TestMessageProvider } from '../../test/support/message-provider-server.ts';
import { startSmtpServer, type TestSmtpServer } from '../../test/support/smtp-server.ts';
import { emptyContactCaseTables } from './testing.ts';

const SECRET = 'contacts-test-secret-0123456789';
const policy = parsePolicy('cn-2026');
const strategy = builtInStrategies.default as Strategy;
const hour = 3_600_000;

/** Instants of a local day in Asia/Shanghai (UTC+8, no DST). */
function shanghai(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+08:00`);
}

interface BorrowerSeed {
  id: string;
  locale?: string;
  contacts: Partial<Record<ContactChannel, string>>;
  /** Loans by disbursement date (monthly installments; first due one month later). */
  loans: { id: string; start: string }[];
}

async function seed(db: Database, borrowers: readonly BorrowerSeed[], date: string): Promise<void> {
  await upsertBorrowers(
    db,
    borrowers.map((b) => ({
      borrowerId: b.id,
      name: `Name ${b.id}`,
      timezone: 'Asia/Shanghai',
      locale: b.locale ?? 'zh-CN',
      contacts: b.contacts,
    })),
  );
  const rules = parseServicingRules({});
  await openLoans(
    db,
    borrowers.flatMap((b) =>
      b.loans.map((loan) => ({
        loanId: loan.id,
        borrowerId: b.id,
        terms: parseLoanTerms({ principal: '3000.00', annualRate: '0.12', termCount: 6, startDate: loan.start }),
        rules,
        disbursedOn: loan.start,
      })),
    ),
  );
  await runDailyClose({ db, businessDate: date });
}

/** Everything the pipeline writes, for "running it again changed nothing". */
async function contactDigest(db: Database): Promise<string> {
  const hash = createHash('sha256');
  for (const statement of [
    sql`SELECT * FROM contacts ORDER BY borrower_id, contact_id`,
    sql`SELECT * FROM contact_decisions ORDER BY borrower_id, contact_id, seq`,
    sql`SELECT * FROM contact_states ORDER BY borrower_id`,
    sql`SELECT * FROM verification_codes ORDER BY code`,
    sql`SELECT * FROM call_tasks ORDER BY borrower_id, task_id`,
  ]) {
    for (const row of await queryRows<Record<string, unknown>>(db, statement)) hash.update(JSON.stringify(row));
    hash.update('|');
  }
  return hash.digest('hex');
}

/** A fresh book in milliseconds, instead of a new database per case. */
async function emptyTables(db: Database): Promise<void> {
  await emptyContactCaseTables(db);
}

function providerAdapters(provider: TestMessageProvider): Partial<Record<ContactChannel, ChannelAdapter>> {
  return {
    sms: createWebhookChannel({ channel: 'sms', url: `${provider.url}/v1/messages`, apiKey: provider.genericApiKey }),
    push: createFcmPushChannel({ baseUrl: provider.url, ...provider.fcm }),
  };
}

describe('contact pipeline on the database', () => {
  let test: TestDatabase;
  let db: Database;
  let smtp: TestSmtpServer;
  let provider: TestMessageProvider;
  let email: ChannelAdapter;
  const closers: (() => Promise<void>)[] = [];

  beforeEach(async () => {
    // Each case starts from empty tables, so one case's loans do not plan contacts in another's.
    await emptyTables(db);
  });

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    smtp = await startSmtpServer();
    provider = await startMessageProviderServer();
    email = createSmtpChannel({ host: smtp.host, port: smtp.port, from: '"宽 Kuan" <notices@lender.example>' });
  });

  afterEach(async () => {
    for (const close of closers.splice(0)) await close();
  });

  afterAll(async () => {
    await email?.close?.();
    await smtp?.close();
    await provider?.close();
    await test?.dispose();
  });

  function dispatchOptions(nowMs: number, extra: Partial<DispatchContactsOptions> = {}): DispatchContactsOptions {
    return {
      db,
      nowMs,
      adapters: { ...providerAdapters(provider), email },
      policy,
      secret: SECRET,
      workerId: 'test-worker',
      limit: 100,
      ...extra,
    };
  }

  it('plans after the close and sends real e-mail, SMS and push carrying their verification codes', async () => {
    const date = '2026-03-10';
    await seed(
      db,
      [
        // Due in 3 days: an SMS and an e-mail at 09:00.
        {
          id: 'E1',
          contacts: { sms: '+8613800000101', email: 'e1@example.com' },
          loans: [{ id: 'E1-L', start: '2026-02-13' }],
        },
        // Due today: a push at 09:30.
        { id: 'E2', locale: 'en', contacts: { push: 'device-e2' }, loans: [{ id: 'E2-L', start: '2026-02-10' }] },
        // One day past due (no grace days): an SMS at 10:00, in English.
        { id: 'E3', locale: 'en', contacts: { sms: '+8613800000103' }, loans: [{ id: 'E3-L', start: '2026-02-09' }] },
      ],
      date,
    );
    const plannedAt = shanghai(date, '01:00');
    const stats = await planContacts({ db, date, strategy, policy, nowMs: plannedAt });
    expect(stats).toMatchObject({ borrowers: 3, intents: 4, inserted: 4, send: 4, notClosed: 0 });
    const contacts = async (borrowerId: string) => listBorrowerContacts(db, borrowerId);
    expect((await contacts('E1')).map((c) => [c.contactId, c.status, c.dueAtMs])).toEqual([
      ['E1:2026-03-10:pre_due_3:sms', 'planned', shanghai(date, '09:00')],
      ['E1:2026-03-10:pre_due_3_email:email', 'planned', shanghai(date, '09:00')],
    ]);

    // Planning the same date again inserts and changes nothing.
    const digest = await contactDigest(db);
    expect(await planContacts({ db, date, strategy, policy, nowMs: plannedAt + hour })).toMatchObject({
      inserted: 0,
      intents: 4,
    });
    expect(await contactDigest(db)).toBe(digest);

    // Before 09:00 nothing is due; at 09:00 E1's two; at 10:00 the rest.
    expect((await dispatchContacts(dispatchOptions(shanghai(date, '08:59')))).claimed).toBe(0);
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '09:00')))).toMatchObject({ claimed: 2, sent: 2 });
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '10:00')))).toMatchObject({ claimed: 2, sent: 2 });

    // The e-mail went over SMTP with the code in its body and header.
    const e1Messages = await listBorrowerMessages(db, 'E1');
    expect(e1Messages.map((m) => m.channel).sort()).toEqual(['email', 'sms']);
    const mailCode = e1Messages.find((m) => m.channel === 'email')!.code;
    const mail = smtp.mails.find((m) => m.envelopeTo.includes('e1@example.com'));
    expect(mail?.parsed.text).toContain(mailCode);
    expect(mail?.header('x-kuan-verification-code')).toBe(mailCode);
    expect(mail?.header('x-kuan-message-id')).toBe('E1:2026-03-10:pre_due_3_email:email');
    // SMS and push reached the provider once each, with their codes.
    for (const [borrowerId, to] of [
      ['E1', '+8613800000101'],
      ['E2', 'device-e2'],
      ['E3', '+8613800000103'],
    ] as const) {
      const [message] = (await listBorrowerMessages(db, borrowerId)).filter((m) => m.channel !== 'email');
      const deliveries = provider.deliveries.filter((d) => d.to === to);
      expect(deliveries).toHaveLength(1);
      expect(deliveries[0]?.text).toContain(message!.code);
      // The portal finds the message by its code.
      expect(await findMessageByCode(db, message!.code)).toMatchObject({
        borrowerId,
        status: 'sent',
        contactId: message!.contactId,
      });
    }
    expect(provider.deliveries.find((d) => d.to === '+8613800000103')?.text).toMatch(/overdue|past due/i);

    // The caps count what was sent: E1's history has both.
    const [e1] = await loadContactSubjects(db, ['E1']);
    expect(e1?.state?.history.map((r) => r.channel).sort()).toEqual(['email', 'sms']);
    const decisions = await listContactDecisions(db, { borrowerId: 'E1', contactId: 'E1:2026-03-10:pre_due_3:sms' });
    expect(decisions.map((d) => `${d.phase}:${d.verdict}`)).toEqual([
      'plan:send',
      'dispatch:send',
      'delivery:accepted',
    ]);
    expect(decisions[1]?.reasons).toContain('cap sms 1/2 today');

    // Dispatching again sends nothing.
    const requests = provider.requests.length;
    const mails = smtp.mails.length;
    const again = await contactDigest(db);
    expect((await dispatchContacts(dispatchOptions(shanghai(date, '11:00')))).claimed).toBe(0);
    expect(provider.requests.length).toBe(requests);
    expect(smtp.mails.length).toBe(mails);
    expect(await contactDigest(db)).toBe(again);
  });

  it('checks again at dispatch: a payment, a hold or an opt-out since planning stops the reminder', async () => {
    const date = '2026-03-11';
    // All one day past due on the 11th: an SMS each at 10:00.
    await seed(
      db,
      ['R1', 'R2', 'R3', 'R4'].map((id, index) => ({
        id,
        contacts: { sms: `+86138000002${index}0` },
        loans: [{ id: `${id}-L`, start: '2026-02-10' }],
      })),
      date,
    );
    await planContacts({ db, date, strategy, policy, nowMs: shanghai(date, '01:00') });
    for (const id of ['R1', 'R2', 'R3', 'R4']) {
      expect((await listBorrowerContacts(db, id)).map((c) => c.status)).toEqual(['planned']);
    }
    // R1 pays what is overdue; R2 asks for a hold; R3 replies 退订; R4 does nothing.
    const loan = await readLoanState(db, 'R1-L');
    const overdue = scheduledOutstanding(loan!.state.installments[0]!);
    expect(
      (
        await postPayment(db, {
          loanId: 'R1-L',
          amountMinor: overdue,
          on: date,
          source: 'manual',
          idempotencyKey: 'r1',
        })
      ).outcome,
    ).toBe('posted');
    await recordContactEvent({
      db,
      borrowerId: 'R2',
      nowMs: shanghai(date, '08:00'),
      event: { type: 'hold', days: 14, reason: 'illness' },
      policy,
    });
    const reply = await recordContactEvent({
      db,
      borrowerId: 'R3',
      nowMs: shanghai(date, '08:30'),
      event: { type: 'reply', channel: 'sms', text: ' 退订 ' },
      policy,
    });
    expect(reply.optedOut).toBe('sms');

    const stats = await dispatchContacts(dispatchOptions(shanghai(date, '10:00')));
    expect(stats).toMatchObject({ claimed: 4, sent: 1, suppressed: 3 });
    const outcome = async (id: string) => {
      const [contact] = await listBorrowerContacts(db, id);
      const decisions = await listContactDecisions(db, contact!);
      return { status: contact!.status, reasons: decisions.at(-1)!.reasons };
    };
    expect(await outcome('R1')).toEqual({ status: 'suppressed', reasons: ['paid R1-L'] });
    expect(await outcome('R2')).toEqual({ status: 'suppressed', reasons: ['hold no reminders (illness)'] });
    expect(await outcome('R3')).toEqual({ status: 'suppressed', reasons: ['opt_out sms'] });
    expect((await outcome('R4')).status).toBe('sent');
    const delivered = new Set(provider.deliveries.map((d) => d.to));
    expect(['+8613800000200', '+8613800000210', '+8613800000220'].filter((to) => delivered.has(to))).toEqual([]);
    expect(delivered.has('+8613800000230')).toBe(true);
  });

  it('checks again at dispatch: a hardship request or a plan asked for since planning holds collection back until decided', async () => {
    const date = '2026-03-11';
    // All one day past due on the 11th: an SMS each at 10:00.
    await seed(
      db,
      ['H1', 'H2', 'H3'].map((id, index) => ({
        id,
        contacts: { sms: `+86138000004${index}0`, push: `device-${id}` },
        loans: [{ id: `${id}-L`, start: '2026-02-10' }],
      })),
      date,
    );
    await planContacts({ db, date, strategy, policy, nowMs: shanghai(date, '01:00') });
    // H1 asks for help in the portal; H2 asks for a plan; H3 does nothing.
    await recordContactEvent({
      db,
      borrowerId: 'H1',
      nowMs: shanghai(date, '08:30'),
      event: { type: 'hardship_request', reason: 'income_loss' },
      policy,
    });
    const as = (nowMs: number): CommandContext => ({ db, actor: { kind: 'system', id: 'test' }, nowMs });
    const reason = await recordOverdueReason(as(shanghai(date, '08:35')), {
      idempotencyKey: 'h2-reason',
      input: {
        borrowerId: 'H2',
        loanId: 'H2-L',
        reason: { category: 'income_loss', text: 'lost my job', capturedBy: 'borrower', evidence: [] },
        files: [],
      },
    });
    if (!reason.ok) throw new Error(reason.message);
    const asked = await requestPlan(as(shanghai(date, '08:40')), {
      idempotencyKey: 'h2-plan',
      input: { loanId: 'H2-L', requestedBy: 'borrower', on: date, plan: { type: 're_installment', termCount: 12 } },
    });
    if (!asked.ok) throw new Error(JSON.stringify(asked));

    expect(await dispatchContacts(dispatchOptions(shanghai(date, '10:00')))).toMatchObject({
      claimed: 3,
      sent: 1,
      suppressed: 2,
    });
    const reasons = async (id: string) => {
      const [contact] = await listBorrowerContacts(db, id);
      return (await listContactDecisions(db, contact!)).at(-1)!.reasons;
    };
    expect(await reasons('H1')).toEqual(['hardship_request pending (income_loss)']);
    expect(await reasons('H2')).toEqual(['hardship_request pending (plan re_installment requested)']);

    // Decided: staff close H1's request, H2's plan is refused. Ordinary contact resumes (day 3: a push).
    await recordContactEvent({
      db,
      borrowerId: 'H1',
      nowMs: shanghai(date, '18:00'),
      event: { type: 'hardship_closed', reason: 'no plan needed' },
      policy,
    });
    const refused = await refusePlan(as(shanghai(date, '18:00')), {
      idempotencyKey: 'h2-refuse',
      input: {
        planId: asked.value.planId,
        approver: { id: 'agent-1', role: 'manager' },
        on: date,
        reason: 'income not documented',
      },
    });
    expect(refused).toMatchObject({ ok: true, replayed: false });
    const [h2] = await loadContactSubjects(db, ['H2']);
    expect(h2?.state?.hardshipRequest ?? null).toBeNull();
    const later = '2026-03-13';
    await runDailyClose({ db, businessDate: '2026-03-12' });
    await runDailyClose({ db, businessDate: later });
    await planContacts({ db, date: later, strategy, policy, nowMs: shanghai(later, '01:00') });
    expect(await dispatchContacts(dispatchOptions(shanghai(later, '10:00')))).toMatchObject({ sent: 3, suppressed: 0 });
  });

  it('turns a voice contact into a call task, and an unanswered call into its SMS fallback', async () => {
    const date = '2026-03-12';
    // 15 days past due: a call at 14:00 (voice has no adapter here: the call task is the delivery).
    await seed(
      db,
      [
        {
          id: 'V1',
          contacts: { voice: '+8613800000301', sms: '+8613800000301' },
          loans: [{ id: 'V1-L', start: '2026-01-25' }],
        },
      ],
      date,
    );
    await planContacts({ db, date, strategy, policy, nowMs: shanghai(date, '01:00') });
    const [call] = await listBorrowerContacts(db, 'V1');
    expect(call).toMatchObject({ channel: 'voice', template: 'overdue_15', dueAtMs: shanghai(date, '14:00') });
    const stats = await dispatchContacts(dispatchOptions(shanghai(date, '14:00'), { adapters: {} }));
    expect(stats).toMatchObject({ claimed: 1, sent: 1 });
    const task = await getCallTask(db, { borrowerId: 'V1', taskId: call!.contactId });
    const sentCall = await getContact(db, call!);
    expect(task).toMatchObject({ status: 'open', phone: '+8613800000301', loanIds: ['V1-L'] });
    expect(task?.script).toContain(sentCall!.verificationCode!);

    const outcome = await recordContactEvent({
      db,
      borrowerId: 'V1',
      nowMs: shanghai(date, '14:20'),
      event: { type: 'call_outcome', outcome: 'no_answer' },
      policy,
    });
    expect(outcome.callTask).toMatchObject({ taskId: call!.contactId, status: 'done', outcome: 'no_answer' });
    expect(outcome.fallbackContactId).toBe(`${call!.contactId}:fallback`);
    const [state] = await loadContactSubjects(db, ['V1']);
    expect(state?.state?.history.map((r) => r.call?.outcome)).toEqual(['no_answer']);
    // The same outcome again finds no open task and plans nothing more.
    expect(
      (
        await recordContactEvent({
          db,
          borrowerId: 'V1',
          nowMs: shanghai(date, '14:25'),
          event: { type: 'call_outcome', outcome: 'no_answer' },
          policy,
        })
      ).fallbackContactId,
    ).toBeNull();

    expect(await dispatchContacts(dispatchOptions(shanghai(date, '14:30')))).toMatchObject({ claimed: 1, sent: 1 });
    const fallback = await getContact(db, { borrowerId: 'V1', contactId: `${call!.contactId}:fallback` });
    expect(fallback).toMatchObject({ channel: 'sms', status: 'sent' });
    expect(provider.deliveries.filter((d) => d.to === '+8613800000301')).toHaveLength(1);
  });

  it('records delivery receipts once and tries the fallback channel after an undelivered one', async () => {
    const date = '2026-03-13';
    const withFallback = resolveStrategy({
      name: 'receipts',
      steps: [
        {
          id: 'delinquent_1',
          stage: 'delinquent',
          dayOffset: 1,
          channel: 'sms',
          template: 'overdue_1',
          sendAt: '10:00',
          fallback: { channel: 'email', template: 'overdue_1', when: 'undelivered' },
        },
      ],
    });
    await seed(
      db,
      [
        {
          id: 'D1',
          contacts: { sms: '+8613800000401', email: 'd1@example.com' },
          loans: [{ id: 'D1-L', start: '2026-02-12' }],
        },
      ],
      date,
    );
    await planContacts({ db, date, strategy: withFallback, policy, nowMs: shanghai(date, '01:00') });
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '10:00')))).toMatchObject({ sent: 1 });
    const [sms] = await listBorrowerContacts(db, 'D1');
    const receipt = {
      providerMessageId: sms!.providerMessageId!,
      messageId: sms!.contactId,
      status: 'undelivered' as const,
      atMs: shanghai(date, '10:01'),
      code: '30003',
    };
    const first = await receiveDeliveryReceipt({ db, receipt, nowMs: shanghai(date, '10:02') });
    expect(first).toMatchObject({
      contactId: sms!.contactId,
      changed: true,
      fallbackContactId: `${sms!.contactId}:fallback`,
    });
    expect(await receiveDeliveryReceipt({ db, receipt, nowMs: shanghai(date, '10:03') })).toMatchObject({
      changed: false,
      fallbackContactId: null,
    });
    expect(
      await receiveDeliveryReceipt({ db, receipt: { ...receipt, providerMessageId: 'unknown' }, nowMs: 0 }),
    ).toMatchObject({ contactId: null });
    expect((await getContact(db, sms!))?.deliveryStatus).toBe('undelivered');
    expect((await listContactDecisions(db, sms!)).map((d) => `${d.phase}:${d.verdict}`)).toEqual([
      'plan:send',
      'dispatch:send',
      'delivery:accepted',
      'receipt:undelivered',
    ]);
    const mailsBefore = smtp.mails.length;
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '10:05')))).toMatchObject({ sent: 1 });
    expect(smtp.mails.length).toBe(mailsBefore + 1);
    expect(smtp.mails.at(-1)?.envelopeTo).toEqual(['d1@example.com']);
  });

  it('holds a failing provider off with the circuit breaker and retries with backoff', async () => {
    const date = '2026-03-14';
    const ids = Array.from({ length: 8 }, (_, index) => `F${index}`);
    await seed(
      db,
      ids.map((id, index) => ({
        id,
        contacts: { sms: `+86138000005${index}0` },
        loans: [{ id: `${id}-L`, start: '2026-02-13' }],
      })),
      date,
    );
    await planContacts({ db, date, strategy, policy, nowMs: shanghai(date, '01:00') });
    const failing = await startMessageProviderServer();
    closers.push(() => failing.close());
    let clock = shanghai(date, '10:00');
    const sms = withCircuitBreaker(
      createWebhookChannel({ channel: 'sms', url: `${failing.url}/v1/messages`, apiKey: failing.genericApiKey }),
      { now: () => clock, failuresMax: 3, coolDownMs: 30_000 },
    );
    failing.failNext('unavailable', 4);
    const options = () => dispatchOptions(clock, { adapters: { sms }, retry: { baseMs: 60_000, maxMs: 600_000 } });

    const first = await dispatchContacts(options());
    expect(first).toMatchObject({ claimed: 8, retrying: 8, sent: 0 });
    // Three calls opened the circuit; the other five never reached the provider.
    expect(failing.requests).toHaveLength(3);
    expect(sms.circuit().state).toBe('open');
    for (const id of ids) {
      const [contact] = await listBorrowerContacts(db, id);
      expect(contact).toMatchObject({ status: 'sending', attempts: 1, claimedBy: null });
      expect(contact!.dueAtMs).toBeGreaterThanOrEqual(clock + 60_000);
    }
    // Not due yet: a dispatch now claims nothing and calls nobody.
    clock += 30_000;
    expect((await dispatchContacts(options())).claimed).toBe(0);
    expect(failing.requests).toHaveLength(3);

    // After the backoff: one trial (still failing) reopens the circuit; then the provider recovers.
    clock += 31_000;
    const second = await dispatchContacts(options());
    expect(second).toMatchObject({ claimed: 8, retrying: 8 });
    expect(failing.requests).toHaveLength(4);
    for (let round = 0; round < 10; round += 1) {
      clock += 5 * 60_000;
      await dispatchContacts(options());
      const open = await countContactsByStatus(db);
      if (open.sending === 0 && open.planned === 0 && open.deferred === 0) break;
    }
    for (const id of ids) expect((await listBorrowerContacts(db, id)).map((c) => c.status)).toEqual(['sent']);
    expect(failing.deliveries).toHaveLength(8);
    expect(new Set(failing.deliveries.map((d) => d.idempotencyKey)).size).toBe(8);
    // Each contact reached the provider at most once after it recovered.
    expect(failing.requests.length).toBeLessThanOrEqual(4 + 8);
    const [f0] = await listBorrowerContacts(db, 'F0');
    const verdicts = (await listContactDecisions(db, f0!)).map((d) => d.verdict);
    expect(verdicts.filter((v) => v === 'retryable').length).toBeGreaterThanOrEqual(2);
    expect(verdicts.at(-1)).toBe('accepted');
  });
  it('Reg F: a conversation naming another loan while a call task is pending counts for the loan it names', async () => {
    const regf = parsePolicy('us-regf');
    // C2-A is 15 days past due on 03-12 (a call at 14:00); C2-B falls due 02-28, 15 days past due on 03-15.
    await seed(
      db,
      [
        {
          id: 'C2',
          contacts: { voice: '+8613800000601' },
          loans: [
            { id: 'C2-A', start: '2026-01-25' },
            { id: 'C2-B', start: '2026-01-28' },
          ],
        },
      ],
      '2026-03-12',
    );
    await planContacts({ db, date: '2026-03-12', strategy, policy: regf, nowMs: shanghai('2026-03-12', '01:00') });
    const first = await dispatchContacts(
      dispatchOptions(shanghai('2026-03-12', '14:00'), { adapters: {}, policy: regf }),
    );
    expect(first).toMatchObject({ claimed: 1, sent: 1 });
    const [task] = await listBorrowerContacts(db, 'C2');
    expect(task).toMatchObject({ channel: 'voice', loanIds: ['C2-A'] });
    const outcome = await recordContactEvent({
      db,
      borrowerId: 'C2',
      nowMs: shanghai('2026-03-12', '14:20'),
      event: { type: 'call_outcome', outcome: 'connected', loanIds: ['C2-B'] },
      policy: regf,
    });
    expect(outcome.callTask).toMatchObject({ taskId: task!.contactId, status: 'done' });
    for (const date of ['2026-03-13', '2026-03-14', '2026-03-15']) await runDailyClose({ db, businessDate: date });
    await planContacts({ db, date: '2026-03-15', strategy, policy: regf, nowMs: shanghai('2026-03-15', '01:00') });
    await dispatchContacts(dispatchOptions(shanghai('2026-03-15', '14:00'), { adapters: {}, policy: regf }));
    const call = (await listBorrowerContacts(db, 'C2')).find((c) => c.businessDate === '2026-03-15');
    expect(call).toMatchObject({ channel: 'voice', status: 'suppressed' });
    expect((await listContactDecisions(db, call!)).at(-1)?.reasons).toEqual(['conversation about C2-B within 7 days']);
  });

  it('a number taken off SMS by a contact update is not dialled for voice either', async () => {
    const date = '2026-03-12';
    await seed(
      db,
      [
        {
          id: 'N1',
          contacts: { voice: '+8613800000701', sms: '+8613800000701' },
          loans: [{ id: 'N1-L', start: '2026-01-25' }],
        },
      ],
      date,
    );
    await recordContactEvent({
      db,
      borrowerId: 'N1',
      nowMs: shanghai(date, '09:00'),
      event: { type: 'contact_update', contacts: { sms: null } },
      policy,
    });
    await planContacts({ db, date, strategy, policy, nowMs: shanghai(date, '10:00') });
    await dispatchContacts(dispatchOptions(shanghai(date, '14:00'), { adapters: {} }));
    const [call] = await listBorrowerContacts(db, 'N1');
    expect(call).toMatchObject({ channel: 'voice', status: 'suppressed' });
    expect((await listContactDecisions(db, call!)).at(-1)?.reasons).toEqual(['blocked_address voice']);
    expect(await getCallTask(db, { borrowerId: 'N1', taskId: call!.contactId })).toBeUndefined();
  });

  it('sends at most one message per channel in a minute: the second waits for the next minute', async () => {
    const date = '2026-03-12';
    // A call at 14:00 whose unanswered fallback (an SMS) lands on 14:20, the minute of a strategy SMS.
    const withSms = resolveStrategy(
      {
        addSteps: [
          { id: 'extra', stage: 'delinquent', dayOffset: 15, channel: 'sms', template: 'overdue_15', sendAt: '14:20' },
        ],
      },
      'strategy',
    );
    await seed(
      db,
      [
        {
          id: 'M1',
          contacts: { voice: '+8613800000801', sms: '+8613800000801' },
          loans: [{ id: 'M1-L', start: '2026-01-25' }],
        },
      ],
      date,
    );
    await planContacts({ db, date, strategy: withSms, policy, nowMs: shanghai(date, '01:00') });
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '14:00'), { adapters: {} }))).toMatchObject({
      sent: 1,
    });
    await recordContactEvent({
      db,
      borrowerId: 'M1',
      nowMs: shanghai(date, '14:20'),
      event: { type: 'call_outcome', outcome: 'no_answer' },
      policy,
    });
    const at1420 = await dispatchContacts(dispatchOptions(shanghai(date, '14:20')));
    expect(at1420).toMatchObject({ claimed: 2, sent: 1, deferred: 1 });
    const deferred = (await listBorrowerContacts(db, 'M1')).find((c) => c.status === 'deferred');
    expect(deferred?.dueAtMs).toBe(shanghai(date, '14:21'));
    expect(await dispatchContacts(dispatchOptions(shanghai(date, '14:21')))).toMatchObject({ sent: 1 });
    expect(provider.deliveries.filter((d) => d.to === '+8613800000801')).toHaveLength(2);
  });
});
