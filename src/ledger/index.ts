// Ledger: the chart of accounts and double-entry journal entries, pure. The module's front door.
export { accounts, accountNature, isAccount, type Account, type AccountNature } from './accounts.ts';
export {
  assertBalanced,
  credit,
  debit,
  deserializeJournalEntry,
  differencePostings,
  makeEntry,
  netByAccount,
  serializeJournalEntry,
  trialBalance,
  type EntryHeader,
  type JournalEntry,
  type JournalEntryJson,
  type Posting,
  type TrialBalance,
  type TrialBalanceRow,
} from './journal.ts';
