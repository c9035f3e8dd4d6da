// Champion/challenger results: how a strategy's arms compare over a span of business dates — contacts
// decided, sent and suppressed per arm, and the share of borrowers who paid within a window after the
// contact. Orchestration only: experimentResults (src/app/experiments.ts) counts and the pure armResults
// compares. Invariants: aggregate counts only, no borrower is named; an outcome whose window has not
// closed by the last completed close is not counted (outcomesKnown says how many are).
import { z } from 'zod';
import { EXPERIMENT_WINDOW_DAYS_MAX, experimentResults } from '../../app/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { problemSchema } from '../problem.ts';
import { idSchema, isoDateSchema } from '../schemas.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema };

const armSchema = z.object({
  arm: z.enum(['champion', 'challenger']),
  intents: z.number().int().describe('contacts decided (sent or suppressed)'),
  sent: z.number().int(),
  suppressed: z.number().int(),
  sentRate: z.string().nullable().describe('sent / intents, 4 decimals'),
  outcomesKnown: z.number().int().describe('intents whose payment window has closed'),
  paid: z.number().int(),
  paidRate: z.string().nullable().describe('paid / outcomesKnown, 4 decimals'),
});

export const experimentResultsSchema = z
  .object({
    strategy: z.string(),
    from: z.string(),
    through: z.string(),
    windowDays: z.number().int(),
    knownThrough: z.string().nullable().describe('the last completed close'),
    champion: armSchema,
    challenger: armSchema,
    paidRateLift: z.string().nullable().describe('challenger paidRate − champion paidRate, 4 decimals'),
  })
  .meta({ id: 'ExperimentResults' });

export function registerExperimentRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/strategies/:name/results',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: "Champion/challenger: how the strategy's arms did over business dates from … through",
        description:
          'Contacts the strategy planned on those business dates that were decided (sent or suppressed), per ' +
          'arm, and how many borrowers paid (a posted payment on one of the contact’s loans, value date from ' +
          'the contact’s business date through windowDays after). An outcome counts only once its window ' +
          'has closed (business date + windowDays ≤ the last completed close). At most 366 days.',
        params: z.object({ name: idSchema }),
        querystring: z.object({
          from: isoDateSchema,
          through: isoDateSchema,
          windowDays: z.coerce.number().int().min(0).max(EXPERIMENT_WINDOW_DAYS_MAX).default(7),
        }),
        response: { 200: experimentResultsSchema, ...errors },
      },
    },
    async (request) => {
      const { from, through, windowDays } = request.query;
      const results = await experimentResults(ctx.db, { strategy: request.params.name, from, through, windowDays });
      const { comparison, ...span } = results;
      return { ...span, ...comparison };
    },
  );
}
