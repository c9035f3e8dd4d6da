// Portal money that was debited and not applied (src/app/portal-payments.ts): `GET /payments/unapplied`
// lists it for staff (`payments:read`; never a borrower) — what is still owed back (`refund_due`) and what
// was returned (`refunded`), with the provider's references; `POST /payments/reconcile` (`payments:write`)
// finishes portal payments a crash or a lost answer left open, like `kuan payments reconcile`.
// Invariants: amounts are decimal strings in major units; without a payment provider reconcile is refused,
// 422 `payments_unavailable` and moves nothing.
import { z } from 'zod';
import {
  listUnappliedPortalPayments,
  RECONCILE_OLDER_THAN_SECONDS_DEFAULT,
  reconcilePortalPayments,
} from '../../app/portal-payments.ts';
import type { PortalReservation } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, problemSchema } from '../problem.ts';
import { PAGE_LIMIT_DEFAULT, PAGE_LIMIT_MAX } from '../schemas.ts';
import { money } from './common.ts';

export const unappliedPaymentSchema = z
  .object({
    paymentKey: z.string().describe('the payment key as stored (namespaced by the borrower)'),
    loanId: z.string(),
    borrowerId: z.string(),
    amount: z.string(),
    currency: z.string(),
    on: z.string(),
    status: z.enum(['refund_due', 'refunded']),
    providerRef: z.string().nullable().describe("the provider's reference of the debit"),
    refundRef: z.string().nullable().describe("the provider's reference of the refund, once made"),
    reason: z.string().nullable().describe('why the loan could not take it, or why the refund failed'),
    updatedAt: z.string(),
  })
  .meta({ id: 'UnappliedPayment' });

const reconcileSummarySchema = z
  .object({
    examined: z.number().int(),
    posted: z.number().int(),
    released: z.number().int(),
    refunded: z.number().int(),
    refundQueued: z.number().int(),
    unknown: z.number().int(),
  })
  .meta({ id: 'ReconcileSummary' });

function unappliedView(row: PortalReservation): z.output<typeof unappliedPaymentSchema> {
  if (row.status !== 'refund_due' && row.status !== 'refunded') {
    throw new Error(`invariant violated: reservation ${row.paymentKey} listed as unapplied is ${row.status}`);
  }
  return {
    paymentKey: row.paymentKey,
    loanId: row.loanId,
    borrowerId: row.borrowerId,
    amount: money(row.amountMinor, row.currency),
    currency: row.currency,
    on: row.onDate,
    status: row.status,
    providerRef: row.providerRef,
    refundRef: row.refundRef,
    reason: row.reason,
    updatedAt: row.updatedAt,
  };
}

export function registerPortalPaymentRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/payments/unapplied',
    {
      config: { access: { kind: 'permission', permission: 'payments:read', borrower: false } },
      schema: {
        tags: ['payments'],
        summary: 'Portal payments debited from a borrower and not applied to the loan: owed back or refunded',
        querystring: z.object({
          status: z.enum(['refund_due', 'refunded']).optional().describe('only these; default both'),
          limit: z.coerce.number().int().min(1).max(PAGE_LIMIT_MAX).default(PAGE_LIMIT_DEFAULT),
        }),
        response: {
          200: z.object({ items: z.array(unappliedPaymentSchema) }),
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
        },
      },
    },
    async (request) => {
      const { status, limit } = request.query;
      const rows = await listUnappliedPortalPayments(ctx.db, { ...(status ? { status } : {}), limit });
      return { items: rows.map(unappliedView) };
    },
  );

  api.post(
    '/payments/reconcile',
    {
      config: { access: { kind: 'permission', permission: 'payments:write', borrower: false } },
      schema: {
        tags: ['payments'],
        summary: 'Finish portal payments left open by a crash or a lost provider answer (post or refund)',
        description:
          'Presents each open portal debit again under its own key (never debiting twice), posts it or ' +
          'refunds it, and retries refunds still due. Idempotent.',
        body: z
          .strictObject({
            olderThanSeconds: z
              .number()
              .int()
              .min(0)
              .max(86_400 * 30)
              .optional()
              .describe(`only reservations untouched this long (default ${RECONCILE_OLDER_THAN_SECONDS_DEFAULT})`),
          })
          .optional(),
        response: {
          200: reconcileSummarySchema,
          400: problemSchema,
          401: problemSchema,
          403: problemSchema,
          422: problemSchema,
        },
      },
    },
    async (request) => {
      const provider = ctx.paymentProvider;
      if (provider === undefined) {
        throw new ApiProblem(
          'unprocessable',
          'reconciling portal payments needs a payment provider (kuan serve --payment-provider URL)',
          {
            code: 'payments_unavailable',
          },
        );
      }
      const olderThanSeconds = request.body?.olderThanSeconds;
      return reconcilePortalPayments(ctx.db, provider, olderThanSeconds === undefined ? {} : { olderThanSeconds });
    },
  );
}
