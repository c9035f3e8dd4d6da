// Refund commands against the store: paying a loan's credit balance back to the borrower
// (`refundCredit`) and taking a refund back (`reverseRefundCredit`, when the money returns). The rules
// are the servicing core's (applyRefund, reverseRefund); this module only locks, records and saves.
// Invariants: each command runs in one database transaction that locks the loan row first (like
// postPayment), writes the loan's new state, its transaction, journal entries and outbox events
// together, and is idempotent by key (scope `refund` / `refund_reversal` in idempotency_keys): the same
// request again returns the first answer and writes nothing; another request under the key is refused
// with `idempotency_key_reused`; a refused command writes nothing, not even its key.
import { createHash } from 'node:crypto';
import type { IsoDate } from '../calendar/index.ts';
import { applyRefund, reverseRefund, type LoanState, type LoanTransaction } from '../servicing/index.ts';
import {
  beginIdempotent,
  completeIdempotent,
  listLoanTransactions,
  requestHash,
  saveCloseBatch,
  type Database,
  type LoanRow,
  type Transaction,
} from '../store/index.ts';
import {
  historyOf,
  journalRows,
  jsonSafe,
  loanUpdateOf,
  outboxRow,
  readLoanState,
  transactionRow,
} from './document.ts';
import type { JournalEntry } from '../ledger/index.ts';
import type { LoanEvent } from '../servicing/index.ts';

export interface RefundCreditRequest {
  loanId: string;
  amountMinor: bigint;
  on: IsoDate;
  idempotencyKey: string;
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

export type RefundCommandResult =
  { outcome: 'refunded' | 'replayed'; receipt: RefundReceipt } | { outcome: 'rejected'; code: string; message: string };

export interface ReverseRefundRequest {
  loanId: string;
  refundId: string;
  on: IsoDate;
  idempotencyKey: string;
}

export interface RefundReversalReceipt {
  reversalId: string;
  refundId: string;
  loanId: string;
  on: IsoDate;
  creditBalanceMinor: string;
}

export type ReverseRefundResult =
  | { outcome: 'reversed' | 'replayed'; receipt: RefundReversalReceipt }
  | { outcome: 'rejected'; code: string; message: string };

/** The refund id a key names: derived, so a retried request names the same refund. */
export function refundIdOf(idempotencyKey: string): string {
  return `F${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

/** A refusal thrown inside the transaction so that it rolls back (the key's row included). */
class Refused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function refusing<T>(
  work: () => Promise<T>,
): Promise<T | { outcome: 'rejected'; code: string; message: string }> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof Refused) return { outcome: 'rejected', code: error.code, message: error.message };
    throw error;
  }
}

/** Begins the key after the loan is locked; throws Refused for a key used by another request. */
async function begin(tx: Transaction, scope: string, key: string, hash: string): Promise<unknown> {
  const begun = await beginIdempotent(tx, { scope, key, requestHash: hash });
  if (begun.outcome === 'rejected') throw new Refused(begun.code, 'idempotencyKey: already used for another request');
  // In one transaction, a key begun and not completed is one a concurrent twin is writing right now.
  if (begun.outcome === 'in_progress') throw new Refused('idempotency_key_in_progress', 'idempotencyKey: in progress');
  return begun.outcome === 'replayed' ? begun.response : undefined;
}

async function save(
  tx: Transaction,
  row: LoanRow,
  lastSeq: number,
  step: { state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: LoanTransaction },
  on: IsoDate,
): Promise<void> {
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
export async function refundCredit(db: Database, request: RefundCreditRequest): Promise<RefundCommandResult> {
  const { loanId, amountMinor, on, idempotencyKey } = request;
  const hash = requestHash(jsonSafe({ loanId, amountMinor, on: request.onGiven === false ? null : on }));
  return refusing(() =>
    db.transaction(async (tx) => {
      const loan = await readLoanState(tx, loanId, { forUpdate: true });
      if (!loan) throw new Refused('loan_not_found', `loanId: no loan ${loanId}`);
      const { row, state, lastSeq } = loan;
      const stored = await begin(tx, 'refund', idempotencyKey, hash);
      if (stored !== undefined) return { outcome: 'replayed' as const, receipt: stored as RefundReceipt };
      const refundId = refundIdOf(idempotencyKey);
      const applied = applyRefund(state, { refundId, amountMinor, on });
      if (!applied.ok) throw new Refused(applied.code, applied.message);
      await save(tx, row, lastSeq, applied, on);
      const receipt: RefundReceipt = {
        refundId,
        loanId: row.loanId,
        borrowerId: row.borrowerId,
        currency: row.currency,
        amountMinor: amountMinor.toString(),
        on,
        creditBalanceMinor: applied.creditBalanceMinor.toString(),
      };
      await completeIdempotent(tx, { scope: 'refund', key: idempotencyKey, response: receipt });
      return { outcome: 'refunded' as const, receipt };
    }),
  );
}

/** Takes a refund back (it bounced, or was never paid out): the credit balance is as if it never happened. */
export async function reverseRefundCredit(db: Database, request: ReverseRefundRequest): Promise<ReverseRefundResult> {
  const { loanId, refundId, on, idempotencyKey } = request;
  const hash = requestHash(jsonSafe({ loanId, refundId, on }));
  return refusing(() =>
    db.transaction(async (tx) => {
      const loan = await readLoanState(tx, loanId, { forUpdate: true });
      if (!loan) throw new Refused('loan_not_found', `loanId: no loan ${loanId}`);
      const { row, state, lastSeq } = loan;
      const stored = await begin(tx, 'refund_reversal', idempotencyKey, hash);
      if (stored !== undefined) return { outcome: 'replayed' as const, receipt: stored as RefundReversalReceipt };
      const { opening, transactions } = historyOf(
        await listLoanTransactions(tx, { borrowerId: row.borrowerId, loanId: row.loanId }),
      );
      const reversalId = `X${refundIdOf(idempotencyKey).slice(1)}`;
      const reversed = reverseRefund(opening, transactions, state, { reversalId, refundId, on });
      if (!reversed.ok) throw new Refused(reversed.code, reversed.message);
      await save(tx, row, lastSeq, reversed, on);
      const receipt: RefundReversalReceipt = {
        reversalId,
        refundId,
        loanId: row.loanId,
        on,
        creditBalanceMinor: reversed.state.creditBalanceMinor.toString(),
      };
      await completeIdempotent(tx, { scope: 'refund_reversal', key: idempotencyKey, response: receipt });
      return { outcome: 'reversed' as const, receipt };
    }),
  );
}
