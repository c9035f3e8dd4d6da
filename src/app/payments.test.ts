// Payments posted in batches (the API's group commit) against the store: a batch answers each request
// exactly as posting them one at a time would, and leaves the same book — several payments on one loan
// chain through its state, a key used twice in one batch is one payment, a refused request changes
// nothing for its neighbours, a payment without a date is dated as it would be alone, and a date past the
// allowed window names the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { postPayment, postPayments, type PostPaymentRequest, type PostPaymentResult } from './index.ts';
import { insertPayments, type NewPayment } from '../store/index.ts';
import { openTestDatabase, type TestDatabase } from '../store/testing.ts';
import { bookHash, FIRST_DAY, seedBook } from './testing.ts';

const LOANS = 6;
let batched: TestDatabase;
let single: TestDatabase;

beforeAll(async () => {
  batched = await openTestDatabase();
  single = await openTestDatabase();
  await seedBook(batched.db, LOANS);
  await seedBook(single.db, LOANS);
});
afterAll(async () => {
  await batched.dispose();
  await single.dispose();
});

const on = addDays(FIRST_DAY, 3);

/** A payment row to hold a key with, in a transaction that never commits. */
const heldPayment: NewPayment = {
  borrowerId: 'B0002',
  paymentId: 'PHELD',
  loanId: 'L0002',
  idempotencyKey: 'held',
  requestHash: 'held',
  amountMinor: 1n,
  currency: 'CNY',
  source: 'manual',
  status: 'posted',
  result: null,
  receivedAt: '2026-01-07T00:00:00.000Z',
};

/** A promise opened from outside. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}
const pay = (loan: number, amountMinor: bigint, key: string, extra: Partial<PostPaymentRequest> = {}) => ({
  loanId: `L${String(loan).padStart(4, '0')}`,
  amountMinor,
  on,
  source: 'manual' as const,
  idempotencyKey: key,
  ...extra,
});

describe('postPayments', () => {
  it('answers a batch as one-at-a-time posting does and leaves the same book', async () => {
    const requests: PostPaymentRequest[] = [
      pay(0, 10_000n, 'a'),
      pay(1, 25_000n, 'b'),
      pay(0, 20_000n, 'c'), // the same loan again: allocated after 'a'
      pay(2, 5_000n, 'a2'),
      pay(0, 10_000n, 'a'), // the same request again: one payment
      pay(1, 99_000n, 'b'), // another request under a used key: refused
      pay(9, 1_000n, 'x'), // no such loan: refused
      pay(3, 1_000n, 'd'),
    ];
    const together = await postPayments(batched.db, requests);
    const alone = [];
    for (const request of requests) alone.push(await postPayment(single.db, request));
    // Alike but for when the stored rows were written (a replay inside a batch answers from the batch).
    const withoutWriteTimes = (results: readonly PostPaymentResult[]) =>
      results.map((result) =>
        result.outcome === 'rejected'
          ? result
          : { ...result, payment: { ...result.payment, createdAt: undefined, updatedAt: undefined } },
      );
    expect(withoutWriteTimes(together)).toEqual(withoutWriteTimes(alone));
    expect(together.map((result) => result.outcome)).toEqual([
      'posted',
      'posted',
      'posted',
      'posted',
      'replayed',
      'rejected',
      'rejected',
      'posted',
    ]);
    expect(together[5]).toMatchObject({ code: 'idempotency_key_reused' });
    expect(together[6]).toMatchObject({ code: 'loan_not_found' });
    // The row versions differ (a batch writes a loan once however many payments it took), nothing else.
    expect(await bookHash(batched.db, { versions: false })).toBe(await bookHash(single.db, { versions: false }));
    // And again, the whole batch: every request replays or is refused, and nothing changes.
    const hash = await bookHash(batched.db);
    const again = await postPayments(batched.db, requests);
    expect(again.map((result) => result.outcome)).toEqual([
      'replayed',
      'replayed',
      'replayed',
      'replayed',
      'replayed',
      'rejected',
      'rejected',
      'replayed',
    ]);
    expect(await bookHash(batched.db)).toBe(hash);
  });

  it('dates a payment without a date today or at the last close, and a replay keeps the first date', async () => {
    const today = addDays(FIRST_DAY, 5);
    const [first] = await postPayments(batched.db, [pay(4, 1_000n, 'undated', { on: undefined, today })]);
    expect(first).toMatchObject({ outcome: 'posted', on: today });
    const [replay] = await postPayments(batched.db, [
      pay(4, 1_000n, 'undated', { on: undefined, today: addDays(today, 2) }),
    ]);
    expect(replay).toMatchObject({ outcome: 'replayed', on: today });
  });

  it('refuses a date beyond the allowed window, naming the field', async () => {
    const today = addDays(FIRST_DAY, 5);
    const [late] = await postPayments(batched.db, [
      pay(5, 1_000n, 'late', { on: addDays(today, 11), today, futureDaysMax: 10 }),
    ]);
    expect(late).toMatchObject({ outcome: 'rejected', field: 'on' });
  });

  it('dates an undated payment after a later-dated one on the same loan as it would be dated alone', async () => {
    // The first payment carries the loan's close to its own date; the second, undated, is dated at that
    // close (valueDate: today or the loan's close, whichever is later) whether or not they share a batch.
    const today = addDays(FIRST_DAY, 5);
    const requests = [
      pay(5, 1_000n, 'ahead', { on: addDays(today, 10), today, futureDaysMax: 400 }),
      pay(5, 1_000n, 'after-ahead', { on: undefined, today, futureDaysMax: 400 }),
    ];
    const together = await postPayments(batched.db, requests);
    const alone = [];
    for (const request of requests) alone.push(await postPayment(single.db, request));
    expect(together.map((result) => [result.outcome, 'on' in result ? result.on : result.code])).toEqual([
      ['posted', addDays(today, 10)],
      ['posted', addDays(today, 10)],
    ]);
    expect(alone.map((result) => [result.outcome, 'on' in result ? result.on : result.code])).toEqual(
      together.map((result) => [result.outcome, 'on' in result ? result.on : result.code]),
    );
  });

  // PostgreSQL only: on PGlite (one connection) the holding transaction would block both requests.
  it.runIf(process.env.DATABASE_URL?.trim())(
    'two requests under one key on two loans at once: one posts, the other is refused by name',
    async () => {
      // Same key, different loans: no loan lock orders them. An uncommitted row under the key (rolled back
      // below) makes both find the key free and both insert; the second insert then meets the first's row,
      // and its batch runs again and answers from the stored payment.
      const on = addDays(FIRST_DAY, 6);
      const holding = gate();
      const release = gate();
      const holder = batched.db
        .transaction(async (tx) => {
          await insertPayments(tx, [{ ...heldPayment, idempotencyKey: 'raced' }]);
          holding.open();
          await release.promise;
          throw new Error('roll back');
        })
        .catch(() => undefined);
      await holding.promise;
      const racing = Promise.all([
        postPayments(batched.db, [pay(2, 1_000n, 'raced', { on })]),
        postPayments(batched.db, [pay(3, 1_000n, 'raced', { on })]),
      ]);
      await new Promise((resolve) => setTimeout(resolve, 200));
      release.open();
      await holder;
      const results = (await racing).flat();
      expect(results.map((result) => result.outcome).sort()).toEqual(['posted', 'rejected']);
      expect(results.find((result) => result.outcome === 'rejected')).toMatchObject({
        code: 'idempotency_key_reused',
      });
    },
  );
});
