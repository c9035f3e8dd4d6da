// Payment reversals on the store, on whichever database openTestDatabase picks (PGlite, or PostgreSQL with
// DATABASE_URL). The contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month, first due
// 2026-03-15), paid on time on 2026-03-10: current. Reversing the payment
// (it bounced) on 2026-04-05 re-opens the first installment — 21 days past due that day, penalty accrued — exactly as a replay of
// the loan's history without the payment says; the reversal is stored as one transaction (loan, `reversal`
// transaction, balanced journal entry, outbox event, payment marked reversed), replayed by key, refused
// under the key with another body, refused by name when repeated; above the threshold it waits for a
// second member's approval and is carried out when approved.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  approveRequest,
  historyOf,
  openLoans,
  postPayment,
  readLoanState,
  reversePostedPayment,
  type CommandContext,
  type ReversePaymentInput,
} from './index.ts';
import { contractLoanRequest } from './testing.ts';
import { loanOutstanding, replay, serializeLoanState } from '../servicing/index.ts';
import {
  getApproval,
  listLoanJournal,
  listLoanPayments,
  listLoanTransactions,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

const loanIds = ['L1', 'L2', 'L3', 'L4', 'L5'];

function loanRequest(loanId: string) {
  return contractLoanRequest(loanId, `B${loanId}`, { penaltyAnnualRate: '0.18' });
}

const ctxOf = (db: Database, actor = 'alice'): CommandContext => ({
  db,
  actor: { kind: 'staff', id: actor },
  nowMs: Date.UTC(2026, 3, 5),
});

function reverse(
  db: Database,
  request: ReversePaymentInput & { idempotencyKey: string; dryRun?: boolean; actor?: string },
) {
  const { idempotencyKey, dryRun, actor, ...input } = request;
  return reversePostedPayment(ctxOf(db, actor), { idempotencyKey, dryRun, input });
}

/** The loan's stored state must be what its stored history replays to. */
async function stored(db: Database, loanId: string) {
  const loan = await readLoanState(db, loanId);
  if (!loan) throw new Error(`no loan ${loanId}`);
  const rows = await listLoanTransactions(db, { borrowerId: loan.row.borrowerId, loanId });
  const history = historyOf(rows);
  const rebuilt = replay(history.opening, history.transactions, { through: loan.state.closedThrough });
  expect(rebuilt.rejected).toEqual([]);
  expect(JSON.stringify(serializeLoanState(rebuilt.state))).toBe(JSON.stringify(serializeLoanState(loan.state)));
  return { ...loan, history };
}

/** The loan as its history would have made it without the payment, as of the reversal: what a reversal must give. */
async function withoutPayment(db: Database, loanId: string, paymentId: string) {
  const { history } = await stored(db, loanId);
  const kept = history.transactions.filter((tx) => !(tx.kind === 'payment' && tx.paymentId === paymentId));
  return replay(history.opening, kept, { through: '2026-04-05' }).state;
}

async function footprint(db: Database, loanId: string) {
  const [row] = await queryRows<Record<string, unknown>>(
    db,
    sql`SELECT (SELECT count(*) FROM loan_transactions WHERE loan_id = ${loanId}) AS tx,
               (SELECT count(*) FROM journal_entries WHERE loan_id = ${loanId}) AS journal,
               (SELECT count(*) FROM outbox WHERE loan_id = ${loanId}) AS outbox,
               (SELECT count(*) FROM approvals WHERE kind = 'payment_reversal') AS approvals,
               (SELECT count(*) FROM idempotency_keys WHERE scope = 'payment_reversal') AS keys`,
  );
  const count = (name: string) => Number(row?.[name]);
  return {
    tx: count('tx'),
    journal: count('journal'),
    outbox: count('outbox'),
    approvals: count('approvals'),
    keys: count('keys'),
  };
}

/** Every journal entry of the loan balances, and so does the loan's journal as a whole. */
async function expectBalanced(db: Database, loanId: string) {
  const entries = await listLoanJournal(db, { borrowerId: `B${loanId}`, loanId });
  let debit = 0n;
  let credit = 0n;
  for (const entry of entries) {
    const sum = (side: string) =>
      entry.postings.filter((p) => p.side === side).reduce((total, p) => total + p.amountMinor, 0n);
    expect(sum('debit'), entry.entryId).toBe(sum('credit'));
    debit += sum('debit');
    credit += sum('credit');
  }
  expect(debit).toBe(credit);
  return entries;
}

describe('payment reversals on the store', () => {
  let test: TestDatabase;
  let db: Database;
  const paymentIds = new Map<string, string>();

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    await upsertBorrowers(
      db,
      loanIds.map((loanId) => ({
        borrowerId: `B${loanId}`,
        name: loanId,
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: {},
      })),
    );
    await openLoans(db, loanIds.map(loanRequest));
    for (const loanId of loanIds.filter((id) => id !== 'L5')) {
      const paid = await postPayment(db, {
        loanId,
        amountMinor: 30_500n,
        on: '2026-03-10',
        source: 'manual',
        idempotencyKey: `pay:${loanId}`,
      });
      if (paid.outcome !== 'posted') throw new Error(`payment on ${loanId}: ${JSON.stringify(paid)}`);
      paymentIds.set(loanId, paid.paymentId);
    }
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('re-opens delinquency as the replay without the payment says, in one balanced transaction, replayed by key', async () => {
    const paymentId = paymentIds.get('L1') as string;
    const { state: current } = await stored(db, 'L1');
    expect(current).toMatchObject({ status: 'active', dpd: 0 });
    const expected = await withoutPayment(db, 'L1', paymentId);
    expect(expected.dpd).toBe(21);
    expect(loanOutstanding(expected).penaltyMinor).toBeGreaterThan(0n);
    const before = await footprint(db, 'L1');
    const request = { paymentId, reason: 'returned_nsf' as const, on: '2026-04-05', idempotencyKey: 'rev-1' };

    const first = await reverse(db, request);
    expect(first).toMatchObject({
      ok: true,
      replayed: false,
      value: {
        status: 'reversed',
        paymentId,
        loanId: 'L1',
        borrowerId: 'BL1',
        amountMinor: '30500',
        reason: 'returned_nsf',
        recovery: false,
        approvalId: null,
        before: { dpd: 0, bucket: current.bucket, penaltyMinor: '0' },
        after: {
          status: expected.status,
          dpd: 21,
          bucket: expected.bucket,
          penaltyMinor: loanOutstanding(expected).penaltyMinor.toString(),
        },
      },
    });
    expect(expected.bucket).not.toBe(current.bucket);
    const { state } = await stored(db, 'L1');
    expect(JSON.stringify(serializeLoanState(state))).toBe(JSON.stringify(serializeLoanState(expected)));
    // The reversal and its date's close: two transactions, each with its outbox row; one key.
    const after = await footprint(db, 'L1');
    expect(after).toMatchObject({ tx: before.tx + 2, outbox: before.outbox + 2, keys: 1 });
    const entries = await expectBalanced(db, 'L1');
    expect(entries.filter((entry) => entry.kind === 'payment_reversal')).toHaveLength(1);
    const [payment] = await listLoanPayments(db, { borrowerId: 'BL1', loanId: 'L1' });
    expect(payment).toMatchObject({
      status: 'reversed',
      result: { reversal: { reason: 'returned_nsf', on: '2026-04-05' } },
    });
    const outbox = await queryRows<{ payload: { events: { type: string; reason?: string }[] } }>(
      db,
      sql`SELECT payload FROM outbox WHERE loan_id = 'L1'`,
    );
    expect(outbox.flatMap((row) => row.payload.events)).toContainEqual(
      expect.objectContaining({ type: 'payment_reversed', reason: 'returned_nsf' }),
    );

    // The same key and body answer the first answer, writing nothing; another body under it is refused.
    const again = await reverse(db, request);
    expect(again).toEqual({ ...first, replayed: true });
    expect(await footprint(db, 'L1')).toEqual(after);
    const other = await reverse(db, { ...request, reason: 'duplicate' });
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused', field: 'idempotencyKey' });

    // Reversing it again under another key is refused by name.
    const twice = await reverse(db, { ...request, idempotencyKey: 'rev-1b' });
    expect(twice).toMatchObject({ ok: false, code: 'payment_already_reversed', field: 'paymentId' });
  });

  it('computes a dry run without writing, and refuses an unknown payment or a date before the payment', async () => {
    const paymentId = paymentIds.get('L2') as string;
    const before = await footprint(db, 'L2');
    const dry = await reverse(db, {
      paymentId,
      reason: 'wrong_loan',
      on: '2026-04-05',
      idempotencyKey: 'rev-2',
      dryRun: true,
    });
    expect(dry).toMatchObject({ ok: true, dryRun: true, value: { status: 'reversed', after: { dpd: 21 } } });
    expect(await footprint(db, 'L2')).toEqual(before);
    expect((await stored(db, 'L2')).state.dpd).toBe(0);
    expect(
      await reverse(db, { paymentId: 'P-none', reason: 'duplicate', on: '2026-04-05', idempotencyKey: 'rev-x' }),
    ).toMatchObject({
      ok: false,
      code: 'payment_not_found',
      field: 'paymentId',
    });
    expect(
      await reverse(db, { paymentId, reason: 'duplicate', on: '2026-03-01', idempotencyKey: 'rev-y' }),
    ).toMatchObject({
      ok: false,
      code: 'reversal_before_payment',
      field: 'on',
    });
    expect(await footprint(db, 'L2')).toEqual(before);
  });

  it('waits for a second member above the threshold, and is carried out once approved', async () => {
    const paymentId = paymentIds.get('L3') as string;
    const { state: current } = await stored(db, 'L3');
    const expected = await withoutPayment(db, 'L3', paymentId);
    const request = {
      paymentId,
      reason: 'fraud_chargeback' as const,
      on: '2026-04-05',
      idempotencyKey: 'rev-3',
      approvalAboveMinor: 10_000n,
    };
    const asked = await reverse(db, request);
    expect(asked).toMatchObject({ ok: true, value: { status: 'pending_approval', after: { dpd: 21 } } });
    if (!asked.ok) throw new Error('asked');
    const approvalId = asked.value.approvalId as string;
    expect(await getApproval(db, approvalId)).toMatchObject({
      kind: 'payment_reversal',
      status: 'pending',
      subject: paymentId,
      requestedBy: 'alice',
      document: { paymentId, loanId: 'L3', reason: 'fraud_chargeback', reversalId: asked.value.reversalId },
    });
    // Nothing moved yet; the same request replays; another reversal of it is refused while one waits.
    expect(JSON.stringify(serializeLoanState((await stored(db, 'L3')).state))).toBe(
      JSON.stringify(serializeLoanState(current)),
    );
    expect(await reverse(db, request)).toEqual({ ...asked, replayed: true });
    expect(await reverse(db, { ...request, idempotencyKey: 'rev-3b' })).toMatchObject({
      ok: false,
      code: 'reversal_pending_approval',
      about: approvalId,
    });

    // The requester cannot approve it; another member can, and the reversal is then applied.
    expect(await approveRequest(ctxOf(db, 'alice'), { input: { approvalId } })).toMatchObject({
      ok: false,
      code: 'own_request',
    });
    const approved = await approveRequest(ctxOf(db, 'bob'), { input: { approvalId, comment: 'chargeback confirmed' } });
    expect(approved).toMatchObject({
      ok: true,
      value: {
        approval: { status: 'approved', decidedBy: 'bob' },
        reversal: { status: 'reversed', approvalId, reversalId: asked.value.reversalId, after: { dpd: 21 } },
      },
    });
    const { state } = await stored(db, 'L3');
    expect(JSON.stringify(serializeLoanState(state))).toBe(JSON.stringify(serializeLoanState(expected)));
    await expectBalanced(db, 'L3');
    const [payment] = await listLoanPayments(db, { borrowerId: 'BL3', loanId: 'L3' });
    expect(payment?.status).toBe('reversed');
    expect(await reverse(db, { ...request, idempotencyKey: 'rev-3c' })).toMatchObject({
      ok: false,
      code: 'payment_already_reversed',
    });
  });

  it('applies at once at or below the threshold', async () => {
    const paymentId = paymentIds.get('L4') as string;
    const reversed = await reverse(db, {
      paymentId,
      reason: 'operator_error',
      on: '2026-04-05',
      idempotencyKey: 'rev-4',
      approvalAboveMinor: 30_500n,
    });
    expect(reversed).toMatchObject({ ok: true, value: { status: 'reversed', approvalId: null } });
    expect((await stored(db, 'L4')).state.dpd).toBe(21);
  });

  it('marks a payment on a charged-off loan as a recovery, and reversing it restores the written-off balance', async () => {
    // L5 never paid: charged off on 2026-09-11 (180 DPD); 1,000.00 on 2026-10-01 is a recovery.
    const paid = await postPayment(db, {
      loanId: 'L5',
      amountMinor: 100_000n,
      on: '2026-10-01',
      source: 'manual',
      idempotencyKey: 'pay:L5',
    });
    if (paid.outcome !== 'posted') throw new Error(`payment on L5: ${JSON.stringify(paid)}`);
    expect(paid.payment.result).toMatchObject({ recovery: true });
    expect((await stored(db, 'L5')).state).toMatchObject({ status: 'charged_off', recoveredMinor: 100_000n });
    const reversed = await reverse(db, {
      paymentId: paid.paymentId,
      reason: 'returned_nsf',
      on: '2026-10-02',
      idempotencyKey: 'rev-5',
    });
    expect(reversed).toMatchObject({ ok: true, value: { status: 'reversed', recovery: true } });
    const { state } = await stored(db, 'L5');
    expect(state.status).toBe('charged_off');
    expect(state.recoveredMinor ?? 0n).toBe(0n);
    await expectBalanced(db, 'L5');
  });
});
