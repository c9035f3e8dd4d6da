// The auto-debit amount on the contract's example loan (305.00 a month, first due 2026-03-15), with 3
// grace days, 18 % penalty from the due date (0.1275 a day on 255.00 principal, worked in close.test.ts)
// and the default retries (due date, +1, +3, +7 days): the close announces exactly what
// autoDebitCollectible answers, penalty still contingent inside grace left out. Then, over random
// histories, the close's `auto_debit_due` amount is autoDebitCollectible of the loan that day, and that is
// what is due (principal, interest, fee) plus the penalty owed now — the amount the simulator presented.
// Last, the presentment (autoDebitPresentment): what the loan owes now less what is already on its way,
// never more than the close announced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, toEpochDay } from '../calendar/index.ts';
import { autoDebitCollectible, autoDebitPresentment } from './auto-debit.ts';
import { closeDay } from './close.ts';
import { applyPayment } from './payment.ts';
import { scheduledOutstanding, type LoanState } from './state.ts';
import { loanDaySummary } from './summary.ts';
import { close, closeEachDay, eventsOf, major, minor, openBook, pay } from './testing.ts';

const rules = { autoDebit: true, graceDays: 3, penaltyAnnualRate: '0.18', penaltyStart: 'due_date' };

describe('autoDebitCollectible', () => {
  it('is what the close announces on the due date and each retry day', () => {
    const book = closeEachDay(openBook({}, rules), '2026-03-22');
    expect(
      eventsOf(book, 'auto_debit_due').map((event) => [event.date, event.attempt, major(event.amountMinor)]),
    ).toEqual([
      ['2026-03-15', 0, '305.00'],
      // Inside grace the booked penalty (0.13 on the 16th) is contingent: not collected.
      ['2026-03-16', 1, '305.00'],
      ['2026-03-18', 2, '305.00'],
      // Past grace: seven days of penalty, 0.8925 booked as 0.89.
      ['2026-03-22', 3, '305.89'],
    ]);
    expect(major(autoDebitCollectible(book.state, '2026-03-22'))).toBe('305.89');
  });

  it('includes the due date’s own installment and leaves the ones not yet due', () => {
    const book = close(openBook({}, rules), '2026-03-15');
    expect(autoDebitCollectible(book.state, '2026-03-15')).toBe(minor('305.00'));
    expect(autoDebitCollectible(book.state, '2026-03-14')).toBe(0n);
  });

  it('falls by what a payment of the day settled', () => {
    const book = close(openBook({}, rules), '2026-03-15');
    pay(book, { amountMinor: minor('100.00'), on: '2026-03-15' });
    expect(autoDebitCollectible(book.state, '2026-03-15')).toBe(minor('205.00'));
  });

  it('is nothing on a charged-off loan; a loan without auto-debit is never announced', () => {
    const chargedOff = close(openBook({}, { ...rules, chargeOffDpd: 30 }), '2026-04-20').state;
    expect(chargedOff.status).toBe('charged_off');
    expect(autoDebitCollectible(chargedOff, '2026-04-20')).toBe(0n);
    expect(
      eventsOf(closeEachDay(openBook({}, { ...rules, autoDebit: false }), '2026-03-22'), 'auto_debit_due'),
    ).toEqual([]);
  });
});

/** Principal, interest and fee due by the date plus the penalty owed now (the simulator's former sum). */
function dueAndPenalty(state: LoanState): bigint {
  const day = toEpochDay(state.closedThrough);
  const due = state.installments
    .filter((row) => row.dueEpochDay <= day)
    .reduce((total, row) => total + scheduledOutstanding(row), 0n);
  return due + loanDaySummary(state).penaltyMinor;
}

describe('autoDebitCollectible properties', () => {
  it('the close announces it, and it is what is due plus the penalty owed', () => {
    const step = fc.record({ payPermille: fc.option(fc.integer({ min: 1, max: 1200 }), { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 5 }),
        fc.constantFrom('due_date', 'retroactive', 'grace_end'),
        fc.constantFrom('installment_first', 'component_first'),
        fc.array(step, { minLength: 30, maxLength: 120 }),
        (graceDays, penaltyStart, ordering, days) => {
          let state = openBook(
            { termCount: 3 },
            { ...rules, graceDays, penaltyStart, chargeOffDpd: 60, allocation: { ordering } },
          ).state;
          let date = '2026-03-01';
          state = closeDay(state, date).state;
          for (const [index, day] of days.entries()) {
            date = addDays(date, 1);
            const closed = closeDay(state, date);
            state = closed.state;
            for (const event of closed.events) {
              if (event.type === 'auto_debit_due') expect(event.amountMinor).toBe(autoDebitCollectible(state, date));
            }
            if (day.payPermille !== undefined) {
              const amountMinor = (autoDebitCollectible(state, date) * BigInt(day.payPermille)) / 1000n;
              const paid = applyPayment(state, { paymentId: `P${index}`, amountMinor, on: date, source: 'manual' });
              if (paid.ok) state = paid.state;
            }
            if (state.status !== 'closed' && state.status !== 'charged_off') {
              expect(autoDebitCollectible(state, date)).toBe(dueAndPenalty(state));
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

const on = '2026-03-15';

describe('autoDebitPresentment', () => {
  const due = () => closeEachDay(openBook(), on);

  it('presents what was announced when nothing changed', () => {
    const decision = autoDebitPresentment({
      state: due().state,
      on,
      announcedMinor: minor('305.00'),
      inFlightMinor: 0n,
    });
    expect(decision).toEqual({ present: true, amountMinor: minor('305.00') });
  });

  it('presents only what is left after a part payment', () => {
    const book = due();
    pay(book, { amountMinor: minor('100.00'), on });
    const decision = autoDebitPresentment({
      state: book.state,
      on,
      announcedMinor: minor('305.00'),
      inFlightMinor: 0n,
    });
    expect(decision).toEqual({ present: true, amountMinor: minor('205.00') });
  });

  it('skips a loan paid in full, or covered by money on its way', () => {
    const paid = due();
    pay(paid, { amountMinor: minor('305.00'), on });
    expect(autoDebitPresentment({ state: paid.state, on, announcedMinor: minor('305.00'), inFlightMinor: 0n })).toEqual(
      { present: false, reason: 'nothing_due' },
    );
    expect(
      autoDebitPresentment({ state: due().state, on, announcedMinor: minor('305.00'), inFlightMinor: minor('305.00') }),
    ).toEqual({ present: false, reason: 'covered_in_flight' });
  });

  it('never presents more than announced, nor more than owed less what is in flight', () => {
    const state = due().state;
    const owed = minor('305.00');
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 100_000n }),
        fc.bigInt({ min: 0n, max: 100_000n }),
        (announced, inFlight) => {
          const decision = autoDebitPresentment({ state, on, announcedMinor: announced, inFlightMinor: inFlight });
          if (!decision.present) return inFlight >= owed;
          return (
            decision.amountMinor > 0n && decision.amountMinor <= announced && decision.amountMinor + inFlight <= owed
          );
        },
      ),
    );
  });
});
