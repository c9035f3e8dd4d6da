// Refund commands against the store: paying a loan's credit balance back to the borrower
// (`refundCredit`) and taking a refund back (`reverseRefundCredit`, when the money returns). The rules
// are the servicing core's (applyRefund, reverseRefund); this module only locks, decides and saves, as
// commands of the application layer (src/app/command.ts: idempotency by key in scope `refund` /
// `refund_reversal`, dry run, audit). Invariants: each command runs in one database transaction that
// locks the loan row first (like postPayment), and writes the loan's new state, its transaction, journal
// entries and outbox events together; a refused command writes nothing, not even its key.
import { createHash } from 'node:crypto';
import { defineCommand, planned, refuse, succeed, type Refusal } from './index.ts';
import type { IsoDate } from '../calendar/index.ts';
import type { JournalEntry } from '../ledger/index.ts';
import {
  applyRefund,
  reverseRefund,
  type LoanEvent,
  type LoanState,
  type LoanTransaction,
} from '../servicing/index.ts';
import { listLoanTransactions, saveCloseBatch, type LoanRow, type Transaction } from '../store/index.ts';
import { historyOf, journalRows, loanUpdateOf, outboxRow, readLoanState, transactionRow } from './document.ts';

export interface RefundCreditInput {
  loanId: string;
  amountMinor: bigint;
  on: IsoDate;
  /**
   * False when `on` was not given by the caller but defaulted (to today): the date is then left out of
   * the request's identity, so a retry on a later day replays the first refund instead of conflicting.
   */
  onGiven?: boolean;
}

/** What a refund answers, stored under its key and returned again on a replay. */
export interface RefundReceipt {
  refundId: string;
  loanId: string;
  borrowerId: string;
  currency: string;
  /** Minor units as decimal strings. */
  amountMinor: string;
  on: IsoDate;
  creditBalanceMinor: string;
}

export interface ReverseRefundInput {
  loanId: string;
  refundId: string;
  on: IsoDate;
  /** False when `on` defaulted to today: left out of the request's identity, as for a refund. */
  onGiven?: boolean;
}

export interface RefundReversalReceipt {
  reversalId: string;
  refundId: string;
  loanId: string;
  on: IsoDate;
  creditBalanceMinor: string;
}

/** The refund id a key names: derived, so a retried request names the same refund. */
export function refundIdOf(idempotencyKey: string): string {
  return `F${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

/** Which input field a refusal of the core is about. */
const refusalField: Readonly<Record<string, string>> = {
  amount_not_positive: 'amount',
  refund_exceeds_credit_balance: 'amount',
  refund_date_before_close: 'on',
};

/** The core's refusal, naming its field (the loan, when no field is at fault). */
function coreRefusal(refused: { code: string; message: string }): Refusal {
  const field = refusalField[refused.code];
  return refuse(refused.code, `${field ?? 'loanId'}: ${refused.message}`, field);
}

interface RefundWrites {
  row: LoanRow;
  lastSeq: number;
  step: { state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: LoanTransaction };
  on: IsoDate;
}

async function save(tx: Transaction, { row, lastSeq, step, on }: RefundWrites): Promise<void> {
  const seq = lastSeq + 1;
  const events = outboxRow(step.events, { ...row, seq, businessDate: on });
  await saveCloseBatch(tx, {
    loans: [loanUpdateOf(row, step.state, seq)],
    transactions: [transactionRow(step.state, seq, step.transaction, on)],
    journal: journalRows(step.journal),
    outbox: events ? [events] : [],
  });
}

/** Refunds part or all of a loan's credit balance (closed loans included). */
export const refundCredit = defineCommand<RefundCreditInput, RefundReceipt, RefundWrites>({
  name: 'refund.credit',
  scope: 'refund',
  keyRequired: true,
  identity: ({ loanId, amountMinor, on, onGiven }) => ({ loanId, amountMinor, on: onGiven === false ? null : on }),
  async decide(tx, { loanId, amountMinor, on }, _ctx, idempotencyKey) {
    const loan = await readLoanState(tx, loanId, { forUpdate: true });
    if (!loan) return refuse('loan_not_found', `loanId: no loan ${loanId}`, 'loanId');
    const { row, state, lastSeq } = loan;
    const refundId = refundIdOf(idempotencyKey as string);
    const applied = applyRefund(state, { refundId, amountMinor, on });
    if (!applied.ok) return coreRefusal(applied);
    const receipt: RefundReceipt = {
      refundId,
      loanId: row.loanId,
      borrowerId: row.borrowerId,
      currency: row.currency,
      amountMinor: amountMinor.toString(),
      on,
      creditBalanceMinor: applied.creditBalanceMinor.toString(),
    };
    return planned(succeed(receipt), { row, lastSeq, step: applied, on });
  },
  apply: (tx, writes) => save(tx, writes),
  audit: (input, answer) => ({
    resource: `loan/${input.loanId}`,
    subjectBorrowerId: answer.ok ? answer.value.borrowerId : null,
    detail: { loanId: input.loanId, ...(answer.ok ? { refundId: answer.value.refundId } : {}) },
  }),
});

/** Takes a refund back (it bounced, or was never paid out): the credit balance is as if it never happened. */
export const reverseRefundCredit = defineCommand<ReverseRefundInput, RefundReversalReceipt, RefundWrites>({
  name: 'refund.reverse',
  scope: 'refund_reversal',
  keyRequired: true,
  identity: ({ loanId, refundId, on, onGiven }) => ({ loanId, refundId, on: onGiven === false ? null : on }),
  async decide(tx, { loanId, refundId, on }, _ctx, idempotencyKey) {
    const loan = await readLoanState(tx, loanId, { forUpdate: true });
    if (!loan) return refuse('loan_not_found', `loanId: no loan ${loanId}`, 'loanId');
    const { row, state, lastSeq } = loan;
    const { opening, transactions } = historyOf(
      await listLoanTransactions(tx, { borrowerId: row.borrowerId, loanId: row.loanId }),
    );
    const reversalId = `X${refundIdOf(idempotencyKey as string).slice(1)}`;
    const reversed = reverseRefund(opening, transactions, state, { reversalId, refundId, on });
    if (!reversed.ok) return coreRefusal(reversed);
    const receipt: RefundReversalReceipt = {
      reversalId,
      refundId,
      loanId: row.loanId,
      on,
      creditBalanceMinor: reversed.state.creditBalanceMinor.toString(),
    };
    return planned(succeed(receipt), { row, lastSeq, step: reversed, on });
  },
  apply: (tx, writes) => save(tx, writes),
  audit: (input, answer) => ({
    resource: `loan/${input.loanId}`,
    subjectBorrowerId: null,
    detail: {
      loanId: input.loanId,
      refundId: input.refundId,
      ...(answer.ok ? { reversalId: answer.value.reversalId } : {}),
    },
  }),
});
