// A borrower's own payment (POST /loans/:loanId/payments by a signed-in borrower): the portal path of
// the payments route. The money comes from the borrower's bound account through the configured payment
// provider (src/jobs/portal-payments.ts payByBorrower); the payment is posted only once the debit
// succeeded. Invariants: a borrower neither dates a payment nor picks its source (today, `portal`);
// without a provider nothing is attempted (503 `payments_unavailable`); a decline is a 422 naming the
// provider's code; an unknown outcome is a 503 `payment_outcome_unknown` asking for a retry with the
// same Idempotency-Key; every final answer is replayed under its key (`Idempotency-Replayed: true`).
import type { FastifyRequest } from 'fastify';
import type { IsoDate } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { payByBorrower } from '../../jobs/portal-payments.ts';
import { parseMoney } from '../../money/index.ts';
import type { LoanRow, PaymentRow } from '../../store/index.ts';
import type { ApiContext } from '../context.ts';
import { ApiProblem, notFound } from '../problem.ts';
import { refusal } from './common.ts';

/** Seconds a client should wait before retrying a payment whose outcome is unknown. */
export const UNKNOWN_RETRY_AFTER_SECONDS = 5;

export interface BorrowerPaymentInput {
  loan: Pick<LoanRow, 'loanId' | 'borrowerId' | 'currency'>;
  body: { amount: string; on?: string | undefined; source?: string | undefined };
  /** The payment key as stored (namespaced by the borrower, as for staff payments). */
  paymentKey: string;
  today: IsoDate;
}

/** Debits and posts a borrower's payment; the posted payment, or a thrown problem for every other outcome. */
export async function payAsBorrower(
  ctx: ApiContext,
  request: FastifyRequest,
  input: BorrowerPaymentInput,
): Promise<{ payment: PaymentRow; replayed: boolean }> {
  const { loan, body } = input;
  if (body.on !== undefined) {
    throw new InputError('on', "is set by the server for a borrower's own payment (today); leave it out");
  }
  if (body.source !== undefined && body.source !== 'portal') {
    throw new InputError('source', `a borrower's own payment is always "portal", got "${body.source}"`);
  }
  const provider = ctx.paymentProvider;
  if (provider === undefined) {
    throw new ApiProblem(
      'unavailable',
      'paying from the portal is not available: this server has no payment provider (kuan serve --payment-provider URL); nothing was debited',
      { code: 'payments_unavailable' },
    );
  }
  const amountMinor = parseMoney(body.amount, loan.currency, { field: 'amount', allowZero: false }).amountMinor;
  const result = await payByBorrower(ctx.db, provider, {
    idempotencyKey: input.paymentKey,
    borrowerId: loan.borrowerId,
    loanId: loan.loanId,
    amountMinor,
    today: input.today,
  });
  const note = request.auditNote;
  if (note) note.detail = { ...note.detail, via: 'portal', outcome: result.outcome };
  const replayHeaders = (replayed: boolean) => (replayed ? { 'idempotency-replayed': 'true' } : undefined);
  switch (result.outcome) {
    case 'posted':
      if (note) note.detail = { ...note.detail, paymentId: result.payment.paymentId, providerRef: result.providerRef };
      return { payment: result.payment, replayed: result.replayed };
    case 'declined':
      throw new ApiProblem('unprocessable', result.message, {
        code: result.code,
        ...optionalHeaders(replayHeaders(result.replayed)),
      });
    case 'unknown':
      throw new ApiProblem('unavailable', result.message, {
        code: 'payment_outcome_unknown',
        headers: { 'retry-after': String(UNKNOWN_RETRY_AFTER_SECONDS) },
      });
    case 'not_applied':
      if (note) note.detail = { ...note.detail, providerRef: result.providerRef, code: result.code };
      throw new ApiProblem('unprocessable', result.message, {
        code: 'payment_not_applied',
        ...optionalHeaders(replayHeaders(result.replayed)),
      });
    case 'rejected': {
      if (result.code === 'loan_not_found') throw notFound(`loan ${loan.loanId}`);
      const problem = refusal(result.code, result.message);
      if (!result.replayed) throw problem;
      throw new ApiProblem(problem.slug, problem.message, {
        ...(problem.code === undefined ? {} : { code: problem.code }),
        ...(problem.field === undefined ? {} : { field: problem.field }),
        headers: { 'idempotency-replayed': 'true' },
      });
    }
  }
}

function optionalHeaders(headers: Record<string, string> | undefined): { headers?: Record<string, string> } {
  return headers === undefined ? {} : { headers };
}
