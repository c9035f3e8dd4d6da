// The journal's guarantees: entries balance or are refused, zero postings vanish, the trial balance sums
// by date and nature, a difference of two journals is one balanced set of postings, JSON reads back exactly.
import { describe, expect, it } from 'vitest';
import {
  assertBalanced,
  credit,
  debit,
  deserializeJournalEntry,
  differencePostings,
  makeEntry,
  netByAccount,
  serializeJournalEntry,
  trialBalance,
  type JournalEntry,
} from './index.ts';

const header = { loanId: 'L1', borrowerId: 'B1', currency: 'CNY', kind: 'test' };

function entry(entryId: string, date: string, postings: Parameters<typeof makeEntry>[1]): JournalEntry {
  const made = makeEntry({ ...header, entryId, date }, postings);
  if (made === null) throw new Error('empty entry');
  return made;
}

describe('journal entries', () => {
  it('refuses an entry whose debits and credits differ', () => {
    expect(() =>
      makeEntry({ ...header, entryId: 'x', date: '2026-01-01' }, [debit('cash', 5n), credit('fee_income', 4n)]),
    ).toThrow(/debits 5 but credits 4/);
    expect(() =>
      assertBalanced({
        ...header,
        entryId: 'y',
        date: '2026-01-01',
        postings: [{ account: 'cash', debitMinor: 1n, creditMinor: 1n }, credit('fee_income', 0n)],
      }),
    ).toThrow(/one positive side/);
  });

  it('drops zero postings, merges repeats, and posts nothing when nothing moved', () => {
    const made = entry('e', '2026-01-01', [
      debit('cash', 3n),
      debit('cash', 2n),
      credit('fee_income', 5n),
      credit('interest_income', 0n),
    ]);
    expect(made.postings).toEqual([debit('cash', 5n), credit('fee_income', 5n)]);
    expect(
      makeEntry({ ...header, entryId: 'z', date: '2026-01-01' }, [debit('cash', 0n), credit('fee_income', 0n)]),
    ).toBeNull();
  });
});

describe('trialBalance', () => {
  const journal = [
    entry('open', '2026-01-01', [
      debit('principal_receivable', 1000n),
      credit('cash', 900n),
      credit('fee_income', 100n),
    ]),
    entry('due', '2026-02-01', [debit('interest_receivable', 10n), credit('interest_income', 10n)]),
    entry('pay', '2026-02-02', [
      debit('cash', 60n),
      credit('interest_receivable', 10n),
      credit('principal_receivable', 50n),
    ]),
  ];

  it('sums entries up to the date, with balances in each account’s natural direction', () => {
    const ledger = trialBalance(journal, '2026-02-01');
    expect(ledger.totalDebitMinor).toBe(1010n);
    expect(ledger.totalCreditMinor).toBe(1010n);
    expect(ledger.accounts.cash.balanceMinor).toBe(-900n);
    expect(ledger.accounts.fee_income.balanceMinor).toBe(100n);
    expect(ledger.accounts.interest_receivable.balanceMinor).toBe(10n);
    const later = trialBalance(journal, '2026-12-31');
    expect(later.accounts.principal_receivable.balanceMinor).toBe(950n);
    expect(later.accounts.interest_receivable.balanceMinor).toBe(0n);
  });

  it('refuses to mix currencies unless one is picked', () => {
    const usd = makeEntry({ ...header, currency: 'USD', entryId: 'usd', date: '2026-01-01' }, [
      debit('cash', 1n),
      credit('fee_income', 1n),
    ]);
    expect(() => trialBalance([...journal, usd!], '2026-12-31')).toThrow(/mixes CNY and USD/);
    expect(trialBalance([...journal, usd!], '2026-12-31', { currency: 'USD' }).totalDebitMinor).toBe(1n);
  });

  it('the difference of two journals is balanced and brings one to the other', () => {
    const other = journal.slice(0, 2);
    const postings = differencePostings(netByAccount(journal), netByAccount(other));
    const fix = entry('fix', '2026-03-01', postings);
    expect(fix.postings).toEqual([
      credit('cash', 60n),
      debit('principal_receivable', 50n),
      debit('interest_receivable', 10n),
    ]);
    expect(differencePostings(netByAccount([...journal, fix]), netByAccount(other))).toEqual([]);
  });

  it('reads back from JSON exactly', () => {
    for (const item of journal)
      expect(deserializeJournalEntry(JSON.parse(JSON.stringify(serializeJournalEntry(item))))).toEqual(item);
  });
});
