// Refunds of a credit balance. The contract's example loan with `overpayment: credit_balance`: 400.00
// paid on the first due date (2026-03-15) settles its 305.00 and keeps 95.00 as credit. And a closed
// loan with credit left: 1,000.00 over one month at 12 % (1,010.00 due 2026-03-15), 100.00 paid early
// (kept as credit), principal waived, so on the due date the credit pays the 10.00 interest and the loan
// closes holding 90.00.
import { describe, expect, it } from 'vitest';
import { trialBalance, type JournalEntry } from '../ledger/index.ts';
import { deserializeTransaction, replay, reversePayment, reverseRefund, serializeTransaction } from './history.ts';
import { applyRefund, type RefundResult } from './refund.ts';
import { serializeLoanState, type LoanState } from './state.ts';
import { close, eventsOf, major, minor, openBook, pay, type Book } from './testing.ts';
import { waive } from './waiver.ts';

function json(state: LoanState): string {
  return JSON.stringify(serializeLoanState(state));
}

function withCredit(): Book {
  const book = close(openBook({}, { overpayment: 'credit_balance' }), '2026-03-15');
  const paid = pay(book, { amountMinor: minor('400.00'), on: '2026-03-15' });
  if (!paid.ok) throw new Error(paid.message);
  expect(book.state.creditBalanceMinor).toBe(minor('95.00'));
  return book;
}

function refund(book: Book, input: { refundId: string; amountMinor: bigint; on: string }): RefundResult {
  const result = applyRefund(book.state, input);
  if (result.ok) {
    book.state = result.state;
    book.events.push(...result.events);
    book.journal.push(...result.journal);
    book.transactions.push(result.transaction);
  }
  return result;
}

function accounts(journal: readonly JournalEntry[]) {
  return trialBalance(journal, '2027-12-31').accounts;
}

describe('applyRefund', () => {
  it('pays part of the credit balance back: debit borrower credit, credit cash', () => {
    const book = withCredit();
    const cashBefore = accounts(book.journal).cash.balanceMinor;
    const result = refund(book, { refundId: 'F1', amountMinor: minor('50.00'), on: '2026-03-16' });
    if (!result.ok) throw new Error(result.message);
    // 95.00 − 50.00 = 45.00 left.
    expect(result.creditBalanceMinor).toBe(minor('45.00'));
    expect(book.state.creditBalanceMinor).toBe(minor('45.00'));
    expect(result.journal).toEqual([
      {
        entryId: 'L1:refund:F1:refund',
        loanId: 'L1',
        borrowerId: 'B1',
        currency: 'CNY',
        date: '2026-03-16',
        kind: 'refund',
        postings: [
          { account: 'borrower_credit', debitMinor: minor('50.00'), creditMinor: 0n },
          { account: 'cash', debitMinor: 0n, creditMinor: minor('50.00') },
        ],
      },
    ]);
    expect(eventsOf(book, 'refunded')).toMatchObject([
      { refundId: 'F1', amountMinor: minor('50.00'), creditBalanceMinor: minor('45.00'), date: '2026-03-16' },
    ]);
    const ledger = accounts(book.journal);
    expect(ledger.borrower_credit.balanceMinor).toBe(minor('45.00'));
    expect(cashBefore - ledger.cash.balanceMinor).toBe(minor('50.00'));
    expect(book.state.status).toBe('active');
  });

  it('refuses more than the credit balance, zero, negative, and a date before the close', () => {
    const book = withCredit();
    const on = '2026-03-16';
    expect(applyRefund(book.state, { refundId: 'F', amountMinor: minor('95.01'), on })).toMatchObject({
      ok: false,
      code: 'refund_exceeds_credit_balance',
    });
    expect(applyRefund(book.state, { refundId: 'F', amountMinor: 0n, on })).toMatchObject({
      code: 'amount_not_positive',
    });
    expect(applyRefund(book.state, { refundId: 'F', amountMinor: -1n, on })).toMatchObject({
      code: 'amount_not_positive',
    });
    expect(applyRefund(book.state, { refundId: 'F', amountMinor: 1n, on: '2026-03-14' })).toMatchObject({
      code: 'refund_date_before_close',
    });
    expect(applyRefund(openBook().state, { refundId: 'F', amountMinor: 1n, on })).toMatchObject({
      code: 'refund_exceeds_credit_balance',
    });
  });

  it('sees the loan as of its date: credit spent on an installment falling due is no longer refundable', () => {
    const book = withCredit();
    // On 2026-04-15 the 95.00 goes to April's 305.00 installment, leaving no credit.
    expect(applyRefund(book.state, { refundId: 'F', amountMinor: 1n, on: '2026-04-15' })).toMatchObject({
      code: 'refund_exceeds_credit_balance',
    });
    expect(refund(book, { refundId: 'F', amountMinor: minor('95.00'), on: '2026-04-14' }).ok).toBe(true);
  });

  it('refunds the credit left on a closed loan', () => {
    const book = openBook(
      { principal: '1000.00', termCount: 1, startDate: '2026-02-15' },
      { overpayment: 'credit_balance' },
    );
    expect(pay(book, { amountMinor: minor('100.00'), on: '2026-03-01' }).ok).toBe(true);
    const waived = waive(book.state, { waiverId: 'W', on: '2026-03-02', component: 'principal' });
    if (!waived.ok) throw new Error(waived.message);
    book.state = waived.state;
    book.transactions.push(waived.transaction);
    close(book, '2026-03-15');
    expect(book.state).toMatchObject({ status: 'closed', creditBalanceMinor: minor('90.00') });
    const result = refund(book, { refundId: 'F', amountMinor: minor('90.00'), on: '2026-03-20' });
    if (!result.ok) throw new Error(result.message);
    expect(book.state).toMatchObject({ status: 'closed', creditBalanceMinor: 0n, closedOn: '2026-03-15' });
    expect(major(result.creditBalanceMinor)).toBe('0.00');
  });
});

describe('refunds in the history', () => {
  it('replay rebuilds the state; a reversal restores the credit byte for byte; transactions read back', () => {
    const book = withCredit();
    const before = json(book.state);
    refund(book, { refundId: 'F1', amountMinor: minor('95.00'), on: '2026-03-15' });
    expect(json(replay(book.opening, book.transactions).state)).toBe(json(book.state));
    for (const tx of book.transactions) {
      expect(deserializeTransaction(JSON.parse(JSON.stringify(serializeTransaction(tx))))).toEqual(tx);
    }
    const reversed = reverseRefund(book.opening, book.transactions, book.state, {
      reversalId: 'X1',
      refundId: 'F1',
      on: '2026-03-15',
    });
    if (!reversed.ok) throw new Error(reversed.message);
    expect(json(reversed.state)).toBe(before);
    expect(reversed.events.map((event) => event.type)).toEqual(['refund_reversed']);
    expect(reversed.journal[0]).toMatchObject({ entryId: 'L1:reversal:X1:refund_reversal', kind: 'refund_reversal' });
    expect(reversed.journal[0]?.postings).toEqual([
      { account: 'cash', debitMinor: minor('95.00'), creditMinor: 0n },
      { account: 'borrower_credit', debitMinor: 0n, creditMinor: minor('95.00') },
    ]);
    const transactions = [...book.transactions, reversed.transaction];
    expect(json(replay(book.opening, transactions).state)).toBe(before);
    expect(deserializeTransaction(JSON.parse(JSON.stringify(serializeTransaction(reversed.transaction))))).toEqual(
      reversed.transaction,
    );
    expect(
      reverseRefund(book.opening, transactions, reversed.state, { reversalId: 'X2', refundId: 'F1', on: '2026-03-15' }),
    ).toMatchObject({ ok: false, code: 'refund_already_reversed' });
    expect(
      reverseRefund(book.opening, transactions, reversed.state, {
        reversalId: 'X2',
        refundId: 'nope',
        on: '2026-03-15',
      }),
    ).toMatchObject({ ok: false, code: 'refund_not_found' });
  });

  it('refuses a reversal when a later refund would no longer fit', () => {
    const book = withCredit();
    refund(book, { refundId: 'F1', amountMinor: minor('50.00'), on: '2026-03-15' });
    // Reversing the payment that made the credit would leave the refund with nothing to refund.
    const paymentId = (book.transactions.find((tx) => tx.kind === 'payment') as { paymentId: string }).paymentId;
    expect(
      reversePayment(book.opening, book.transactions, book.state, { reversalId: 'X', paymentId, on: '2026-03-15' }),
    ).toMatchObject({ ok: false, code: 'reversal_breaks_later_transactions' });
  });
});
