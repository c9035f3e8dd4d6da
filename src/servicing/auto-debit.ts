// What an auto-debit presents. The close announces an attempt with what was collectible when it ran;
// by the time the attempt is presented the borrower may have paid (a staff or portal payment posted) or
// be paying (a portal debit reserved and in flight, another attempt presented and unanswered). Presenting
// the announced amount then would debit the borrower twice for the same installment, so the amount is
// decided again at presentment, under the loan's lock, from the loan as it stands and what is already
// on its way.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { collectibleDue } from './allocation.ts';
import type { LoanState } from './state.ts';

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
  const collectible = collectibleDue(state, toEpochDay(input.on));
  if (collectible <= 0n) return { present: false, reason: 'nothing_due' };
  const left = collectible - input.inFlightMinor;
  if (left <= 0n) return { present: false, reason: 'covered_in_flight' };
  return { present: true, amountMinor: left < input.announcedMinor ? left : input.announcedMinor };
}
