// The daily close over a seeded book of 200 loans and 40 days with payments, on whichever database
// openTestDatabase picks: idempotent dates, untouched quiet loans, a balanced journal, stored states equal
// to the replay of stored transactions, and the same book whatever the number of workers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { historyOf, postPayment, readLoanState, runDailyClose } from './index.ts';
import { replay, serializeLoanState } from '../servicing/index.ts';
import {
  countDueLoans,
  getEodRun,
  getLoan,
  listLoanTransactions,
  openTestDatabase,
  trialBalance,
  type TestDatabase,
} from '../store/index.ts';
import { bookHash, FIRST_DAY, paymentsOn, runDays, seedBook } from './testing.ts';

const LOANS = 200;
const DAYS = 40;
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

describe('daily close over a seeded book', () => {
  let one: TestDatabase;
  let requests: Awaited<ReturnType<typeof seedBook>>;
  let oneWorkerHash = '';
  const quietChecks: string[] = [];
  const rerunChecks: string[] = [];
  let posted = 0;

  beforeAll(async () => {
    one = await openTestDatabase();
    requests = await seedBook(one.db, LOANS);
    const run = await runDays(one.db, requests, {
      days: DAYS,
      pageSize: 37,
      afterDay: async (date, dayIndex) => {
        if (dayIndex % 13 === 3) {
          // Running the date again changes nothing, and a date left due is closed up.
          const before = await bookHash(one.db);
          const again = await runDailyClose({ db: one.db, businessDate: date });
          expect(again.alreadyCompleted).toBe(true);
          expect(await bookHash(one.db)).toBe(before);
          rerunChecks.push(date);
        }
        if (dayIndex % 10 === 5) {
          // A loan whose next event is after tomorrow is not touched by tomorrow's close.
          const tomorrow = addDays(date, 1);
          const quiet = await findQuietLoan(tomorrow);
          if (quiet) {
            const before = await getLoan(one.db, quiet);
            await runDailyClose({ db: one.db, businessDate: tomorrow });
            const after = await getLoan(one.db, quiet);
            expect(after?.version).toBe(before?.version);
            expect(after?.updatedAt).toBe(before?.updatedAt);
            quietChecks.push(quiet);
          }
        }
      },
    });
    posted = run.posted;
    oneWorkerHash = await bookHash(one.db);
  }, 60_000);

  afterAll(async () => {
    await one?.dispose();
  });

  async function findQuietLoan(date: string): Promise<string | undefined> {
    for (const request of requests) {
      const row = await getLoan(one.db, request.loanId);
      if (row?.nextEventDate && row.nextEventDate > addDays(date, 1) && row.closedThrough! < date) return row.loanId;
    }
    return undefined;
  }

  it('closes every due loan of every date and completes its run', async () => {
    const lastDay = addDays(FIRST_DAY, DAYS - 1);
    expect(await countDueLoans(one.db, { businessDate: lastDay })).toBe(0);
    expect((await getEodRun(one.db, lastDay))?.status).toBe('completed');
    expect(posted).toBeGreaterThan(10);
    expect(rerunChecks.length).toBeGreaterThanOrEqual(3);
    expect(quietChecks.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps the journal balanced', async () => {
    const lines = await trialBalance(one.db, { asOf: addDays(FIRST_DAY, DAYS) });
    expect(lines.length).toBeGreaterThan(2);
    const debit = lines.reduce((sum, line) => sum + line.debitMinor, 0n);
    const credit = lines.reduce((sum, line) => sum + line.creditMinor, 0n);
    expect(debit).toBe(credit);
    expect(debit).toBeGreaterThan(0n);
  });

  it('stores for each loan the state its stored transactions replay to', async () => {
    for (const request of requests.filter((_, index) => index % 20 === 0)) {
      const rows = await listLoanTransactions(one.db, { borrowerId: request.borrowerId, loanId: request.loanId });
      const { opening, transactions } = historyOf(rows);
      const replayed = replay(opening, transactions);
      expect(replayed.rejected).toEqual([]);
      const stored = (await readLoanState(one.db, request.loanId))!;
      expect(stored.lastSeq).toBe(rows.length);
      expect(serializeLoanState(replayed.state)).toEqual(serializeLoanState(stored.state));
    }
  });

  it('answers a repeated payment from its first result and writes nothing', async () => {
    const date = addDays(FIRST_DAY, DAYS);
    const payment = {
      loanId: requests[1]!.loanId,
      amountMinor: 10_000n,
      on: date,
      source: 'manual' as const,
      idempotencyKey: 'repeat',
    };
    const first = await postPayment(one.db, payment);
    expect(first.outcome).toBe('posted');
    const hash = await bookHash(one.db);
    const second = await postPayment(one.db, payment);
    expect(second).toMatchObject({ outcome: 'replayed', paymentId: first.outcome === 'posted' ? first.paymentId : '' });
    expect(await bookHash(one.db)).toBe(hash);
    const reused = await postPayment(one.db, { ...payment, amountMinor: 20_000n });
    expect(reused).toMatchObject({ outcome: 'rejected', code: 'idempotency_key_reused' });
    expect(await bookHash(one.db)).toBe(hash);
  });

  it('ends in the same book with two workers run one after the other', async () => {
    const two = await openTestDatabase();
    try {
      const seeded = await seedBook(two.db, LOANS);
      await runDays(two.db, seeded, {
        days: DAYS,
        partitions: [
          [1, 2],
          [0, 2],
        ],
      });
      expect(await bookHash(two.db)).toBe(oneWorkerHash);
    } finally {
      await two.dispose();
    }
  }, 60_000);

  it.runIf(onPostgres)(
    'ends in the same book with two workers at once (PostgreSQL)',
    async () => {
      const two = await openTestDatabase({ poolSize: 4 });
      try {
        const seeded = await seedBook(two.db, LOANS);
        for (let dayIndex = 0; dayIndex < DAYS; dayIndex++) {
          const date = addDays(FIRST_DAY, dayIndex);
          for (const payment of paymentsOn(seeded, dayIndex, date)) await postPayment(two.db, payment);
          const stats = await Promise.all(
            [0, 1].map((worker) => runDailyClose({ db: two.db, businessDate: date, worker, workers: 2, pageSize: 17 })),
          );
          expect(stats.some((s) => s.completed)).toBe(true);
        }
        expect(await bookHash(two.db)).toBe(oneWorkerHash);
      } finally {
        await two.dispose();
      }
    },
    60_000,
  );
});
