// A borrower's contacts for one local day, planned from the borrower's contact state: the one place that
// turns the state (holds, promises, hardship) and the loans into the strategy planner's input. Production
// planning and the simulator's desk both call planContactDay, so they plan the same day the same way.
// Invariants: the hold is read over the local day [midnight, next midnight) (dayWindowOf); the promises
// the planner sees are every promise not kept — open ones, and broken or partly kept ones, which the
// planner itself ignores once they are past their window — so no extra memory of "broken today" is needed.
import type { IsoDate } from '../calendar/index.ts';
import type { LoanState } from '../servicing/index.ts';
import type { BorrowerContactState, PromiseToPay } from './borrower.ts';
import { holdOnDay } from './day-window.ts';
import type { ContactIntent } from './model.ts';
import { planBorrowerDay, type PlanPromise, type Strategy } from './strategy/index.ts';
import { planLoanView } from './views.ts';

/** The promises that shape a day's plan: all but the kept ones (a kept promise governs nothing). */
export function planPromisesOf(promises: readonly PromiseToPay[]): PlanPromise[] {
  return promises
    .filter((promise) => promise.status !== 'kept')
    .map((promise) => ({ loanId: promise.loanId, date: promise.date, amountMinor: promise.amountMinor }));
}

/** The strategy's intents for the borrower's local `date`, from the contact state and the loans as of `date`. */
export function planContactDay(input: {
  state: BorrowerContactState;
  date: IsoDate;
  loans: readonly LoanState[];
  strategy: Strategy;
}): ContactIntent[] {
  const { state, date, strategy } = input;
  const timezone = state.timezone;
  return planBorrowerDay({
    date,
    borrower: { id: state.borrowerId, timezone, locale: state.locale },
    loans: input.loans.map((loan) => planLoanView(loan, date)),
    hold: holdOnDay(state.holds, { date, timezone }),
    promises: planPromisesOf(state.promises),
    hardship: state.hardshipSince ? { fromDate: state.hardshipSince } : undefined,
    strategy,
  });
}
