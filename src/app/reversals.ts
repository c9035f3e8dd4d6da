// Payment reversals against the store: taking back a posted payment that bounced (returned unpaid),
// belonged to another loan, was posted twice, was disputed, or was keyed wrongly. The rules are the
// servicing core's (reversePayment: the loan is replayed without the payment, so its DPD, bucket and
// penalty become what they would have been — a reversal re-opens delinquency); this module finds the
// payment, locks its loan, decides and saves, as a command of the application layer (src/app/command.ts:
// idempotency by key in scope `payment_reversal`, dry run, audit).
//
// Maker-checker: a payment above the lender's threshold (`approvalAboveMinor`, in the payment's minor
// units) is not reversed by the one who asks. The command then writes a pending approval of kind
// `payment_reversal` (src/app/approvals.ts) holding the exact reversal asked for — reversal id, reason,
// date — and another member's approval carries it out (`applyApprovedReversal`), re-deciding on the
// loan as it is then.
//
// Invariants: each reversal runs in one database transaction that locks the loan row first (like
// postPayment), and writes the loan's new state, its `reversal` transaction, the balanced journal entry
// for the difference, the outbox event, and the payment row's status `reversed` together; a refused
// reversal writes nothing, not even its key; a payment is reversed at most once (the core refuses
// `payment_already_reversed`), and at most one reversal of it waits for approval at a time.
import { createHash } from 'node:crypto';
import { defineCommand, newApprovalId, planned, refuse, succeed, type Refusal } from './index.ts';
import type { IsoDate } from '../calendar/index.ts';
import type { JournalEntry } from '../ledger/index.ts';
import { formatMinor } from '../money/index.ts';
import {
  closeDay,
  loanOutstanding,
  reversePayment,
  type CloseDayResult,
  type LoanEvent,
  type LoanState,
  type ReversalReason,
  type ReversalTransaction,
} from '../servicing/index.ts';
import {
  findPaymentById,
  findPendingApprovalAbout,
  insertApproval,
  listLoanTransactions,
  saveCloseBatch,
  updatePayment,
  type LoanRow,
  type NewApproval,
  type PaymentRow,
  type Transaction,
} from '../store/index.ts';
import { InputError, invariant } from '../errors/index.ts';
import { attemptsOf } from './close.ts';
import { historyOf, journalRows, loanUpdateOf, outboxRow, readLoanState, transactionRow } from './document.ts';

/** Above this many minor units a reversal waits for a second member's approval, unless configured. */
export const REVERSAL_APPROVAL_ABOVE_MINOR_DEFAULT = 1_000_000n;

/** The environment variable that sets the threshold for `kuan serve` and `kuan payments reverse`. */
export const REVERSAL_APPROVAL_ENV = 'KUAN_REVERSAL_APPROVAL_ABOVE_MINOR';

/** The configured threshold (REVERSAL_APPROVAL_ENV, whole minor units), else the default. */
export function reversalApprovalAboveMinorOf(env: Readonly<Record<string, string | undefined>>): bigint {
  const text = env[REVERSAL_APPROVAL_ENV]?.trim();
  if (text === undefined || text === '') return REVERSAL_APPROVAL_ABOVE_MINOR_DEFAULT;
  if (!/^\d{1,18}$/.test(text)) {
    throw new InputError(REVERSAL_APPROVAL_ENV, `must be whole minor units (e.g. 1000000), got "${text}"`);
  }
  return BigInt(text);
}

/** The payment status a reversed payment is stored with. */
export const REVERSED_STATUS = 'reversed';

export interface ReversePaymentInput {
  paymentId: string;
  reason: ReversalReason;
  /** The reversal's date (its journal entry's): on or after the payment's. */
  on: IsoDate;
  /**
   * False when `on` was not given by the caller but defaulted (to today): the date is then left out of
   * the request's identity, so a retry on a later day replays the first reversal instead of conflicting.
   */
  onGiven?: boolean;
  /**
   * The lender's maker-checker threshold, in the payment's minor units (default
   * REVERSAL_APPROVAL_ABOVE_MINOR_DEFAULT): configuration, not part of the request's identity.
   */
  approvalAboveMinor?: bigint;
}

/** Where the loan stands, as the console shows it: before and after a reversal. */
export interface LoanStanding {
  status: string;
  dpd: number;
  bucket: string;
  /** Penalty outstanding, minor units as a decimal string. */
  penaltyMinor: string;
  /** Everything outstanding, minor units as a decimal string. */
  outstandingMinor: string;
}

/** What a reversal answers, stored under its key and returned again on a replay. */
export interface PaymentReversalReceipt {
  /** `reversed`: applied now; `pending_approval`: above the threshold, waiting for approval `approvalId`. */
  status: 'reversed' | 'pending_approval';
  reversalId: string;
  paymentId: string;
  loanId: string;
  borrowerId: string;
  currency: string;
  /** The payment's amount, minor units as a decimal string. */
  amountMinor: string;
  reason: ReversalReason;
  on: IsoDate;
  /** The payment was a recovery on a charged-off loan. */
  recovery: boolean;
  approvalId: string | null;
  before: LoanStanding;
  /** The loan after the reversal (when pending: what it would be if approved now). */
  after: LoanStanding;
}

/** What an approval of kind `payment_reversal` holds: the exact reversal asked for. */
export type ReversalRequestDocument = Pick<
  PaymentReversalReceipt,
  'reversalId' | 'paymentId' | 'loanId' | 'borrowerId' | 'currency' | 'amountMinor' | 'reason' | 'on'
>;

/** The reversal id a key names: derived, so a retried request names the same reversal. */
export function reversalIdOf(idempotencyKey: string): string {
  return `R${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 20)}`;
}

function standingOf(state: LoanState): LoanStanding {
  const outstanding = loanOutstanding(state);
  return {
    status: state.status,
    dpd: state.dpd,
    bucket: state.bucket,
    penaltyMinor: outstanding.penaltyMinor.toString(),
    outstandingMinor: outstanding.totalMinor.toString(),
  };
}

/** Which input field a refusal of the core is about. */
const refusalField: Readonly<Record<string, string>> = {
  payment_not_found: 'paymentId',
  payment_already_reversed: 'paymentId',
  reversal_before_payment: 'on',
};

function coreRefusal(refused: { code: string; message: string }): Refusal {
  const field = refusalField[refused.code];
  return refuse(refused.code, `${field ?? 'paymentId'}: ${refused.message}`, field ?? 'paymentId');
}

function wasRecovery(payment: PaymentRow): boolean {
  const result = payment.result as { recovery?: unknown; allocation?: { recovery?: unknown } } | null;
  return result?.recovery === true || result?.allocation?.recovery === true;
}

/** The writes that carry a reversal out. */
export interface ReversalWrites {
  row: LoanRow;
  lastSeq: number;
  step: { state: LoanState; events: LoanEvent[]; journal: JournalEntry[]; transaction: ReversalTransaction };
  /** The loan closed on through the reversal's date, when it was closed less far. */
  catchUp: CloseDayResult | undefined;
  payment: PaymentRow;
}

/** A reversal decided on the locked loan: its receipt and writes, or the core's refusal. */
type Decided = { receipt: PaymentReversalReceipt; writes: ReversalWrites } | Refusal;

/** Locks the payment's loan and decides the reversal on the loan as it is now. */
async function decideOn(
  tx: Transaction,
  payment: PaymentRow,
  request: { reversalId: string; reason: ReversalReason; on: IsoDate },
): Promise<Decided> {
  const loan = await readLoanState(tx, payment.loanId, { forUpdate: true });
  invariant(loan !== undefined, `payment ${payment.paymentId}'s loan ${payment.loanId} exists`);
  const { row, state, lastSeq } = loan;
  const { opening, transactions } = historyOf(
    await listLoanTransactions(tx, { borrowerId: row.borrowerId, loanId: row.loanId }),
  );
  const reversed = reversePayment(opening, transactions, state, { ...request, paymentId: payment.paymentId });
  if (!reversed.ok) return coreRefusal(reversed);
  // Like a payment, a reversal runs its date's day step: the delinquency it re-opens shows as of its
  // date, not only after the next close reaches the loan (a loan is closed only on its event dates).
  const catchUp = reversed.state.closedThrough < request.on ? closeDay(reversed.state, request.on) : undefined;
  const receipt: PaymentReversalReceipt = {
    status: 'reversed',
    reversalId: request.reversalId,
    paymentId: payment.paymentId,
    loanId: row.loanId,
    borrowerId: row.borrowerId,
    currency: row.currency,
    amountMinor: payment.amountMinor.toString(),
    reason: request.reason,
    on: request.on,
    recovery: wasRecovery(payment),
    approvalId: null,
    before: standingOf(state),
    after: standingOf(catchUp?.state ?? reversed.state),
  };
  return { receipt, writes: { row, lastSeq, step: reversed, catchUp, payment } };
}

/** Writes a decided reversal: loan, transaction, journal, outbox, and the payment marked reversed. */
export async function saveReversal(
  tx: Transaction,
  { row, lastSeq, step, catchUp, payment }: ReversalWrites,
): Promise<void> {
  const on = step.transaction.on;
  const steps = catchUp === undefined ? [step] : [step, catchUp];
  const outbox = steps.flatMap((done, index) => {
    const events = outboxRow(done.events, { ...row, seq: lastSeq + 1 + index, businessDate: on });
    return events ? [events] : [];
  });
  const state = (catchUp ?? step).state;
  await saveCloseBatch(tx, {
    loans: [loanUpdateOf(row, state, lastSeq + steps.length)],
    transactions: steps.map((done, index) => transactionRow(done.state, lastSeq + 1 + index, done.transaction, on)),
    journal: journalRows(steps.flatMap((done) => done.journal)),
    outbox,
    autoDebitAttempts: catchUp === undefined ? [] : attemptsOf(catchUp.state, catchUp.events),
  });
  const result = (payment.result ?? {}) as Record<string, unknown>;
  await updatePayment(tx, {
    borrowerId: payment.borrowerId,
    paymentId: payment.paymentId,
    status: REVERSED_STATUS,
    result: {
      ...result,
      reversal: { reversalId: step.transaction.reversalId, reason: step.transaction.reason ?? null, on },
    },
  });
}

/**
 * Carries out an approved `payment_reversal` approval's document, deciding again on the loan as it is
 * now (it may have been reversed, or changed, since it was asked): the receipt and writes, or a refusal.
 */
export async function decideApprovedReversal(
  tx: Transaction,
  document: ReversalRequestDocument,
  approvalId: string,
): Promise<{ receipt: PaymentReversalReceipt; writes: ReversalWrites } | Refusal> {
  const payment = await findPaymentById(tx, document.paymentId);
  if (payment === undefined) {
    return refuse('payment_not_found', `paymentId: no payment ${document.paymentId}`, 'paymentId');
  }
  const decided = await decideOn(tx, payment, document);
  if ('ok' in decided) return decided;
  return { receipt: { ...decided.receipt, approvalId }, writes: decided.writes };
}

type Writes = { kind: 'reverse'; reversal: ReversalWrites } | { kind: 'ask'; approval: NewApproval };

/**
 * Reverses one posted payment, or — above the threshold — asks for approval to. Refused by name:
 * `payment_not_found`, `payment_already_reversed`, `reversal_pending_approval` (about the approval
 * waiting), `reversal_before_payment`, `reversal_breaks_later_transactions`.
 */
export const reversePostedPayment = defineCommand<ReversePaymentInput, PaymentReversalReceipt, Writes>({
  name: 'payment.reverse',
  scope: 'payment_reversal',
  keyRequired: true,
  identity: ({ paymentId, reason, on, onGiven }) => ({ paymentId, reason, on: onGiven === false ? null : on }),
  async decide(tx, input, ctx, idempotencyKey) {
    const payment = await findPaymentById(tx, input.paymentId);
    if (payment === undefined) {
      return refuse('payment_not_found', `paymentId: no payment ${input.paymentId}`, 'paymentId');
    }
    const reversalId = reversalIdOf(idempotencyKey as string);
    const decided = await decideOn(tx, payment, { reversalId, reason: input.reason, on: input.on });
    if ('ok' in decided) return decided;
    const pending = await findPendingApprovalAbout(tx, { kind: 'payment_reversal', subject: payment.paymentId });
    if (pending !== undefined) {
      return {
        ...refuse(
          'reversal_pending_approval',
          `paymentId: a reversal of payment ${payment.paymentId} waits for approval ${pending.approvalId}`,
          'paymentId',
        ),
        about: pending.approvalId,
      };
    }
    const { receipt } = decided;
    const approvalAboveMinor = input.approvalAboveMinor ?? REVERSAL_APPROVAL_ABOVE_MINOR_DEFAULT;
    if (payment.amountMinor <= approvalAboveMinor) {
      return planned(succeed(receipt), { kind: 'reverse', reversal: decided.writes });
    }
    const document: ReversalRequestDocument = {
      reversalId,
      paymentId: payment.paymentId,
      loanId: receipt.loanId,
      borrowerId: receipt.borrowerId,
      currency: receipt.currency,
      amountMinor: receipt.amountMinor,
      reason: input.reason,
      on: input.on,
    };
    const approval: NewApproval = {
      approvalId: newApprovalId(ctx.nowMs),
      kind: 'payment_reversal',
      subject: payment.paymentId,
      summary:
        `reverse payment ${payment.paymentId} of ${formatMinor(payment.amountMinor, payment.currency)} ` +
        `${payment.currency} on loan ${receipt.loanId} (${input.reason}), dated ${input.on}`,
      requestedBy: ctx.actor.id,
      requestedAt: new Date(ctx.nowMs).toISOString(),
      requestComment: null,
      document,
      digest: createHash('sha256').update(JSON.stringify(document)).digest('hex'),
      baseDigest: null,
      changes: [],
    };
    return planned(succeed({ ...receipt, status: 'pending_approval' as const, approvalId: approval.approvalId }), {
      kind: 'ask',
      approval,
    });
  },
  async apply(tx, writes) {
    if (writes.kind === 'reverse') await saveReversal(tx, writes.reversal);
    else invariant(await insertApproval(tx, writes.approval), `approval id ${writes.approval.approvalId} is new`);
  },
  audit: (input, answer) => ({
    resource: answer.ok ? `loan/${answer.value.loanId}` : `payment/${input.paymentId}`,
    subjectBorrowerId: answer.ok ? answer.value.borrowerId : null,
    detail: {
      paymentId: input.paymentId,
      reason: input.reason,
      ...(answer.ok
        ? {
            reversalId: answer.value.reversalId,
            status: answer.value.status,
            ...(answer.value.approvalId === null ? {} : { approvalId: answer.value.approvalId }),
          }
        : {}),
    },
  }),
});
