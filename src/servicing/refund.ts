// Refunds: paying a loan's credit balance (an overpayment kept as credit, or what is left after payoff)
// back to the borrower. `applyRefund` first brings the loan to the refund's date (like a payment: an
// active loan's credit may be spent on an installment falling due on the way), then pays out at most the
// credit balance. Allowed whatever the status — a closed loan with credit left is the usual case.
// Journal: debit borrower_credit (the liability shrinks), credit cash. Refusals are result codes and
// leave the state untouched. Invariants: the credit balance never goes negative; nothing else changes.
import { toEpochDay, type IsoDate } from '../calendar/index.ts';
import { credit, debit, type JournalEntry } from '../ledger/index.ts';
import { formatMinor } from '../money/index.ts';
import { catchUp } from './close.ts';
import type { LoanEvent } from './events.ts';
import type { LoanState } from './state.ts';
import { beginWork, emit, finishWork, post } from './work.ts';

export interface RefundInput {
  refundId: string;
  amountMinor: bigint;
  on: IsoDate;
}

/** The transaction record of a refund: exactly its input, so replaying it reproduces the posting. */
export interface RefundTransaction {
  kind: 'refund';
  refundId: string;
  amountMinor: bigint;
  on: IsoDate;
}

export type RefundRejection = 'amount_not_positive' | 'refund_date_before_close' | 'refund_exceeds_credit_balance';

export type RefundResult =
  | {
      ok: true;
      state: LoanState;
      events: LoanEvent[];
      journal: JournalEntry[];
      transaction: RefundTransaction;
      /** The credit balance left after the refund. */
      creditBalanceMinor: bigint;
    }
  | { ok: false; code: RefundRejection; message: string };

/** Refunds part or all of the credit balance (or refuses with a result code). Pure. */
export function applyRefund(state: LoanState, input: RefundInput): RefundResult {
  const { refundId, amountMinor, on } = input;
  const money = (minor: bigint): string => formatMinor(minor, state.currency);
  if (amountMinor <= 0n) {
    return { ok: false, code: 'amount_not_positive', message: `amount must be positive, got ${money(amountMinor)}` };
  }
  const day = toEpochDay(on);
  if (day < toEpochDay(state.closedThrough)) {
    return {
      ok: false,
      code: 'refund_date_before_close',
      message: `refund date ${on} is before closedThrough ${state.closedThrough}`,
    };
  }
  const work = beginWork(state);
  catchUp(work, day);
  const { s } = work;
  if (amountMinor > s.creditBalanceMinor) {
    return {
      ok: false,
      code: 'refund_exceeds_credit_balance',
      message: `refund ${money(amountMinor)} is more than the ${money(s.creditBalanceMinor)} credit balance on ${on}`,
    };
  }
  s.creditBalanceMinor -= amountMinor;
  post(work, on, `refund:${refundId}`, 'refund', [debit('borrower_credit', amountMinor), credit('cash', amountMinor)]);
  emit(work, on, { type: 'refunded', refundId, amountMinor, creditBalanceMinor: s.creditBalanceMinor });
  return {
    ok: true,
    state: finishWork(work),
    events: work.events,
    journal: work.journal,
    transaction: { kind: 'refund', refundId, amountMinor, on },
    creditBalanceMinor: s.creditBalanceMinor,
  };
}
