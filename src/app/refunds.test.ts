// Refunds and recoveries on the store, on whichever database openTestDatabase picks (PGlite, or
// PostgreSQL with DATABASE_URL). The contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a
// month) with overpayment kept as credit: 400.00 paid on 2026-03-15 settles 305.00 and keeps 95.00.
// A refund writes the loan's state, its `refund` transaction, the journal entry and the outbox row in one
// transaction, so the stored history replays to the stored state; it is idempotent by key, a refused
// refund writes nothing (not even its key), and a reversal restores the credit. A payment on a loan past
// its charge-off is a recovery, stored the same way.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { historyOf, openLoans, postPayment, readLoanState, refundCredit, reverseRefundCredit } from './index.ts';
import type { CommandContext } from './index.ts';
import type { RefundCreditInput, ReverseRefundInput } from './index.ts';
import { contractLoanRequest } from './testing.ts';
import { replay, serializeLoanState } from '../servicing/index.ts';
import {
  listLoanTransactions,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

function loanRequest(loanId: string, borrowerId: string) {
  return contractLoanRequest(loanId, borrowerId, { penaltyAnnualRate: '0.18', overpayment: 'credit_balance' });
}

async function replaysToStored(db: Database, loanId: string): Promise<void> {
  const loan = await readLoanState(db, loanId);
  if (!loan) throw new Error(`no loan ${loanId}`);
  const rows = await listLoanTransactions(db, { borrowerId: loan.row.borrowerId, loanId });
  const { opening, transactions } = historyOf(rows);
  const rebuilt = replay(opening, transactions, { through: loan.state.closedThrough });
  expect(rebuilt.rejected).toEqual([]);
  expect(JSON.stringify(serializeLoanState(rebuilt.state))).toBe(JSON.stringify(serializeLoanState(loan.state)));
}

/** Rows a loan has in each table that a command writes. */
async function footprint(db: Database, loanId: string) {
  const [row] = await queryRows<{ tx: unknown; journal: unknown; outbox: unknown; keys: unknown }>(
    db,
    sql`SELECT (SELECT count(*) FROM loan_transactions WHERE loan_id = ${loanId}) AS tx,
               (SELECT count(*) FROM journal_entries WHERE loan_id = ${loanId}) AS journal,
               (SELECT count(*) FROM outbox WHERE loan_id = ${loanId}) AS outbox,
               (SELECT count(*) FROM idempotency_keys WHERE scope LIKE 'refund%') AS keys`,
  );
  return { tx: Number(row?.tx), journal: Number(row?.journal), outbox: Number(row?.outbox), keys: Number(row?.keys) };
}

const ctx = (db: Database): CommandContext => ({ db, actor: { kind: 'system', id: 'test' }, nowMs: 0 });

/** A refund as the API asks for it: the key beside the input. */
function refund(db: Database, request: RefundCreditInput & { idempotencyKey: string }) {
  const { idempotencyKey, ...input } = request;
  return refundCredit(ctx(db), { idempotencyKey, input });
}

function reverse(db: Database, request: ReverseRefundInput & { idempotencyKey: string }) {
  const { idempotencyKey, ...input } = request;
  return reverseRefundCredit(ctx(db), { idempotencyKey, input });
}

async function creditOf(db: Database, loanId: string): Promise<bigint> {
  const loan = await readLoanState(db, loanId);
  if (!loan) throw new Error(`no loan ${loanId}`);
  return loan.state.creditBalanceMinor;
}

describe('refunds on the store', () => {
  let test: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    await upsertBorrowers(
      db,
      ['B1', 'B2', 'B3'].map((borrowerId) => ({
        borrowerId,
        name: borrowerId,
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: {},
      })),
    );
    await openLoans(db, [loanRequest('L1', 'B1'), loanRequest('L2', 'B2'), loanRequest('L3', 'B3')]);
    for (const loanId of ['L1', 'L2']) {
      const paid = await postPayment(db, {
        loanId,
        amountMinor: 40_000n,
        on: '2026-03-15',
        source: 'manual',
        idempotencyKey: `pay:${loanId}`,
      });
      expect(paid.outcome).toBe('posted');
    }
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('refunds part of the credit in one transaction, replayable, and answers a retry with the first receipt', async () => {
    expect(await creditOf(db, 'L1')).toBe(9_500n);
    const before = await footprint(db, 'L1');
    const request = { loanId: 'L1', amountMinor: 5_000n, on: '2026-03-16', idempotencyKey: 'refund-1' };
    const first = await refund(db, request);
    expect(first).toMatchObject({
      ok: true,
      replayed: false,
      value: {
        loanId: 'L1',
        borrowerId: 'B1',
        currency: 'CNY',
        amountMinor: '5000',
        on: '2026-03-16',
        creditBalanceMinor: '4500',
      },
    });
    const after = await footprint(db, 'L1');
    expect(after).toEqual({ tx: before.tx + 1, journal: before.journal + 1, outbox: before.outbox + 1, keys: 1 });
    expect(await creditOf(db, 'L1')).toBe(4_500n);
    const [entry] = await queryRows<{ kind: string; postings: unknown }>(
      db,
      sql`SELECT kind, postings FROM journal_entries WHERE loan_id = 'L1' AND kind = 'refund'`,
    );
    expect(entry?.postings).toEqual([
      { account: 'borrower_credit', side: 'debit', amountMinor: '5000' },
      { account: 'cash', side: 'credit', amountMinor: '5000' },
    ]);
    await replaysToStored(db, 'L1');

    const again = await refund(db, request);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await footprint(db, 'L1')).toEqual(after);
    expect(await refund(db, { ...request, amountMinor: 100n })).toMatchObject({
      ok: false,
      code: 'idempotency_key_reused',
    });
  });

  it('a dry run writes nothing and answers the receipt the refund then gives', async () => {
    const before = await footprint(db, 'L2');
    const input = { loanId: 'L2', amountMinor: 1_000n, on: '2026-03-16' };
    const dry = await refundCredit(ctx(db), { idempotencyKey: 'refund-dry', dryRun: true, input });
    expect(dry).toMatchObject({ ok: true, dryRun: true, value: { creditBalanceMinor: '8500' } });
    expect(await footprint(db, 'L2')).toEqual(before);
    expect(await creditOf(db, 'L2')).toBe(9_500n);
  });

  it('a refused refund writes nothing, not even its key', async () => {
    const before = await footprint(db, 'L2');
    const refused = await refund(db, {
      loanId: 'L2',
      amountMinor: 9_501n,
      on: '2026-03-16',
      idempotencyKey: 'refund-2',
    });
    expect(refused).toMatchObject({ ok: false, code: 'refund_exceeds_credit_balance', field: 'amount' });
    expect(await footprint(db, 'L2')).toEqual(before);
    // The key is still free: the corrected request under it goes through.
    const retried = await refund(db, {
      loanId: 'L2',
      amountMinor: 9_500n,
      on: '2026-03-16',
      idempotencyKey: 'refund-2',
    });
    expect(retried).toMatchObject({ ok: true, replayed: false, value: { creditBalanceMinor: '0' } });
    expect(await refund(db, { loanId: 'NOPE', amountMinor: 1n, on: '2026-03-16', idempotencyKey: 'x' })).toMatchObject({
      ok: false,
      code: 'loan_not_found',
    });
  });

  it('two refunds racing under one key: one refunds, the other replays it', async () => {
    const request = { loanId: 'L1', amountMinor: 1_000n, on: '2026-03-17', idempotencyKey: 'refund-race' };
    const results = await Promise.all([refund(db, request), refund(db, request)]);
    expect(results.map((result) => (result.ok ? result.replayed : result.code)).sort()).toEqual([false, true]);
    expect(await creditOf(db, 'L1')).toBe(3_500n);
    await replaysToStored(db, 'L1');
  });

  it('a reversal puts the refunded credit back', async () => {
    const refunded = await refund(db, {
      loanId: 'L1',
      amountMinor: 500n,
      on: '2026-03-18',
      idempotencyKey: 'refund-3',
    });
    if (!refunded.ok) throw new Error(refunded.message);
    expect(await creditOf(db, 'L1')).toBe(3_000n);
    const request = { loanId: 'L1', refundId: refunded.value.refundId, on: '2026-03-18', idempotencyKey: 'undo-3' };
    const reversed = await reverse(db, request);
    expect(reversed).toMatchObject({ ok: true, replayed: false, value: { creditBalanceMinor: '3500' } });
    expect(await creditOf(db, 'L1')).toBe(3_500n);
    await replaysToStored(db, 'L1');
    expect(await reverse(db, request)).toMatchObject({ ok: true, replayed: true });
    expect(await reverse(db, { ...request, idempotencyKey: 'undo-3b' })).toMatchObject({
      ok: false,
      code: 'refund_already_reversed',
    });
  });

  it('a payment past the charge-off is stored as a recovery and the document keeps the recovered amount', async () => {
    // L3 never paid: by 2026-10-01 it was charged off (2026-09-11, 180 DPD) and the payment recovers.
    const paid = await postPayment(db, {
      loanId: 'L3',
      amountMinor: 100_000n,
      on: '2026-10-01',
      source: 'manual',
      idempotencyKey: 'recovery-1',
    });
    expect(paid).toMatchObject({ outcome: 'posted', result: { allocation: { principalMinor: '100000' } } });
    const loan = await readLoanState(db, 'L3');
    expect(loan?.state).toMatchObject({ status: 'charged_off', recoveredMinor: 100_000n });
    expect(loan?.row.state).toMatchObject({ recovered: '100000' });
    const kinds = await queryRows<{ kind: string }>(
      db,
      sql`SELECT kind FROM journal_entries WHERE loan_id = 'L3' AND kind IN ('charge_off', 'recovery') ORDER BY kind`,
    );
    expect(kinds.map((row) => row.kind)).toEqual(['charge_off', 'recovery']);
    await replaysToStored(db, 'L3');
  });
});
