// Production and the strategy preview decide contacts alike: random books (borrowers with some addresses
// missing, loans in every stage, a hold or an opt-out on some) are previewed (production's commands on
// the in-memory store, seeded from the book, on the preview's virtual clock), then the same days run
// through production's day loop — the daily close, planContacts and the dispatcher at each due instant,
// on PGlite or PostgreSQL — and the contacts production sent per local date and channel, and suppressed
// per rule, are what the preview predicted. contact-store-agreement.test.ts checks the two stores under
// one driver; this checks the preview's driver: its seeding, clock, day window and close. Days cross New
// York's clock change (2026-03-08).
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelAdapter } from '../channels/index.ts';
import { addDays, localDate, zonedEpochMs } from '../calendar/index.ts';
import { gateRuleOf, parsePolicy, type ContactChannel } from '../contact/index.ts';
import { builtInStrategies, type Strategy } from '../contact/strategy/index.ts';
import { dispatchContacts, planContacts, recordContactEvent } from './contacts.ts';
import { openLoans, runDailyClose } from './index.ts';
import { previewStrategy } from './preview.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules } from '../servicing/index.ts';
import { openTestDatabase, queryRows, upsertBorrowers, type TestDatabase } from '../store/index.ts';
import { emptyContactCaseTables } from './testing.ts';

const SECRET = 'agreement-test-secret-0123456789';
const policy = parsePolicy('cn-2026');
const strategy = builtInStrategies.default as Strategy;
const channels: ContactChannel[] = ['sms', 'email', 'push', 'voice', 'letter'];
const address: Record<ContactChannel, string> = {
  sms: '+12125550100',
  email: 'b@example.com',
  push: 'device-b',
  voice: '+12125550100',
  letter: '1 Main St',
};

/** Every message accepted at once: the comparison is about decisions, not providers. */
const accepting: Partial<Record<ContactChannel, ChannelAdapter>> = Object.fromEntries(
  (['sms', 'email', 'push', 'letter'] as const).map((channel) => [
    channel,
    {
      channel,
      name: `accept-${channel}`,
      send: async (message) => ({ outcome: 'accepted', providerMessageId: `p-${message.messageId}` }),
    } satisfies ChannelAdapter,
  ]),
);

interface BookSeed {
  timezone: string;
  borrowers: {
    addresses: ContactChannel[];
    loanStarts: number[];
    hold: { dayOffset: number; minute: number; days: number } | null;
    optOut: ContactChannel | null;
  }[];
}

const from = '2026-03-05';
const days = 8;

const bookSeed: fc.Arbitrary<BookSeed> = fc.record({
  timezone: fc.constantFrom('America/New_York', 'Asia/Shanghai'),
  borrowers: fc.array(
    fc.record({
      addresses: fc.subarray(channels),
      // Disbursed 20–45 days before the first day: first due dates from 15 days before the window to its
      // end, so the days hold reminders, the due day, grace and delinquency.
      loanStarts: fc.array(fc.integer({ min: 20, max: 45 }), { minLength: 1, maxLength: 2 }),
      hold: fc.option(
        fc.record({
          dayOffset: fc.integer({ min: -2, max: days - 1 }),
          minute: fc.integer({ min: 0, max: 1439 }),
          days: fc.integer({ min: 1, max: 10 }),
        }),
      ),
      optOut: fc.option(fc.constantFrom(...channels)),
    }),
    { minLength: 1, maxLength: 4 },
  ),
});

interface Summary {
  perDay: string[];
  suppressions: string[];
}

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => {
  await test?.dispose();
});

async function seedBook(seed: BookSeed): Promise<void> {
  const { db } = test;
  await emptyContactCaseTables(db);
  const ids = seed.borrowers.map((_, index) => `B${index + 1}`);
  await upsertBorrowers(
    db,
    seed.borrowers.map((borrower, index) => ({
      borrowerId: ids[index] as string,
      name: `Borrower ${index + 1}`,
      timezone: seed.timezone,
      locale: 'en',
      contacts: Object.fromEntries(borrower.addresses.map((channel) => [channel, address[channel]])),
    })),
  );
  const rules = parseServicingRules({ graceDays: 3 });
  await openLoans(
    db,
    seed.borrowers.flatMap((borrower, index) =>
      borrower.loanStarts.map((daysBefore, loan) => {
        const startDate = addDays(from, -daysBefore);
        return {
          loanId: `${ids[index]}-L${loan + 1}`,
          borrowerId: ids[index] as string,
          terms: parseLoanTerms({ principal: '3000.00', annualRate: '0.12', termCount: 6, startDate }),
          rules,
          disbursedOn: startDate,
        };
      }),
    ),
  );
  await runDailyClose({ db, businessDate: addDays(from, -1) });
  for (const [index, borrower] of seed.borrowers.entries()) {
    const borrowerId = ids[index] as string;
    if (borrower.optOut) {
      const nowMs = zonedEpochMs(seed.timezone, addDays(from, -1), 12 * 60);
      await recordContactEvent({ db, borrowerId, nowMs, event: { type: 'opt_out', channel: borrower.optOut }, policy });
    }
  }
}

/** The holds go in before the run: the preview reads them from the stored state, as production does. */
async function recordHolds(seed: BookSeed): Promise<void> {
  for (const [index, borrower] of seed.borrowers.entries()) {
    if (!borrower.hold) continue;
    const { dayOffset, minute, days: holdDays } = borrower.hold;
    const nowMs = zonedEpochMs(seed.timezone, addDays(from, dayOffset), minute);
    await recordContactEvent({
      db: test.db,
      borrowerId: `B${index + 1}`,
      nowMs,
      event: { type: 'hold', days: holdDays, reason: 'illness' },
      policy,
    });
  }
}

/** Production over the days: close, plan, then dispatch at every due instant of the local day. */
async function runProduction(timezone: string): Promise<Summary> {
  const { db } = test;
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(from, offset);
    await runDailyClose({ db, businessDate: date });
    const nowMs = zonedEpochMs(timezone, date, 0);
    await planContacts({ db, date, strategy, policy, nowMs });
    const dayEndMs = zonedEpochMs(timezone, addDays(date, 1), 0);
    for (let round = 0; round < 500; round += 1) {
      const [next] = await queryRows<{ due: unknown }>(
        db,
        sql`SELECT min(due_at) AS due FROM contacts WHERE status IN ('planned', 'deferred', 'sending')`,
      );
      const dueMs = next?.due === null || next?.due === undefined ? Infinity : new Date(String(next.due)).getTime();
      if (!(dueMs < dayEndMs)) break;
      await dispatchContacts({
        db,
        nowMs: dueMs,
        adapters: accepting,
        policy,
        secret: SECRET,
        workerId: 'agreement',
        limit: 100,
      });
    }
  }
  const rows = await queryRows<{
    channel: string;
    status: string;
    sent_at: unknown;
    due_at: unknown;
    reasons: unknown;
  }>(db, sql`SELECT channel, status, sent_at, due_at, reasons FROM contacts`);
  const perDay: string[] = [];
  const suppressions: string[] = [];
  for (const row of rows) {
    if (row.status === 'sent') {
      perDay.push(`${localDate(timezone, new Date(String(row.sent_at)).getTime())} ${row.channel}`);
    } else if (row.status === 'suppressed') {
      const reasons = (typeof row.reasons === 'string' ? JSON.parse(row.reasons) : row.reasons) as string[];
      suppressions.push(gateRuleOf(reasons.at(-1) ?? 'unknown'));
    }
  }
  return { perDay: perDay.sort(), suppressions: suppressions.sort() };
}

describe('production and the strategy preview agree', () => {
  it('on what is sent per local day and channel, and suppressed per rule, over random books', async () => {
    await fc.assert(
      fc.asyncProperty(bookSeed, async (seed) => {
        await seedBook(seed);
        await recordHolds(seed);
        const preview = await previewStrategy({ db: test.db, strategy, policy, days, from });
        expect(preview.from).toBe(from);
        const predicted: Summary = {
          perDay: preview.perDay.flatMap((row) => Array.from({ length: row.sent }, () => `${row.date} ${row.channel}`)),
          suppressions: preview.suppressions.flatMap((row) => Array.from({ length: row.count }, () => row.reason)),
        };
        const produced = await runProduction(seed.timezone);
        expect(produced.perDay).toEqual(predicted.perDay.sort());
        expect(produced.suppressions).toEqual(predicted.suppressions.sort());
      }),
      { numRuns: 12, seed: 20260311 },
    );
  });
});
