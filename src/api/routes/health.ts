// GET /health/live and GET /health/ready: the probes an orchestrator (or a person) calls. Outside /api/v1,
// unauthenticated and exempt from rate limiting, so a probe is never refused for want of a session or of
// budget; what they answer names states and ages, nothing sensitive (src/app/health.ts). Live answers
// without touching the database (the process runs its event loop); ready runs every readiness check and
// answers 503 when a required one fails.
import { z } from 'zod';
import { checkReadiness } from '../../app/index.ts';
import type { Api, ApiContext } from '../context.ts';

const checkSchema = z.object({
  name: z.string().describe('database, migrations, scheduler, day, or circuit.<channel> / circuit.payment_provider'),
  ok: z.boolean(),
  required: z.boolean().describe('a failed required check makes the process not ready'),
  detail: z.string().describe('the state found, for a person (no addresses or credentials)'),
});

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']).describe('ready when every required check passes'),
  checks: z.array(checkSchema),
});

export function registerHealthRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/health/live',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'The process answers (no database call): for a liveness probe',
        security: [],
        response: { 200: z.object({ status: z.literal('live') }) },
      },
    },
    async () => ({ status: 'live' as const }),
  );

  api.get(
    '/health/ready',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary:
          'Whether this process can work: database, migrations, scheduler heartbeat, last completed day, circuits (503 when not ready)',
        security: [],
        response: { 200: readinessSchema, 503: readinessSchema },
      },
    },
    async (_request, reply) => {
      const readiness = await checkReadiness({
        db: ctx.db,
        nowMs: ctx.clock(),
        ...(ctx.operations?.scheduler === undefined ? {} : { scheduler: ctx.operations.scheduler }),
        ...(ctx.operations?.adapters === undefined ? {} : { adapters: ctx.operations.adapters }),
        ...(ctx.paymentProvider === undefined ? {} : { paymentProvider: ctx.paymentProvider }),
      });
      void reply.header('cache-control', 'no-store');
      return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
    },
  );
}
