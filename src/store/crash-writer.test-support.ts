// Test support for db.test.ts (not a test itself): writes to a PGlite data folder until it is killed.
// Each transaction appends one loan transaction and its journal entry; after each commit it prints the
// sequence number, so the test knows what must have survived a kill -9.
import { appendLoanTransactions, insertJournalEntries, migrate, openDatabase } from './index.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-writer.test-support.ts DATA_DIR');
const db = await openDatabase({ dataDir });
await migrate(db);
for (let seq = 1; ; seq += 1) {
  await db.transaction(async (tx) => {
    await appendLoanTransactions(tx, [
      {
        borrowerId: 'B1',
        loanId: 'L1',
        seq,
        kind: 'penalty',
        businessDate: '2026-03-10',
        body: { padding: 'x'.repeat(4000) },
      },
    ]);
    await insertJournalEntries(tx, [
      {
        borrowerId: 'B1',
        entryId: `L1:${seq}`,
        loanId: 'L1',
        businessDate: '2026-03-10',
        kind: 'penalty',
        currency: 'CNY',
        postings: [
          { account: 'loan.penalty_receivable', side: 'debit', amountMinor: 150n },
          { account: 'income.penalty', side: 'credit', amountMinor: 150n },
        ],
      },
    ]);
  });
  process.stdout.write(`${seq}\n`);
}
