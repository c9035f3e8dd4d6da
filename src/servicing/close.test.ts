// The daily close, one behaviour at a time, on the contract's example loan (5,000.00 at 12 % over 18
// months, 305.00 a month, first due 2026-03-15): grace (paid inside it → never delinquent, no penalty),
// delinquency from DPD graceDays + 1, penalty from each of the three starts to the cent, buckets, events,
// charge-off, auto-debit, catch-up over skipped days and idempotence. Expected penalty amounts are worked
// out by hand: 255.00 overdue principal × 18 % / 360 = 0.1275 a day, booked as the exact running total
// rounded half-up.
import { describe, expect, it } from 'vitest';
import { trialBalance } from '../ledger/index.ts';
import { closeDay } from './close.ts';
import { serializeLoanState } from './state.ts';
import { loanDaySummary } from './summary.ts';
import { close, closeEachDay, eventsOf, major, openBook, pay } from './testing.ts';

const grace3 = { graceDays: 3, penaltyAnnualRate: '0.18' };

function penaltyBy(start: string, date: string, rules: Record<string, unknown> = {}): string {
  const book = closeEachDay(openBook({}, { ...grace3, penaltyStart: start, ...rules }), date);
  return major(loanDaySummary(book.state).penaltyMinor + loanDaySummary(book.state).penaltyInGraceMinor);
}

describe('grace days (宽限期)', () => {
  for (const start of ['due_date', 'retroactive', 'grace_end']) {
    it(`a payment on the last grace day leaves the loan never delinquent and charges no penalty (${start})`, () => {
      const book = openBook({}, { ...grace3, penaltyStart: start });
      const days: unknown[] = [];
      closeEachDay(book, '2026-03-18', (state) => {
        const view = loanDaySummary(state);
        days.push([
          view.date,
          view.dpd,
          view.delinquent,
          view.inGrace,
          view.bucket,
          view.status,
          major(view.penaltyMinor),
        ]);
      });
      expect(days.slice(-4)).toEqual([
        ['2026-03-15', 0, false, false, 'M0', 'active', '0.00'],
        ['2026-03-16', 1, false, true, 'M0', 'active', '0.00'],
        ['2026-03-17', 2, false, true, 'M0', 'active', '0.00'],
        ['2026-03-18', 3, false, true, 'M0', 'active', '0.00'],
      ]);
      const result = pay(book, { amountMinor: 30500n, on: '2026-03-18' });
      expect(result.ok && result.allocation).toEqual({
        penaltyMinor: 0n,
        feeMinor: 0n,
        interestMinor: 5000n,
        principalMinor: 25500n,
        creditBalanceMinor: 0n,
      });
      closeEachDay(book, '2026-04-10', (state) => expect(state.delinquent).toBe(false));
      expect(eventsOf(book, 'became_delinquent')).toEqual([]);
      expect(book.state.installments[0]?.paidOn).toBe('2026-03-18');
      expect(book.state.cumulativeOverdueCount).toBe(0);
      const ledger = trialBalance(book.journal, '2026-04-10');
      expect(ledger.accounts.penalty_income.balanceMinor).toBe(0n);
      expect(ledger.accounts.penalty_receivable.balanceMinor).toBe(0n);
    });
  }

  it('under due_date, penalty booked in grace is waived as income reversed, not as a concession', () => {
    const book = closeEachDay(openBook({}, { ...grace3, penaltyStart: 'due_date' }), '2026-03-17');
    expect(major(loanDaySummary(book.state).penaltyInGraceMinor)).toBe('0.26');
    pay(book, { amountMinor: 30500n, on: '2026-03-17' });
    expect(eventsOf(book, 'penalty_waived_in_grace')).toMatchObject([{ installmentNumber: 1, amountMinor: 26n }]);
    const waiver = book.journal.find((entry) => entry.kind === 'grace_penalty_waiver');
    expect(waiver?.postings).toEqual([
      { account: 'penalty_income', debitMinor: 26n, creditMinor: 0n },
      { account: 'penalty_receivable', debitMinor: 0n, creditMinor: 26n },
    ]);
    expect(trialBalance(book.journal, '2026-03-17').accounts.waiver_expense.balanceMinor).toBe(0n);
  });

  it('a payment the day after grace is overdue: delinquent at DPD graceDays + 1 and the penalty is owed', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-03-18');
    const result = pay(book, { amountMinor: 30551n, on: '2026-03-19' });
    expect(result.ok && result.allocation.penaltyMinor).toBe(51n);
    expect(eventsOf(book, 'became_delinquent')).toMatchObject([{ date: '2026-03-19', dpd: 4 }]);
    expect(book.state.cumulativeOverdueCount).toBe(1);
    expect(book.state).toMatchObject({ dpd: 0, delinquent: false, status: 'active', closedOn: null });
  });
});

describe('delinquency and penalty past grace', () => {
  it('becomes delinquent on the first day past grace, at DPD graceDays + 1, with the events in order', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-03-20');
    const first = eventsOf(book, 'became_delinquent');
    expect(first).toEqual([{ loanId: 'L1', borrowerId: 'B1', date: '2026-03-19', type: 'became_delinquent', dpd: 4 }]);
    expect(book.events.map((event) => `${event.date} ${event.type}`)).toEqual([
      '2026-03-12 due_soon',
      '2026-03-15 due',
      '2026-03-19 grace_ended',
      '2026-03-19 became_delinquent',
      '2026-03-19 bucket_changed',
      '2026-03-19 status_changed',
    ]);
    expect(loanDaySummary(book.state)).toMatchObject({
      dpd: 5,
      delinquent: true,
      inGrace: false,
      bucket: 'M1',
      status: 'overdue',
    });
    expect(major(loanDaySummary(book.state).overdueMinor)).toBe('305.00');
  });

  it('retroactive: nothing in grace, then charged back to the due date (4 days on day 4)', () => {
    expect(penaltyBy('retroactive', '2026-03-18')).toBe('0.00');
    expect(penaltyBy('retroactive', '2026-03-19')).toBe('0.51'); // 4 × 0.1275
    expect(penaltyBy('retroactive', '2026-03-20')).toBe('0.64'); // 5 × 0.1275 = 0.6375
    expect(penaltyBy('retroactive', '2026-04-14')).toBe('3.83'); // 30 × 0.1275 = 3.825
  });

  it('due_date: accrues from the day after the due date', () => {
    expect(penaltyBy('due_date', '2026-03-16')).toBe('0.13'); // 0.1275
    expect(penaltyBy('due_date', '2026-03-17')).toBe('0.26'); // 0.255
    expect(penaltyBy('due_date', '2026-03-18')).toBe('0.38'); // 0.3825
    expect(penaltyBy('due_date', '2026-03-19')).toBe('0.51');
  });

  it('grace_end: accrues only from the day after grace ends', () => {
    expect(penaltyBy('grace_end', '2026-03-18')).toBe('0.00');
    expect(penaltyBy('grace_end', '2026-03-19')).toBe('0.13');
    expect(penaltyBy('grace_end', '2026-03-20')).toBe('0.26');
    expect(penaltyBy('grace_end', '2026-04-14')).toBe('3.44'); // 27 × 0.1275 = 3.4425
  });

  it('penalty on overdue principal and interest, at 365 days a year', () => {
    // 305.00 × 18 % / 365 = 0.150411 a day; 10 days = 1.504 → 1.50.
    const rules = { penaltyBase: 'overdue_principal_interest', penaltyDaysInYear: 365 };
    expect(penaltyBy('retroactive', '2026-03-25', rules)).toBe('1.50');
  });

  it('books each day only the increase of the rounded exact total, so daily entries sum to it', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-04-14');
    const accrued = book.journal.filter((entry) => entry.kind === 'penalty_accrual');
    expect(accrued[0]?.entryId).toBe('L1:day:2026-03-19:penalty_accrual');
    expect(accrued.map((entry) => entry.postings[0]?.debitMinor)).toContain(12n);
    expect(trialBalance(book.journal, '2026-04-14').accounts.penalty_income.balanceMinor).toBe(383n);
  });

  it('a later installment falling due while the first is delinquent counts once more', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-04-20');
    expect(book.state.installments.map((row) => row.becameDelinquent).slice(0, 3)).toEqual([true, true, false]);
    expect(book.state).toMatchObject({ cumulativeOverdueCount: 2, consecutiveOverdueCount: 2, dpd: 36 });
  });

  it('moves through buckets M0 → M1 → M2', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-04-20');
    expect(eventsOf(book, 'bucket_changed').map((event) => [event.date, event.from, event.to, event.dpd])).toEqual([
      ['2026-03-19', 'M0', 'M1', 4],
      ['2026-04-15', 'M1', 'M2', 31],
    ]);
  });

  it('counts consecutive overdue installments and resets on an installment paid on time', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-04-19');
    expect(book.state.consecutiveOverdueCount).toBe(2);
    const quote = 30500n * 2n + 1000n;
    pay(book, { amountMinor: quote, on: '2026-04-19' });
    closeEachDay(book, '2026-05-15');
    pay(book, { amountMinor: 30500n, on: '2026-05-15' });
    expect(book.state.installments[2]?.paidOn).toBe('2026-05-15');
    expect(book.state).toMatchObject({ consecutiveOverdueCount: 0, cumulativeOverdueCount: 2 });
  });
});

describe('penalty as a multiple of the contract rate (罚息 = 合同利率 × 1.5)', () => {
  it('charges 1.5 × 12 % exactly as an absolute 18 % would, to the cent and in the journal', () => {
    const multiple = closeEachDay(openBook({}, { graceDays: 3, penaltyRateMultiple: '1.5' }), '2026-04-10');
    const absolute = closeEachDay(openBook({}, grace3), '2026-04-10');
    // 255.00 × 18 % / 360 = 0.1275 a day, from 2026-03-16 through 2026-04-10: 26 days = 3.315 → 3.32.
    expect(major(loanDaySummary(multiple.state).penaltyMinor)).toBe('3.32');
    expect(loanDaySummary(multiple.state).penaltyMinor).toBe(loanDaySummary(absolute.state).penaltyMinor);
    const accrued = (book: typeof multiple) =>
      trialBalance(book.journal, '2026-04-10').accounts.penalty_income.balanceMinor;
    expect(accrued(multiple)).toBe(accrued(absolute));
  });

  it('follows a change of the contract rate from the day it applies', () => {
    const book = closeEachDay(openBook({}, { graceDays: 3, penaltyRateMultiple: '1.5' }), '2026-03-25');
    // 10 days at 0.1275 = 1.275; then the contract rate becomes 24 %, so the penalty 36 %: 0.255 a day.
    expect(major(loanDaySummary(book.state).penaltyMinor)).toBe('1.28');
    book.state = { ...book.state, terms: { ...book.state.terms, annualRate: { numerator: 6n, denominator: 25n } } };
    closeEachDay(book, '2026-03-30');
    // 1.275 + 5 × 0.255 = 2.55 (an absolute 18 % would give 15 × 0.1275 = 1.9125 → 1.91).
    expect(major(loanDaySummary(book.state).penaltyMinor)).toBe('2.55');
  });

  it('stops while a plan freezes accrual, like an absolute rate', () => {
    const book = closeEachDay(openBook({}, { graceDays: 3, penaltyRateMultiple: '1.5' }), '2026-03-25');
    book.state = { ...book.state, accrualFrozen: true };
    closeEachDay(book, '2026-03-30');
    expect(major(loanDaySummary(book.state).penaltyMinor)).toBe('1.28');
  });
});

describe('charge-off', () => {
  it('charges off at 180 DPD, moving every booked receivable to credit loss, and stops accruing', () => {
    const book = closeEachDay(openBook({}, { penaltyAnnualRate: '0.18' }), '2026-09-30');
    expect(eventsOf(book, 'charged_off')).toMatchObject([{ date: '2026-09-11', dpd: 180 }]);
    expect(book.state).toMatchObject({
      status: 'charged_off',
      chargedOffOn: '2026-09-11',
      nextEventDate: null,
      dpd: 180,
    });
    const ledger = trialBalance(book.journal, '2026-09-30').accounts;
    for (const account of [
      'principal_receivable',
      'interest_receivable',
      'fee_receivable',
      'penalty_receivable',
    ] as const) {
      expect(ledger[account].balanceMinor).toBe(0n);
    }
    // All 5,000.00 principal, six installments' interest (due Mar … Aug) and the penalty.
    const interest = book.state.installments.slice(0, 6).reduce((sum, row) => sum + row.interestDueMinor, 0n);
    expect(ledger.credit_loss.balanceMinor).toBe(500000n + interest + ledger.penalty_income.balanceMinor);
    expect(loanDaySummary(book.state, '2026-09-30').dpd).toBe(199);
    expect(closeDay(book.state, '2026-10-30').journal).toEqual([]);
    // A payment after charge-off is a recovery (recovery.test.ts), not a regular payment.
    expect(pay(book, { amountMinor: 100n, on: '2026-10-01' })).toMatchObject({ ok: true, recovery: true });
  });
});

describe('auto-debit presentment', () => {
  it('announces a collection on the due date and on each retry day while unpaid', () => {
    const book = closeEachDay(openBook({}, { ...grace3, autoDebit: true }), '2026-03-25');
    expect(
      eventsOf(book, 'auto_debit_due').map((event) => [event.date, event.attempt, major(event.amountMinor)]),
    ).toEqual([
      ['2026-03-15', 0, '305.00'],
      ['2026-03-16', 1, '305.00'],
      ['2026-03-18', 2, '305.00'],
      ['2026-03-22', 3, '305.89'], // 7 days' penalty: 0.8925
    ]);
  });

  it('announces nothing when disabled (the scenario writes "autoDebit": false)', () => {
    const book = closeEachDay(openBook({}, { autoDebit: false }), '2026-03-25');
    expect(eventsOf(book, 'auto_debit_due')).toEqual([]);
  });
});

describe('closing days', () => {
  it('closing a date at or before closedThrough returns the same state and no events', () => {
    const book = closeEachDay(openBook({}, grace3), '2026-03-20');
    const again = closeDay(book.state, '2026-03-18');
    expect(again.state).toBe(book.state);
    expect(again.events).toEqual([]);
    expect(again.journal).toEqual([]);
  });

  it('one close over skipped days equals closing every day', () => {
    const daily = closeEachDay(openBook({}, { ...grace3, penaltyStart: 'due_date' }), '2026-06-20');
    const once = close(openBook({}, { ...grace3, penaltyStart: 'due_date' }), '2026-06-20');
    expect(serializeLoanState(once.state)).toEqual(serializeLoanState(daily.state));
    expect(once.events).toEqual(daily.events);
    expect(once.journal).toEqual(daily.journal);
  });

  it('names the next date the close must look at the loan', () => {
    const book = openBook({}, grace3);
    expect(book.state.nextEventDate).toBe('2026-03-12'); // due soon, 3 days ahead
    close(book, '2026-03-12');
    expect(book.state.nextEventDate).toBe('2026-03-15');
    close(book, '2026-03-15');
    expect(book.state.nextEventDate).toBe('2026-03-16'); // unpaid: daily
    pay(book, { amountMinor: 30500n, on: '2026-03-15' });
    expect(book.state.nextEventDate).toBe('2026-04-12');
  });

  it('recognises interest as receivable and income on the due date (accrual accounting)', () => {
    const book = closeEachDay(openBook(), '2026-03-15');
    const entry = book.journal.find((e) => e.kind === 'interest_recognition');
    expect(entry).toMatchObject({ entryId: 'L1:day:2026-03-15:interest_recognition', date: '2026-03-15' });
    expect(entry?.postings).toEqual([
      { account: 'interest_receivable', debitMinor: 5000n, creditMinor: 0n },
      { account: 'interest_income', debitMinor: 0n, creditMinor: 5000n },
    ]);
  });
});
