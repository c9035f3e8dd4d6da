// How the runner maps the servicing core to the store's rows: the loan document stored in `loans.state`
// (the core's serialised state plus the last transaction sequence number, so the close appends the next
// transaction without reading the history), journal entries, transactions and outbox events.
// Invariants: every id produced here is a pure function of the loan, its transaction seq and the event's
// position, so a page redone after a crash writes exactly the rows it would have written the first time.
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import type { JournalEntry } from '../ledger/index.ts';
import {
  deserializeLoanState,
  deserializeTransaction,
  serializeLoanState,
  serializeTransaction,
  type LoanEvent,
  type LoanState,
  type LoanStateJson,
  type LoanTransaction,
  type LoanTransactionJson,
} from '../servicing/index.ts';
import type {
  LoanRow,
  LoanTransactionRow,
  LoanUpdate,
  NewJournalEntry,
  NewLoanTransaction,
  NewOutboxEvent,
} from '../store/index.ts';

/** What `loans.state` holds. */
export interface LoanDocument {
  loan: LoanStateJson;
  /** The seq of the loan's last stored transaction (1 is the opening). */
  lastSeq: number;
}

export function encodeLoanDocument(state: LoanState, lastSeq: number): LoanDocument {
  return { loan: serializeLoanState(state), lastSeq };
}

export function decodeLoanDocument(document: unknown): { state: LoanState; lastSeq: number } {
  const doc = document as Partial<LoanDocument> | null;
  invariant(
    doc !== null && typeof doc === 'object' && typeof doc.lastSeq === 'number' && doc.loan !== undefined,
    'a loan document has the loan state and its last transaction seq',
  );
  return { state: deserializeLoanState(doc.loan), lastSeq: doc.lastSeq };
}

/** The store row update that saves `state` over `row` (version-checked against what was read). */
export function loanUpdateOf(row: LoanRow, state: LoanState, lastSeq: number): LoanUpdate {
  return {
    borrowerId: row.borrowerId,
    loanId: row.loanId,
    expectedVersion: row.version,
    state: encodeLoanDocument(state, lastSeq),
    ...indexedColumns(state),
  };
}

export function indexedColumns(state: LoanState) {
  return {
    status: state.status,
    dpd: state.dpd,
    bucket: state.bucket,
    nextEventDate: state.nextEventDate,
    closedThrough: state.closedThrough,
  };
}

export function journalRows(entries: readonly JournalEntry[]): NewJournalEntry[] {
  return entries.map((entry) => ({
    borrowerId: entry.borrowerId,
    entryId: entry.entryId,
    loanId: entry.loanId,
    businessDate: entry.date,
    kind: entry.kind,
    currency: entry.currency,
    postings: entry.postings.map((p) => {
      invariant(p.debitMinor === 0n || p.creditMinor === 0n, `a posting of ${entry.entryId} is one-sided`);
      return p.debitMinor !== 0n
        ? { account: p.account, side: 'debit' as const, amountMinor: p.debitMinor }
        : { account: p.account, side: 'credit' as const, amountMinor: p.creditMinor };
    }),
  }));
}

/** The opening transaction: the state replay starts from. */
export const OPEN_KIND = 'open';

export function openingTransaction(state: LoanState): NewLoanTransaction {
  return {
    borrowerId: state.borrowerId,
    loanId: state.loanId,
    seq: 1,
    kind: OPEN_KIND,
    businessDate: state.disbursedOn,
    body: { opening: serializeLoanState(state) },
  };
}

export function transactionRow(state: LoanState, seq: number, tx: LoanTransaction, date: IsoDate): NewLoanTransaction {
  return {
    borrowerId: state.borrowerId,
    loanId: state.loanId,
    seq,
    kind: tx.kind,
    businessDate: date,
    body: serializeTransaction(tx),
  };
}

/** Splits stored transactions into the opening state and the core's transactions, for `replay`. */
export function historyOf(rows: readonly LoanTransactionRow[]): {
  opening: LoanState;
  transactions: LoanTransaction[];
} {
  const [first, ...rest] = rows;
  invariant(
    first !== undefined && first.seq === 1 && first.kind === OPEN_KIND,
    'a loan history starts with its opening',
  );
  const opening = deserializeLoanState((first.body as { opening: LoanStateJson }).opening);
  return { opening, transactions: rest.map((row) => deserializeTransaction(row.body as LoanTransactionJson)) };
}

/**
 * Outbox events of one step: id `<loanId>:<date>:<seq>:<n>:<type>` — loan, business date, the step's
 * transaction seq, the event's position in the step and its kind — unique per borrower and the same on
 * a rerun of the step.
 */
export function outboxRows(events: readonly LoanEvent[], seq: number, businessDate: IsoDate): NewOutboxEvent[] {
  return events.map((event, index) => ({
    borrowerId: event.borrowerId,
    eventId: `${event.loanId}:${event.date}:${seq}:${index}:${event.type}`,
    kind: event.type,
    loanId: event.loanId,
    businessDate,
    payload: jsonSafe(event),
  }));
}

/** bigint → decimal string, recursively, so a value can travel as JSON. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonSafe(inner)]));
  }
  return value;
}
