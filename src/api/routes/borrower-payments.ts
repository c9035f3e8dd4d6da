// A borrower's own payment (POST /loans/:loanId/payments by a signed-in borrower): the portal path of
// the payments route. The money comes from the borrower's bound account through the configured payment
// provider (src/app/portal-payments.ts payByBorrower); the payment is posted only once the debit
// succeeded. Invariants: a borrower neither dates a payment nor picks its source (today, `portal`);
// without a provider nothing is attempted (503 `payments_unavailable`); a decline is a 422 naming the
// provider's code; an unknown outcome is a 503 `payment_outcome_unknown` asking for a retry with the
// same Idempotency-Key; every final answer is replayed under its key (`Idempotency-Replayed: true`).
import type { FastifyRequest } from 'fastify';
import type { IsoDate } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { payByBorrower } from '../../app/portal-payments.ts';
import { parseMoney } from '../../money/index.ts';
import type { LoanRow, PaymentRow } from '../../store/index.ts';
import type { ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { ApiProblem, notFound, refusalProblem } from '../problem.ts';

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
  const result = await payByBorrower(provider)(commandContextOf(ctx, request), {
    idempotencyKey: input.paymentKey,
    input: { borrowerId: loan.borrowerId, loanId: loan.loanId, amountMinor, today: input.today },
  });
  if (!result.ok) {
    if (result.code === 'loan_not_found') throw notFound(`loan ${loan.loanId}`);
    throw refusalProblem(result);
  }
  const answer = result.value;
  const replayHeaders = result.replayed ? { headers: { 'idempotency-replayed': 'true' } } : {};
  switch (answer.outcome) {
    case 'posted':
      return { payment: answer.payment, replayed: result.replayed };
    case 'declined':
      throw new ApiProblem('unprocessable', answer.message, { code: answer.code, ...replayHeaders });
    case 'unknown':
      throw new ApiProblem('unavailable', answer.message, {
        code: 'payment_outcome_unknown',
        headers: { 'retry-after': String(UNKNOWN_RETRY_AFTER_SECONDS) },
      });
    case 'not_applied':
      throw new ApiProblem('unprocessable', answer.message, { code: 'payment_not_applied', ...replayHeaders });
    case 'to_debit':
      throw new Error('invariant violated: a portal payment that is not a dry run is carried out');
  }
}
