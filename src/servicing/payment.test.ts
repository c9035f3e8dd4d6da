// Payments on the contract's example loan (305.00 a month: 255.00 principal + 50.00 interest first):
// partial payments, overpayment (paid ahead or kept as credit), prepayment (shorter term or lower
// installment, re-amortised by the schedule engine), payoff quotes that close the loan exactly,
// allocation orders, waivers and the named refusals. Re-amortised amounts are checked against the
// annuity formula worked by hand: 3,745.00 at 1 % a month needs 14 payments of ≤ 305 (288) or 17 of 241.
import { describe, expect, it } from 'vitest';
import { trialBalance } from '../ledger/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import { applyPayment, payoffQuote } from './payment.ts';
import { isSettled, penaltyOutstanding, principalOutstanding, type LoanState } from './state.ts';
import { close, closeEachDay, eventsOf, major, minor, openBook, pay } from './testing.ts';
import { waive } from './waiver.ts';

function receivables(state: LoanState): bigint {
  return state.installments.reduce((sum, row) => sum + principalOutstanding(row), 0n);
}

describe('partial payments', () => {
  it('pays interest before principal and leaves the rest overdue', () => {
    const book = closeEachDay(openBook(), '2026-03-15');
    const result = pay(book, { amountMinor: minor('100.00'), on: '2026-03-15' });
    expect(result.ok && result.allocation).toEqual({
      penaltyMinor: 0n,
      feeMinor: 0n,
      interestMinor: 5000n,
      principalMinor: 5000n,
      creditBalanceMinor: 0n,
    });
    close(book, '2026-03-16');
    expect(book.state).toMatchObject({ dpd: 1, delinquent: true, status: 'overdue' });
    expect(major(principalOutstanding(book.state.installments[0]!))).toBe('205.00');
  });

  it('records the payment as cash against the receivables it settles', () => {
    const book = closeEachDay(openBook(), '2026-03-15');
    pay(book, { amountMinor: minor('100.00'), on: '2026-03-15', paymentId: 'PAY-1' });
    const entry = book.journal.at(-1);
    expect(entry).toMatchObject({ entryId: 'L1:payment:PAY-1:payment', kind: 'payment', date: '2026-03-15' });
    expect(entry?.postings).toEqual([
      { account: 'cash', debitMinor: 10000n, creditMinor: 0n },
      { account: 'interest_receivable', debitMinor: 0n, creditMinor: 5000n },
      { account: 'principal_receivable', debitMinor: 0n, creditMinor: 5000n },
    ]);
  });

  it('component_first settles one component across installments before the next', () => {
    const rules = { allocation: { order: ['interest', 'principal', 'fee', 'penalty'], ordering: 'component_first' } };
    const book = closeEachDay(openBook({}, rules), '2026-04-15');
    const result = pay(book, { amountMinor: minor('100.00'), on: '2026-04-15' });
    // Both installments' interest (50.00 + 47.45) first, then 2.55 of the oldest principal.
    expect(result.ok && result.allocation).toMatchObject({
      interestMinor: 9745n,
      principalMinor: 255n,
      penaltyMinor: 0n,
    });
    expect(book.state.installments[1]?.interestPaidMinor).toBe(4745n);
  });

  it('installment_first settles the oldest installment fully first', () => {
    const book = closeEachDay(openBook(), '2026-04-15');
    pay(book, { amountMinor: minor('310.00'), on: '2026-04-15' });
    expect(isSettled(book.state.installments[0]!)).toBe(true);
    expect(book.state.installments[1]?.interestPaidMinor).toBe(500n);
  });
});

describe('overpayment', () => {
  it('prepay_next pays the next installment ahead, principal first, so an extra sum reduces the debt', () => {
    const book = closeEachDay(openBook({}, { overpayment: 'prepay_next' }), '2026-03-15');
    const result = pay(book, { amountMinor: minor('400.00'), on: '2026-03-15' });
    // 305.00 settles installment 1; the other 95.00 goes to installment 2's principal (CONTRACTS.md's
    // example: 500.00 against a 305.00 installment posts 50.00 interest + 450.00 principal).
    expect(result.ok && result.allocation).toEqual({
      penaltyMinor: 0n,
      feeMinor: 0n,
      interestMinor: 5000n,
      principalMinor: 35000n,
      creditBalanceMinor: 0n,
    });
    expect(result.ok && result.journal[0]?.postings).toContainEqual({
      account: 'principal_receivable',
      debitMinor: 0n,
      creditMinor: 35000n,
    });
    closeEachDay(book, '2026-04-15');
    // What is left of installment 2 falls due: its interest and the rest of its principal.
    expect(eventsOf(book, 'due').at(-1)).toMatchObject({ installmentNumber: 2, amountMinor: 21000n });
    expect(book.journal.filter((e) => e.kind === 'interest_recognition').map((e) => e.date)).toEqual([
      '2026-03-15',
      '2026-04-15',
    ]);
    expect(trialBalance(book.journal, '2026-04-15').accounts.interest_income.balanceMinor).toBe(9745n);
  });

  it('credit_balance keeps the excess and spends it when the next installment falls due', () => {
    const book = closeEachDay(openBook({}, { overpayment: 'credit_balance' }), '2026-03-15');
    const result = pay(book, { amountMinor: minor('400.00'), on: '2026-03-15' });
    expect(result.ok && result.allocation).toMatchObject({
      interestMinor: 5000n,
      principalMinor: 25500n,
      creditBalanceMinor: 9500n,
    });
    expect(book.state.creditBalanceMinor).toBe(9500n);
    expect(trialBalance(book.journal, '2026-03-15').accounts.borrower_credit.balanceMinor).toBe(9500n);
    closeEachDay(book, '2026-04-15');
    expect(eventsOf(book, 'credit_applied')).toMatchObject([{ date: '2026-04-15', amountMinor: 9500n }]);
    expect(eventsOf(book, 'due').at(-1)).toMatchObject({ installmentNumber: 2, amountMinor: 21000n });
    expect(book.state.creditBalanceMinor).toBe(0n);
    expect(trialBalance(book.journal, '2026-04-15').accounts.borrower_credit.balanceMinor).toBe(0n);
  });

  it('an early payment in credit_balance mode pays the installment on its due date, on time', () => {
    const book = closeEachDay(openBook({}, { overpayment: 'credit_balance' }), '2026-03-10');
    pay(book, { amountMinor: minor('305.00'), on: '2026-03-10' });
    closeEachDay(book, '2026-03-20');
    expect(book.state.installments[0]?.paidOn).toBe('2026-03-15');
    expect(book.state.dpd).toBe(0);
    expect(eventsOf(book, 'due')).toEqual([]);
  });

  it('refuses a payment above everything the loan still owes', () => {
    const book = openBook();
    const total = book.state.installments.reduce((sum, row) => sum + row.principalDueMinor + row.interestDueMinor, 0n);
    const result = applyPayment(book.state, {
      paymentId: 'X',
      amountMinor: total + 1n,
      on: '2026-03-01',
      source: 'manual',
    });
    expect(result).toMatchObject({ ok: false, code: 'payment_exceeds_outstanding' });
  });
});

describe('prepayment', () => {
  it('shorten_term keeps the installment at most 305 and drops installments: 14 of 288 remain', () => {
    const book = closeEachDay(openBook({}, { prepayment: 'shorten_term' }), '2026-03-15');
    const result = pay(book, { amountMinor: minor('1305.00'), on: '2026-03-15', mode: 'prepayment' });
    expect(result.ok && result.allocation).toMatchObject({ interestMinor: 5000n, principalMinor: 125500n });
    expect(eventsOf(book, 'prepaid')).toMatchObject([{ principalMinor: 100000n, installmentCount: 15 }]);
    const rows = book.state.installments.slice(1);
    expect(rows).toHaveLength(14);
    expect(rows.slice(0, -1).map((row) => major(principalOutstanding(row) + row.interestDueMinor))).toEqual(
      new Array(13).fill('288.00'),
    );
    expect(rows.at(-1)?.dueDate).toBe('2027-05-15');
    expect(receivables(book.state)).toBe(minor('3745.00'));
    // The principal due over the loan still sums to the loan's principal; 1,000.00 shows as paid ahead.
    expect(book.state.installments.reduce((sum, row) => sum + row.principalDueMinor, 0n)).toBe(minor('5000.00'));
    expect(rows[0]?.principalPaidMinor).toBe(100000n);
  });

  it('lower_installment keeps 17 installments and lowers them to 241, as the engine builds 3,745.00 over 17', () => {
    const book = closeEachDay(openBook({}, { prepayment: 'lower_installment' }), '2026-03-15');
    pay(book, { amountMinor: minor('1305.00'), on: '2026-03-15', mode: 'prepayment' });
    const expected = buildSchedule(
      parseLoanTerms({
        principal: '3745.00',
        annualRate: '0.12',
        termCount: 17,
        startDate: '2026-03-15',
        rounding: { installmentMultiple: '1' },
      }),
    );
    const rows = book.state.installments.slice(1);
    expect(rows.map((row) => [row.dueDate, principalOutstanding(row), row.interestDueMinor])).toEqual(
      expected.installments.map((row) => [row.dueDate, row.principalMinor, row.interestMinor]),
    );
    expect(major(principalOutstanding(rows[0]!) + rows[0]!.interestDueMinor)).toBe('241.00');
  });

  it('mid-period, the running period keeps its scheduled interest; later periods are rebuilt', () => {
    const book = closeEachDay(openBook({}, { prepayment: 'lower_installment' }), '2026-03-15');
    pay(book, { amountMinor: minor('305.00'), on: '2026-03-15' });
    pay(book, { amountMinor: minor('1000.00'), on: '2026-03-31', mode: 'prepayment' });
    const next = book.state.installments[1]!;
    expect(next.interestDueMinor).toBe(4745n); // 4,745.00 × 1 % on the balance the period started with
    expect(receivables(book.state)).toBe(minor('3745.00'));
  });

  it('refuses a prepayment above the principal outstanding (that is a payoff)', () => {
    const book = closeEachDay(openBook(), '2026-03-15');
    const result = applyPayment(book.state, {
      paymentId: 'X',
      amountMinor: minor('5050.01'),
      on: '2026-03-15',
      source: 'manual',
      mode: 'prepayment',
    });
    expect(result).toMatchObject({ ok: false, code: 'payment_exceeds_outstanding' });
  });
});

describe('payoff', () => {
  it('the quote pays the loan off exactly: closed, nothing outstanding, receivables zero', () => {
    const book = closeEachDay(
      openBook({ fees: [{ kind: 'per_installment', amount: '5.00' }] }, { graceDays: 3, penaltyAnnualRate: '0.18' }),
      '2026-04-20',
    );
    const quoted = payoffQuote(book.state, '2026-04-22');
    expect(quoted.ok).toBe(true);
    if (!quoted.ok) return;
    const { quote } = quoted;
    // Installments 1 and 2 in full (with fees and penalty), the running period's interest, all principal.
    expect(quote).toMatchObject({ feeMinor: 1000n, principalMinor: 500000n, creditAppliedMinor: 0n });
    // 50.00 + 47.45 due, and 44.87 for the running third period (1 % of 4,487.45).
    expect(quote.interestMinor).toBe(5000n + 4745n + 4487n);
    expect(quote.totalMinor).toBe(quote.penaltyMinor + quote.feeMinor + quote.interestMinor + quote.principalMinor);
    const result = pay(book, { amountMinor: quote.totalMinor, on: '2026-04-22', mode: 'payoff' });
    expect(result.ok).toBe(true);
    expect(book.state).toMatchObject({
      status: 'closed',
      closedOn: '2026-04-22',
      nextEventDate: null,
      dpd: 0,
      creditBalanceMinor: 0n,
    });
    expect(book.state.installments.every((row) => isSettled(row) && penaltyOutstanding(row) === 0n)).toBe(true);
    const ledger = trialBalance(book.journal, '2026-04-22').accounts;
    for (const account of [
      'principal_receivable',
      'interest_receivable',
      'fee_receivable',
      'penalty_receivable',
      'borrower_credit',
    ] as const) {
      expect(ledger[account].balanceMinor).toBe(0n);
    }
    expect(eventsOf(book, 'closed')).toMatchObject([{ date: '2026-04-22' }]);
    expect(
      applyPayment(book.state, { paymentId: 'late', amountMinor: 1n, on: '2026-04-23', source: 'manual' }),
    ).toMatchObject({
      ok: false,
      code: 'loan_closed',
    });
  });

  it('uses the credit balance and refuses an amount other than the quote', () => {
    const book = closeEachDay(openBook({}, { overpayment: 'credit_balance' }), '2026-03-15');
    pay(book, { amountMinor: minor('400.00'), on: '2026-03-15' });
    const quoted = payoffQuote(book.state, '2026-03-15');
    if (!quoted.ok) throw new Error('quote refused');
    expect(quoted.quote).toMatchObject({
      principalMinor: 474500n,
      interestMinor: 0n,
      creditAppliedMinor: 9500n,
      totalMinor: 465000n,
    });
    expect(
      applyPayment(book.state, {
        paymentId: 'X',
        amountMinor: 465001n,
        on: '2026-03-15',
        source: 'manual',
        mode: 'payoff',
      }),
    ).toMatchObject({
      ok: false,
      code: 'payoff_amount_mismatch',
    });
    const result = pay(book, { amountMinor: 465000n, on: '2026-03-15', mode: 'payoff' });
    expect(result.ok && result.allocation).toMatchObject({ principalMinor: 474500n, creditBalanceMinor: -9500n });
    expect(book.state.status).toBe('closed');
  });

  it('paying the last installment closes the loan', () => {
    const book = closeEachDay(openBook({ termCount: 2, principal: '1000.00' }), '2026-04-15');
    const owed = book.state.installments.reduce((sum, row) => sum + row.principalDueMinor + row.interestDueMinor, 0n);
    pay(book, { amountMinor: owed, on: '2026-04-15' });
    expect(book.state.status).toBe('closed');
  });
});

describe('refusals and waivers', () => {
  it('names each refusal and leaves the state untouched', () => {
    const book = closeEachDay(openBook(), '2026-03-20');
    const before = book.state;
    expect(applyPayment(before, { paymentId: 'X', amountMinor: 0n, on: '2026-03-20', source: 'manual' })).toMatchObject(
      { code: 'amount_not_positive' },
    );
    expect(applyPayment(before, { paymentId: 'X', amountMinor: 1n, on: '2026-03-19', source: 'manual' })).toMatchObject(
      {
        code: 'payment_date_before_close',
      },
    );
    expect(book.state).toBe(before);
  });

  it('waives penalty to waiver expense and settles an installment by waiving its interest', () => {
    const book = closeEachDay(openBook({}, { penaltyAnnualRate: '0.18' }), '2026-03-25');
    const penalty = waive(book.state, { waiverId: 'W1', on: '2026-03-25', component: 'penalty' });
    expect(penalty.ok && penalty.waivedMinor).toBe(128n); // 10 × 0.1275 = 1.275
    expect(penalty.ok && penalty.journal[0]?.postings).toEqual([
      { account: 'waiver_expense', debitMinor: 128n, creditMinor: 0n },
      { account: 'penalty_receivable', debitMinor: 0n, creditMinor: 128n },
    ]);
    if (!penalty.ok) return;
    const paid = applyPayment(penalty.state, {
      paymentId: 'P',
      amountMinor: 25500n,
      on: '2026-03-25',
      source: 'manual',
      mode: 'regular',
    });
    if (!paid.ok) throw new Error(paid.message);
    // Allocation: interest first (50.00), so 205.00 of principal is paid and 50.00 of principal remains.
    expect(waive(paid.state, { waiverId: 'W2', on: '2026-03-25', component: 'interest' })).toMatchObject({
      ok: false,
      code: 'nothing_to_waive',
    });
    const rest = waive(paid.state, {
      waiverId: 'W3',
      on: '2026-03-25',
      component: 'principal',
      installmentNumber: 1,
      amountMinor: 5000n,
    });
    expect(rest.ok && rest.state).toMatchObject({ dpd: 0, delinquent: false, status: 'active' });
    expect(rest.ok && rest.events.map((event) => event.type)).toEqual([
      'waived',
      'cured',
      'bucket_changed',
      'status_changed',
    ]);
    expect(
      waive(paid.state, { waiverId: 'W4', on: '2026-03-25', component: 'penalty', amountMinor: 1n }),
    ).toMatchObject({
      ok: false,
      code: 'nothing_to_waive',
    });
  });
});
