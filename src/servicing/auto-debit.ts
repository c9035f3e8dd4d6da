// Auto-debit: the amount a presentment asks of the borrower's account. One answer for the daily close's
// `auto_debit_due` event, for the presentment that follows it and for the simulator: everything
// collectible on the day — principal, interest and fee of every installment due on or before it (the
// day's own installment included) and the penalty owed now (penalty still contingent inside grace is
// not collected) — the amount a regular payment of that day would settle before paying ahead. Nothing
// on a loan closed, charged off or without auto-debit.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { collectibleDue } from './allocation.ts';
import type { LoanState } from './state.ts';
import type { StateDraft } from './work.ts';

/** What an auto-debit presentment on `date` collects from the loan as it stands. */
export function autoDebitCollectible(state: StateDraft | LoanState, date: IsoDate): bigint {
  return autoDebitCollectibleOnDay(state, toEpochDay(date));
}

/** autoDebitCollectible by epoch day, for the close's day step. */
export function autoDebitCollectibleOnDay(state: StateDraft | LoanState, day: number): bigint {
  if (!state.rules.autoDebit.enabled) return 0n;
  if (state.status === 'closed' || state.status === 'charged_off') return 0n;
  return collectibleDue(state, day);
}
