// Plans as ledger steps: re-installment, deferral, settlement, due-date change and re-age, checked to the
// cent on the contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month: CONTRACTS.md;
// its interest totals 488.22), and a property over random loans and histories: a plan neither creates nor
// loses money (per component, balance before + charged = balance after + waived + paid), the journal
// balances and its receivables stay the state's, and replaying the history rebuilds the state exactly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, toEpochDay } from '../calendar/index.ts';
import { assertBalanced, trialBalance, type JournalEntry } from '../ledger/index.ts';
import { buildSchedule, parseLoanTerms } from '../schedule/index.ts';
import { closeDay } from './close.ts';
import { breakPlan, deserializeTransaction, replay, serializeTransaction } from './history.ts';
import { openLoan } from './open.ts';
import { applyPayment, payoffQuote } from './payment.ts';
import {
  activatePlan,
  breakPlanKeeping,
  completePlan,
  loanBalance,
  splitByComponent,
  totalOf,
  type ComponentAmounts,
  type PlanStepResult,
  type PlanTerms,
} from './restructure.ts';
import { parseServicingRules } from './rules.ts';
import {
  feeOutstanding,
  interestOutstanding,
  penaltyOutstanding,
  principalOutstanding,
  type LoanState,
} from './state.ts';
import { closeEachDay, major, minor, openBook, pay, type Book } from './testing.ts';

const rules = { graceDays: 3, penaltyAnnualRate: '0.18' };

/** The whole state as JSON (bigints as strings), accrualFrozen included. */
function snapshot(state: LoanState): string {
  return JSON.stringify(state, (_, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

function majors(amounts: ComponentAmounts): Record<string, string> {
  return {
    principal: major(amounts.principalMinor),
    interest: major(amounts.interestMinor),
    fee: major(amounts.feeMinor),
    penalty: major(amounts.penaltyMinor),
  };
}

function apply(book: Book, result: PlanStepResult): Extract<PlanStepResult, { ok: true }> {
  if (!result.ok) throw new Error(`${result.code}: ${result.message}`);
  book.state = result.state;
  book.events.push(...result.events);
  book.journal.push(...result.journal);
  book.transactions.push(result.transaction);
  return result;
}

function ledgerMatches(book: Book): void {
  const { state } = book;
  for (const entry of book.journal) assertBalanced(entry);
  const ledger = trialBalance(book.journal, state.closedThrough).accounts;
  const day = toEpochDay(state.closedThrough);
  const sum = (pick: (row: LoanState['installments'][number]) => bigint, dueOnly: boolean): bigint =>
    state.installments.reduce((total, row) => total + (dueOnly && row.dueEpochDay > day ? 0n : pick(row)), 0n);
  if (state.status === 'charged_off') return;
  expect(ledger.principal_receivable.balanceMinor).toBe(sum(principalOutstanding, false));
  expect(ledger.interest_receivable.balanceMinor).toBe(sum(interestOutstanding, true));
  expect(ledger.fee_receivable.balanceMinor).toBe(sum(feeOutstanding, true));
  expect(ledger.penalty_receivable.balanceMinor).toBe(sum(penaltyOutstanding, false));
  expect(ledger.borrower_credit.balanceMinor).toBe(state.creditBalanceMinor);
}

function replays(book: Book): void {
  const rebuilt = replay(book.opening, book.transactions);
  expect(rebuilt.rejected).toEqual([]);
  expect(snapshot(rebuilt.state)).toBe(snapshot(book.state));
  const roundTrip = book.transactions.map((tx) => deserializeTransaction(serializeTransaction(tx)));
  expect(roundTrip).toEqual(book.transactions);
}

describe('re-installment (停息分期)', () => {
  // 2026-05-20: installments 1–3 (due 03-15, 04-15, 05-15) unpaid, DPD 66. Penalty at 18 % / 360 on
  // overdue principal: 255.00 × 0.0005 × 66 = 8.415 → 8.42; 257.55 × 0.0005 × 35 = 4.51; 260.13 ×
  // 0.0005 × 5 = 0.65; 13.58 in all. Interest due: 50.00 + 47.45 + 44.87 = 142.32.
  const overdueBook = (): Book => closeEachDay(openBook({}, rules), '2026-05-20');
  const twelveTerms: PlanTerms = { type: 're_installment', termCount: 12, firstDueDate: null };

  it('spreads principal, interest due and penalty charged over 12 equal terms at a zero rate, to the cent', () => {
    const book = overdueBook();
    expect(book.state.dpd).toBe(66);
    const result = apply(book, activatePlan(book.state, { planId: 'H1', on: '2026-05-20', terms: twelveTerms }));
    const { effect } = result;
    expect(majors(effect.balanceBefore)).toEqual({
      principal: '5000.00',
      interest: '488.22',
      fee: '0.00',
      penalty: '13.58',
    });
    // 5,155.90 / 12 = 429.66 → 430 (the loan rounds installments to whole yuan); the last takes 425.90.
    expect(majors(effect.balanceAfter)).toEqual({
      principal: '5000.00',
      interest: '142.32',
      fee: '0.00',
      penalty: '13.58',
    });
    // Interest of periods to come (488.22 − 142.32) is given up.
    expect(majors(effect.waived)).toEqual({ principal: '0.00', interest: '345.90', fee: '0.00', penalty: '0.00' });
    const rows = effect.scheduleAfter.map((row) => [
      row.number,
      row.dueDate,
      major(row.principalMinor),
      major(row.interestMinor),
      major(row.penaltyMinor),
      major(row.totalMinor),
    ]);
    // Each component's share of 430.00: interest ⌊430.00 × 142.32 / 5,155.90⌋ = 11.86, penalty
    // ⌊430.00 × 13.58 / 5,155.90⌋ = 1.13, principal the rest (417.01); running totals keep the sums exact.
    expect(rows[0]).toEqual([19, '2026-06-20', '417.01', '11.86', '1.13', '430.00']);
    expect(rows[1]).toEqual([20, '2026-07-20', '417.00', '11.87', '1.13', '430.00']);
    expect(rows[3]).toEqual([22, '2026-09-20', '416.99', '11.87', '1.14', '430.00']);
    expect(rows[11]).toEqual([30, '2027-05-20', '413.01', '11.76', '1.13', '425.90']);
    expect(rows).toHaveLength(12);
    expect(effect.planInstallments.map((item) => major(item.amountMinor))).toEqual([
      ...Array<string>(11).fill('430.00'),
      '425.90',
    ]);
    expect(effect.scheduleBefore).toHaveLength(18);
    // The loan is current again, its accrual frozen; interest moved off due rows is un-booked.
    expect(book.state).toMatchObject({ dpd: 0, bucket: 'M0', status: 'active', accrualFrozen: true });
    expect(result.events.map((event) => event.type)).toEqual(['cured', 'bucket_changed', 'status_changed']);
    expect(result.journal).toHaveLength(1);
    expect(result.journal[0]).toMatchObject({ entryId: 'L1:plan:H1:activate:plan_reschedule' });
    expect(result.journal[0]?.postings).toEqual([
      { account: 'interest_income', debitMinor: minor('142.32'), creditMinor: 0n },
      { account: 'interest_receivable', debitMinor: 0n, creditMinor: minor('142.32') },
    ]);
    ledgerMatches(book);
    replays(book);
  });

  it('plan installments paid on their due dates pay the loan off; the close books each one as it falls due', () => {
    const book = overdueBook();
    apply(book, activatePlan(book.state, { planId: 'H1', on: '2026-05-20', terms: twelveTerms }));
    for (const row of book.state.installments.filter((r) => r.number >= 19)) {
      closeEachDay(book, row.dueDate);
      const paid = pay(book, { amountMinor: totalOf(loanBalance({ installments: [row] })), on: row.dueDate });
      if (!paid.ok) throw new Error(paid.message);
      ledgerMatches(book);
    }
    expect(book.state.status).toBe('closed');
    expect(book.state.closedOn).toBe('2027-05-20');
    const done = apply(book, completePlan(book.state, { planId: 'H1', on: '2027-05-20', terms: twelveTerms }));
    expect(done.state.accrualFrozen).toBeUndefined();
    replays(book);
  });

  it('splits to the cent with the default rounding (0.01) and keeps each installment equal', () => {
    const book = closeEachDay(openBook({ rounding: { installmentMultiple: '0.01' } }, rules), '2026-04-20');
    const result = apply(
      book,
      activatePlan(book.state, {
        planId: 'H2',
        on: '2026-04-20',
        terms: { type: 're_installment', termCount: 6, firstDueDate: '2026-05-05' },
      }),
    );
    const totals = result.effect.scheduleAfter.map((row) => row.totalMinor);
    const sum = totals.reduce((a, b) => a + b, 0n);
    expect(sum).toBe(totalOf(result.effect.balanceAfter));
    // Equal installments to the cent (the engine at a zero rate), the last taking what rounding left.
    expect(new Set(totals.slice(0, 5)).size).toBe(1);
    expect(result.effect.scheduleAfter[0]?.dueDate).toBe('2026-05-05');
    expect(result.effect.scheduleAfter[5]?.dueDate).toBe('2026-10-05');
    ledgerMatches(book);
    replays(book);
  });

  it('books no penalty on a frozen loan while a plan installment is late; a break lifts the freeze', () => {
    const book = overdueBook();
    apply(book, activatePlan(book.state, { planId: 'H1', on: '2026-05-20', terms: twelveTerms }));
    const penaltyOf = () => book.state.installments.reduce((total, row) => total + row.penaltyAccruedMinor, 0n);
    const frozenPenalty = penaltyOf();
    // The first plan installment (due 2026-06-20) stays unpaid for ten days: no penalty accrues.
    closeEachDay(book, '2026-06-30');
    expect(book.state.dpd).toBe(10);
    expect(penaltyOf()).toBe(frozenPenalty);
    ledgerMatches(book);
    // Broken (keeping the schedule), the freeze is lifted and penalty accrues again from the next day.
    apply(book, breakPlanKeeping(book.state, { planId: 'H1', on: '2026-06-30', terms: twelveTerms }));
    closeEachDay(book, '2026-07-05');
    expect(penaltyOf()).toBeGreaterThan(frozenPenalty);
    ledgerMatches(book);
  });

  it('a payoff during a re-installment collects the rescheduled arrears too, and pays the loan off exactly', () => {
    const book = overdueBook();
    apply(book, activatePlan(book.state, { planId: 'H1', on: '2026-05-20', terms: twelveTerms }));
    const owed = totalOf(loanBalance(book.state));
    closeEachDay(book, '2026-06-05');
    const quote = payoffQuote(book.state, '2026-06-05');
    if (!quote.ok) throw new Error(quote.message);
    // Nothing of the plan's balance is dropped: no interest is running at a zero rate.
    expect(quote.quote.totalMinor).toBe(owed);
    const paid = pay(book, { amountMinor: quote.quote.totalMinor, on: '2026-06-05', mode: 'payoff' });
    if (!paid.ok) throw new Error(paid.message);
    expect(book.state.status).toBe('closed');
    ledgerMatches(book);
    replays(book);
  });

  it('refuses a first due date on or before the plan date and a loan with nothing to spread', () => {
    const book = overdueBook();
    const early = activatePlan(book.state, {
      planId: 'H3',
      on: '2026-05-20',
      terms: { type: 're_installment', termCount: 3, firstDueDate: '2026-05-20' },
    });
    expect(early).toMatchObject({ ok: false, code: 'invalid_plan_terms' });
    const zeroTerms = activatePlan(book.state, {
      planId: 'H3',
      on: '2026-05-20',
      terms: { type: 're_installment', termCount: 0, firstDueDate: null },
    });
    expect(zeroTerms).toMatchObject({ ok: false, code: 'invalid_plan_terms' });
  });
});

describe('deferral', () => {
  // 2026-03-20: installment 1 (03-15: 255.00 principal + 50.00 interest) is 5 days overdue, past its 3
  // grace days, so its retroactive penalty is 255.00 × 0.0005 × 5 = 0.6375 → 0.64.
  const lateBook = (): Book => closeEachDay(openBook({}, rules), '2026-03-20');

  it('moves every unpaid installment two months later; no interest for the deferral', () => {
    const book = lateBook();
    const result = apply(
      book,
      activatePlan(book.state, {
        planId: 'D1',
        on: '2026-03-20',
        terms: { type: 'deferral', unit: 'period', count: 2, interest: 'none' },
      }),
    );
    const dates = book.state.installments.map((row) => row.dueDate);
    expect(dates[0]).toBe('2026-05-15');
    expect(dates[17]).toBe('2027-10-15');
    expect(majors(result.effect.balanceAfter)).toEqual(majors(result.effect.balanceBefore));
    expect(majors(result.effect.balanceAfter)).toEqual({
      principal: '5000.00',
      interest: '488.22',
      fee: '0.00',
      penalty: '0.64',
    });
    expect(book.state).toMatchObject({ dpd: 0, bucket: 'M0', status: 'active' });
    // Installment 1's interest is due again only on 05-15: un-booked now, booked by the close then.
    expect(result.journal[0]?.postings).toEqual([
      { account: 'interest_income', debitMinor: minor('50.00'), creditMinor: 0n },
      { account: 'interest_receivable', debitMinor: 0n, creditMinor: minor('50.00') },
    ]);
    closeEachDay(book, '2026-05-16');
    expect(book.state.dpd).toBe(1);
    ledgerMatches(book);
    replays(book);
  });

  it('with interest accrue: 5,000.00 × 1 % × 2 months = 100.00 added to the first moved installment', () => {
    const book = lateBook();
    const result = apply(
      book,
      activatePlan(book.state, {
        planId: 'D2',
        on: '2026-03-20',
        terms: { type: 'deferral', unit: 'period', count: 2, interest: 'accrue' },
      }),
    );
    expect(major(result.effect.charged.interestMinor)).toBe('100.00');
    expect(result.effect.scheduleAfter[0]).toMatchObject({ dueDate: '2026-05-15', interestMinor: minor('150.00') });
    expect(major(totalOf(result.effect.balanceAfter))).toBe('5588.86');
    ledgerMatches(book);
    replays(book);
  });

  it('by days, and refused when the first installment would still be past due', () => {
    const book = lateBook();
    const short = activatePlan(book.state, {
      planId: 'D3',
      on: '2026-03-20',
      terms: { type: 'deferral', unit: 'day', count: 5, interest: 'none' },
    });
    expect(short).toMatchObject({ ok: false, code: 'deferral_too_short' });
    if (!short.ok) expect(short.message).toContain('2026-03-20');
    const days = apply(
      book,
      activatePlan(book.state, {
        planId: 'D3',
        on: '2026-03-20',
        terms: { type: 'deferral', unit: 'day', count: 30, interest: 'accrue' },
      }),
    );
    // 5,000.00 × 12 % × 30 / 365 = 49.315… → 49.32
    expect(major(days.effect.charged.interestMinor)).toBe('49.32');
    expect(book.state.installments[0]?.dueDate).toBe('2026-04-14');
    replays(book);
  });
});

describe('due-date change', () => {
  it('moves every installment not yet due to the new day nearest the old due date, money unchanged', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-01');
    const result = apply(
      book,
      activatePlan(book.state, { planId: 'C1', on: '2026-03-01', terms: { type: 'due_date_change', dayOfMonth: 5 } }),
    );
    expect(book.state.installments.slice(0, 3).map((row) => row.dueDate)).toEqual([
      '2026-03-05',
      '2026-04-05',
      '2026-05-05',
    ]);
    expect(totalOf(result.effect.waived) + totalOf(result.effect.charged)).toBe(0n);
    expect(result.journal).toEqual([]);
    const day31 = activatePlan(book.state, {
      planId: 'C2',
      on: '2026-03-01',
      terms: { type: 'due_date_change', dayOfMonth: 31 },
    });
    if (!day31.ok) throw new Error(day31.message);
    // Day 31 clamps to each month's last day.
    expect(day31.state.installments.slice(0, 3).map((row) => row.dueDate)).toEqual([
      '2026-03-31',
      '2026-04-30',
      '2026-05-31',
    ]);
    const same = activatePlan(book.state, {
      planId: 'C3',
      on: '2026-03-01',
      terms: { type: 'due_date_change', dayOfMonth: 5 },
    });
    expect(same).toMatchObject({ ok: false, code: 'plan_not_applicable' });
    replays(book);
  });

  it('is refused for a loan that is not monthly', () => {
    const book = openBook({ frequency: { every: 2, unit: 'week' } }, rules);
    const result = activatePlan(book.state, {
      planId: 'C4',
      on: '2026-02-20',
      terms: { type: 'due_date_change', dayOfMonth: 5 },
    });
    expect(result).toMatchObject({ ok: false, code: 'plan_not_applicable' });
  });
});

describe('settlement', () => {
  it('waives the rest once the lump sum is paid: the loan closes, the waiver is booked to expense', () => {
    const book = closeEachDay(openBook({}, rules), '2026-05-20');
    const terms: PlanTerms = { type: 'settlement', amountMinor: minor('3000.00'), deadline: '2026-06-19' };
    const activation = apply(book, activatePlan(book.state, { planId: 'S1', on: '2026-05-20', terms }));
    expect(activation.effect.planInstallments).toEqual([
      { number: null, dueDate: '2026-06-19', amountMinor: minor('3000.00') },
    ]);
    expect(totalOf(activation.effect.waived)).toBe(0n);
    pay(book, { amountMinor: minor('1000.00'), on: '2026-05-25' });
    pay(book, { amountMinor: minor('2000.00'), on: '2026-06-10' });
    const current = closeDay(book.state, '2026-06-10').state;
    const before = loanBalance(current);
    const result = apply(book, completePlan(book.state, { planId: 'S1', on: '2026-06-10', terms }));
    expect(result.state.status).toBe('closed');
    expect(result.effect.waived).toEqual(before);
    expect(totalOf(result.effect.balanceAfter)).toBe(0n);
    // Interest and fees of periods to come were never booked: cancelled, not written off.
    const day = toEpochDay('2026-06-10');
    const unbooked = current.installments
      .filter((row) => row.dueEpochDay > day)
      .reduce((sum, row) => sum + interestOutstanding(row) + feeOutstanding(row), 0n);
    const expense = trialBalance(book.journal, '2026-06-10').accounts.waiver_expense.balanceMinor;
    expect(expense).toBe(totalOf(before) - unbooked);
    expect(result.journal.map((entry) => entry.kind)).toEqual(['plan_waiver']);
    ledgerMatches(book);
    replays(book);
  });

  it('is refused at or above the balance and after its deadline', () => {
    const book = closeEachDay(openBook({}, rules), '2026-05-20');
    const high = activatePlan(book.state, {
      planId: 'S2',
      on: '2026-05-20',
      terms: { type: 'settlement', amountMinor: minor('5501.80'), deadline: '2026-06-19' },
    });
    expect(high).toMatchObject({ ok: false, code: 'settlement_not_below_balance' });
    const late = activatePlan(book.state, {
      planId: 'S2',
      on: '2026-05-20',
      terms: { type: 'settlement', amountMinor: minor('3000.00'), deadline: '2026-05-19' },
    });
    expect(late).toMatchObject({ ok: false, code: 'settlement_deadline_passed' });
  });
});

describe('re-age', () => {
  it('after the on-time payments, moves what is past due to one installment after the last: DPD 0, bucket M0', () => {
    const book = closeEachDay(openBook({}, rules), '2026-04-01');
    expect(book.state).toMatchObject({ dpd: 17, bucket: 'M1' });
    const terms: PlanTerms = { type: 're_age', onTimePayments: 3 };
    const activation = apply(book, activatePlan(book.state, { planId: 'A1', on: '2026-04-01', terms }));
    expect(activation.effect.planInstallments.map((item) => [item.dueDate, major(item.amountMinor)])).toEqual([
      ['2026-04-15', '305.00'],
      ['2026-05-15', '305.00'],
      ['2026-06-15', '305.00'],
    ]);
    for (const date of ['2026-04-15', '2026-05-15', '2026-06-15']) {
      closeEachDay(book, date);
      pay(book, { amountMinor: minor('305.00'), on: date });
    }
    closeEachDay(book, '2026-06-20');
    // Payments go to the oldest installment first: one installment stays past due all along.
    expect(book.state.dpd).toBe(36);
    const owedBefore = loanBalance(book.state);
    const result = apply(book, completePlan(book.state, { planId: 'A1', on: '2026-06-20', terms }));
    expect(book.state).toMatchObject({ dpd: 0, bucket: 'M0', status: 'active' });
    expect(loanBalance(book.state)).toEqual(owedBefore);
    const last = book.state.installments[book.state.installments.length - 1];
    expect(last).toMatchObject({ number: 19, dueDate: '2027-09-15' });
    expect(result.events.map((event) => event.type)).toContain('cured');
    ledgerMatches(book);
    replays(book);
  });

  it('is refused when nothing is past due', () => {
    const book = openBook({}, rules);
    const result = activatePlan(book.state, {
      planId: 'A2',
      on: '2026-03-01',
      terms: { type: 're_age', onTimePayments: 3 },
    });
    expect(result).toMatchObject({ ok: false, code: 'plan_not_applicable' });
  });
});

describe('breaking a plan', () => {
  const planned = (): Book => {
    const book = closeEachDay(openBook({}, rules), '2026-05-20');
    apply(
      book,
      activatePlan(book.state, {
        planId: 'H1',
        on: '2026-05-20',
        terms: { type: 're_installment', termCount: 12, firstDueDate: null },
      }),
    );
    return book;
  };
  const terms: PlanTerms = { type: 're_installment', termCount: 12, firstDueDate: null };

  it('restore: the loan becomes what it would have been without the plan, payments kept', () => {
    const book = planned();
    closeEachDay(book, '2026-06-20');
    pay(book, { amountMinor: minor('200.00'), on: '2026-06-20', paymentId: 'P1' });
    closeEachDay(book, '2026-06-24');
    const result = breakPlan(book.opening, book.transactions, book.state, {
      planId: 'H1',
      on: '2026-06-24',
      terms,
      onBreak: 'restore',
    });
    if (!result.ok) throw new Error(result.message);
    book.state = result.state;
    book.journal.push(...result.journal);
    book.transactions.push(result.transaction);
    // The same loan with no plan: every day closed, the same payment.
    const never = closeEachDay(openBook({}, rules), '2026-06-20');
    pay(never, { amountMinor: minor('200.00'), on: '2026-06-20', paymentId: 'P1' });
    closeEachDay(never, '2026-06-24');
    expect(snapshot(book.state)).toBe(snapshot(never.state));
    expect(book.state.accrualFrozen).toBeUndefined();
    // What the plan gave up is owed again.
    expect(result.effect.charged.interestMinor).toBeGreaterThan(0n);
    expect(result.journal.map((entry) => entry.kind)).toEqual(['plan_restore']);
    ledgerMatches(book);
    replays(book);
  });

  it('keep: the restructured schedule stays and accrual is no longer frozen', () => {
    const book = planned();
    closeEachDay(book, '2026-06-24');
    const result = breakPlan(book.opening, book.transactions, book.state, {
      planId: 'H1',
      on: '2026-06-24',
      terms,
      onBreak: 'keep',
    });
    if (!result.ok) throw new Error(result.message);
    const before = snapshot({ ...book.state, accrualFrozen: undefined });
    book.state = result.state;
    book.transactions.push(result.transaction);
    expect(snapshot(book.state)).toBe(before);
    expect(book.state.accrualFrozen).toBeUndefined();
    replays(book);
  });

  it('a charged-off loan breaks its plan as it stands', () => {
    const book = closeEachDay(openBook({}, { ...rules, chargeOffDpd: 40 }), '2026-04-01');
    apply(
      book,
      activatePlan(book.state, { planId: 'A1', on: '2026-04-01', terms: { type: 're_age', onTimePayments: 1 } }),
    );
    closeEachDay(book, '2026-05-01');
    expect(book.state.status).toBe('charged_off');
    expect(
      completePlan(book.state, { planId: 'A1', on: '2026-05-01', terms: { type: 're_age', onTimePayments: 1 } }),
    ).toMatchObject({
      ok: false,
      code: 'loan_charged_off',
    });
    const broken = breakPlan(book.opening, book.transactions, book.state, {
      planId: 'A1',
      on: '2026-05-01',
      terms: { type: 're_age', onTimePayments: 1 },
      onBreak: 'keep',
    });
    if (!broken.ok) throw new Error(broken.message);
    expect(broken.journal).toEqual([]);
    book.state = broken.state;
    book.transactions.push(broken.transaction);
    replays(book);
  });

  it('restore refuses an unknown plan', () => {
    const book = planned();
    const result = breakPlan(book.opening, book.transactions, book.state, {
      planId: 'nope',
      on: '2026-05-20',
      terms,
      onBreak: 'restore',
    });
    expect(result).toMatchObject({ ok: false, code: 'plan_not_found' });
  });
});

describe('splitByComponent', () => {
  it('sums per installment and per component exactly, and refuses installments too small to carry a share', () => {
    const amounts = { principalMinor: 1000n, interestMinor: 7n, feeMinor: 3n, penaltyMinor: 1n };
    const parts = splitByComponent([337n, 337n, 337n], amounts);
    if (parts === null) throw new Error('split failed');
    expect(parts.map(totalOf)).toEqual([337n, 337n, 337n]);
    expect(parts.reduce((sum, part) => sum + part.interestMinor, 0n)).toBe(7n);
    expect(parts.reduce((sum, part) => sum + part.penaltyMinor, 0n)).toBe(1n);
    expect(
      splitByComponent([0n, 1n], { principalMinor: 0n, interestMinor: 1n, feeMinor: 0n, penaltyMinor: 0n }),
    ).toEqual([
      { principalMinor: 0n, interestMinor: 0n, feeMinor: 0n, penaltyMinor: 0n },
      { principalMinor: 0n, interestMinor: 1n, feeMinor: 0n, penaltyMinor: 0n },
    ]);
  });
});

// ---- property ---------------------------------------------------------------------------------------------

const decimal = (minorUnits: number): string =>
  `${Math.floor(minorUnits / 100)}.${String(minorUnits % 100).padStart(2, '0')}`;

const termsArbitrary = fc.record({
  principal: fc.integer({ min: 10_000, max: 2_000_000 }).map(decimal),
  annualRate: fc.integer({ min: 0, max: 3600 }).map((bp) => (bp / 10_000).toFixed(4)),
  termCount: fc.integer({ min: 1, max: 8 }),
  startDate: fc.constantFrom('2026-01-31', '2026-03-01'),
  method: fc.constantFrom('equal_installment', 'equal_principal', 'interest_only', 'bullet'),
  frequency: fc.constantFrom({ every: 1, unit: 'month' }, { every: 2, unit: 'week' }),
  rounding: fc.constantFrom({ installmentMultiple: '0.01' }, { installmentMultiple: '1' }),
  fees: fc.constantFrom([], [{ kind: 'per_installment', amount: '2.00' }]),
});

const rulesArbitrary = fc.record({
  graceDays: fc.integer({ min: 0, max: 5 }),
  penaltyAnnualRate: fc.constantFrom('0', '0.18', '0.36'),
  penaltyStart: fc.constantFrom('due_date', 'retroactive', 'grace_end'),
  penaltyBase: fc.constantFrom('overdue_principal', 'overdue_principal_interest'),
  overpayment: fc.constantFrom('prepay_next', 'credit_balance'),
  chargeOffDpd: fc.constantFrom(60, 180),
});

const planArbitrary: fc.Arbitrary<PlanTerms> = fc.oneof(
  fc.record({
    type: fc.constant('deferral' as const),
    unit: fc.constantFrom('period' as const, 'day' as const),
    count: fc.integer({ min: 1, max: 60 }),
    interest: fc.constantFrom('none' as const, 'accrue' as const),
  }),
  fc.record({
    type: fc.constant('re_installment' as const),
    termCount: fc.integer({ min: 1, max: 12 }),
    firstDueDate: fc.constant(null),
  }),
  fc.record({
    type: fc.constant('settlement' as const),
    amountMinor: fc.bigInt({ min: 1n, max: 50_000n }),
    deadline: fc.constant('2099-01-01'),
  }),
  fc.record({ type: fc.constant('due_date_change' as const), dayOfMonth: fc.integer({ min: 1, max: 31 }) }),
  fc.record({ type: fc.constant('re_age' as const), onTimePayments: fc.integer({ min: 1, max: 3 }) }),
);

type Step =
  | { kind: 'close'; gapDays: number }
  | { kind: 'pay'; gapDays: number; share: number }
  | { kind: 'end'; gapDays: number; action: 'complete' | 'keep' | 'restore' };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('close' as const), gapDays: fc.integer({ min: 0, max: 40 }) }),
  fc.record({
    kind: fc.constant('pay' as const),
    gapDays: fc.integer({ min: 0, max: 30 }),
    share: fc.double({ min: 0.05, max: 1.5, noNaN: true }),
  }),
  fc.record({
    kind: fc.constant('end' as const),
    gapDays: fc.integer({ min: 0, max: 20 }),
    action: fc.constantFrom('complete' as const, 'keep' as const, 'restore' as const),
  }),
);

function runPlan(
  termsJson: Record<string, unknown>,
  rulesJson: Record<string, unknown>,
  lead: readonly Step[],
  planDays: number,
  plan: PlanTerms,
  tail: readonly Step[],
): void {
  const terms = parseLoanTerms({ currency: 'CNY', ...termsJson });
  const opened = openLoan({
    loanId: 'L',
    borrowerId: 'B',
    schedule: buildSchedule(terms),
    terms,
    rules: parseServicingRules(rulesJson),
    disbursedOn: terms.startDate,
  });
  const book: Book = {
    opening: opened.state,
    state: opened.state,
    events: [],
    journal: [...opened.journal],
    transactions: [],
  };
  let sequence = 0;
  const step = (item: Step, planLive: boolean): void => {
    sequence += 1;
    const on = addDays(book.state.closedThrough, item.gapDays);
    if (item.kind === 'close') {
      const result = closeDay(book.state, on);
      book.state = result.state;
      book.journal.push(...result.journal);
      book.transactions.push(result.transaction);
    } else if (item.kind === 'pay') {
      const first = book.state.installments.find((row) => totalOf(loanBalance({ installments: [row] })) > 0n);
      const scale = first === undefined ? 100n : totalOf(loanBalance({ installments: [first] })) + 100n;
      const amountMinor = (scale * BigInt(Math.round(item.share * 1000))) / 1000n + 1n;
      const result = applyPayment(book.state, { paymentId: `P${sequence}`, amountMinor, on, source: 'manual' });
      if (!result.ok) return;
      book.state = result.state;
      book.journal.push(...result.journal);
      book.transactions.push(result.transaction);
    } else if (planLive) {
      const input = { planId: 'X', on, terms: plan };
      const result =
        item.action === 'complete'
          ? completePlan(book.state, input)
          : breakPlan(book.opening, book.transactions, book.state, { ...input, onBreak: item.action });
      if (!result.ok) {
        expect(['loan_charged_off', 'plan_break_breaks_later_transactions']).toContain(result.code);
        return;
      }
      conservation(result);
      book.state = result.state;
      book.journal.push(...result.journal);
      book.transactions.push(result.transaction);
    }
  };
  for (const item of lead) step(item, false);
  const on = addDays(book.state.closedThrough, planDays);
  const activation = activatePlan(book.state, { planId: 'X', on, terms: plan });
  if (activation.ok) {
    conservation(activation);
    book.state = activation.state;
    book.journal.push(...activation.journal);
    book.transactions.push(activation.transaction);
  }
  ledgerMatches(book);
  let live = activation.ok;
  for (const item of tail) {
    step(item, live);
    if (item.kind === 'end') live = false;
    ledgerMatches(book);
  }
  let principalDue = 0n;
  for (const row of book.state.installments) principalDue += row.principalDueMinor;
  expect(principalDue).toBe(terms.principalMinor);
  replays(book);
}

function conservation(result: Extract<PlanStepResult, { ok: true }>): void {
  const { effect } = result;
  for (const name of ['principalMinor', 'interestMinor', 'feeMinor', 'penaltyMinor'] as const) {
    expect(effect.balanceBefore[name] + effect.charged[name]).toBe(
      effect.balanceAfter[name] + effect.waived[name] + effect.paid[name],
    );
  }
  for (const entry of result.journal as JournalEntry[]) assertBalanced(entry);
}

describe('plan properties', () => {
  it('a plan neither creates nor loses money, the journal balances, and replay rebuilds the state', () => {
    fc.assert(
      fc.property(
        termsArbitrary,
        rulesArbitrary,
        fc.array(stepArbitrary, { maxLength: 6 }),
        fc.integer({ min: 0, max: 60 }),
        planArbitrary,
        fc.array(stepArbitrary, { maxLength: 8 }),
        (terms, rulesJson, lead, planDays, plan, tail) => {
          runPlan(terms, rulesJson, lead, planDays, plan, tail);
        },
      ),
      { numRuns: 300 },
    );
  });
});
