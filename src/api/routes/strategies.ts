// Contact strategies: the built-ins and the active strategy, the strategy in force, checking one,
// what changes between two, a preview on the live book, and asking for one to become active (an approval
// another member decides, approvals.ts; docs/strategies.md, "Activation and approval"). Invariants:
// validating, diffing and previewing change nothing; asking needs strategies:write and is audited with
// the approval id, the strategy and its digest.
import { z } from 'zod';
import {
  builtInStrategies,
  diffStrategies,
  parsePolicy,
  resolveStrategy,
  strategyDigest,
  strategyJsonSchema,
  strategyToJson,
} from '../../contact/index.ts';
import {
  activeStrategy,
  activeStrategyRecord,
  PREVIEW_DAYS_MAX,
  previewStrategy,
  requestActivation,
  strategyCatalogue,
} from '../../app/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { commandContextOf } from '../command-context.ts';
import { notFound, refusalProblem } from '../problem.ts';
import { domainDocument, idSchema } from '../schemas.ts';
import { approvalErrors, approvalSchema, approvalView, commentSchema } from './approvals.ts';
import { errorResponses, staffUsername } from './common.ts';

const strategyDocument = domainDocument(strategyJsonSchema(), 'a strategy document (docs/strategies.md)');
const strategyChoice = z
  .union([z.string().max(64), strategyDocument])
  .describe('a built-in name, or an object of overrides on a built-in (`base`, `steps`, `addSteps`, …)');

const strategySchema = z.object({
  name: z.string(),
  version: z.number().int(),
  digest: z.string().describe('SHA-256 of the canonical JSON'),
  strategy: z.record(z.string(), z.unknown()).describe('the canonical strategy document'),
});

function strategyView(strategy: ReturnType<typeof resolveStrategy>): z.output<typeof strategySchema> {
  return {
    name: strategy.name,
    version: strategy.version,
    digest: strategyDigest(strategy),
    strategy: strategyToJson(strategy) as unknown as Record<string, unknown>,
  };
}

const activeSchema = z
  .object({
    name: z.string(),
    version: z.number().int(),
    digest: z.string(),
    strategy: z.record(z.string(), z.unknown()).describe('the canonical strategy document'),
    source: z.enum(['activated', 'builtin']).describe('`builtin`: nothing was ever activated, the default applies'),
    approvalId: z.string().nullable(),
    activatedAt: z.string().nullable(),
    activatedBy: z.string().nullable(),
    approvedBy: z.string().nullable(),
  })
  .meta({ id: 'ActiveStrategy' });

export function registerStrategyRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/strategies',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'The contact strategies: the built-ins, with the active strategy (marked) in place of its name',
        response: {
          200: z.object({
            items: z.array(strategySchema.extend({ active: z.boolean().describe('the one the planning uses') })),
          }),
          ...errorResponses,
        },
      },
    },
    async () => ({
      items: (await strategyCatalogue(ctx.db)).map((entry) => ({
        ...strategyView(entry.strategy),
        active: entry.active,
      })),
    }),
  );

  api.get(
    '/strategies/:name',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'One strategy of the list: a built-in, or the active strategy of that name',
        params: z.object({ name: idSchema }),
        response: { 200: strategySchema, ...errorResponses },
      },
    },
    async (request) => {
      const active = await activeStrategy(ctx.db);
      const strategy =
        active.name === request.params.name
          ? active
          : Object.hasOwn(builtInStrategies, request.params.name)
            ? builtInStrategies[request.params.name]
            : undefined;
      if (strategy === undefined) throw notFound(`strategy ${request.params.name}`);
      return strategyView(strategy);
    },
  );

  api.post(
    '/strategies/validate',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false }, audit: 'none' },
      schema: {
        tags: ['strategies'],
        summary: 'Check a strategy (a name or overrides); 400 naming the first bad field, else its canonical form',
        body: z.strictObject({ strategy: strategyChoice }),
        response: { 200: strategySchema, ...errorResponses },
      },
    },
    async (request) => strategyView(resolveStrategy(request.body.strategy, 'strategy')),
  );

  api.post(
    '/strategies/diff',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false }, audit: 'none' },
      schema: {
        tags: ['strategies'],
        summary: 'What changes between two strategies (for approving a change)',
        body: z.strictObject({ from: strategyChoice, to: strategyChoice }),
        response: {
          200: z.object({
            fromDigest: z.string(),
            toDigest: z.string(),
            changes: z.array(
              z.object({
                kind: z.string(),
                id: z.string().optional(),
                arm: z.string().optional(),
                fields: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
                text: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const from = resolveStrategy(request.body.from, 'from');
      const to = resolveStrategy(request.body.to, 'to');
      return { fromDigest: strategyDigest(from), toDigest: strategyDigest(to), changes: diffStrategies(from, to) };
    },
  );

  api.post(
    '/strategies/preview',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false }, audit: 'none' },
      schema: {
        tags: ['strategies'],
        summary:
          'Run a strategy on the live book for N days (the simulator: planner and compliance gate, nobody paying): messages per day per channel and holds by rule, against the active strategy',
        body: z.strictObject({
          strategy: strategyChoice,
          days: z.number().int().min(1).max(PREVIEW_DAYS_MAX).default(14),
          policy: z.union([z.string().max(64), z.record(z.string(), z.unknown())]).optional(),
        }),
        response: {
          200: z.object({
            from: z.string(),
            days: z.number().int(),
            borrowers: z.number().int(),
            perDay: z.array(z.object({ date: z.string(), channel: z.string(), sent: z.number().int() })),
            suppressions: z.array(z.object({ reason: z.string(), count: z.number().int() })),
            totals: z.object({ sent: z.number().int(), suppressed: z.number().int() }),
            baseline: z
              .object({ totals: z.object({ sent: z.number().int(), suppressed: z.number().int() }) })
              .optional(),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) =>
      previewStrategy({
        db: ctx.db,
        strategy: resolveStrategy(request.body.strategy, 'strategy'),
        baseline: await activeStrategy(ctx.db),
        policy: parsePolicy(request.body.policy, 'policy'),
        days: request.body.days,
      }),
  );

  api.get(
    '/strategies/active',
    {
      config: { access: { kind: 'permission', permission: 'strategies:read', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'The strategy in force: the one the daily contact planning uses',
        response: { 200: activeSchema, ...approvalErrors },
      },
    },
    async () => {
      const active = await activeStrategyRecord(ctx.db);
      return {
        name: active.strategy.name,
        version: active.strategy.version,
        digest: active.digest,
        strategy: strategyToJson(active.strategy) as unknown as Record<string, unknown>,
        source: active.source,
        approvalId: active.approvalId,
        activatedAt: active.activatedAt,
        activatedBy: active.activatedBy,
        approvedBy: active.approvedBy,
      };
    },
  );

  api.post(
    '/strategies/activations',
    {
      config: { access: { kind: 'permission', permission: 'strategies:write', borrower: false } },
      schema: {
        tags: ['strategies'],
        summary: 'Ask for a strategy to become the active one; another member approves it (an approval, 201)',
        description:
          'The document is validated (400 naming the field), stored with its digest and its diff against the active strategy. 409 `identical_to_active`, `already_pending`; 400 at `strategy.version` when that name and version already stand for another document.',
        body: z.strictObject({
          strategy: z
            .union([
              z.string().max(64),
              domainDocument(strategyJsonSchema(), 'a whole strategy document (docs/strategies.md)'),
            ])
            .describe('a built-in name, or the whole strategy document previewed'),
          comment: commentSchema,
        }),
        response: { 201: approvalSchema, ...approvalErrors },
      },
    },
    async (request, reply) => {
      staffUsername(request);
      const result = await requestActivation(commandContextOf(ctx, request), {
        input: { strategy: request.body.strategy, comment: request.body.comment ?? null },
      });
      if (!result.ok) throw refusalProblem(result);
      const view = approvalView(result.value, true);
      void reply.code(201);
      return view;
    },
  );
}
