// Reversals over HTTP: `POST /payments/{paymentId}/reversals` takes back a posted payment (it bounced,
// was posted to the wrong loan or twice, was disputed, or was keyed wrongly) and
// `POST /loans/{loanId}/refunds/{refundId}/reversals` takes back a refund whose money returned — the
// application commands reversePostedPayment and reverseRefundCredit (src/app/reversals.ts, refunds.ts).
// Invariants: staff with `payments:reverse` only (supervisor, admin; never a collector or a borrower); a
// key names one reversal forever — the same request again gets the same answer (`Idempotency-Replayed:
// true`), another body under it 409; `dryRun: true` answers what would happen and writes nothing; a
// payment above the server's threshold is not reversed but waits for a second member's approval (202,
// `status: pending_approval`, the approval's id); a refused reversal changes nothing; an unknown payment
// or refund is 404.
import { z } from 'zod';
import { InputError } from '../../errors/index.ts';
import {
  reversePostedPayment,
  reverseRefundCredit,
  type LoanStanding,
  type PaymentReversalReceipt,
} from '../../app/index.ts';
import { reversalReasons, valueDate, valueDateFutureDaysMax } from '../../servicing/index.ts';
import { findPaymentById, getLoan } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { notFound, refusalProblem } from '../problem.ts';
import { idSchema, isoDateSchema } from '../schemas.ts';
import { errorResponses, idempotencyHeaders, money, refusalResponses } from './common.ts';
import { storedPaymentKey, today } from './loans.ts';

const reasonSchema = z
  .enum(reversalReasons)
  .describe(
    'why: returned_nsf (returned unpaid: insufficient funds, closed account), wrong_loan (posted to the ' +
      'wrong loan), duplicate (posted twice), fraud_chargeback (disputed by the payer), operator_error (keyed wrongly)',
  );

const standingSchema = z.object({
  status: z.string(),
  dpd: z.number().int(),
  bucket: z.string(),
  penalty: z.string().describe('penalty outstanding'),
  outstanding: z.string().describe('everything outstanding'),
});

export const paymentReversalSchema = z
  .object({
    status: z
      .enum(['reversed', 'pending_approval'])
      .describe('pending_approval: above the threshold, carried out when approval `approvalId` is approved'),
    reversalId: z.string(),
    paymentId: z.string(),
    loanId: z.string(),
    borrowerId: z.string(),
    currency: z.string(),
    amount: z.string().describe("the payment's amount"),
    reason: reasonSchema,
    on: z.string(),
    recovery: z.boolean().describe('the payment was a recovery on a charged-off loan'),
    approvalId: z.string().nullable(),
    before: standingSchema.describe('the loan before'),
    after: standingSchema.describe('the loan after (pending: if approved now) — a reversal re-opens delinquency'),
    dryRun: z.boolean().optional().describe('true: computed, nothing written'),
  })
  .meta({ id: 'PaymentReversal' });

export const refundReversalSchema = z
  .object({
    reversalId: z.string(),
    refundId: z.string(),
    loanId: z.string(),
    on: z.string(),
    creditBalance: z.string().describe('the credit balance after the reversal'),
    dryRun: z.boolean().optional().describe('true: computed, nothing written'),
  })
  .meta({ id: 'RefundReversal' });

function standingView(standing: LoanStanding, currency: string): z.output<typeof standingSchema> {
  return {
    status: standing.status,
    dpd: standing.dpd,
    bucket: standing.bucket,
    penalty: money(BigInt(standing.penaltyMinor), currency),
    outstanding: money(BigInt(standing.outstandingMinor), currency),
  };
}

export function paymentReversalView(receipt: PaymentReversalReceipt): z.output<typeof paymentReversalSchema> {
  const { currency } = receipt;
  return {
    status: receipt.status,
    reversalId: receipt.reversalId,
    paymentId: receipt.paymentId,
    loanId: receipt.loanId,
    borrowerId: receipt.borrowerId,
    currency,
    amount: money(BigInt(receipt.amountMinor), currency),
    reason: receipt.reason,
    on: receipt.on,
    recovery: receipt.recovery,
    approvalId: receipt.approvalId,
    before: standingView(receipt.before, currency),
    after: standingView(receipt.after, currency),
  };
}

/** The reversal's date: the one given, else today (or the loan's last closed date, if later). */
function reversalDate(ctx: ApiContext, requestedOn: string | undefined, closedThrough: string | null): string {
  const dated = valueDate({
    requestedOn,
    today: today(ctx),
    closedThrough: closedThrough ?? today(ctx),
    futureDaysMax: valueDateFutureDaysMax,
  });
  if (!dated.ok) throw new InputError(dated.field, dated.message);
  return dated.on;
}

const access = { kind: 'permission', permission: 'payments:reverse', borrower: false } as const;
const dryRunSchema = z.boolean().optional().describe('true: answer what would happen, write nothing');

export function registerReversalRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/payments/:paymentId/reversals',
    {
      config: { access },
      schema: {
        tags: ['payments'],
        summary: 'Reverse a posted payment with a reason (idempotent by the Idempotency-Key header)',
        description:
          'The loan is replayed without the payment: its DPD, bucket and penalty become what they would have ' +
          'been, as of the reversal date (a reversal re-opens delinquency; `before` and `after` show it). ' +
          'Journal: one balanced entry for the difference (kind payment_reversal); the payment is listed as ' +
          "`reversed`. Above the server's threshold (KUAN_REVERSAL_APPROVAL_ABOVE_MINOR) the reversal is " +
          'not applied: 202 with status pending_approval and the approval to decide (POST ' +
          '/approvals/{approvalId}/approve by another member applies it). Refused (422): ' +
          'payment_already_reversed, reversal_pending_approval, reversal_before_payment (field on), ' +
          'reversal_breaks_later_transactions. The same key with the same body returns the first answer ' +
          'again (header Idempotency-Replayed: true); with a different body 409 idempotency_key_reused.',
        params: z.object({ paymentId: idSchema }),
        headers: idempotencyHeaders,
        body: z.strictObject({ reason: reasonSchema, on: isoDateSchema.optional(), dryRun: dryRunSchema }),
        response: {
          200: paymentReversalSchema,
          201: paymentReversalSchema,
          202: paymentReversalSchema,
          ...errorResponses,
          ...refusalResponses,
        },
      },
    },
    async (request, reply) => {
      const { paymentId } = request.params;
      const payment = await findPaymentById(ctx.db, paymentId);
      if (payment === undefined) throw notFound(`payment ${paymentId}`);
      const loan = await getLoan(ctx.db, payment.loanId);
      const { reason, dryRun } = request.body;
      const headerKey = request.headers['idempotency-key'];
      request.auditNote!.subjectBorrowerId = payment.borrowerId;
      request.auditNote!.detail = { paymentId, loanId: payment.loanId, reason, idempotencyKey: headerKey };
      const on = reversalDate(ctx, request.body.on, loan?.closedThrough ?? null);
      const result = await reversePostedPayment(commandContextOf(ctx, request), {
        idempotencyKey: storedPaymentKey(payment.borrowerId, headerKey),
        dryRun: dryRun === true,
        input: {
          paymentId,
          reason,
          on,
          onGiven: request.body.on !== undefined,
          ...(ctx.reversalApprovalAboveMinor === undefined
            ? {}
            : { approvalAboveMinor: ctx.reversalApprovalAboveMinor }),
        },
      });
      if (!result.ok) throw refusalProblem(result);
      if (result.replayed) void reply.header('idempotency-replayed', 'true');
      const pending = result.value.status === 'pending_approval';
      void reply.code(result.dryRun ? 200 : pending ? 202 : 201);
      return { ...paymentReversalView(result.value), ...(result.dryRun ? { dryRun: true } : {}) };
    },
  );

  api.post(
    '/loans/:loanId/refunds/:refundId/reversals',
    {
      config: { access },
      schema: {
        tags: ['payments'],
        summary: 'Reverse a refund whose money came back (idempotent by the Idempotency-Key header)',
        description:
          'The credit balance becomes what it would have been without the refund; journal: one balanced entry ' +
          'for the difference (kind refund_reversal). Refused (422): refund_already_reversed, ' +
          'reversal_before_refund (field on), reversal_breaks_later_transactions; an unknown refund of the ' +
          'loan is 404. The same key with the same body returns the first answer again (header ' +
          'Idempotency-Replayed: true); with a different body 409 idempotency_key_reused.',
        params: z.object({ loanId: idSchema, refundId: idSchema }),
        headers: idempotencyHeaders,
        body: z.strictObject({ reason: reasonSchema, on: isoDateSchema.optional(), dryRun: dryRunSchema }),
        response: { 200: refundReversalSchema, 201: refundReversalSchema, ...errorResponses, ...refusalResponses },
      },
    },
    async (request, reply) => {
      const { loanId, refundId } = request.params;
      const row = await getLoan(ctx.db, loanId);
      if (row === undefined) throw notFound(`loan ${loanId}`);
      const { reason, dryRun } = request.body;
      const headerKey = request.headers['idempotency-key'];
      request.auditNote!.subjectBorrowerId = row.borrowerId;
      request.auditNote!.detail = { loanId, refundId, reason, idempotencyKey: headerKey };
      const on = reversalDate(ctx, request.body.on, row.closedThrough);
      const result = await reverseRefundCredit(commandContextOf(ctx, request), {
        idempotencyKey: storedPaymentKey(row.borrowerId, headerKey),
        dryRun: dryRun === true,
        input: { loanId, refundId, on, onGiven: request.body.on !== undefined },
      });
      if (!result.ok) {
        if (result.code === 'refund_not_found') throw notFound(`refund ${refundId} of loan ${loanId}`);
        throw refusalProblem(result);
      }
      if (result.replayed) void reply.header('idempotency-replayed', 'true');
      void reply.code(result.dryRun ? 200 : 201);
      const receipt = result.value;
      return {
        reversalId: receipt.reversalId,
        refundId: receipt.refundId,
        loanId: receipt.loanId,
        on: receipt.on,
        creditBalance: money(BigInt(receipt.creditBalanceMinor), row.currency),
        ...(result.dryRun ? { dryRun: true } : {}),
      };
    },
  );
}
