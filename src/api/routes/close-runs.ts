// Daily-close runs (/eod-runs): listing them, one business date's run, and running the close for a date.
// Invariants: a completed date closes again as a no-op; a date further ahead than one day past the later
// of the last completed close and today is refused (422) unless forced, and forcing needs eod:force.
import { z } from 'zod';
import { localDate } from '../../calendar/index.ts';
import { closeDateRefusal, runDailyClose } from '../../app/index.ts';
import { getEodRun } from '../../store/index.ts';
import { listEodRunsPage } from '../../store/pages.ts';
import { roleHas } from '../auth/permissions.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { decodeCursor, isoDateSchema, page, pageOf, pageQuerySchema } from '../schemas.ts';
import { errorResponses } from './common.ts';

const eodRunSchema = z.object({
  businessDate: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  stats: z.record(z.string(), z.unknown()),
});

export function registerCloseRunRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/eod-runs',
    {
      config: { access: { kind: 'permission', permission: 'eod:read', borrower: false } },
      schema: {
        tags: ['daily close'],
        summary: 'Daily-close runs, newest business date first',
        querystring: pageQuerySchema,
        response: { 200: pageOf(eodRunSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const before = decodeCursor(cursor, z.object({ d: isoDateSchema }));
      const rows = await listEodRunsPage(ctx.db, { limit, ...(before ? { before: before.d } : {}) });
      return page(rows, limit, (last) => ({ d: last.businessDate }));
    },
  );

  api.get(
    '/eod-runs/:businessDate',
    {
      config: { access: { kind: 'permission', permission: 'eod:read', borrower: false } },
      schema: {
        tags: ['daily close'],
        summary: 'The daily-close run of one business date',
        params: z.object({ businessDate: isoDateSchema }),
        response: { 200: eodRunSchema, ...errorResponses },
      },
    },
    async (request) => {
      const run = await getEodRun(ctx.db, request.params.businessDate);
      if (run === undefined) throw notFound(`a daily-close run for ${request.params.businessDate}`);
      return run;
    },
  );

  api.post(
    '/eod-runs',
    {
      config: { access: { kind: 'permission', permission: 'eod:run', borrower: false } },
      schema: {
        tags: ['daily close'],
        summary: 'Run the daily close for one business date (idempotent: a completed date does nothing)',
        description: 'Runs in this request, in one worker; for a large book use `kuan eod --workers N`.',
        body: z.strictObject({
          businessDate: isoDateSchema.describe(
            'at most one day past the later of the last completed close and today (the lender’s zone), unless force',
          ),
          force: z.boolean().optional().describe('close a date further ahead than that; needs eod:force (admin)'),
        }),
        response: {
          200: eodRunSchema.extend({ loansClosed: z.number().int(), alreadyCompleted: z.boolean() }),
          422: problemSchema,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { businessDate, force } = request.body;
      request.auditNote!.detail = { businessDate, ...(force === undefined ? {} : { force }) };
      if (force === true) {
        const principal = request.principal;
        if (principal?.kind !== 'staff' || !roleHas(principal.role, 'eod:force')) {
          throw new ApiProblem('forbidden', 'force needs eod:force (admin)', { field: 'force' });
        }
      } else {
        const refusal = await closeDateRefusal(ctx.db, {
          businessDate,
          today: localDate(ctx.timezone, ctx.clock()),
        });
        if (refusal !== undefined) {
          throw new ApiProblem('unprocessable', `businessDate: ${refusal}; send force: true to close it anyway`, {
            field: 'businessDate',
            code: 'business_date_too_far_ahead',
          });
        }
      }
      const stats = await runDailyClose({ db: ctx.db, businessDate });
      const run = await getEodRun(ctx.db, businessDate);
      if (run === undefined) throw new Error(`the daily close of ${businessDate} left no run row`);
      return { ...run, loansClosed: stats.loansClosed, alreadyCompleted: stats.alreadyCompleted };
    },
  );
}
