// Domain events a servicing step emits: what happened to a loan on a date, for the contact engine, the
// reports and the console's "why". Plain data; amounts in minor units of the loan's currency.
import type { IsoDate } from '../calendar/index.ts';
import type { Allocation } from './allocation.ts';
import type { LoanStatus } from './state.ts';

interface EventBase {
  loanId: string;
  borrowerId: string;
  date: IsoDate;
}

export type LoanEvent = EventBase &
  (
    | { type: 'due_soon'; installmentNumber: number; dueDate: IsoDate; amountMinor: bigint }
    | { type: 'due'; installmentNumber: number; dueDate: IsoDate; amountMinor: bigint }
    /** Auto-debit presentment: collect `amountMinor` (everything collectible) today. Attempt 0 is the first. */
    | { type: 'auto_debit_due'; installmentNumber: number; attempt: number; amountMinor: bigint }
    /** Only with graceDays > 0: the installment's grace days are over and it is still unpaid. */
    | { type: 'grace_ended'; installmentNumber: number; dueDate: IsoDate }
    | { type: 'became_delinquent'; dpd: number }
    /** Delinquent → not delinquent (paid, waived or reversed back into good standing). */
    | { type: 'cured'; dpd: number }
    | { type: 'bucket_changed'; from: string; to: string; dpd: number }
    | { type: 'status_changed'; from: LoanStatus; to: LoanStatus }
    | { type: 'penalty_waived_in_grace'; installmentNumber: number; amountMinor: bigint }
    | { type: 'credit_applied'; amountMinor: bigint }
    | { type: 'payment_posted'; paymentId: string; amountMinor: bigint; allocation: Allocation }
    | { type: 'prepaid'; paymentId: string; principalMinor: bigint; installmentCount: number }
    | { type: 'waived'; waiverId: string; component: string; amountMinor: bigint }
    | { type: 'payment_reversed'; paymentId: string; reversalId: string; amountMinor: bigint; reason?: string }
    | { type: 'charged_off'; dpd: number; amountMinor: bigint }
    /** A payment on a charged-off loan (recovery.ts); `remainingMinor` is what is still written off. */
    | { type: 'recovered'; paymentId: string; amountMinor: bigint; remainingMinor: bigint }
    /** Credit balance paid back to the borrower (refund.ts); `creditBalanceMinor` is what is left. */
    | { type: 'refunded'; refundId: string; amountMinor: bigint; creditBalanceMinor: bigint }
    | { type: 'refund_reversed'; refundId: string; reversalId: string; amountMinor: bigint }
    | { type: 'closed'; creditBalanceMinor: bigint }
  );

export type LoanEventType = LoanEvent['type'];
