// The lender's day (`runDay`) on whichever database openTestDatabase picks: replaying 45 business dates
// one by one runs every stage once per date, sends the due reminders with their verification codes at
// their own instants, drains every event to the sink exactly as the outbox recorded it, and a second run
// of a date does nothing; a stage that fails is recorded as failed, and the next run finishes it without
// repeating the stages before it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../calendar/index.ts';
import type { ChannelAdapter, EventSink, OutboundMessage, PublishedEvent } from '../channels/index.ts';
import { builtInStrategies, parsePolicy, type Strategy } from '../contact/index.ts';
import { dayStages, runDay, type DayOptions } from './index.ts';
import {
  countPendingOutbox,
  executeStatement,
  listDayRuns,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type TestDatabase,
} from '../store/index.ts';
import { openLoans } from './index.ts';
import { bookRequests, FIRST_DAY } from './testing.ts';

const days = 45;
const replayNowMs = Date.parse('2030-01-01T00:00:00Z');

function recordingSms(sent: OutboundMessage[]): ChannelAdapter {
  return {
    channel: 'sms',
    name: 'recording-sms',
    async send(message) {
      sent.push(message);
      return { outcome: 'accepted', providerMessageId: `p-${message.messageId}` };
    },
  };
}

function recordingSink(published: PublishedEvent[], failures = { remaining: 0 }): EventSink {
  return {
    name: 'recording',
    async publish(events) {
      if (failures.remaining > 0) {
        failures.remaining -= 1;
        throw new Error('the event sink is down');
      }
      published.push(...events);
    },
  };
}

describe('the lender’s day', () => {
  let test: TestDatabase;
  const sent: OutboundMessage[] = [];
  const published: PublishedEvent[] = [];
  const failures = { remaining: 0 };
  let base: Omit<DayOptions, 'businessDate'>;

  beforeAll(async () => {
    test = await openTestDatabase();
    const requests = bookRequests(24, 11);
    await upsertBorrowers(
      test.db,
      requests.map((request, index) => ({
        borrowerId: request.borrowerId,
        name: request.borrowerId,
        timezone: index % 3 === 0 ? 'America/New_York' : 'Asia/Shanghai',
        locale: index % 2 === 0 ? 'zh-CN' : 'en',
        contacts: { sms: `+86138000${String(index).padStart(5, '0')}` },
      })),
    );
    await openLoans(test.db, requests);
    base = {
      db: test.db,
      nowMs: replayNowMs,
      timezone: 'Asia/Shanghai',
      cutoffMinutes: 6 * 60,
      policy: parsePolicy('cn-2026'),
      strategy: builtInStrategies.default as Strategy,
      adapters: { sms: recordingSms(sent) },
      secret: 'day-test-secret-0123456789',
      sinks: [recordingSink(published, failures)],
      workerId: 'day-test',
    };
    for (let index = 0; index < days; index += 1) {
      await runDay({ ...base, businessDate: addDays(FIRST_DAY, index) });
    }
  });
  afterAll(async () => test.dispose());

  it('records every stage of every date as completed, in order', async () => {
    const runs = await listDayRuns(test.db, { days: 100 });
    expect(runs).toHaveLength(days * dayStages.length);
    expect(runs.every((run) => run.status === 'completed' && run.attempts === 1)).toBe(true);
    const lastDate = addDays(FIRST_DAY, days - 1);
    expect((await listDayRuns(test.db, { businessDate: lastDate })).map((run) => run.stage)).toEqual([...dayStages]);
  });

  it('sends the reminders due, each with its verification code, inside the borrower’s contact window', async () => {
    expect(sent.length).toBeGreaterThan(10);
    for (const message of sent) {
      expect(message.verificationCode).toMatch(/^[A-Z0-9]{6}$/);
      expect(message.body).toContain(message.verificationCode);
    }
    const [row] = await queryRows<{ unsent: string }>(
      test.db,
      sql`SELECT count(*)::text AS unsent FROM contacts WHERE status IN ('planned', 'deferred', 'sending')
            AND channel = 'sms' AND due_at < ${new Date(Date.parse(`${addDays(FIRST_DAY, days)}T06:00:00+08:00`) - 1).toISOString()}::timestamptz`,
    );
    expect(row?.unsent).toBe('0');
    // Every message is sent once: its id is unique.
    expect(new Set(sent.map((message) => message.messageId)).size).toBe(sent.length);
  });

  it('publishes every outbox event once, with stable ids, and leaves none pending', async () => {
    expect(published.length).toBeGreaterThan(0);
    expect(new Set(published.map((event) => event.id)).size).toBe(published.length);
    expect(published.some((event) => event.kind === 'installment_due' || event.kind.length > 0)).toBe(true);
    expect(await countPendingOutbox(test.db)).toBe(0);
  });

  it('does nothing when a date is run again', async () => {
    const before = { sent: sent.length, published: published.length };
    const reports = await runDay({ ...base, businessDate: addDays(FIRST_DAY, days - 1) });
    expect(reports.map((report) => report.status)).toEqual(dayStages.map(() => 'skipped'));
    expect({ sent: sent.length, published: published.length }).toEqual(before);
  });

  it('records a failed stage and finishes it on the next run without repeating the stages before it', async () => {
    const date: IsoDate = addDays(FIRST_DAY, days);
    failures.remaining = 1;
    await expect(runDay({ ...base, businessDate: date })).rejects.toThrow('the event sink is down');
    const failed = await listDayRuns(test.db, { businessDate: date });
    expect(failed.find((run) => run.stage === 'events')).toMatchObject({ status: 'failed', attempts: 1 });
    expect(await countPendingOutbox(test.db)).toBeGreaterThan(0);
    // The refused batch is offered again after its back-off; let that time pass.
    await executeStatement(test.db, sql`UPDATE outbox SET available_at = now() WHERE dispatched_at IS NULL`);

    const reports = await runDay({ ...base, businessDate: date });
    expect(reports.map((report) => `${report.stage}:${report.status}`)).toEqual(
      dayStages.map((stage) => `${stage}:${stage === 'events' ? 'completed' : 'skipped'}`),
    );
    expect(reports.at(-1)?.attempts).toBe(2);
    expect(await countPendingOutbox(test.db)).toBe(0);
    expect(new Set(published.map((event) => event.id)).size).toBe(published.length);
  });
});
