// Refunds: `POST /loans/:loanId/refunds` pays part or all of a loan's credit balance (an overpayment kept
// as credit, or what is left after payoff — closed loans included) back to the borrower, idempotent by the
// Idempotency-Key header like a payment. Invariants: staff only (`payments:write`; a borrower cannot
// refund themself); a key names one refund forever — the same request again gets the same answer (with
// `Idempotency-Replayed: true`), another request under it 409; a refused refund changes nothing;
// problems name the field (`amount`, `on`, `Idempotency-Key`); dates are bounded like a payment's.
import { z } from 'zod';
import { InputError } from '../../errors/index.ts';
import { refundCredit, type RefundReceipt } from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import { valueDate, valueDateFutureDaysMax } from '../../servicing/index.ts';
import { getLoan } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { notFound, problemSchema, refusalProblem } from '../problem.ts';
import { amountSchema, idSchema, isoDateSchema } from '../schemas.ts';
import { mayAccessBorrower, money } from './common.ts';
import { storedPaymentKey, today } from './loans.ts';

export const refundSchema = z
  .object({
    refundId: z.string(),
    loanId: z.string(),
    borrowerId: z.string(),
    amount: z.string(),
    currency: z.string(),
    on: z.string(),
    creditBalance: z.string().describe('the credit balance left after the refund'),
  })
  .meta({ id: 'Refund' });

const idempotencyKeySchema = z
  .string({ error: 'is required: one unique key per refund, 1-200 printable ASCII characters' })
  .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 printable ASCII characters' });

function refundView(receipt: RefundReceipt): z.output<typeof refundSchema> {
  return {
    refundId: receipt.refundId,
    loanId: receipt.loanId,
    borrowerId: receipt.borrowerId,
    amount: money(BigInt(receipt.amountMinor), receipt.currency),
    currency: receipt.currency,
    on: receipt.on,
    creditBalance: money(BigInt(receipt.creditBalanceMinor), receipt.currency),
  };
}

export function registerRefundsRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/loans/:loanId/refunds',
    {
      config: { access: { kind: 'permission', permission: 'payments:write', borrower: false } },
      schema: {
        tags: ['payments'],
        summary: "Refund a loan's credit balance to the borrower (idempotent by the Idempotency-Key header)",
        description:
          'Pays back part or all of the credit balance (closed loans included): journal debit borrower credit, ' +
          'credit cash. More than the credit balance is refused (422 refund_exceeds_credit_balance, field ' +
          '`amount`). The same key with the same body returns the first answer again (header ' +
          'Idempotency-Replayed: true); with a different body 409 idempotency_key_reused. Without `on`, the ' +
          "refund is dated today (or the loan's last closed date, if later), and a retry replays the first.",
        params: z.object({ loanId: idSchema }),
        headers: z.object({ 'idempotency-key': idempotencyKeySchema }),
        body: z.strictObject({ amount: amountSchema, on: isoDateSchema.optional() }),
        response: {
          201: refundSchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          404: problemSchema,
          409: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const row = await getLoan(ctx.db, request.params.loanId);
      if (row === undefined || !mayAccessBorrower(request, row.borrowerId)) {
        throw notFound(`loan ${request.params.loanId}`);
      }
      const { body } = request;
      const headerKey = request.headers['idempotency-key'];
      request.auditNote!.subjectBorrowerId = row.borrowerId;
      request.auditNote!.detail = { loanId: row.loanId, amount: body.amount, idempotencyKey: headerKey };
      const amountMinor = parseMoney(body.amount, row.currency, { field: 'amount', allowZero: false }).amountMinor;
      const dated = valueDate({
        requestedOn: body.on,
        today: today(ctx),
        closedThrough: row.closedThrough ?? today(ctx),
        futureDaysMax: valueDateFutureDaysMax,
      });
      if (!dated.ok) throw new InputError(dated.field, dated.message);
      const on = dated.on;
      const result = await refundCredit(commandContextOf(ctx, request), {
        idempotencyKey: storedPaymentKey(row.borrowerId, headerKey),
        input: { loanId: row.loanId, amountMinor, on, onGiven: body.on !== undefined },
      });
      if (!result.ok) throw refusalProblem(result);
      if (result.replayed) void reply.header('idempotency-replayed', 'true');
      void reply.code(201);
      return refundView(result.value);
    },
  );
}
