// What an auto-debit asks of the borrower's account. One amount for every caller — the daily close's
// `auto_debit_due` announcement, the presentment that follows it, and the simulator's presentment:
// `autoDebitCollectible`, everything collectible on the day — principal, interest and fee of every
// installment due on or before it (the day's own installment included) and the penalty owed now (penalty
// still contingent inside grace is not collected) — which is what a regular payment of that day settles
// before paying ahead. Nothing on a loan closed or charged off.
//
// The close announces an attempt with what was collectible when it ran; by the time the attempt is
// presented the borrower may have paid (a staff or portal payment posted) or be paying (a portal debit
// reserved and in flight, another attempt presented and unanswered). Presenting the announced amount then
// would debit the borrower twice for the same installment, so `autoDebitPresentment` decides the amount
// again, from the loan as it stands and what is already on its way.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { collectibleDue } from './allocation.ts';
import type { LoanState } from './state.ts';

/** What an auto-debit on `date` collects from the loan as it stands (closed through `date`). */
export function autoDebitCollectible(state: LoanState, date: IsoDate): bigint {
  return autoDebitCollectibleOnDay(state, toEpochDay(date));
}

/** autoDebitCollectible by epoch day, for the close's day step. */
export function autoDebitCollectibleOnDay(state: LoanState, day: number): bigint {
  if (state.status === 'closed' || state.status === 'charged_off') return 0n;
  return collectibleDue(state, day);
}

export type AutoDebitPresentment =
  | { present: true; amountMinor: bigint }
  /** Nothing is left to collect once what is on its way lands; the provider is not called. */
  | { present: false; reason: 'nothing_due' | 'covered_in_flight' | 'loan_closed' };

export interface AutoDebitPresentmentInput {
  /** The loan now, closed through `on`. */
  state: LoanState;
  on: IsoDate;
  /** What the close announced for this attempt: the most it may take. */
  announcedMinor: bigint;
  /** Money on its way to this loan already: active portal reservations and other presented attempts. */
  inFlightMinor: bigint;
}

export function autoDebitPresentment(input: AutoDebitPresentmentInput): AutoDebitPresentment {
  const { state } = input;
  if (state.status === 'closed' || state.status === 'charged_off') return { present: false, reason: 'loan_closed' };
  const collectible = autoDebitCollectible(state, input.on);
  if (collectible <= 0n) return { present: false, reason: 'nothing_due' };
  const left = collectible - input.inFlightMinor;
  if (left <= 0n) return { present: false, reason: 'covered_in_flight' };
  return { present: true, amountMinor: left < input.announcedMinor ? left : input.announcedMinor };
}
