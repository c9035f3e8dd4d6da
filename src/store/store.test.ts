import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  appendLoanTransactions,
  beginIdempotent,
  borrowerHash,
  canonicalJson,
  claimDueLoans,
  claimOutbox,
  completeAutoDebitAttempt,
  completeIdempotent,
  countDueLoans,
  countPendingOutbox,
  dueCursorOf,
  enqueueOutbox,
  finishEodRun,
  getBorrower,
  getEodRun,
  getLoan,
  getOutboxEvent,
  getProduct,
  getServicingRules,
  insertAutoDebitAttempts,
  insertJournalEntries,
  insertLoans,
  lastCompletedEodRun,
  lastLoanTransactionSeq,
  listBorrowerLoans,
  listLoanAutoDebitAttempts,
  listLoanJournal,
  listLoanPayments,
  listLoanTransactions,
  listOpenAutoDebitAttempts,
  listProducts,
  markDispatched,
  mergeEodRunStats,
  partitionRange,
  insertPayments,
  findPaymentsByIdempotencyKeys,
  isUniqueViolation,
  releaseOutbox,
  requestHash,
  saveCloseBatch,
  startEodRun,
  StoreConflictError,
  trialBalance,
  updateLoans,
  updatePayment,
  upsertBorrowers,
  upsertProduct,
  type Database,
  type JournalPosting,
  type DueLoanRow,
  type LoanUpdate,
  type NewJournalEntry,
  type NewLoan,
  type NewPayment,
} from './index.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const businessDate = '2026-03-10';

let test: TestDatabase;
let db: Database;

beforeAll(async () => {
  test = await openTestDatabase();
  db = test.db;
});
afterAll(async () => test.dispose());

/** Every test starts from empty tables (one schema per file, tests in a file run one after another). */
beforeEach(async () => {
  await db.query(
    sql`TRUNCATE products, borrowers, loan_directory, loans, servicing_rules, loan_transactions, journal_entries,
        payments, outbox, eod_runs, auto_debit_attempts, idempotency_keys CASCADE`,
  );
});

function newLoan(
  borrowerId: string,
  loanId: string,
  nextEventDate: string | null,
  closedThrough: string | null = null,
): NewLoan {
  return {
    borrowerId,
    loanId,
    currency: 'CNY',
    status: 'active',
    bucket: 'M0',
    nextEventDate,
    closedThrough,
    state: { principal: '5000.00', paid: '0.00', seq: 0, note: '宽限期' },
  };
}

async function seedBorrowers(ids: readonly string[]): Promise<void> {
  await upsertBorrowers(
    db,
    ids.map((borrowerId) => ({
      borrowerId,
      name: `Name ${borrowerId}`,
      timezone: 'Asia/Shanghai',
      locale: 'zh-CN',
      contacts: {},
    })),
  );
}

/** The close's output for a loan: processed through the business date, next event a month later. */
function closed(loan: DueLoanRow, patch: Partial<LoanUpdate> = {}): LoanUpdate {
  return {
    borrowerId: loan.borrowerId,
    loanId: loan.loanId,
    expectedVersion: loan.version,
    state: { ...(loan.state as object), closedOn: businessDate },
    status: 'overdue',
    dpd: 1,
    bucket: 'M1',
    nextEventDate: '2026-04-10',
    closedThrough: businessDate,
    ...patch,
  };
}

function posting(account: string, side: 'debit' | 'credit', amountMinor: bigint): JournalPosting {
  return { account, side, amountMinor };
}

function entry(
  borrowerId: string,
  loanId: string,
  entryId: string,
  date: string,
  amountMinor: bigint,
): NewJournalEntry {
  return {
    borrowerId,
    loanId,
    entryId,
    businessDate: date,
    kind: 'penalty',
    currency: 'CNY',
    postings: [
      posting('loan.penalty_receivable', 'debit', amountMinor),
      posting('income.penalty', 'credit', amountMinor),
    ],
  };
}

/** A small book: 60 borrowers with 1–2 loans each, due on, before and after the business date. */
async function seedBook(): Promise<{ due: Set<string> }> {
  const borrowers = Array.from({ length: 60 }, (_, index) => `B${String(index).padStart(3, '0')}`);
  await seedBorrowers(borrowers);
  const loans: NewLoan[] = [];
  const due = new Set<string>();
  borrowers.forEach((borrowerId, index) => {
    const dates = ['2026-03-10', '2026-03-01', '2026-03-11', null, '2026-02-10'];
    for (let count = 0; count < 1 + (index % 2); count += 1) {
      const loanId = `L${borrowerId.slice(1)}-${count}`;
      const nextEventDate = dates[(index + count) % dates.length]!;
      // Every seventh loan was already closed through the business date (an earlier, interrupted run).
      const closedThrough = index % 7 === 0 && nextEventDate !== null ? businessDate : null;
      loans.push(newLoan(borrowerId, loanId, nextEventDate, closedThrough));
      if (nextEventDate !== null && nextEventDate <= businessDate && closedThrough === null) due.add(loanId);
    }
  });
  await insertLoans(db, loans);
  return { due };
}

describe('products and borrowers', () => {
  it('stores a product and replaces its terms and rules on upsert', async () => {
    await upsertProduct(db, {
      productId: 'P1',
      name: 'Wallet loan',
      terms: { termCount: 12 },
      rules: { graceDays: 3 },
    });
    await upsertProduct(db, {
      productId: 'P1',
      name: 'Wallet loan v2',
      terms: { termCount: 6 },
      rules: { graceDays: 5 },
    });
    expect(await getProduct(db, 'P1')).toMatchObject({
      name: 'Wallet loan v2',
      terms: { termCount: 6 },
      rules: { graceDays: 5 },
    });
    expect((await getProduct(db, 'P1'))!.rateCaps).toBeNull();
    expect((await listProducts(db)).map((product) => product.productId)).toEqual(['P1']);
    expect((await getProduct(db, 'P1'))!.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });

  it('keeps a product’s rate caps policy as JSON and clears it when replaced without one', async () => {
    const rateCaps = { name: 'P2 pricing', warnAprAbove: '0.20', refuseAprAbove: '0.30', lprLine: null };
    await upsertProduct(db, { productId: 'P2', name: 'Capped', terms: {}, rules: {}, rateCaps });
    expect((await getProduct(db, 'P2'))!.rateCaps).toEqual(rateCaps);
    expect((await listProducts(db)).find((product) => product.productId === 'P2')!.rateCaps).toEqual(rateCaps);
    await upsertProduct(db, { productId: 'P2', name: 'Capped', terms: {}, rules: {}, rateCaps: 'none' });
    expect((await getProduct(db, 'P2'))!.rateCaps).toBe('none');
    await upsertProduct(db, { productId: 'P2', name: 'Capped', terms: {}, rules: {} });
    expect((await getProduct(db, 'P2'))!.rateCaps).toBeNull();
  });

  it('upserts borrowers in bulk and reads one back with its contacts', async () => {
    await upsertBorrowers(db, [
      {
        borrowerId: 'B1',
        name: '王芳',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: { sms: '+8613800000001' },
      },
      { borrowerId: 'B2', name: 'Ann', timezone: 'America/New_York', locale: 'en', contacts: {} },
    ]);
    await upsertBorrowers(db, [
      {
        borrowerId: 'B1',
        name: '王芳',
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: { sms: '+8613800000009' },
      },
    ]);
    expect(await getBorrower(db, 'B1')).toMatchObject({ name: '王芳', contacts: { sms: '+8613800000009' } });
    expect(await getBorrower(db, 'B3')).toBeUndefined();
  });
});

describe('loans', () => {
  it('round-trips a loan: indexed columns, the opaque state document and the borrower hash', async () => {
    await seedBorrowers(['B1']);
    expect(await insertLoans(db, [{ ...newLoan('B1', 'L1', '2026-03-10'), dpd: 3 }])).toBe(1);
    const loan = await getLoan(db, 'L1');
    expect(loan).toMatchObject({
      borrowerId: 'B1',
      loanId: 'L1',
      productId: null,
      currency: 'CNY',
      status: 'active',
      dpd: 3,
      bucket: 'M0',
      nextEventDate: '2026-03-10',
      closedThrough: null,
      borrowerHash: borrowerHash('B1'),
      state: { principal: '5000.00', paid: '0.00', seq: 0, note: '宽限期' },
      version: 1,
    });
    expect((await listBorrowerLoans(db, 'B1')).map((row) => row.loanId)).toEqual(['L1']);
    expect(await getLoan(db, 'nope')).toBeUndefined();
  });

  it('stores each loan’s contract once: its terms on the loan, its rules once per distinct set, by digest', async () => {
    await seedBorrowers(['B1', 'B2', 'B3']);
    const rules = { graceDays: 3, buckets: ['M0', 'M1'] };
    const contract = (principal: string) => ({ terms: { principal, termCount: 12 }, rules });
    await insertLoans(db, [
      { ...newLoan('B1', 'L1', businessDate), contract: contract('5000.00') },
      { ...newLoan('B2', 'L2', businessDate), contract: contract('800.00') },
    ]);
    await insertLoans(db, [
      { ...newLoan('B3', 'L3', businessDate), contract: { terms: {}, rules: { ...rules, graceDays: 5 } } },
      newLoan('B3', 'L4', businessDate),
    ]);
    const [l1, l2, l3, l4] = await Promise.all(['L1', 'L2', 'L3', 'L4'].map((id) => getLoan(db, id)));
    expect(l1).toMatchObject({ terms: { principal: '5000.00', termCount: 12 }, state: { note: '宽限期' } });
    expect(l2!.terms).toEqual({ principal: '800.00', termCount: 12 });
    expect(l1!.rulesDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(l2!.rulesDigest).toBe(l1!.rulesDigest);
    expect(l3!.rulesDigest).not.toBe(l1!.rulesDigest);
    expect(l4).toMatchObject({ terms: null, rulesDigest: null });
    const found = await getServicingRules(db, [l1!.rulesDigest!, l3!.rulesDigest!, 'unknown']);
    expect([...found.values()]).toEqual(expect.arrayContaining([rules, { ...rules, graceDays: 5 }]));
    expect(found.has('unknown')).toBe(false);
    const stored = await db.query<{ count: number }>(sql`SELECT count(*)::int AS count FROM servicing_rules`);
    expect(stored[0]!.count).toBe(2);
    // The close reads the contract with the loan, and never writes it.
    const [claimed] = await db.transaction((tx) =>
      claimDueLoans(tx, { businessDate, worker: 0, workers: 1, limit: 1 }),
    );
    expect(claimed).toMatchObject({ terms: expect.any(Object), rulesDigest: expect.any(String) });
    await updateLoans(db, [closed({ ...claimed! })]);
    expect((await getLoan(db, claimed!.loanId))!.terms).toEqual(claimed!.terms);
  });

  it('keeps loan ids unique across borrowers, and inserts nothing of a batch that repeats one', async () => {
    await seedBorrowers(['B1', 'B2']);
    await insertLoans(db, [newLoan('B1', 'L1', businessDate)]);
    await expect(
      insertLoans(db, [newLoan('B2', 'L2', businessDate), newLoan('B2', 'L1', businessDate)]),
    ).rejects.toThrow();
    expect(await getLoan(db, 'L2')).toBeUndefined();
    expect(await getLoan(db, 'L1')).toMatchObject({ borrowerId: 'B1' });
  });

  it('gives each worker a disjoint share of the due loans, which together are all of them', async () => {
    const { due } = await seedBook();
    for (const workers of [1, 2, 3, 4]) {
      const seen: string[] = [];
      for (let worker = 0; worker < workers; worker += 1) {
        const page = await db.transaction((tx) => claimDueLoans(tx, { businessDate, worker, workers, limit: 1000 }));
        const { low, high } = partitionRange({ worker, workers });
        for (const loan of page) expect(loan.borrowerHash >= low && loan.borrowerHash <= high).toBe(true);
        seen.push(...page.map((loan) => loan.loanId));
      }
      expect(new Set(seen).size, `${workers} workers, no loan twice`).toBe(seen.length);
      expect(new Set(seen)).toEqual(due);
    }
    expect(await countDueLoans(db, { businessDate })).toBe(due.size);
  });

  it('pages through the due loans in borrower order with a cursor, each worker its share, without repeats', async () => {
    const { due } = await seedBook();
    const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    for (const workers of [1, 2]) {
      const seen: string[] = [];
      for (let worker = 0; worker < workers; worker += 1) {
        const pages: DueLoanRow[][] = [];
        await db.transaction(async (tx) => {
          let after;
          for (;;) {
            const page = await claimDueLoans(tx, { businessDate, worker, workers, limit: 7, after });
            if (page.length === 0) break;
            pages.push(page);
            after = dueCursorOf(page.at(-1)!);
          }
        });
        const order = pages.flat().map((loan) => [loan.nextEventDate!, loan.borrowerId, loan.loanId] as const);
        const sorted = [...order].sort((a, b) => text(a[0], b[0]) || text(a[1], b[1]) || text(a[2], b[2]));
        expect(order).toEqual(sorted);
        expect(pages.every((page) => page.length <= 7)).toBe(true);
        const { low, high } = partitionRange({ worker, workers });
        expect(pages.flat().every((loan) => loan.borrowerHash >= low && loan.borrowerHash <= high)).toBe(true);
        seen.push(...order.map((key) => key[2]));
      }
      expect(seen.length, `${workers} workers, no loan twice`).toBe(new Set(seen).size);
      expect(new Set(seen)).toEqual(due);
    }
  });

  it('runs a close to the end page by page, and a rerun of the date finds nothing left', async () => {
    const { due } = await seedBook();
    const processed: string[] = [];
    const close = async () => {
      for (;;) {
        const count = await db.transaction(async (tx) => {
          const page = await claimDueLoans(tx, { businessDate, worker: 0, workers: 1, limit: 10 });
          await saveCloseBatch(tx, { loans: page.map((loan) => closed(loan)) });
          processed.push(...page.map((loan) => loan.loanId));
          return page.length;
        });
        if (count === 0) return;
      }
    };
    await close();
    expect(new Set(processed)).toEqual(due);
    expect(processed.length).toBe(due.size);
    expect(await countDueLoans(db, { businessDate })).toBe(0);
    await close();
    expect(processed.length).toBe(due.size);
    const loan = await getLoan(db, [...due][0]!);
    expect(loan).toMatchObject({
      version: 2,
      closedThrough: businessDate,
      nextEventDate: '2026-04-10',
      status: 'overdue',
      dpd: 1,
      bucket: 'M1',
    });
  });
});

describe('saveCloseBatch', () => {
  async function seedTwoLoans(): Promise<DueLoanRow[]> {
    await seedBorrowers(['B1', 'B2']);
    await insertLoans(db, [newLoan('B1', 'L1', businessDate), newLoan('B2', 'L2', businessDate)]);
    return db.transaction((tx) => claimDueLoans(tx, { businessDate, worker: 0, workers: 1, limit: 10 }));
  }

  it('writes loans, transactions, journal, outbox and auto-debit attempts together', async () => {
    const [first, second] = await seedTwoLoans();
    const result = await db.transaction(async (tx) =>
      saveCloseBatch(tx, {
        loans: [closed(first!), closed(second!)],
        transactions: [
          { borrowerId: 'B1', loanId: 'L1', seq: 1, kind: 'due', businessDate, body: { installment: 1 } },
          { borrowerId: 'B1', loanId: 'L1', seq: 2, kind: 'penalty', businessDate, body: { amount: '1.50' } },
        ],
        journal: [entry('B1', 'L1', 'L1:2:penalty', businessDate, 150n)],
        outbox: [
          {
            borrowerId: 'B1',
            eventId: `L1:${businessDate}:overdue`,
            kind: 'contact.overdue',
            loanId: 'L1',
            businessDate,
            payload: { dpd: 1 },
          },
        ],
        autoDebitAttempts: [
          {
            borrowerId: 'B2',
            loanId: 'L2',
            dueDate: businessDate,
            attempt: 1,
            businessDate,
            idempotencyKey: `ad:L2:${businessDate}:1`,
            amountMinor: 30500n,
            currency: 'CNY',
          },
        ],
      }),
    );
    expect(result).toEqual({
      loansUpdated: 2,
      transactionsInserted: 2,
      journalEntriesInserted: 1,
      outboxInserted: 1,
      autoDebitAttemptsInserted: 1,
    });
    expect(await getLoan(db, 'L1')).toMatchObject({
      version: 2,
      state: { closedOn: businessDate, principal: '5000.00' },
    });
    expect(
      (await listLoanTransactions(db, { borrowerId: 'B1', loanId: 'L1' })).map((row) => [row.seq, row.kind, row.body]),
    ).toEqual([
      [1, 'due', { installment: 1 }],
      [2, 'penalty', { amount: '1.50' }],
    ]);
    expect(await lastLoanTransactionSeq(db, { borrowerId: 'B1', loanId: 'L1' })).toBe(2);
    expect(await lastLoanTransactionSeq(db, { borrowerId: 'B2', loanId: 'L2' })).toBe(0);
    expect(
      (await listLoanTransactions(db, { borrowerId: 'B1', loanId: 'L1', afterSeq: 1 })).map((row) => row.seq),
    ).toEqual([2]);
    expect((await listLoanJournal(db, { borrowerId: 'B1', loanId: 'L1' }))[0]!.postings).toEqual([
      posting('loan.penalty_receivable', 'debit', 150n),
      posting('income.penalty', 'credit', 150n),
    ]);
    expect(await getOutboxEvent(db, { borrowerId: 'B1', eventId: `L1:${businessDate}:overdue` })).toMatchObject({
      kind: 'contact.overdue',
      payload: { dpd: 1 },
      borrowerHash: borrowerHash('B1'),
    });
    expect((await listLoanAutoDebitAttempts(db, { borrowerId: 'B2', loanId: 'L2' }))[0]).toMatchObject({
      status: 'pending',
      amountMinor: 30500n,
    });
  });

  it('leaves nothing behind when a statement fails mid-batch', async () => {
    const [first, second] = await seedTwoLoans();
    await insertJournalEntries(db, [entry('B1', 'L1', 'taken', '2026-03-09', 100n)]);
    const attempt = db.transaction(async (tx) =>
      saveCloseBatch(tx, {
        loans: [closed(first!), closed(second!)],
        transactions: [{ borrowerId: 'B1', loanId: 'L1', seq: 1, kind: 'due', businessDate, body: {} }],
        // The loans and transactions are written by then; this entry id exists, so the insert fails.
        journal: [entry('B1', 'L1', 'taken', businessDate, 150n)],
        outbox: [{ borrowerId: 'B1', eventId: 'E1', kind: 'contact.overdue', loanId: 'L1', businessDate, payload: {} }],
      }),
    );
    await expect(attempt).rejects.toThrow();
    expect(await getLoan(db, 'L1')).toMatchObject({ version: 1, closedThrough: null, state: { paid: '0.00' } });
    expect(await getLoan(db, 'L2')).toMatchObject({ version: 1, closedThrough: null });
    expect(await listLoanTransactions(db, { borrowerId: 'B1', loanId: 'L1' })).toEqual([]);
    expect(await countPendingOutbox(db)).toBe(0);
    expect(await countDueLoans(db, { businessDate })).toBe(2);
  });

  it('refuses a batch holding a stale version, as a named conflict, and writes none of it', async () => {
    const [first, second] = await seedTwoLoans();
    await updateLoans(db, [closed(second!, { closedThrough: null, nextEventDate: businessDate })]);
    const attempt = db.transaction((tx) =>
      saveCloseBatch(tx, {
        loans: [closed(first!), closed(second!)],
        outbox: [{ borrowerId: 'B1', eventId: 'E1', kind: 'contact.overdue', loanId: 'L1', businessDate, payload: {} }],
      }),
    );
    await expect(attempt).rejects.toBeInstanceOf(StoreConflictError);
    await expect(attempt).rejects.toMatchObject({ code: 'loan_version_conflict' });
    expect(await getLoan(db, 'L1')).toMatchObject({ version: 1 });
    expect(await countPendingOutbox(db)).toBe(0);
  });

  it('ignores outbox events that exist already, so a rerun never sends twice', async () => {
    await seedBorrowers(['B1']);
    const event = {
      borrowerId: 'B1',
      eventId: 'L1:2026-03-10:due_soon',
      kind: 'contact.due_soon',
      loanId: 'L1',
      businessDate,
      payload: { n: 1 },
    };
    expect(await enqueueOutbox(db, [event])).toBe(1);
    expect(
      await enqueueOutbox(db, [
        { ...event, payload: { n: 2 } },
        { ...event, eventId: 'other' },
      ]),
    ).toBe(1);
    expect(await countPendingOutbox(db)).toBe(2);
    expect(await getOutboxEvent(db, event)).toMatchObject({ payload: { n: 1 } });
  });

  it('rejects an unbalanced journal entry before writing anything', async () => {
    const unbalanced: NewJournalEntry = {
      ...entry('B1', 'L1', 'bad', businessDate, 100n),
      postings: [posting('a', 'debit', 100n), posting('b', 'credit', 99n)],
    };
    await expect(insertJournalEntries(db, [unbalanced])).rejects.toThrow(/debits 100 equal credits 99/);
  });
});

describe('outbox dispatch', () => {
  async function seedEvents(count: number): Promise<void> {
    const borrowers = Array.from({ length: count }, (_, index) => `B${index}`);
    await enqueueOutbox(
      db,
      borrowers.map((borrowerId, index) => ({
        borrowerId,
        eventId: `E${index}`,
        kind: index % 2 === 0 ? 'contact.due_soon' : 'debit.present',
        loanId: null,
        businessDate,
        payload: { index },
      })),
    );
  }

  it('claims each event once while its lease holds, and again after the lease ran out', async () => {
    await seedEvents(5);
    const first = await claimOutbox(db, { limit: 3, workerId: 'w1' });
    const second = await claimOutbox(db, { limit: 10, workerId: 'w2' });
    expect(first).toHaveLength(3);
    expect(second).toHaveLength(2);
    expect(new Set([...first, ...second].map((event) => event.eventId)).size).toBe(5);
    expect(first[0]).toMatchObject({ claimedBy: 'w1', attempts: 1, dispatchedAt: null });
    expect(await claimOutbox(db, { limit: 10, workerId: 'w3' })).toEqual([]);

    // w1 dies: its claims are older than the lease, so they can be taken over.
    await db.query(sql`UPDATE outbox SET claimed_at = claimed_at - interval '1 hour' WHERE claimed_by = 'w1'`);
    const retaken = await claimOutbox(db, { limit: 10, workerId: 'w3', leaseSeconds: 60 });
    expect(retaken.map((event) => event.eventId).sort()).toEqual(first.map((event) => event.eventId).sort());
    expect(retaken[0]).toMatchObject({ claimedBy: 'w3', attempts: 2 });
  });

  it('marks events dispatched once, and puts failed ones back for later', async () => {
    await seedEvents(3);
    const claimed = await claimOutbox(db, { limit: 10, workerId: 'w1' });
    expect(await markDispatched(db, claimed.slice(0, 2))).toBe(2);
    expect(await markDispatched(db, claimed.slice(0, 2))).toBe(0);
    expect(await releaseOutbox(db, claimed.slice(2), { retryAfterSeconds: 3600 })).toBe(1);
    expect(await countPendingOutbox(db)).toBe(1);
    expect(await claimOutbox(db, { limit: 10, workerId: 'w2' })).toEqual([]);
    expect(await releaseOutbox(db, claimed.slice(2), { retryAfterSeconds: 0 })).toBe(1);
    expect(await claimOutbox(db, { limit: 10, workerId: 'w2' })).toMatchObject([
      { eventId: claimed[2]!.eventId, attempts: 2 },
    ]);
  });

  it('claims only the asked kinds and the asked share of borrowers', async () => {
    await seedEvents(40);
    const contacts = await claimOutbox(db, { limit: 100, workerId: 'w1', kinds: ['contact.due_soon'] });
    expect(contacts).toHaveLength(20);
    expect(contacts.every((event) => event.kind === 'contact.due_soon')).toBe(true);
    const share = await claimOutbox(db, { limit: 100, workerId: 'w2', partition: { worker: 1, workers: 2 } });
    const { low, high } = partitionRange({ worker: 1, workers: 2 });
    expect(share.length).toBeGreaterThan(0);
    expect(
      share.every((event) => event.kind === 'debit.present' && event.borrowerHash >= low && event.borrowerHash <= high),
    ).toBe(true);
  });
});

describe('payments', () => {
  const body = { loanId: 'L1', amount: '305.00', source: 'manual' };
  const payment = (overrides: Partial<NewPayment> = {}): NewPayment => ({
    borrowerId: 'B1',
    paymentId: 'P1',
    loanId: 'L1',
    idempotencyKey: 'key-1',
    requestHash: requestHash(body),
    amountMinor: 30500n,
    currency: 'CNY',
    source: 'manual',
    status: 'posted',
    result: { allocation: { interest: '50.00', principal: '255.00' } },
    receivedAt: '2026-03-16T02:00:00.000Z',
    ...overrides,
  });

  it('stores a payment once per key: a second insert under the key fails whole, and the key finds the first', async () => {
    expect(await insertPayments(db, [payment()])).toBe(1);
    await expect(
      insertPayments(db, [payment({ paymentId: 'P2', idempotencyKey: 'key-2' }), payment({ paymentId: 'P3' })]),
    ).rejects.toSatisfy(isUniqueViolation);
    const found = await findPaymentsByIdempotencyKeys(db, ['key-1', 'key-2', 'key-1']);
    expect([...found.keys()]).toEqual(['key-1']);
    expect(found.get('key-1')).toMatchObject({
      paymentId: 'P1',
      amountMinor: 30500n,
      requestHash: requestHash(body),
      result: { allocation: { interest: '50.00', principal: '255.00' } },
      receivedAt: '2026-03-16T02:00:00.000Z',
    });
    expect(await listLoanPayments(db, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(1);
  });

  it('updates a payment’s status and result', async () => {
    await insertPayments(db, [payment({ status: 'pending', result: null })]);
    await updatePayment(db, { borrowerId: 'B1', paymentId: 'P1', status: 'posted', result: { ok: true } });
    expect((await listLoanPayments(db, { borrowerId: 'B1', loanId: 'L1' }))[0]).toMatchObject({
      status: 'posted',
      result: { ok: true },
    });
  });

  it('hashes a request by content: key order does not matter, amounts do', () => {
    expect(requestHash({ a: 1, b: { c: 2n, d: [1, 'x'] } })).toBe(requestHash({ b: { d: [1, 'x'], c: 2n }, a: 1 }));
    expect(requestHash({ amountMinor: 30500n })).not.toBe(requestHash({ amountMinor: 30501n }));
    expect(canonicalJson({ b: 1, a: undefined, c: null })).toBe('{"b":1,"c":null}');
  });
});

describe('generic idempotency keys', () => {
  it('runs a command once per key and replays its response; a different body is rejected', async () => {
    const request = { scope: 'waiver', key: 'k1', requestHash: requestHash({ loanId: 'L1', amount: '10.00' }) };
    const answer = await db.transaction(async (tx) => {
      const begin = await beginIdempotent(tx, request);
      if (begin.outcome === 'new') await completeIdempotent(tx, { ...request, response: { waived: '10.00' } });
      return begin;
    });
    expect(answer).toEqual({ outcome: 'new' });
    expect(await beginIdempotent(db, request)).toEqual({ outcome: 'replayed', response: { waived: '10.00' } });
    expect(await beginIdempotent(db, { ...request, requestHash: 'different' })).toEqual({
      outcome: 'rejected',
      code: 'idempotency_key_reused',
    });
    expect(await beginIdempotent(db, { ...request, scope: 'hold' })).toEqual({ outcome: 'new' });
    expect(await beginIdempotent(db, { ...request, scope: 'hold' })).toEqual({ outcome: 'in_progress' });
  });
});

describe('trial balance', () => {
  it('sums debits and credits per account up to a date, or for one day, and every currency balances', async () => {
    await insertJournalEntries(db, [
      {
        borrowerId: 'B1',
        loanId: 'L1',
        entryId: 'L1:1',
        businessDate: '2026-03-01',
        kind: 'disbursement',
        currency: 'CNY',
        postings: [
          posting('loan.principal', 'debit', 500000n),
          posting('cash', 'credit', 490000n),
          posting('income.fee', 'credit', 10000n),
        ],
      },
      entry('B1', 'L1', 'L1:2', '2026-03-10', 150n),
      entry('B2', 'L2', 'L2:1', '2026-03-10', 250n),
      entry('B2', 'L2', 'L2:2', '2026-03-11', 999n),
      { ...entry('B3', 'L3', 'L3:1', '2026-03-10', 7n), currency: 'USD' },
    ]);
    const lines = await trialBalance(db, { asOf: '2026-03-10' });
    expect(
      lines.map((line) => [line.currency, line.account, line.debitMinor, line.creditMinor, line.balanceMinor]),
    ).toEqual([
      ['CNY', 'cash', 0n, 490000n, -490000n],
      ['CNY', 'income.fee', 0n, 10000n, -10000n],
      ['CNY', 'income.penalty', 0n, 400n, -400n],
      ['CNY', 'loan.penalty_receivable', 400n, 0n, 400n],
      ['CNY', 'loan.principal', 500000n, 0n, 500000n],
      ['USD', 'income.penalty', 0n, 7n, -7n],
      ['USD', 'loan.penalty_receivable', 7n, 0n, 7n],
    ]);
    for (const currency of ['CNY', 'USD']) {
      expect(
        lines.filter((line) => line.currency === currency).reduce((sum, line) => sum + line.balanceMinor, 0n),
      ).toBe(0n);
    }
    const day = await trialBalance(db, { from: '2026-03-11', asOf: '2026-03-11' });
    expect(day.map((line) => [line.account, line.debitMinor, line.creditMinor])).toEqual([
      ['income.penalty', 0n, 999n],
      ['loan.penalty_receivable', 999n, 0n],
    ]);
    expect(await trialBalance(db, { asOf: '2026-02-28' })).toEqual([]);
  });
});

describe('daily close runs', () => {
  it('starts a date once, resumes a running one, skips a completed one and restarts a failed one', async () => {
    expect(await startEodRun(db, '2026-03-10')).toMatchObject({
      started: true,
      run: { status: 'running', finishedAt: null },
    });
    expect(await startEodRun(db, '2026-03-10')).toMatchObject({ started: false, run: { status: 'running' } });
    await mergeEodRunStats(db, '2026-03-10', { worker0: { loans: 10 } });
    await mergeEodRunStats(db, '2026-03-10', { worker1: { loans: 12 } });
    const done = await finishEodRun(db, { businessDate: '2026-03-10', status: 'completed', stats: { seconds: 3 } });
    expect(done).toMatchObject({
      status: 'completed',
      stats: { worker0: { loans: 10 }, worker1: { loans: 12 }, seconds: 3 },
    });
    expect(done.finishedAt).not.toBeNull();
    expect(await startEodRun(db, '2026-03-10')).toMatchObject({ started: false, run: { status: 'completed' } });

    await startEodRun(db, '2026-03-11');
    await finishEodRun(db, { businessDate: '2026-03-11', status: 'failed' });
    expect(await startEodRun(db, '2026-03-11')).toMatchObject({
      started: true,
      run: { status: 'running', finishedAt: null },
    });
    expect(await lastCompletedEodRun(db)).toMatchObject({ businessDate: '2026-03-10' });
    expect(await getEodRun(db, '2026-03-12')).toBeUndefined();
  });
});

describe('auto-debit attempts', () => {
  it('records an attempt once, lists the open ones and records the provider’s answer', async () => {
    const attempt = {
      borrowerId: 'B1',
      loanId: 'L1',
      dueDate: '2026-03-10',
      attempt: 1,
      businessDate,
      idempotencyKey: 'ad:L1:2026-03-10:1',
      amountMinor: 30500n,
      currency: 'CNY',
    };
    expect(await insertAutoDebitAttempts(db, [attempt])).toBe(1);
    expect(
      await insertAutoDebitAttempts(db, [
        attempt,
        { ...attempt, attempt: 2, businessDate: '2026-03-12', idempotencyKey: 'ad:L1:2026-03-10:2' },
      ]),
    ).toBe(1);
    expect(
      (await listOpenAutoDebitAttempts(db, { through: businessDate, limit: 10 })).map((row) => row.attempt),
    ).toEqual([1]);
    await completeAutoDebitAttempt(db, { ...attempt, status: 'declined', result: { code: 'insufficient_funds' } });
    expect(await listOpenAutoDebitAttempts(db, { through: businessDate, limit: 10 })).toEqual([]);
    expect(
      (await listLoanAutoDebitAttempts(db, { borrowerId: 'B1', loanId: 'L1' })).map((row) => [
        row.attempt,
        row.status,
        row.result,
      ]),
    ).toEqual([
      [1, 'declined', { code: 'insufficient_funds' }],
      [2, 'pending', null],
    ]);
  });
});

describe('loan transactions', () => {
  it('refuses a sequence number used twice for a loan', async () => {
    const row = { borrowerId: 'B1', loanId: 'L1', seq: 1, kind: 'disbursement', businessDate, body: {} };
    await appendLoanTransactions(db, [row]);
    await expect(appendLoanTransactions(db, [row])).rejects.toThrow();
    await expect(
      appendLoanTransactions(db, [
        { ...row, seq: 2 },
        { ...row, seq: 2 },
      ]),
    ).rejects.toThrow(/appears once in a batch/);
  });
});
