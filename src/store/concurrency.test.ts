import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  claimDueLoans,
  claimOutbox,
  enqueueOutbox,
  getLoan,
  insertLoans,
  migrate,
  openDatabase,
  queryRows,
  insertPayments,
  isUniqueViolation,
  requestHash,
  upsertBorrowers,
  type Database,
  type DueLoanRow,
  type NewPayment,
} from './index.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const businessDate = '2026-03-10';
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

let test: TestDatabase;
let db: Database;

beforeAll(async () => {
  test = await openTestDatabase({ poolSize: 6 });
  db = test.db;
});
afterAll(async () => test.dispose());
beforeEach(async () => {
  await db.query(sql`TRUNCATE borrowers, loan_directory, loans, payments, outbox CASCADE`);
});

/** A promise and the function that resolves it: to hold a transaction open at a chosen point. */
function gate<T = void>(): { promise: Promise<T>; open: (value: T) => void } {
  let open!: (value: T) => void;
  const promise = new Promise<T>((resolve) => (open = resolve));
  return { promise, open };
}

async function seedDueLoans(count: number): Promise<void> {
  const ids = Array.from({ length: count }, (_, index) => `B${index}`);
  await upsertBorrowers(
    db,
    ids.map((borrowerId) => ({ borrowerId, name: borrowerId, timezone: 'UTC', locale: 'en', contacts: {} })),
  );
  await insertLoans(
    db,
    ids.map((borrowerId, index) => ({
      borrowerId,
      loanId: `L${index}`,
      currency: 'CNY',
      status: 'active',
      bucket: 'M0',
      nextEventDate: businessDate,
      state: {},
    })),
  );
}

describe('transactions on either database', () => {
  it('never lets a statement from outside run inside another caller’s open transaction', async () => {
    await upsertBorrowers(db, [{ borrowerId: 'B0', name: 'B0', timezone: 'UTC', locale: 'en', contacts: {} }]);
    const inserted = gate();
    const rollBack = gate();
    const transaction = db
      .transaction(async (tx) => {
        await tx.execute(
          sql`INSERT INTO borrowers (borrower_id, name, timezone, locale) VALUES ('B1', 'B1', 'UTC', 'en')`,
        );
        inserted.open();
        await rollBack.promise;
        throw new Error('roll back');
      })
      .catch((error: Error) => error.message);
    await inserted.promise;
    // On PGlite this waits for the transaction to end; on PostgreSQL it runs on another connection.
    const outside = queryRows<{ count: number }>(db, sql`SELECT count(*)::int AS count FROM borrowers`);
    rollBack.open();
    expect(await transaction).toBe('roll back');
    expect((await outside)[0]!.count).toBe(1);
    expect((await queryRows<{ count: number }>(db, sql`SELECT count(*)::int AS count FROM borrowers`))[0]!.count).toBe(
      1,
    );
  });
});

describe.runIf(onPostgres)('concurrent workers on PostgreSQL', () => {
  it('two transactions claiming due loans at the same time get disjoint pages (SKIP LOCKED)', async () => {
    await seedDueLoans(30);
    const claimed = gate<DueLoanRow[]>();
    const finish = gate();
    const first = db.transaction(async (tx) => {
      const page = await claimDueLoans(tx, { businessDate, worker: 0, workers: 1, limit: 10 });
      claimed.open(page);
      await finish.promise;
      return page;
    });
    const firstPage = await claimed.promise;
    const secondPage = await db.transaction((tx) =>
      claimDueLoans(tx, { businessDate, worker: 0, workers: 1, limit: 100 }),
    );
    finish.open();
    await first;
    expect(firstPage).toHaveLength(10);
    expect(secondPage).toHaveLength(20);
    const ids = [...firstPage, ...secondPage].map((loan) => loan.loanId);
    expect(new Set(ids).size).toBe(30);
  });

  it('dispatchers claiming the outbox at the same time never get the same event', async () => {
    await enqueueOutbox(
      db,
      Array.from({ length: 40 }, (_, index) => ({
        borrowerId: `B${index}`,
        eventId: `E${index}`,
        kind: 'contact.due_soon',
        loanId: null,
        businessDate,
        payload: {},
      })),
    );
    const claims = await Promise.all(
      Array.from({ length: 5 }, (_, worker) => claimOutbox(db, { limit: 10, workerId: `w${worker}` })),
    );
    const ids = claims.flat().map((event) => event.eventId);
    expect(ids).toHaveLength(40);
    expect(new Set(ids).size).toBe(40);
  });

  it('two requests with one idempotency key at the same time: the second waits, then fails on the key', async () => {
    const payment: NewPayment = {
      borrowerId: 'B1',
      paymentId: 'P1',
      loanId: 'L1',
      idempotencyKey: 'same-key',
      requestHash: requestHash({ amount: '305.00' }),
      amountMinor: 30500n,
      currency: 'CNY',
      source: 'manual',
      status: 'posted',
      result: { applied: '305.00' },
      receivedAt: '2026-03-16T02:00:00Z',
    };
    const recorded = gate();
    const commit = gate();
    const first = db.transaction(async (tx) => {
      const inserted = await insertPayments(tx, [payment]);
      recorded.open();
      await commit.promise;
      return inserted;
    });
    await recorded.promise;
    // Waits on the unique index until the first transaction commits, then is refused: the caller
    // (postPayments) runs again and answers from the stored payment.
    const second = db.transaction((tx) => insertPayments(tx, [{ ...payment, paymentId: 'P2' }]));
    commit.open();
    expect(await first).toBe(1);
    await expect(second).rejects.toSatisfy(isUniqueViolation);
  });

  it('processes migrating one new schema at the same time apply each migration once', async () => {
    const fresh = await openTestDatabase({ migrate: false });
    const handles = [fresh.db];
    try {
      for (let index = 0; index < 2; index += 1) {
        handles.push(
          await openDatabase({ databaseUrl: process.env.DATABASE_URL!, searchPath: fresh.schemaName!, poolSize: 1 }),
        );
      }
      const results = await Promise.all(handles.map((handle) => migrate(handle)));
      const applied = results.map((result) => result.applied.length).sort();
      expect(applied.slice(0, 2)).toEqual([0, 0]);
      expect(applied[2]).toBeGreaterThan(0);
      expect(await getLoan(fresh.db, 'none')).toBeUndefined();
    } finally {
      for (const handle of handles.slice(1)) await handle.close();
      await fresh.dispose();
    }
  });
});
