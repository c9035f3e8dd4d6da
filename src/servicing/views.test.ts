// Loan views on the contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month, first due
// 2026-03-15; CONTRACTS.md): installment 1 is 255.00 principal + 50.00 interest (5,000.00 × 1 %), and
// the penalty is 255.00 × 18 % / 360 = 0.1275 a day (worked in close.test.ts). The charged-off balance
// (5,341.73 on 2026-09-30) is the one worked by hand in recovery.test.ts. Then properties over random
// histories: totals are the sums of the rows, and a row's paid, waived and outstanding make its total.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../calendar/index.ts';
import { closeDay } from './close.ts';
import { applyPayment, payoffQuote } from './payment.ts';
import { isSettled, type LoanState } from './state.ts';
import { close, closeEachDay, minor, openBook, pay } from './testing.ts';
import {
  installmentStatus,
  installmentViews,
  loanOutstanding,
  loanView,
  nextDue,
  unpaidInstallments,
} from './views.ts';
import { waive, waivableComponents } from './waiver.ts';

const penalty18 = { penaltyAnnualRate: '0.18' };

function statuses(state: LoanState): string[] {
  return installmentViews(state)
    .slice(0, 3)
    .map((row) => row.status);
}

describe('installment status', () => {
  it('is upcoming before the due date, due on it, overdue after it and paid once settled', () => {
    const book = openBook({}, penalty18);
    expect(statuses(close(book, '2026-03-14').state)).toEqual(['upcoming', 'upcoming', 'upcoming']);
    expect(statuses(close(book, '2026-03-15').state)).toEqual(['due', 'upcoming', 'upcoming']);
    expect(statuses(close(book, '2026-03-16').state)).toEqual(['overdue', 'upcoming', 'upcoming']);
    pay(book, { amountMinor: minor('305.13'), on: '2026-03-16' });
    expect(statuses(book.state)).toEqual(['paid', 'upcoming', 'upcoming']);
  });

  it('stays overdue while only part is paid; the part shows as paid', () => {
    const book = closeEachDay(openBook({}, penalty18), '2026-03-17');
    pay(book, { amountMinor: minor('100.00'), on: '2026-03-17' });
    const [first] = installmentViews(book.state);
    // 0.26 penalty first (two days of 0.1275, booked half-up), then 50.00 interest, 49.74 principal.
    expect(first).toMatchObject({ status: 'overdue', paidMinor: minor('99.74'), outstandingMinor: minor('205.26') });
    expect(first?.penaltyOutstandingMinor).toBe(0n);
    expect(installmentStatus(book.state, book.state.installments[0]!)).toBe('overdue');
  });
});

describe('installment view', () => {
  it('shows the schedule, and what is paid, waived and still owed', () => {
    const book = closeEachDay(openBook({}, penalty18), '2026-03-22');
    const [first, second] = installmentViews(book.state);
    expect(first).toEqual({
      number: 1,
      dueDate: '2026-03-15',
      status: 'overdue',
      principalMinor: minor('255.00'),
      interestMinor: minor('50.00'),
      feeMinor: 0n,
      totalMinor: minor('305.00'),
      paidMinor: 0n,
      waivedMinor: 0n,
      outstandingMinor: minor('305.00'),
      penaltyAccruedMinor: minor('0.89'),
      penaltyOutstandingMinor: minor('0.89'),
      paidOn: null,
    });
    expect(second).toMatchObject({
      number: 2,
      dueDate: '2026-04-15',
      status: 'upcoming',
      interestMinor: minor('47.45'),
    });
    const waived = waive(book.state, { waiverId: 'W1', on: '2026-03-22', component: 'interest' });
    expect(waived.ok).toBe(true);
    if (!waived.ok) return;
    expect(installmentViews(waived.state)[0]).toMatchObject({
      waivedMinor: minor('50.00'),
      outstandingMinor: minor('255.00'),
    });
  });

  it('of a charged-off loan owes no interest of periods after the write-off', () => {
    const state = close(openBook({}, penalty18), '2026-09-30').state;
    expect(state.status).toBe('charged_off');
    const rows = installmentViews(state);
    // Due 2026-08-15, before the charge-off on 2026-09-11: all of it. Due 2026-09-15: principal only.
    expect(rows[5]).toMatchObject({ dueDate: '2026-08-15', status: 'overdue', outstandingMinor: minor('305.00') });
    expect(rows[6]?.dueDate).toBe('2026-09-15');
    expect(rows[6]?.outstandingMinor).toBe(rows[6]?.principalMinor);
  });
});

describe('loan view', () => {
  it('totals what is owed and names the next installment not yet due', () => {
    const book = closeEachDay(openBook({}, penalty18), '2026-03-22');
    const view = loanView(book.state);
    expect(view.summary).toMatchObject({ date: '2026-03-22', dpd: 7, overdueMinor: minor('305.00') });
    expect(view.outstanding).toEqual({
      principalMinor: minor('5000.00'),
      // The schedule's interest over 18 months.
      interestMinor: minor('488.22'),
      feeMinor: 0n,
      penaltyMinor: minor('0.89'),
      totalMinor: minor('5489.11'),
    });
    expect(view.nextDue).toEqual({ number: 2, dueDate: '2026-04-15', amountMinor: minor('305.00') });
    expect(view.chargedOff).toBeNull();
  });

  it('on the due date itself, the next due is the following installment', () => {
    const book = close(openBook(), '2026-03-15');
    expect(nextDue(book.state)?.number).toBe(2);
    expect(unpaidInstallments(book.state)[0]).toEqual({
      number: 1,
      dueDate: '2026-03-15',
      amountMinor: minor('305.00'),
    });
  });

  it('of a charged-off loan: the written-off balance, no next due, the recovery order', () => {
    const state = close(openBook({}, penalty18), '2026-09-30').state;
    const view = loanView(state);
    const owed = {
      principalMinor: minor('5000.00'),
      interestMinor: minor('261.23'),
      feeMinor: 0n,
      penaltyMinor: minor('80.50'),
      totalMinor: minor('5341.73'),
    };
    expect(view.outstanding).toEqual(owed);
    expect(view.nextDue).toBeNull();
    expect(view.chargedOff).toEqual({
      on: '2026-09-11',
      owed,
      recoveredMinor: 0n,
      paymentOrder: ['principal', 'interest', 'fee', 'penalty'],
    });
  });

  it('of a paid-off loan owes nothing and has nothing due', () => {
    const book = close(openBook({ termCount: 2 }), '2026-03-15');
    const quoted = payoffQuote(book.state, '2026-03-15');
    expect(quoted.ok).toBe(true);
    if (!quoted.ok) return;
    expect(pay(book, { amountMinor: quoted.quote.totalMinor, on: '2026-03-15', mode: 'payoff' }).ok).toBe(true);
    expect(book.state.status).toBe('closed');
    expect(loanOutstanding(book.state).totalMinor).toBe(0n);
    expect(installmentViews(book.state).map((row) => row.status)).toEqual(['paid', 'paid']);
    expect(nextDue(book.state)).toBeNull();
    expect(unpaidInstallments(book.state)).toEqual([]);
  });
});

type Step =
  | { kind: 'close'; gapDays: number }
  | { kind: 'pay'; gapDays: number; permille: number }
  | { kind: 'waive'; component: (typeof waivableComponents)[number] };

const stepArbitrary: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('close' as const), gapDays: fc.integer({ min: 0, max: 60 }) }),
  fc.record({
    kind: fc.constant('pay' as const),
    gapDays: fc.integer({ min: 0, max: 40 }),
    permille: fc.integer({ min: 1, max: 1500 }),
  }),
  fc.record({ kind: fc.constant('waive' as const), component: fc.constantFrom(...waivableComponents) }),
);

const rulesArbitrary = fc.record({
  graceDays: fc.integer({ min: 0, max: 5 }),
  penaltyAnnualRate: fc.constantFrom('0', '0.18', '0.36'),
  penaltyStart: fc.constantFrom('due_date', 'retroactive', 'grace_end'),
  chargeOffDpd: fc.constantFrom(40, 180),
  overpayment: fc.constantFrom('prepay_next', 'credit_balance'),
});

const termsArbitrary = fc.record({
  termCount: fc.integer({ min: 1, max: 8 }),
  fees: fc.constantFrom([], [{ kind: 'per_installment', amount: '2.00' }]),
});

/** The states a random history passes through. */
function statesOf(terms: Record<string, unknown>, rules: Record<string, unknown>, steps: readonly Step[]): LoanState[] {
  let state = openBook(terms, rules).state;
  const states = [state];
  steps.forEach((step, index) => {
    if (step.kind === 'close') {
      state = closeDay(state, addDays(state.closedThrough, step.gapDays)).state;
    } else if (step.kind === 'pay') {
      const scale = loanOutstanding(state).totalMinor;
      const amountMinor = (scale * BigInt(step.permille)) / 1000n + 1n;
      const on = addDays(state.closedThrough, step.gapDays);
      const paid = applyPayment(state, { paymentId: `P${index}`, amountMinor, on, source: 'manual' });
      if (paid.ok) state = paid.state;
    } else {
      const waived = waive(state, { waiverId: `W${index}`, on: state.closedThrough, component: step.component });
      if (waived.ok) state = waived.state;
    }
    states.push(state);
  });
  return states;
}

describe('loan view properties', () => {
  it('totals are the sums of the rows; a row pays, waives and owes its total; next due is the first upcoming', () => {
    fc.assert(
      fc.property(termsArbitrary, rulesArbitrary, fc.array(stepArbitrary, { maxLength: 25 }), (terms, rules, steps) => {
        for (const state of statesOf(terms, rules, steps)) {
          const rows = installmentViews(state);
          const view = loanView(state);
          const sum = (pick: (row: (typeof rows)[number]) => bigint) =>
            rows.reduce((total, row) => total + pick(row), 0n);
          const { outstanding } = view;
          expect(outstanding.totalMinor).toBe(
            outstanding.principalMinor + outstanding.interestMinor + outstanding.feeMinor + outstanding.penaltyMinor,
          );
          expect(outstanding.totalMinor).toBe(sum((row) => row.outstandingMinor + row.penaltyOutstandingMinor));
          expect(outstanding.penaltyMinor).toBe(sum((row) => row.penaltyOutstandingMinor));
          for (const row of rows) {
            if (state.status === 'charged_off') {
              expect(row.paidMinor + row.waivedMinor + row.outstandingMinor).toBeLessThanOrEqual(row.totalMinor);
            } else {
              expect(row.paidMinor + row.waivedMinor + row.outstandingMinor).toBe(row.totalMinor);
            }
            expect(row.status === 'paid').toBe(isSettled(state.installments[row.number - 1]!));
          }
          const upcoming = rows.find((row) => row.status === 'upcoming');
          expect(view.nextDue?.number ?? null).toBe(
            state.status === 'charged_off' || upcoming === undefined ? null : upcoming.number,
          );
          expect(view.chargedOff === null).toBe(state.status !== 'charged_off');
          expect(unpaidInstallments(state).map((row) => row.number)).toEqual(
            rows.filter((row) => row.status !== 'paid').map((row) => row.number),
          );
        }
      }),
      { numRuns: 150 },
    );
  });
});
