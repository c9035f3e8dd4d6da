// How the runner maps the servicing core to the store's rows: the loan document stored in `loans.state`
// (the core's serialised state without the loan's contract, plus the last transaction sequence number, so
// the close appends the next transaction without reading the history), the contract stored once beside it
// (terms in loans.terms, rules in servicing_rules by digest), journal entries, transactions and outbox rows.
// Invariants: every id produced here is a pure function of the loan, its transaction seq and the event's
// position, so a page redone after a crash writes exactly the rows it would have written the first time;
// a decoded state is the state that was encoded (the contract is immutable, so rejoining it is exact).
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import type { JournalEntry } from '../ledger/index.ts';
import {
  decodeCompactTerms,
  deserializeCompactLoanState,
  deserializeLoanState,
  deserializeTransaction,
  parseServicingRules,
  serializeCompactLoanState,
  encodeCompactTerms,
  serializeLoanState,
  serializeTransaction,
  servicingRulesToJson,
  type CompactLoanStateJson,
  type LoanEvent,
  type LoanState,
  type LoanStateJson,
  type LoanTransaction,
  type LoanTransactionJson,
  type ServicingRules,
} from '../servicing/index.ts';
import {
  getLoan,
  getServicingRules,
  type LoanContractDocument,
  type LoanRow,
  type LoanTransactionRow,
  type LoanUpdate,
  type NewJournalEntry,
  type NewLoanTransaction,
  type NewOutboxEvent,
  type Queryable,
} from '../store/index.ts';

/**
 * What `loans.state` holds: the compact state (version 2: no ids, currency, rules or terms — they are the
 * row's columns and its contract) and the last transaction seq, e.g.
 * `{"version": 2, "lastSeq": 3, "loan": "2026-02-20|0|active|…", "installments": "1|2026-03-20|39424|5000;…"}`
 * (plus `"frozen": true` while a hardship plan freezes accrual, and `"recovered": "<minor>"` once a
 * charged-off loan has had a recovery; documents without it read as zero recovered).
 * Documents written before migration 0002 (`{"loan": {"version": 1, …the whole state}, "lastSeq": n}`) are
 * converted by it, and still read if one turns up.
 */
export interface LoanDocument extends CompactLoanStateJson {
  /** The seq of the loan's last stored transaction (1 is the opening). */
  lastSeq: number;
}

export function encodeLoanDocument(state: LoanState, lastSeq: number): LoanDocument {
  const { version, loan, installments, frozen, recovered } = serializeCompactLoanState(state);
  const doc: LoanDocument = { version, lastSeq, loan, installments, ...(frozen ? { frozen } : {}) };
  // `recovered` (rare: a charged-off loan that has had a recovery) is added only when present.
  if (recovered !== undefined) doc.recovered = recovered;
  return doc;
}

/**
 * The contract insertLoans stores once per loan: the terms in their compact string form (every version
 * of the loan's row carries them, so they are kept short), and the rules as JSON (kept once per distinct
 * set).
 */
export function loanContractOf(state: LoanState): LoanContractDocument {
  return { terms: encodeCompactTerms(state.terms), rules: servicingRulesToJson(state.rules) };
}

/** The row fields a loan's state is decoded from. */
export type StoredLoan = Pick<LoanRow, 'loanId' | 'borrowerId' | 'currency' | 'state' | 'terms' | 'rulesDigest'>;

/**
 * Parsed servicing rules by digest, for the whole process. A digest names its content, so an entry never
 * goes stale; the bound only caps memory (a book has a handful of rule sets, one per product).
 */
const rulesByDigest = new Map<string, ServicingRules>();
const RULE_SETS_CACHED_MAX = 10_000;

/** Loads into the cache the rules of these loans that it lacks (one query); call before decodeLoanDocument. */
export async function prepareServicingRules(queryable: Queryable, loans: readonly StoredLoan[]): Promise<void> {
  const missing = new Set<string>();
  for (const loan of loans) {
    if (loan.rulesDigest !== null && !rulesByDigest.has(loan.rulesDigest)) missing.add(loan.rulesDigest);
  }
  if (missing.size === 0) return;
  const found = await getServicingRules(queryable, [...missing]);
  if (rulesByDigest.size + found.size > RULE_SETS_CACHED_MAX) rulesByDigest.clear();
  for (const [digest, json] of found) {
    rulesByDigest.set(digest, parseServicingRules(json, { field: `servicing_rules[${digest}]`, stored: true }));
  }
}

/** A stored loan's state and last transaction seq; its rules must have been prepared. */
export function decodeLoanDocument(loan: StoredLoan): { state: LoanState; lastSeq: number } {
  const doc = loan.state as { version?: unknown; loan?: unknown; lastSeq?: unknown } | null;
  invariant(
    doc !== null && typeof doc === 'object' && typeof doc.lastSeq === 'number' && doc.loan !== undefined,
    `loan ${loan.loanId}: a loan document has the loan state and its last transaction seq`,
  );
  const lastSeq = doc.lastSeq;
  if (doc.version === undefined && (doc.loan as { version?: unknown } | null)?.version === 1) {
    return { state: deserializeLoanState(doc.loan as LoanStateJson), lastSeq };
  }
  invariant(loan.terms !== null && loan.rulesDigest !== null, `loan ${loan.loanId} has its contract stored`);
  const rules = rulesByDigest.get(loan.rulesDigest);
  invariant(rules !== undefined, `rules ${loan.rulesDigest} of loan ${loan.loanId} were prepared`);
  const state = deserializeCompactLoanState(doc as unknown as CompactLoanStateJson, {
    loanId: loan.loanId,
    borrowerId: loan.borrowerId,
    currency: loan.currency,
    rules,
    terms: decodeCompactTerms(loan.terms),
  });
  return { state, lastSeq };
}

/** One loan's row and decoded state (for commands and tests); undefined when there is no such loan. */
export async function readLoanState(
  queryable: Queryable,
  loanId: string,
  options: { forUpdate?: boolean } = {},
): Promise<{ row: LoanRow; state: LoanState; lastSeq: number } | undefined> {
  const row = await getLoan(queryable, loanId, options);
  if (!row) return undefined;
  await prepareServicingRules(queryable, [row]);
  return { row, ...decodeLoanDocument(row) };
}

/** The store row update that saves `state` over `row` (version-checked against what was read). */
export function loanUpdateOf(row: Pick<LoanRow, 'version'>, state: LoanState, lastSeq: number): LoanUpdate {
  return {
    borrowerId: state.borrowerId,
    loanId: state.loanId,
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
 * The outbox kind of the row that carries one loan step's events (a day's close, a payment): one row per
 * step rather than one per event, which halves the close's outbox writes. Its payload is
 * `{ seq, events: [{ type, date, …fields }] }` (amounts as decimal strings of minor units; the row has the
 * loan and borrower); `loanEventsOf` gives the events one by one, each with its own id.
 */
export const LOAN_EVENTS_KIND = 'loan_events';

/** One event of a `loan_events` row, as a consumer handles it. */
export interface LoanOutboxEvent {
  /** `<loanId>:<event date>:<seq>:<n>:<type>`: unique per borrower, the same on a rerun — a channel's dedup key. */
  eventId: string;
  /** The event's type (`due_soon`, `due`, `became_delinquent`, …). */
  kind: string;
  /** The event as JSON: `loanId`, `borrowerId`, `date`, `type` and the type's fields. */
  payload: Record<string, unknown>;
}

/**
 * The outbox row of one step's events, or undefined when it had none: id `<loanId>:<businessDate>:<seq>`
 * (the step's transaction seq, so unique per loan and the same on a rerun of the step).
 */
export function outboxRow(
  events: readonly LoanEvent[],
  step: { borrowerId: string; loanId: string; seq: number; businessDate: IsoDate },
): NewOutboxEvent | undefined {
  if (events.length === 0) return undefined;
  const { borrowerId, loanId, seq, businessDate } = step;
  const bodies = events.map((event) => {
    invariant(event.loanId === loanId && event.borrowerId === borrowerId, `an event of ${loanId} is about it`);
    const body: Record<string, unknown> = {};
    for (const key of Object.keys(event)) {
      if (key !== 'loanId' && key !== 'borrowerId') body[key] = jsonSafe(event[key as keyof LoanEvent]);
    }
    return body;
  });
  return {
    borrowerId,
    eventId: `${loanId}:${businessDate}:${seq}`,
    kind: LOAN_EVENTS_KIND,
    loanId,
    businessDate,
    payload: { seq, events: bodies },
  };
}

/** The events a claimed `loan_events` outbox row carries, each with its own id, in the order they happened. */
export function loanEventsOf(row: {
  borrowerId: string;
  loanId: string | null;
  kind: string;
  payload: unknown;
}): LoanOutboxEvent[] {
  const { loanId, borrowerId } = row;
  invariant(row.kind === LOAN_EVENTS_KIND && loanId !== null, `a ${LOAN_EVENTS_KIND} row names its loan`);
  const payload = row.payload as { seq?: unknown; events?: unknown } | null;
  invariant(
    typeof payload?.seq === 'number' && Array.isArray(payload.events),
    `a ${LOAN_EVENTS_KIND} row has its step's seq and a list of events`,
  );
  const { seq } = payload;
  return (payload.events as Record<string, unknown>[]).map((event, index) => ({
    eventId: `${loanId}:${String(event.date)}:${seq}:${index}:${String(event.type)}`,
    kind: String(event.type),
    payload: { loanId, borrowerId, ...event },
  }));
}

/** bigint → decimal string, recursively, so a value can travel as JSON. */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(jsonSafe);
  const result: Record<string, unknown> = {};
  for (const key of Object.keys(value)) result[key] = jsonSafe((value as Record<string, unknown>)[key]);
  return result;
}
