// A strategy preview on the live book: production's contact commands (planContacts, dispatchContacts) run
// on an in-memory contact store seeded from the stored borrowers, contact states, loans and requested
// plans, on a virtual clock, for the next N days with no payments — what the strategy would send if
// nobody paid, per day and channel, and what the gate would hold back, by rule. The database is only
// read. The supervisor's "preview before activation" in the console.
import { addDays, localDate, zonedEpochMs, type IsoDate } from '../calendar/index.ts';
import type { ChannelAdapter } from '../channels/index.ts';
import { gateRuleOf, type ContactChannel, type PolicyPack, type Strategy } from '../contact/index.ts';
import { closeDay, type LoanState } from '../servicing/index.ts';
import {
  CONTACT_CLAIM_MAX,
  HARDSHIP_LIST_MAX,
  listServicedBorrowerIds,
  type ContactRow,
  type ContactSubject,
  type Database,
  type RequestedPlan,
} from '../store/index.ts';
import { MemoryContactStore } from '../store/memory/contacts.ts';
import { sqlContactStore, type ContactStore } from './contact-store.ts';
import { dispatchContacts, planContacts } from './contacts.ts';

/** Bounds: a preview answers a person waiting at a screen. */
export const PREVIEW_DAYS_MAX = 60;
export const PREVIEW_BORROWERS_MAX = 5_000;
const previewSecret = 'kuan-strategy-preview-secret';
/** Dispatch calls one previewed day may take (each claims up to CONTACT_CLAIM_MAX contacts). */
const dispatchCallsPerDayMax = 10_000;

export interface StrategyPreview {
  from: IsoDate;
  days: number;
  borrowers: number;
  perDay: { date: IsoDate; channel: string; sent: number }[];
  suppressions: { reason: string; count: number }[];
  totals: { sent: number; suppressed: number };
}

/** The live book as read once: borrowers with their contact states, loans and requested plans. */
interface Book {
  subjects: ContactSubject[];
  loans: Map<string, LoanState[]>;
  requested: Map<string, RequestedPlan>;
  from: IsoDate;
}

async function loadBook(db: Database, borrowersMax: number, from: IsoDate | undefined): Promise<Book> {
  const live = sqlContactStore(db);
  const ids = await listServicedBorrowerIds(db, { limit: Math.min(borrowersMax, PREVIEW_BORROWERS_MAX) });
  const book: Book = {
    subjects: await live.contactSubjects(ids),
    loans: new Map(),
    requested: new Map(),
    from: '0000-01-01',
  };
  for (let start = 0; start < ids.length; start += HARDSHIP_LIST_MAX)
    for (const [borrowerId, plan] of await live.requestedPlans(ids.slice(start, start + HARDSHIP_LIST_MAX)))
      book.requested.set(borrowerId, plan);
  for (const subject of book.subjects) {
    const loans = await live.borrowerLoans(subject.borrowerId);
    book.loans.set(subject.borrowerId, loans);
    for (const loan of loans) if (loan.closedThrough > book.from) book.from = loan.closedThrough;
  }
  book.from = from ?? (book.from === '0000-01-01' ? '1970-01-01' : addDays(book.from, 1));
  return book;
}

/** A fresh in-memory store holding the book (its borrowers, contact states, loans and requested plans). */
function storeOf(book: Book): MemoryContactStore {
  const store = new MemoryContactStore();
  for (const subject of book.subjects) {
    const contacts = typeof subject.contacts === 'object' && subject.contacts !== null ? subject.contacts : {};
    store.putBorrower({
      borrowerId: subject.borrowerId,
      name: subject.name,
      timezone: subject.timezone,
      locale: subject.locale,
      contacts: contacts as Record<string, unknown>,
    });
    if (subject.state !== null) store.putContactState(subject.state, { version: subject.version, updatedAtMs: 0 });
    store.putLoans(subject.borrowerId, book.loans.get(subject.borrowerId) ?? []);
    const requested = book.requested.get(subject.borrowerId);
    if (requested) store.putRequestedPlan(subject.borrowerId, requested);
  }
  return store;
}

/** Every message taken as accepted at once: a preview hands nothing to a channel. */
const accepting: Partial<Record<ContactChannel, ChannelAdapter>> = Object.fromEntries(
  (['sms', 'email', 'push', 'letter'] as const).map((channel) => [
    channel,
    {
      channel,
      name: `preview-${channel}`,
      send: async (message) => ({ outcome: 'accepted', providerMessageId: message.messageId }),
    } satisfies ChannelAdapter,
  ]),
);

/** The daily close on the in-memory loans: the servicing core's closeDay on the loans the SQL close selects. */
function closeLoans(store: MemoryContactStore, date: IsoDate): void {
  for (const [borrowerId, loans] of store.allLoans()) {
    store.putLoans(
      borrowerId,
      loans.map((loan) =>
        loan.nextEventDate !== null && loan.nextEventDate <= date ? closeDay(loan, date).state : loan,
      ),
    );
  }
}

/**
 * Runs production's contact commands on an in-memory copy of the book for `days` days from `book.from`,
 * on a virtual clock: each day closes the loans, plans the day (planContacts, at the earliest local
 * midnight of the book's zones), then dispatches (dispatchContacts) at each instant an open contact falls
 * due whose local date is that day. Returns the store, holding every contact decided; the database is
 * not touched.
 */
async function run(book: Book, strategy: Strategy, policy: PolicyPack, days: number): Promise<MemoryContactStore> {
  const memory = storeOf(book);
  const store: ContactStore = memory;
  const zones = [...new Set(book.subjects.map((subject) => subject.timezone))];
  const zoneOf = new Map(book.subjects.map((subject) => [subject.borrowerId, subject.timezone]));
  const open = new Set(['planned', 'deferred', 'sending']);
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(book.from, offset);
    closeLoans(memory, date);
    const nowMs = Math.min(...zones.map((zone) => zonedEpochMs(zone, date, 0)));
    await planContacts({ store, date, strategy, policy, nowMs });
    const dueToday = (contact: ContactRow): boolean =>
      open.has(contact.status) && localDate(zoneOf.get(contact.borrowerId) ?? 'UTC', contact.dueAtMs) <= date;
    for (let call = 0; call < dispatchCallsPerDayMax; call += 1) {
      const next = memory.earliestContact(dueToday);
      if (next === undefined) break;
      const stats = await dispatchContacts({
        store,
        nowMs: next.dueAtMs,
        adapters: accepting,
        policy,
        secret: previewSecret,
        workerId: 'preview',
        limit: CONTACT_CLAIM_MAX,
      });
      if (stats.claimed === 0) break;
    }
  }
  return memory;
}

/** Per local day and channel what was sent, and per gate rule what was suppressed. */
function summarise(book: Book, days: number, store: MemoryContactStore): StrategyPreview {
  const zoneOf = new Map(book.subjects.map((subject) => [subject.borrowerId, subject.timezone]));
  const perDay = new Map<string, { date: IsoDate; channel: string; sent: number }>();
  const suppressions = new Map<string, number>();
  let sent = 0;
  let suppressed = 0;
  for (const contact of store.allContacts()) {
    if (contact.status === 'sent') {
      sent += 1;
      const date = localDate(zoneOf.get(contact.borrowerId) ?? 'UTC', contact.sentAtMs as number);
      const key = `${date}|${contact.channel}`;
      const row = perDay.get(key) ?? { date, channel: contact.channel, sent: 0 };
      row.sent += 1;
      perDay.set(key, row);
    } else if (contact.status === 'suppressed') {
      suppressed += 1;
      const rule = gateRuleOf(contact.reasons.at(-1) ?? 'unknown');
      suppressions.set(rule, (suppressions.get(rule) ?? 0) + 1);
    }
  }
  return {
    from: book.from,
    days,
    borrowers: book.subjects.length,
    perDay: [...perDay.values()].sort((a, b) =>
      a.date === b.date ? a.channel.localeCompare(b.channel) : a.date < b.date ? -1 : 1,
    ),
    suppressions: [...suppressions].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count),
    totals: { sent, suppressed },
  };
}

/** Previews `strategy` (and, when given, the `baseline` strategy for comparison) on the live book. */
export async function previewStrategy(options: {
  db: Database;
  strategy: Strategy;
  baseline?: Strategy;
  policy: PolicyPack;
  days: number;
  borrowersMax?: number;
  /** The first day previewed; default the day after the latest day closed on a loan of the book. */
  from?: IsoDate;
}): Promise<StrategyPreview & { baseline?: { totals: StrategyPreview['totals'] } }> {
  const days = Math.max(1, Math.min(PREVIEW_DAYS_MAX, options.days));
  const book = await loadBook(options.db, options.borrowersMax ?? 2_000, options.from);
  const preview = summarise(book, days, await run(book, options.strategy, options.policy, days));
  if (!options.baseline) return preview;
  const baseline = summarise(book, days, await run(book, options.baseline, options.policy, days));
  return { ...preview, baseline: { totals: baseline.totals } };
}
