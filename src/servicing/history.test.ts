// History: the state is a fold of its transactions. Replay rebuilds what the steps built one by one;
// a reversal restores the prior state byte for byte (compared as serialized JSON) and posts one entry
// that brings the journal to what it would have been without the payment; serialized states and
// transactions read back exactly.
import { describe, expect, it } from 'vitest';
import { trialBalance, type JournalEntry } from '../ledger/index.ts';
import { closeDay } from './close.ts';
import {
  deserializeTransaction,
  replay,
  reversePayment,
  serializeTransaction,
  type LoanTransaction,
} from './history.ts';
import { deserializeLoanState, serializeLoanState, type LoanState } from './state.ts';
import { close, closeEachDay, eventsOf, minor, openBook, pay } from './testing.ts';
import { payoffQuote } from './payment.ts';
import { waive } from './waiver.ts';

/** Balance per account: a reversal nets the accounts, so gross debit and credit totals differ. */
function balances(journal: readonly JournalEntry[], asOf: string): Record<string, bigint> {
  const ledger = trialBalance(journal, asOf);
  return Object.fromEntries(Object.entries(ledger.accounts).map(([account, row]) => [account, row.balanceMinor]));
}

function json(state: LoanState): string {
  return JSON.stringify(serializeLoanState(state));
}

const rules = { graceDays: 3, penaltyAnnualRate: '0.18', overpayment: 'credit_balance' };

describe('reversal', () => {
  it('restores the prior state byte for byte', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-25');
    const prior = json(book.state);
    pay(book, { amountMinor: minor('400.00'), on: '2026-03-25', paymentId: 'P1' });
    expect(json(book.state)).not.toBe(prior);
    const result = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'R1',
      paymentId: 'P1',
      on: '2026-03-25',
    });
    if (!result.ok) throw new Error(result.message);
    expect(json(result.state)).toBe(prior);
    expect(result.events.map((event) => event.type)).toEqual([
      'payment_reversed',
      'became_delinquent',
      'bucket_changed',
      'status_changed',
    ]);
    expect(result.journal).toHaveLength(1);
    expect(result.journal[0]).toMatchObject({ entryId: 'L1:reversal:R1:payment_reversal', kind: 'payment_reversal' });
    const without = closeEachDay(openBook({}, rules), '2026-03-25').journal;
    expect(balances([...book.journal, ...result.journal], '2026-03-25')).toEqual(balances(without, '2026-03-25'));
  });

  it('later days are rebuilt as if the payment never happened: penalty keeps running', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-20');
    pay(book, { amountMinor: minor('305.64'), on: '2026-03-20', paymentId: 'P1' });
    closeEachDay(book, '2026-04-05');
    const result = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'R1',
      paymentId: 'P1',
      on: '2026-04-05',
    });
    if (!result.ok) throw new Error(result.message);
    const never = closeEachDay(openBook({}, rules), '2026-04-05');
    expect(json(result.state)).toBe(json(never.state));
    expect(balances([...book.journal, ...result.journal], '2026-04-05')).toEqual(balances(never.journal, '2026-04-05'));
    const next = replay(book.opening, [...book.transactions, result.transaction]);
    expect(json(next.state)).toBe(json(never.state));
  });

  it('refuses to reverse twice, an unknown payment, or when a later payoff would no longer fit', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-15');
    pay(book, { amountMinor: minor('305.00'), on: '2026-03-15', paymentId: 'P1' });
    const quoted = payoffQuote(book.state, '2026-03-20');
    if (!quoted.ok) throw new Error(quoted.message);
    // 4,745.00 principal and the running period's 47.45 interest.
    expect(quoted.quote.totalMinor).toBe(minor('4792.45'));
    const payoff = pay(book, {
      amountMinor: quoted.quote.totalMinor,
      on: '2026-03-20',
      paymentId: 'P2',
      mode: 'payoff',
    });
    expect(payoff.ok).toBe(true);
    expect(
      reversePayment(book.opening, book.transactions, book.state, {
        reversalId: 'R',
        paymentId: 'nope',
        on: '2026-03-20',
      }),
    ).toMatchObject({
      code: 'payment_not_found',
    });
    expect(
      reversePayment(book.opening, book.transactions, book.state, {
        reversalId: 'R',
        paymentId: 'P1',
        on: '2026-03-20',
      }),
    ).toMatchObject({
      code: 'reversal_breaks_later_transactions',
    });
    const undone = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'R',
      paymentId: 'P2',
      on: '2026-03-20',
    });
    if (!undone.ok) throw new Error(undone.message);
    expect(undone.state.status).toBe('active');
    const twice = [...book.transactions, undone.transaction];
    expect(
      reversePayment(book.opening, twice, undone.state, { reversalId: 'R2', paymentId: 'P2', on: '2026-03-20' }),
    ).toMatchObject({
      code: 'payment_already_reversed',
    });
  });
});

describe('replay', () => {
  it('rebuilds the incrementally built state, events and journal from the transactions', () => {
    const book = closeEachDay(openBook({}, { ...rules, penaltyStart: 'due_date' }), '2026-03-17');
    pay(book, { amountMinor: minor('100.00'), on: '2026-03-17' });
    closeEachDay(book, '2026-04-30');
    const waived = waive(book.state, { waiverId: 'W1', on: '2026-04-30', component: 'penalty' });
    if (!waived.ok) throw new Error(waived.message);
    book.state = waived.state;
    book.events.push(...waived.events);
    book.journal.push(...waived.journal);
    book.transactions.push(waived.transaction);
    pay(book, { amountMinor: minor('1000.00'), on: '2026-05-02', mode: 'prepayment' });
    const rebuilt = replay(book.opening, book.transactions);
    expect(json(rebuilt.state)).toBe(json(book.state));
    expect(rebuilt.events).toEqual(book.events);
    expect(rebuilt.journal).toEqual(book.journal.slice(1));
    expect(rebuilt.rejected).toEqual([]);
  });

  it('needs no recorded day closes: payments run their own days, `through` closes the rest', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-20');
    pay(book, { amountMinor: minor('305.64'), on: '2026-03-20' });
    close(book, '2026-06-01');
    const paymentsOnly = book.transactions.filter((tx) => tx.kind !== 'close_day');
    expect(json(replay(book.opening, paymentsOnly, { through: '2026-06-01' }).state)).toBe(json(book.state));
  });
});

describe('serialization', () => {
  it('a state reads back exactly, through JSON text', () => {
    const book = closeEachDay(
      openBook(
        {
          fees: [
            { kind: 'per_installment', rate: '0.006' },
            { kind: 'upfront', amount: '100.00' },
          ],
        },
        rules,
      ),
      '2026-04-20',
    );
    pay(book, { amountMinor: minor('500.00'), on: '2026-04-20' });
    const text = json(book.state);
    const back = deserializeLoanState(JSON.parse(text));
    expect(back).toEqual(book.state);
    expect(json(back)).toBe(text);
    // The revived state closes on exactly like the original.
    expect(json(closeDay(back, '2026-06-01').state)).toBe(json(closeDay(book.state, '2026-06-01').state));
  });

  it('transactions read back exactly', () => {
    const transactions: LoanTransaction[] = [
      { kind: 'close_day', date: '2026-03-01' },
      {
        kind: 'payment',
        paymentId: 'P1',
        amountMinor: 123456789012345n,
        on: '2026-03-02',
        source: 'auto_debit',
        mode: 'prepayment',
      },
      {
        kind: 'waiver',
        waiverId: 'W1',
        on: '2026-03-03',
        component: 'fee',
        amountMinor: null,
        installmentNumber: 2,
        reason: 'hardship',
      },
      { kind: 'reversal', reversalId: 'R1', paymentId: 'P1', on: '2026-03-04', closedThrough: '2026-03-04' },
    ];
    const back = transactions.map((tx) => deserializeTransaction(JSON.parse(JSON.stringify(serializeTransaction(tx)))));
    expect(back).toEqual(transactions);
  });

  it('the reversed payment event names the amount', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-15');
    pay(book, { amountMinor: minor('305.00'), on: '2026-03-15', paymentId: 'P1' });
    const result = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'R1',
      paymentId: 'P1',
      on: '2026-03-16',
    });
    if (!result.ok) throw new Error(result.message);
    book.events.push(...result.events);
    expect(eventsOf(book, 'payment_reversed')).toMatchObject([
      { paymentId: 'P1', amountMinor: 30500n, date: '2026-03-16' },
    ]);
  });
});

describe('recoveries and refunds in the history', () => {
  it('a sequence of payments, charge-off, recoveries and a reversal replays to the same state', () => {
    // Paid 305.00 once, then nothing: charged off at 60 DPD; two recoveries, the first reversed.
    const book = closeEachDay(openBook({}, { ...rules, chargeOffDpd: 60 }), '2026-03-15');
    pay(book, { amountMinor: minor('305.00'), on: '2026-03-15', paymentId: 'P1' });
    close(book, '2026-06-30');
    expect(book.state.status).toBe('charged_off');
    pay(book, { amountMinor: minor('200.00'), on: '2026-07-01', paymentId: 'R1' });
    pay(book, { amountMinor: minor('50.00'), on: '2026-07-02', paymentId: 'R2' });
    expect(book.state.recoveredMinor).toBe(minor('250.00'));
    const reversed = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'X1',
      paymentId: 'R1',
      on: '2026-07-03',
    });
    if (!reversed.ok) throw new Error(reversed.message);
    expect(reversed.state.recoveredMinor).toBe(minor('50.00'));
    const transactions = [...book.transactions, reversed.transaction];
    const rebuilt = replay(book.opening, transactions);
    expect(rebuilt.rejected).toEqual([]);
    expect(json(rebuilt.state)).toBe(json(reversed.state));
    const back = transactions.map((tx) => deserializeTransaction(JSON.parse(JSON.stringify(serializeTransaction(tx)))));
    expect(back).toEqual(transactions);
    expect(json(replay(book.opening, back).state)).toBe(json(reversed.state));
  });
});
