// Recoveries on the contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month), never
// paid, penalty 18 % a year, charged off at 180 DPD on 2026-09-11. What was written off, worked by hand:
//   principal 5,000.00 (all of it)
//   interest  50.00 + 47.45 + 44.87 + 42.27 + 39.65 + 36.99 = 261.23 (installments due Mar … Aug)
//   penalty   22.95 + 19.19 + 15.48 + 11.56 +  7.70 +  3.62 =  80.50
//   total     5,341.73
// Interest of the installments due from 2026-09-15 on was never booked, so it is not recoverable.
import { describe, expect, it } from 'vitest';
import { trialBalance, type JournalEntry } from '../ledger/index.ts';
import { replay, reversePayment } from './history.ts';
import { payoffQuote } from './payment.ts';
import { installmentRecoveryBalance, recoveryBalance } from './recovery.ts';
import {
  deserializeCompactLoanState,
  deserializeLoanState,
  interestOutstanding,
  serializeCompactLoanState,
  serializeLoanState,
  type LoanState,
} from './state.ts';
import { close, eventsOf, major, minor, openBook, pay, type Book } from './testing.ts';
import { waive } from './waiver.ts';

const rules = { penaltyAnnualRate: '0.18' };

function chargedOff(): Book {
  return close(openBook({}, rules), '2026-09-30');
}

function json(state: LoanState): string {
  return JSON.stringify(serializeLoanState(state));
}

function balance(journal: readonly JournalEntry[], account: 'cash' | 'credit_loss', asOf = '2026-12-31'): bigint {
  return trialBalance(journal, asOf).accounts[account].balanceMinor;
}

describe('recovery balance', () => {
  it('is what the charge-off wrote off, by component', () => {
    const book = chargedOff();
    expect(book.state.status).toBe('charged_off');
    const written = recoveryBalance(book.state);
    expect(Object.fromEntries(Object.entries(written).map(([key, value]) => [key, major(value)]))).toEqual({
      principalMinor: '5000.00',
      interestMinor: '261.23',
      feeMinor: '0.00',
      penaltyMinor: '80.50',
      totalMinor: '5341.73',
    });
    // Equal to the charge-off's credit loss.
    expect(balance(book.journal, 'credit_loss')).toBe(written.totalMinor);
  });

  it('per installment, leaves out the interest of periods after the charge-off (what the borrower view shows)', () => {
    const book = chargedOff();
    const rows = book.state.installments;
    const sum = rows.reduce((total, row) => total + installmentRecoveryBalance(book.state, row), 0n);
    expect(sum).toBe(recoveryBalance(book.state).totalMinor);
    // Installment 7, due 2026-09-15 after the charge-off: its principal only, no interest, no penalty.
    const seventh = rows[6]!;
    expect(seventh.dueDate).toBe('2026-09-15');
    expect(installmentRecoveryBalance(book.state, seventh)).toBe(seventh.principalDueMinor);
  });
});

describe('a payment on a charged-off loan is a recovery', () => {
  it('goes to the written-off principal first, oldest installment first, against credit loss', () => {
    const book = chargedOff();
    const cashBefore = balance(book.journal, 'cash');
    const result = pay(book, { amountMinor: minor('1000.00'), on: '2026-10-01', paymentId: 'R-1' });
    if (!result.ok) throw new Error(result.message);
    expect(result.recovery).toBe(true);
    // 255.00 + 257.55 + 260.13 of installments 1-3, and 227.32 of installment 4's 262.73 = 1,000.00.
    expect(result.allocation).toEqual({
      penaltyMinor: 0n,
      feeMinor: 0n,
      interestMinor: 0n,
      principalMinor: minor('1000.00'),
      creditBalanceMinor: 0n,
    });
    expect(book.state.installments.slice(0, 5).map((row) => major(row.principalPaidMinor))).toEqual([
      '255.00',
      '257.55',
      '260.13',
      '227.32',
      '0.00',
    ]);
    expect(book.state).toMatchObject({
      status: 'charged_off',
      recoveredMinor: minor('1000.00'),
      closedThrough: '2026-10-01',
    });
    expect(result.journal).toEqual([
      {
        entryId: 'L1:payment:R-1:recovery',
        loanId: 'L1',
        borrowerId: 'B1',
        currency: 'CNY',
        date: '2026-10-01',
        kind: 'recovery',
        postings: [
          { account: 'cash', debitMinor: minor('1000.00'), creditMinor: 0n },
          { account: 'credit_loss', debitMinor: 0n, creditMinor: minor('1000.00') },
        ],
      },
    ]);
    // Net credit loss 5,341.73 − 1,000.00 = 4,341.73, which is what is still written off.
    expect(major(balance(book.journal, 'credit_loss'))).toBe('4341.73');
    expect(recoveryBalance(book.state).totalMinor).toBe(minor('4341.73'));
    expect(balance(book.journal, 'cash') - cashBefore).toBe(minor('1000.00'));
    expect(eventsOf(book, 'recovered')).toMatchObject([
      { paymentId: 'R-1', amountMinor: minor('1000.00'), remainingMinor: minor('4341.73'), date: '2026-10-01' },
    ]);
    expect(eventsOf(book, 'payment_posted').at(-1)).toMatchObject({ paymentId: 'R-1', amountMinor: minor('1000.00') });
  });

  it('after all principal, takes interest then penalty', () => {
    const book = chargedOff();
    // 5,100.00 = 5,000.00 principal + 100.00 interest: 50.00 (Mar) + 47.45 (Apr) + 2.55 of May's 44.87.
    const result = pay(book, { amountMinor: minor('5100.00'), on: '2026-10-01' });
    if (!result.ok) throw new Error(result.message);
    expect(result.allocation).toMatchObject({ principalMinor: minor('5000.00'), interestMinor: minor('100.00') });
    expect(book.state.installments.slice(0, 3).map((row) => major(interestOutstanding(row)))).toEqual([
      '0.00',
      '0.00',
      '42.32',
    ]);
    // 261.23 − 100.00 = 161.23 interest left, then 80.50 penalty: 241.73.
    const penaltyFirst = pay(book, { amountMinor: minor('200.00'), on: '2026-10-02' });
    if (!penaltyFirst.ok) throw new Error(penaltyFirst.message);
    expect(penaltyFirst.allocation).toMatchObject({ interestMinor: minor('161.23'), penaltyMinor: minor('38.77') });
    expect(major(recoveryBalance(book.state).totalMinor)).toBe('41.73');
  });

  it('closes the loan when everything written off is recovered', () => {
    const book = chargedOff();
    pay(book, { amountMinor: minor('1000.00'), on: '2026-10-01' });
    const last = pay(book, { amountMinor: minor('4341.73'), on: '2026-10-20', paymentId: 'R-2' });
    if (!last.ok) throw new Error(last.message);
    expect(book.state).toMatchObject({
      status: 'closed',
      closedOn: '2026-10-20',
      chargedOffOn: '2026-09-11',
      dpd: 0,
      delinquent: false,
      bucket: 'M0',
      recoveredMinor: minor('5341.73'),
      nextEventDate: null,
    });
    expect(last.events.map((event) => event.type)).toEqual([
      'payment_posted',
      'recovered',
      'cured',
      'bucket_changed',
      'status_changed',
      'closed',
    ]);
    expect(last.events[4]).toMatchObject({ from: 'charged_off', to: 'closed' });
    // The never-booked interest of the installments due from 2026-09-15 is cancelled, as on payoff.
    expect(book.state.installments[6]).toMatchObject({ interestDueMinor: 0n, paidOn: '2026-10-20' });
    expect(book.state.installments.every((row) => row.paidOn !== null)).toBe(true);
    expect(balance(book.journal, 'credit_loss')).toBe(0n);
    expect(pay(book, { amountMinor: 100n, on: '2026-10-21' })).toMatchObject({ ok: false, code: 'loan_closed' });
  });

  it('refuses more than is written off, and a payoff that is not exactly it; a payoff closes', () => {
    const book = chargedOff();
    expect(pay(book, { amountMinor: minor('5341.74'), on: '2026-10-01' })).toMatchObject({
      ok: false,
      code: 'payment_exceeds_outstanding',
    });
    expect(pay(book, { amountMinor: minor('100.00'), on: '2026-10-01', mode: 'payoff' })).toMatchObject({
      ok: false,
      code: 'payoff_amount_mismatch',
    });
    expect(pay(book, { amountMinor: 0n, on: '2026-10-01' })).toMatchObject({ ok: false, code: 'amount_not_positive' });
    expect(pay(book, { amountMinor: 100n, on: '2026-09-29' })).toMatchObject({
      ok: false,
      code: 'payment_date_before_close',
    });
    const payoff = pay(book, { amountMinor: minor('5341.73'), on: '2026-10-01', mode: 'payoff' });
    expect(payoff).toMatchObject({ ok: true, recovery: true });
    expect(book.state.status).toBe('closed');
    // Waivers and payoff quotes still refuse a charged-off loan (only money in is a recovery).
    const again = chargedOff();
    expect(waive(again.state, { waiverId: 'W', on: '2026-10-01', component: 'penalty' })).toMatchObject({
      code: 'loan_charged_off',
    });
    expect(payoffQuote(again.state, '2026-10-01')).toMatchObject({ ok: false, code: 'loan_charged_off' });
  });

  it('a payment dated after the charge-off date runs the charge-off first, then recovers', () => {
    const book = close(openBook({}, rules), '2026-09-01');
    expect(book.state.status).toBe('overdue');
    const result = pay(book, { amountMinor: minor('300.00'), on: '2026-09-20' });
    if (!result.ok) throw new Error(result.message);
    expect(result.journal.map((entry) => entry.kind)).toContain('charge_off');
    expect(result.journal.at(-1)?.kind).toBe('recovery');
    expect(book.state).toMatchObject({ status: 'charged_off', chargedOffOn: '2026-09-11', recoveredMinor: 30000n });
  });

  it('the daily close does nothing on a charged-off loan with recoveries', () => {
    const book = chargedOff();
    pay(book, { amountMinor: minor('1000.00'), on: '2026-10-01' });
    const state = book.state;
    close(book, '2027-03-01');
    expect(book.journal.at(-1)?.kind).toBe('recovery');
    expect({ ...book.state, closedThrough: state.closedThrough }).toEqual(state);
  });
});

describe('recoveries in the history', () => {
  it('replay rebuilds the state, and reversing a recovery restores the loan byte for byte', () => {
    const book = chargedOff();
    pay(book, { amountMinor: minor('1000.00'), on: '2026-10-01', paymentId: 'R-1' });
    const afterFirst = json(book.state);
    close(book, '2026-10-10');
    const beforeSecond = json(book.state);
    pay(book, { amountMinor: minor('4341.73'), on: '2026-10-10', paymentId: 'R-2' });
    expect(book.state.status).toBe('closed');
    expect(json(replay(book.opening, book.transactions).state)).toBe(json(book.state));

    const reversed = reversePayment(book.opening, book.transactions, book.state, {
      reversalId: 'X-2',
      paymentId: 'R-2',
      on: '2026-10-10',
    });
    if (!reversed.ok) throw new Error(reversed.message);
    expect(json(reversed.state)).toBe(beforeSecond);
    expect(reversed.state).toMatchObject({ status: 'charged_off', recoveredMinor: minor('1000.00') });
    expect(reversed.events.map((event) => event.type)).toContain('status_changed');
    // The reversal entry takes the cash back and puts the loss back: debit credit_loss, credit cash.
    expect(reversed.journal[0]).toMatchObject({ kind: 'payment_reversal' });
    expect(reversed.journal[0]?.postings).toEqual([
      { account: 'cash', debitMinor: 0n, creditMinor: minor('4341.73') },
      { account: 'credit_loss', debitMinor: minor('4341.73'), creditMinor: 0n },
    ]);
    const journal = [...book.journal, ...reversed.journal];
    expect(major(balance(journal, 'credit_loss'))).toBe('4341.73');
    const transactions = [...book.transactions, reversed.transaction];
    expect(json(replay(book.opening, transactions).state)).toBe(json(reversed.state));

    const first = reversePayment(book.opening, transactions, reversed.state, {
      reversalId: 'X-1',
      paymentId: 'R-1',
      on: '2026-10-10',
    });
    if (!first.ok) throw new Error(first.message);
    expect(first.state.recoveredMinor).toBeUndefined();
    expect(json(first.state)).toBe(json(close(chargedOff(), '2026-10-10').state));
    expect(afterFirst).not.toBe(json(first.state));
  });

  it('the stored forms carry the recovered amount; documents without it read as zero', () => {
    const book = chargedOff();
    const contract = { ...book.state };
    expect(serializeCompactLoanState(book.state).recovered).toBeUndefined();
    expect(serializeLoanState(book.state).recoveredMinor).toBeUndefined();
    pay(book, { amountMinor: minor('1000.00'), on: '2026-10-01' });
    const compact = serializeCompactLoanState(book.state);
    expect(compact.recovered).toBe('100000');
    expect(deserializeCompactLoanState(compact, contract)).toEqual(book.state);
    expect(deserializeLoanState(serializeLoanState(book.state))).toEqual(book.state);
    const { recovered: _dropped, ...old } = compact;
    expect(deserializeCompactLoanState(old, contract).recoveredMinor).toBeUndefined();
    expect(() => deserializeCompactLoanState({ ...compact, recovered: 'x' }, contract)).toThrow(/recovered/);
  });
});
