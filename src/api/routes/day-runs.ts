// GET /day-runs: how the lender's day went (`kuan day`, the scheduler), one entry per business date with
// its stages in order — status, attempts, start and finish, and each stage's counts.
import { z } from 'zod';
import { dayStages } from '../../app/index.ts';
import { DAY_RUNS_PAGE_MAX, listDayRuns, type DayRunRow } from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { problemSchema } from '../problem.ts';
import { isoDateSchema } from '../schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

const stageSchema = z.object({
  stage: z.enum(dayStages),
  status: z.enum(['running', 'completed', 'failed']),
  attempts: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  counts: z.record(z.string(), z.unknown()),
  error: z.string().nullable(),
});

const dayRunSchema = z.object({
  businessDate: z.string(),
  status: z.enum(['running', 'completed', 'failed']).describe('completed when every stage is; failed when one is'),
  stages: z.array(stageSchema),
});

/** One business date's stages, in pipeline order, and the day's status from them. */
function dayRunOf(businessDate: string, rows: readonly DayRunRow[]): z.infer<typeof dayRunSchema> {
  const order = (stage: string) => dayStages.indexOf(stage as (typeof dayStages)[number]);
  const stages = [...rows]
    .sort((a, b) => order(a.stage) - order(b.stage))
    .map(({ businessDate: _date, stage, ...rest }) => ({ stage: stage as (typeof dayStages)[number], ...rest }));
  const status = stages.some((stage) => stage.status === 'failed')
    ? 'failed'
    : stages.length === dayStages.length && stages.every((stage) => stage.status === 'completed')
      ? 'completed'
      : 'running';
  return { businessDate, status, stages };
}

export function registerDayRunRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/day-runs',
    {
      config: { access: { kind: 'permission', permission: 'eod:read', borrower: false } },
      schema: {
        tags: ['daily close'],
        summary: 'The lender’s day by business date (newest first), each with its stages in order',
        querystring: z.strictObject({
          days: z.coerce.number().int().min(1).max(DAY_RUNS_PAGE_MAX).default(30),
          date: isoDateSchema.optional().describe('only this business date'),
        }),
        response: { 200: z.object({ items: z.array(dayRunSchema) }), ...errors },
      },
    },
    async (request) => {
      const { days, date } = request.query;
      const rows = await listDayRuns(ctx.db, date === undefined ? { days } : { businessDate: date });
      const byDate = new Map<string, DayRunRow[]>();
      for (const row of rows) byDate.set(row.businessDate, [...(byDate.get(row.businessDate) ?? []), row]);
      return { items: [...byDate].map(([businessDate, stages]) => dayRunOf(businessDate, stages)) };
    },
  );
}
