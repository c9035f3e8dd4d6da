// The two contact stores agree: random books (borrowers with some addresses missing or failing, loans in
// every stage) and random events (holds, promises to pay, opt-outs, call outcomes, hardship requests,
// complaints, new addresses, delivery receipts) run for 60–120 days through the production commands —
// the daily close, planContacts, dispatchContacts at every due instant, recordContactEvent,
// receiveDeliveryReceipt — once on PGlite (PostgreSQL when DATABASE_URL is set) and once on the
// in-memory store, and both end with the same contacts (channel, due and sent instants, template, status,
// verification code, delivery status, …), the same decisions with their reasons, the same contact states,
// call tasks and loan states. Kuan's deterministic simulation test for the contact pipeline: the
// preview's store is checked against production's.
//
// The loans: the SQL run closes each day with runDailyClose; the in-memory run applies the servicing
// core's closeDay to the loans the SQL close selects (next event on or before the date), from the same
// opening states read back from the database — so the loan states are compared too.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import type { ChannelAdapter } from '../channels/index.ts';
import { callOutcomes, parsePolicy, type ContactChannel } from '../contact/index.ts';
import { builtInStrategies, type Strategy } from '../contact/strategy/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { closeDay, parseServicingRules } from '../servicing/index.ts';
import {
  listBorrowerContacts,
  listContactDecisions,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type ContactRow,
  type TestDatabase,
} from '../store/index.ts';
import { MemoryContactStore } from '../store/memory/contacts.ts';
import { sqlContactStore, type ContactStore } from './contact-store.ts';
import {
  dispatchContacts,
  planContacts,
  receiveDeliveryReceipt,
  recordContactEvent,
  type RecordedContactEvent,
} from './contacts.ts';
import { openLoans, runDailyClose } from './index.ts';
import { emptyContactCaseTables } from './testing.ts';

const SECRET = 'store-agreement-secret-0123456789';
const policy = parsePolicy('cn-2026');
const strategy = builtInStrategies.default as Strategy;
const channels: ContactChannel[] = ['sms', 'email', 'push', 'voice', 'letter'];
const from = '2026-02-20';

/** The addresses a borrower may have; the bad ones make the provider refuse or keep failing. */
const goodAddress: Record<ContactChannel, string> = {
  sms: '+12125550100',
  email: 'b@example.com',
  push: 'device-b',
  voice: '+12125550100',
  letter: '1 Main St',
};
const BAD_SMS = '+12125550199';
const FLAKY_EMAIL = 'flaky@example.com';

/** Providers that answer by address alone, so both runs get the same answers. */
const adapters: Partial<Record<ContactChannel, ChannelAdapter>> = Object.fromEntries(
  (['sms', 'email', 'push', 'letter'] as const).map((channel) => [
    channel,
    {
      channel,
      name: `test-${channel}`,
      send: async (message) => {
        if (message.to === BAD_SMS) return { outcome: 'rejected', code: 'invalid_number', detail: 'no such number' };
        if (message.to === FLAKY_EMAIL) return { outcome: 'retryable', code: 'timeout', detail: 'provider timeout' };
        return { outcome: 'accepted', providerMessageId: `p-${message.messageId}` };
      },
    } satisfies ChannelAdapter,
  ]),
);

type EventSeed =
  | { kind: 'hold'; days: number }
  | { kind: 'promise'; loan: number; amountMinor: number; daysAhead: number; remindMe: boolean }
  | { kind: 'opt_out'; channel: ContactChannel }
  | { kind: 'call_outcome'; outcome: (typeof callOutcomes)[number] }
  | { kind: 'hardship_request' }
  | { kind: 'complaint' }
  | { kind: 'contact_update'; channel: ContactChannel; remove: boolean }
  /** The provider's receipt for the borrower's latest message sent (nothing when none was sent yet). */
  | { kind: 'receipt'; status: 'delivered' | 'undelivered' | 'failed' | 'read' };

interface Scenario {
  timezone: string;
  days: number;
  borrowers: { addresses: ContactChannel[]; badSms: boolean; flakyEmail: boolean; loanStarts: number[] }[];
  events: { borrower: number; dayOffset: number; minute: number; event: EventSeed }[];
}

const eventSeed: fc.Arbitrary<EventSeed> = fc.oneof(
  fc.record({ kind: fc.constant('hold' as const), days: fc.integer({ min: 1, max: 10 }) }),
  fc.record({
    kind: fc.constant('promise' as const),
    loan: fc.integer({ min: 0, max: 1 }),
    amountMinor: fc.integer({ min: 1_000, max: 60_000 }),
    daysAhead: fc.integer({ min: 1, max: 10 }),
    remindMe: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('opt_out' as const), channel: fc.constantFrom(...channels) }),
  fc.record({ kind: fc.constant('call_outcome' as const), outcome: fc.constantFrom(...callOutcomes) }),
  fc.record({ kind: fc.constant('hardship_request' as const) }),
  fc.record({ kind: fc.constant('complaint' as const) }),
  fc.record({
    kind: fc.constant('contact_update' as const),
    channel: fc.constantFrom(...channels),
    remove: fc.boolean(),
  }),
  fc.record({
    kind: fc.constant('receipt' as const),
    status: fc.constantFrom('delivered' as const, 'undelivered' as const, 'failed' as const, 'read' as const),
  }),
);

const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    timezone: fc.constantFrom('America/New_York', 'Asia/Shanghai'),
    days: fc.integer({ min: 60, max: 120 }),
    borrowers: fc.array(
      fc.record({
        addresses: fc.subarray(channels),
        badSms: fc.boolean(),
        flakyEmail: fc.boolean(),
        // Disbursed 0–200 days before the first day: reminders ahead of a first due date, due days, grace,
        // every delinquency bucket and (with no payments) charge-off within the run.
        loanStarts: fc.array(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 2 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  })
  .chain((book) =>
    fc.record({
      timezone: fc.constant(book.timezone),
      days: fc.constant(book.days),
      borrowers: fc.constant(book.borrowers),
      events: fc.array(
        fc.record({
          borrower: fc.integer({ min: 0, max: book.borrowers.length - 1 }),
          dayOffset: fc.integer({ min: -1, max: book.days - 1 }),
          minute: fc.integer({ min: 0, max: 1439 }),
          event: eventSeed,
        }),
        { minLength: 2, maxLength: 16 },
      ),
    }),
  );

const borrowerIdOf = (index: number): string => `B${index + 1}`;

function addressesOf(borrower: Scenario['borrowers'][number]): Record<string, string> {
  return Object.fromEntries(
    borrower.addresses.map((channel) => [
      channel,
      channel === 'sms' && borrower.badSms
        ? BAD_SMS
        : channel === 'email' && borrower.flakyEmail
          ? FLAKY_EMAIL
          : goodAddress[channel],
    ]),
  );
}

function recordedEvent(
  seed: Exclude<EventSeed, { kind: 'receipt' }>,
  borrowerId: string,
  date: IsoDate,
  index: number,
): RecordedContactEvent {
  switch (seed.kind) {
    case 'hold':
      return { type: 'hold', days: seed.days, reason: 'illness' };
    case 'promise':
      return {
        type: 'promise_to_pay',
        promiseId: `P${index}`,
        loanId: `${borrowerId}-L${seed.loan + 1}`,
        amountMinor: BigInt(seed.amountMinor),
        date: addDays(date, seed.daysAhead),
        remindMe: seed.remindMe,
      };
    case 'opt_out':
      return { type: 'opt_out', channel: seed.channel };
    case 'call_outcome':
      return { type: 'call_outcome', outcome: seed.outcome };
    case 'hardship_request':
      return { type: 'hardship_request', reason: 'lost job' };
    case 'complaint':
      return { type: 'complaint', reason: 'too many calls' };
    case 'contact_update':
      return { type: 'contact_update', contacts: { [seed.channel]: seed.remove ? null : goodAddress[seed.channel] } };
  }
}

/** How one store closes a day and says when its next open contact is due. */
interface Side {
  store: ContactStore;
  /** Runs the commands on the database (as production passes it) or on the in-memory store. */
  on: { db: TestDatabase['db'] } | { store: ContactStore };
  close(date: IsoDate): Promise<void>;
  nextDueMs(): Promise<number>;
  /** The borrower's message sent last (by sent instant, then contact id), if any. */
  latestSent(borrowerId: string): Promise<ContactRow | undefined>;
}

function latestOf(contacts: readonly ContactRow[]): ContactRow | undefined {
  return contacts
    .filter((contact) => contact.status === 'sent')
    .sort((a, b) => (a.sentAtMs as number) - (b.sentAtMs as number) || (a.contactId < b.contactId ? -1 : 1))
    .at(-1);
}

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => {
  await test?.dispose();
});

/** The book in the database, closed through the day before the run. */
async function seedDatabase(seed: Scenario): Promise<void> {
  const { db } = test;
  await emptyContactCaseTables(db);
  await upsertBorrowers(
    db,
    seed.borrowers.map((borrower, index) => ({
      borrowerId: borrowerIdOf(index),
      name: `Borrower ${index + 1}`,
      timezone: seed.timezone,
      locale: 'en',
      contacts: addressesOf(borrower),
    })),
  );
  const rules = parseServicingRules({ graceDays: 3, chargeOffDpd: 90 });
  await openLoans(
    db,
    seed.borrowers.flatMap((borrower, index) =>
      borrower.loanStarts.map((daysBefore, loan) => {
        const startDate = addDays(from, -daysBefore);
        return {
          loanId: `${borrowerIdOf(index)}-L${loan + 1}`,
          borrowerId: borrowerIdOf(index),
          terms: parseLoanTerms({ principal: '3000.00', annualRate: '0.12', termCount: 6, startDate }),
          rules,
          disbursedOn: startDate,
        };
      }),
    ),
  );
  await runDailyClose({ db, businessDate: addDays(from, -1) });
}

function sqlSide(): Side {
  const { db } = test;
  return {
    store: sqlContactStore(db),
    on: { db },
    close: async (date) => {
      await runDailyClose({ db, businessDate: date });
    },
    nextDueMs: async () => {
      const [next] = await queryRows<{ due: unknown }>(
        db,
        sql`SELECT min(due_at) AS due FROM contacts WHERE status IN ('planned', 'deferred', 'sending')`,
      );
      return next?.due === null || next?.due === undefined ? Infinity : new Date(String(next.due)).getTime();
    },
    latestSent: async (borrowerId) => latestOf(await listBorrowerContacts(db, borrowerId)),
  };
}

/** The in-memory store seeded with the database's borrowers and opening loan states. */
async function memorySide(seed: Scenario): Promise<Side> {
  const memory = new MemoryContactStore();
  const sqlStore = sqlContactStore(test.db);
  for (const [index, borrower] of seed.borrowers.entries()) {
    const borrowerId = borrowerIdOf(index);
    memory.putBorrower({
      borrowerId,
      name: `Borrower ${index + 1}`,
      timezone: seed.timezone,
      locale: 'en',
      contacts: addressesOf(borrower),
    });
    memory.putLoans(borrowerId, await sqlStore.borrowerLoans(borrowerId));
  }
  return {
    store: memory,
    on: { store: memory },
    close: async (date) => {
      // The SQL close's selection: loans whose next event is on or before the date.
      for (const [borrowerId, loans] of memory.allLoans()) {
        memory.putLoans(
          borrowerId,
          loans.map((loan) =>
            loan.nextEventDate !== null && loan.nextEventDate <= date ? closeDay(loan, date).state : loan,
          ),
        );
      }
    },
    nextDueMs: async () => {
      let due = Infinity;
      for (const contact of memory.allContacts())
        if (['planned', 'deferred', 'sending'].includes(contact.status)) due = Math.min(due, contact.dueAtMs);
      return due;
    },
    latestSent: async (borrowerId) =>
      latestOf(memory.allContacts().filter((contact) => contact.borrowerId === borrowerId)),
  };
}

/** The run: each day close, plan at local midnight, then events and dispatches in instant order. */
async function run(seed: Scenario, side: Side): Promise<void> {
  const timed = seed.events
    .map((entry, index) => ({
      ...entry,
      index,
      date: addDays(from, entry.dayOffset),
      atMs: zonedEpochMs(seed.timezone, addDays(from, entry.dayOffset), entry.minute),
    }))
    .sort((a, b) => a.atMs - b.atMs || a.index - b.index);
  let nextEvent = 0;
  const applyEventsBefore = async (untilMs: number): Promise<void> => {
    for (; nextEvent < timed.length && (timed[nextEvent]?.atMs as number) < untilMs; nextEvent += 1) {
      const entry = timed[nextEvent] as (typeof timed)[number];
      const borrowerId = borrowerIdOf(entry.borrower);
      if (entry.event.kind === 'receipt') {
        const sent = await side.latestSent(borrowerId);
        if (sent?.providerMessageId) {
          const { status } = entry.event;
          await receiveDeliveryReceipt({
            ...side.on,
            receipt: {
              providerMessageId: sent.providerMessageId,
              messageId: sent.contactId,
              status,
              atMs: entry.atMs,
              ...(status === 'undelivered' || status === 'failed' ? { code: 'unreachable' } : {}),
            },
            nowMs: entry.atMs,
          });
        }
        continue;
      }
      await recordContactEvent({
        ...side.on,
        borrowerId,
        nowMs: entry.atMs,
        event: recordedEvent(entry.event, borrowerId, entry.date, entry.index),
        policy,
      });
    }
  };
  for (let offset = 0; offset < seed.days; offset += 1) {
    const date = addDays(from, offset);
    const dayStartMs = zonedEpochMs(seed.timezone, date, 0);
    const dayEndMs = zonedEpochMs(seed.timezone, addDays(date, 1), 0);
    await applyEventsBefore(dayStartMs);
    await side.close(date);
    await planContacts({ ...side.on, date, strategy, policy, nowMs: dayStartMs });
    for (let round = 0; round < 500; round += 1) {
      const dueMs = Math.max(dayStartMs, await side.nextDueMs());
      const eventMs = timed[nextEvent]?.atMs ?? Infinity;
      if (!(Math.min(dueMs, eventMs) < dayEndMs)) break;
      if (eventMs <= dueMs) {
        await applyEventsBefore(eventMs + 1);
        continue;
      }
      await dispatchContacts({
        ...side.on,
        nowMs: dueMs,
        adapters,
        policy,
        secret: SECRET,
        workerId: 'agreement',
        limit: 100,
      });
    }
  }
  await applyEventsBefore(Infinity);
}

/** Everything the contact pipeline wrote, read the same way from either store. */
async function snapshot(seed: Scenario, side: Side, contactsOf: (borrowerId: string) => Promise<unknown[]>) {
  const ids = seed.borrowers.map((_, index) => borrowerIdOf(index));
  const subjects = await side.store.contactSubjects(ids);
  const loans = await Promise.all(ids.map((id) => side.store.borrowerLoans(id)));
  return {
    contacts: await Promise.all(ids.map(contactsOf)),
    subjects,
    loans,
    openCallTasks: await side.store.openCallTasks({ limit: 1000 }),
  };
}

describe('the in-memory contact store and the SQL store agree', () => {
  it('on contacts, decisions, contact states, call tasks and loans over random books and events', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (seed) => {
        await seedDatabase(seed);
        const memory = await memorySide(seed);
        const database = sqlSide();
        await run(seed, database);
        await run(seed, memory);
        const inMemory = memory.store as MemoryContactStore;
        const fromDatabase = await snapshot(seed, database, async (borrowerId) =>
          Promise.all(
            (await listBorrowerContacts(test.db, borrowerId)).map(async (contact) => ({
              contact,
              decisions: await listContactDecisions(test.db, contact),
            })),
          ),
        );
        const fromMemory = await snapshot(seed, memory, async (borrowerId) =>
          inMemory
            .allContacts()
            .filter((contact) => contact.borrowerId === borrowerId)
            .map((contact) => ({ contact, decisions: inMemory.contactDecisions(contact) })),
        );
        expect(fromMemory.loans).toEqual(fromDatabase.loans);
        expect(fromMemory.subjects).toEqual(fromDatabase.subjects);
        expect(fromMemory.openCallTasks).toEqual(fromDatabase.openCallTasks);
        expect(fromMemory.contacts).toEqual(fromDatabase.contacts);
      }),
      { numRuns: 4, seed: 20261207 },
    );
  });

  it('writes nothing when a command fails inside its transaction', async () => {
    const memory = new MemoryContactStore();
    memory.putBorrower({ borrowerId: 'B1', name: 'B', timezone: 'Asia/Shanghai', locale: 'en', contacts: {} });
    const failing = memory.transaction(async (tx) => {
      await tx.saveBorrowerContacts({
        borrowerId: 'B1',
        name: 'B',
        timezone: 'Asia/Shanghai',
        locale: 'en',
        contacts: { sms: goodAddress.sms },
      });
      throw new Error('crash');
    });
    await expect(failing).rejects.toThrow('crash');
    const [subject] = await memory.contactSubjects(['B1']);
    expect(subject?.contacts).toEqual({});
  });
});
