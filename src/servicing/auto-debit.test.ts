// The amount an auto-debit presents, on the contract's example loan (305.00 due 2026-03-15): what the
// loan owes now less what is already on its way, never more than the close announced.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { autoDebitPresentment } from './auto-debit.ts';
import { closeEachDay, minor, openBook, pay } from './testing.ts';

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
