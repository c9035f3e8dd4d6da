// A strategy preview on the live book: the contact core's in-memory desk (the planner, the gate and the
// dispatch decisions production's dispatcher uses) run over the stored loans and contact states for the next N days, with no
// payments — what the strategy would send if nobody paid, per day and channel, and what the gate would
// hold back, by rule. Nothing is written. The supervisor's "preview before activation" in the console.
import { addDays, localDate, type IsoDate } from '../calendar/index.ts';
import {
  ContactDesk,
  gateRuleOf,
  type BorrowerContactState,
  type DeskBorrower,
  type DeskContact,
  type PolicyPack,
  type Strategy,
} from '../contact/index.ts';
import { closeDay, type LoanState } from '../servicing/index.ts';
import { listServicedBorrowerIds, loadContactSubjects, type Database } from '../store/index.ts';
import { borrowerLoans, currentState } from './contacts.ts';

/** Bounds: a preview answers a person waiting at a screen. */
export const PREVIEW_DAYS_MAX = 60;
export const PREVIEW_BORROWERS_MAX = 5_000;
const previewSecret = 'kuan-strategy-preview-secret';

export interface StrategyPreview {
  from: IsoDate;
  days: number;
  borrowers: number;
  perDay: { date: IsoDate; channel: string; sent: number }[];
  suppressions: { reason: string; count: number }[];
  totals: { sent: number; suppressed: number };
}

interface Book {
  borrowers: DeskBorrower[];
  states: Map<string, BorrowerContactState>;
  loans: Map<string, LoanState[]>;
  from: IsoDate;
}

async function loadBook(db: Database, borrowersMax: number, from: IsoDate | undefined): Promise<Book> {
  const ids = await listServicedBorrowerIds(db, { limit: Math.min(borrowersMax, PREVIEW_BORROWERS_MAX) });
  const subjects = await loadContactSubjects(db, ids);
  const book: Book = { borrowers: [], states: new Map(), loans: new Map(), from: '0000-01-01' };
  for (const subject of subjects) {
    const state = currentState(subject);
    book.states.set(subject.borrowerId, state);
    book.borrowers.push({
      id: subject.borrowerId,
      timezone: state.timezone,
      locale: state.locale,
      name: subject.name,
      contacts: state.addresses,
    });
    const loans = await borrowerLoans(db, subject.borrowerId);
    book.loans.set(subject.borrowerId, loans);
    for (const loan of loans) if (loan.closedThrough > book.from) book.from = loan.closedThrough;
  }
  book.from = from ?? (book.from === '0000-01-01' ? '1970-01-01' : addDays(book.from, 1));
  return book;
}

/** Runs the desk over the book for `days` days from `book.from`; the book's loans are not changed. */
function run(book: Book, strategy: Strategy, policy: PolicyPack, days: number): DeskContact[] {
  const desk = new ContactDesk(book.borrowers, { policy, strategy, secret: previewSecret }, book.states);
  const loans = new Map([...book.loans].map(([id, list]) => [id, [...list]]));
  const loansOf = (borrowerId: string): LoanState[] => loans.get(borrowerId) ?? [];
  const lines: DeskContact[] = [];
  for (let offset = 0; offset < days; offset += 1) {
    const date = addDays(book.from, offset);
    for (const [id, list] of loans)
      loans.set(
        id,
        list.map((state) => closeDay(state, date).state),
      );
    desk.startDay(date, loans);
    // Nothing is handed to a channel: every send the desk decides is taken as accepted.
    for (let step = desk.next(date, loansOf); step !== null; step = desk.next(date, loansOf)) {
      const line =
        step.kind === 'decided'
          ? step.contact
          : desk.settle(step.send, { outcome: 'accepted' }, { backoffMs: () => 0 });
      if (line) lines.push(line);
    }
  }
  return lines;
}

function summarise(book: Book, days: number, lines: readonly DeskContact[]): StrategyPreview {
  const perDay = new Map<string, { date: IsoDate; channel: string; sent: number }>();
  const suppressions = new Map<string, number>();
  let sent = 0;
  let suppressed = 0;
  for (const line of lines) {
    if (line.status === 'sent') {
      sent += 1;
      const date = localDate(line.timezone, line.atMs);
      const key = `${date}|${line.channel}`;
      const row = perDay.get(key) ?? { date, channel: line.channel, sent: 0 };
      row.sent += 1;
      perDay.set(key, row);
    } else {
      suppressed += 1;
      const rule = gateRuleOf(line.reasons.at(-1) ?? 'unknown');
      suppressions.set(rule, (suppressions.get(rule) ?? 0) + 1);
    }
  }
  return {
    from: book.from,
    days,
    borrowers: book.borrowers.length,
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
  const preview = summarise(book, days, run(book, options.strategy, options.policy, days));
  if (!options.baseline) return preview;
  const baseline = summarise(book, days, run(book, options.baseline, options.policy, days));
  return { ...preview, baseline: { totals: baseline.totals } };
}
