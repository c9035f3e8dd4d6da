// Journal entries and postings, pure. Every entry balances (the debits equal the credits, every posting
// has exactly one positive side), entries are never edited — a correction is a new entry — and entry ids
// are derived from the loan and the transaction that produced them, so re-running a step yields the same
// ids and a store can refuse a duplicate. `trialBalance` sums entries up to a date; `netByAccount` gives
// the difference between two journals as one balanced set of postings (used to post a reversal).
import type { IsoDate } from '../calendar/index.ts';
import { InputError, invariant, quote } from '../errors/index.ts';
import { accountNature, accounts, isAccount, type Account } from './accounts.ts';

export interface Posting {
  readonly account: Account;
  /** Exactly one of debitMinor and creditMinor is positive; the other is zero. */
  readonly debitMinor: bigint;
  readonly creditMinor: bigint;
}

export interface JournalEntry {
  /** Deterministic: loan id + transaction + kind, so a replayed step produces the same id. */
  readonly entryId: string;
  readonly loanId: string;
  readonly borrowerId: string;
  readonly currency: string;
  readonly date: IsoDate;
  readonly kind: string;
  readonly postings: readonly Posting[];
}

export function debit(account: Account, amountMinor: bigint): Posting {
  return { account, debitMinor: amountMinor, creditMinor: 0n };
}

export function credit(account: Account, amountMinor: bigint): Posting {
  return { account, debitMinor: 0n, creditMinor: amountMinor };
}

/** Throws (a broken invariant) unless the entry has postings, each one-sided and positive, that balance. */
export function assertBalanced(entry: JournalEntry): void {
  invariant(entry.postings.length >= 2, `journal entry ${entry.entryId} needs at least two postings`);
  let debits = 0n;
  let credits = 0n;
  for (const posting of entry.postings) {
    const oneSided =
      (posting.debitMinor > 0n && posting.creditMinor === 0n) ||
      (posting.creditMinor > 0n && posting.debitMinor === 0n);
    invariant(oneSided, `journal entry ${entry.entryId}: a posting to ${posting.account} must be one positive side`);
    invariant(isAccount(posting.account), `journal entry ${entry.entryId}: unknown account ${posting.account}`);
    debits += posting.debitMinor;
    credits += posting.creditMinor;
  }
  invariant(debits === credits, `journal entry ${entry.entryId} debits ${debits} but credits ${credits}`);
}

export interface EntryHeader {
  entryId: string;
  loanId: string;
  borrowerId: string;
  currency: string;
  date: IsoDate;
  kind: string;
}

/**
 * Builds an entry from postings, dropping zero amounts and merging postings to the same account and side.
 * Returns null when nothing is left (a step that moved no money posts nothing). Asserts the balance.
 */
export function makeEntry(header: EntryHeader, postings: readonly Posting[]): JournalEntry | null {
  const merged: Posting[] = [];
  for (const posting of postings) {
    if (posting.debitMinor === 0n && posting.creditMinor === 0n) continue;
    invariant(posting.debitMinor >= 0n && posting.creditMinor >= 0n, `negative posting to ${posting.account}`);
    const side = posting.debitMinor > 0n ? 'debit' : 'credit';
    const index = merged.findIndex(
      (p) => p.account === posting.account && (side === 'debit' ? p.debitMinor > 0n : p.creditMinor > 0n),
    );
    const existing = index >= 0 ? merged[index] : undefined;
    if (existing === undefined) merged.push(posting);
    else {
      merged[index] = {
        account: posting.account,
        debitMinor: existing.debitMinor + posting.debitMinor,
        creditMinor: existing.creditMinor + posting.creditMinor,
      };
    }
  }
  if (merged.length === 0) return null;
  const entry: JournalEntry = { ...header, postings: merged };
  assertBalanced(entry);
  return entry;
}

/** Net debit minus credit per account over the entries (accounts with no movement are left out). */
export function netByAccount(entries: Iterable<JournalEntry>): Map<Account, bigint> {
  const net = new Map<Account, bigint>();
  for (const entry of entries) {
    for (const posting of entry.postings) {
      net.set(posting.account, (net.get(posting.account) ?? 0n) + posting.debitMinor - posting.creditMinor);
    }
  }
  return net;
}

/**
 * The postings that turn a journal whose net is `from` into one whose net is `to`: one balanced set,
 * because both sides balance. Empty when the two agree on every account.
 */
export function differencePostings(from: ReadonlyMap<Account, bigint>, to: ReadonlyMap<Account, bigint>): Posting[] {
  const postings: Posting[] = [];
  for (const account of accounts) {
    const delta = (to.get(account) ?? 0n) - (from.get(account) ?? 0n);
    if (delta > 0n) postings.push(debit(account, delta));
    else if (delta < 0n) postings.push(credit(account, -delta));
  }
  return postings;
}

export interface TrialBalanceRow {
  debitMinor: bigint;
  creditMinor: bigint;
  /** In the account's natural direction: debit − credit for assets and expenses, credit − debit otherwise. */
  balanceMinor: bigint;
}

export interface TrialBalance {
  asOf: IsoDate;
  currency: string | null;
  accounts: Record<Account, TrialBalanceRow>;
  totalDebitMinor: bigint;
  totalCreditMinor: bigint;
}

/**
 * Sums every entry dated on or before `asOf`. All entries must share one currency (pass `currency` to
 * pick one out of a mixed journal). Asserts that every entry and the total balance.
 */
export function trialBalance(
  entries: Iterable<JournalEntry>,
  asOf: IsoDate,
  options: { currency?: string } = {},
): TrialBalance {
  const rows = Object.fromEntries(
    accounts.map((account) => [account, { debitMinor: 0n, creditMinor: 0n, balanceMinor: 0n }]),
  ) as Record<Account, TrialBalanceRow>;
  let currency: string | null = options.currency ?? null;
  let totalDebitMinor = 0n;
  let totalCreditMinor = 0n;
  for (const entry of entries) {
    if (entry.date > asOf) continue;
    if (options.currency !== undefined && entry.currency !== options.currency) continue;
    if (currency === null) currency = entry.currency;
    invariant(entry.currency === currency, `trial balance mixes ${currency} and ${entry.currency}`);
    assertBalanced(entry);
    for (const posting of entry.postings) {
      const row = rows[posting.account];
      row.debitMinor += posting.debitMinor;
      row.creditMinor += posting.creditMinor;
      totalDebitMinor += posting.debitMinor;
      totalCreditMinor += posting.creditMinor;
    }
  }
  for (const account of accounts) {
    const row = rows[account];
    const nature = accountNature[account];
    row.balanceMinor =
      nature === 'asset' || nature === 'expense' ? row.debitMinor - row.creditMinor : row.creditMinor - row.debitMinor;
  }
  invariant(
    totalDebitMinor === totalCreditMinor,
    `trial balance debits ${totalDebitMinor} credits ${totalCreditMinor}`,
  );
  return { asOf, currency, accounts: rows, totalDebitMinor, totalCreditMinor };
}

/** JSON-safe form: amounts as decimal strings of minor units ("12345"), exact on the way back. */
export interface JournalEntryJson {
  entryId: string;
  loanId: string;
  borrowerId: string;
  currency: string;
  date: string;
  kind: string;
  postings: { account: string; debitMinor: string; creditMinor: string }[];
}

export function serializeJournalEntry(entry: JournalEntry): JournalEntryJson {
  return {
    entryId: entry.entryId,
    loanId: entry.loanId,
    borrowerId: entry.borrowerId,
    currency: entry.currency,
    date: entry.date,
    kind: entry.kind,
    postings: entry.postings.map((p) => ({
      account: p.account,
      debitMinor: p.debitMinor.toString(),
      creditMinor: p.creditMinor.toString(),
    })),
  };
}

function minorFromJson(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !/^\d+$/.test(value)) {
    throw new InputError(field, `must be a whole number of minor units as a string, got ${quote(value)}`);
  }
  return BigInt(value);
}

export function deserializeJournalEntry(json: JournalEntryJson): JournalEntry {
  const entry: JournalEntry = {
    entryId: json.entryId,
    loanId: json.loanId,
    borrowerId: json.borrowerId,
    currency: json.currency,
    date: json.date,
    kind: json.kind,
    postings: json.postings.map((p, index) => {
      if (!isAccount(p.account))
        throw new InputError(`postings[${index}].account`, `unknown account ${quote(p.account)}`);
      return {
        account: p.account,
        debitMinor: minorFromJson(p.debitMinor, `postings[${index}].debitMinor`),
        creditMinor: minorFromJson(p.creditMinor, `postings[${index}].creditMinor`),
      };
    }),
  };
  assertBalanced(entry);
  return entry;
}
