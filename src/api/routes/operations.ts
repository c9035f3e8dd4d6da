// Operations and tools: daily-close runs, strategies (built-ins, validate, diff), schedules (LoanTerms →
// Schedule, the `kuan schedule` contract), messages sent to a borrower (reports live in reports.ts),
// message verification for anyone holding a code, and the audit log. Invariants: verification answers
// anyone only whether a code is genuine, the channel and the date — never what the message said (its
// template) unless the asker is signed in as its recipient, and nothing about the person; a code-shaped
// input no code of ours can be (0, 1, I, L, O) is "not genuine", not an input error; a borrower lists and reads only their own messages (404 for anyone else's); the audit chain
// is read-only here.
import { z } from 'zod';
import { localDate } from '../../calendar/index.ts';
import { lookAlikeCode, normaliseVerificationCode } from '../../contact/codes.ts';
import { sessionTokenOf } from '../auth/tokens.ts';
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
  closeDateRefusal,
  PREVIEW_DAYS_MAX,
  previewStrategy,
  runDailyClose,
  strategyCatalogue,
} from '../../jobs/index.ts';
import { buildSchedule, parseLoanTerms, toScheduleJson } from '../../schedule/index.ts';
import { getEodRun } from '../../store/index.ts';
import { listEodRunsPage } from '../../store/pages.ts';
import { listAudit, verifyAuditChain } from '../../store/audit.ts';
import { findMessageByCode, getContact, listBorrowerMessages } from '../../store/contacts.ts';
import type { RateLimits } from '../app.ts';
import { maskMiddle, maskEmail, maskPhone } from '../auth/masking.ts';
import type { Api, ApiContext } from '../context.ts';
import { roleHas } from '../auth/permissions.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import {
  decodeCursor,
  domainDocument,
  idSchema,
  isoDateSchema,
  loanTermsDoc,
  page,
  pageOf,
  pageQuerySchema,
  PAGE_LIMIT_MAX,
  scheduleJsonSchema,
} from '../schemas.ts';
import { requireBorrowerAccess, seesPii } from './common.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };

const eodRunSchema = z.object({
  businessDate: z.string(),
  status: z.enum(['running', 'completed', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  stats: z.record(z.string(), z.unknown()),
});

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

const messageIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/, { error: 'must be a message id this API returned' });

const messageSchema = z
  .object({
    messageId: z.string(),
    code: z.string().describe('the verification code the message carried'),
    channel: z.string(),
    template: z.string(),
    loanIds: z.array(z.string()),
    sentAt: z.string().nullable(),
    deliveryStatus: z.string().nullable(),
  })
  .meta({ id: 'Message' });

const messageDetailSchema = messageSchema.extend({
  status: z.string(),
  address: z.string().nullable().describe('masked without pii:read'),
  reasons: z.array(z.string()).describe("the latest decision's reasons"),
});

const isoOrNull = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

function maskAddress(channel: string, address: string): string {
  if (channel === 'email') return maskEmail(address);
  if (channel === 'sms' || channel === 'voice') return maskPhone(address);
  return maskMiddle(address, 2, 2);
}

const auditRowSchema = z.object({
  seq: z.number().int(),
  at: z.string(),
  actorKind: z.string(),
  actorId: z.string(),
  action: z.string(),
  resource: z.string(),
  subjectBorrowerId: z.string().nullable(),
  outcome: z.number().int(),
  detail: z.record(z.string(), z.unknown()),
  prevHash: z.string(),
  hash: z.string(),
});

export function registerOperationRoutes(api: Api, ctx: ApiContext, limits: RateLimits): void {
  // ---- daily close ----------------------------------------------------------------------------------
  api.get(
    '/eod-runs',
    {
      config: { access: { kind: 'permission', permission: 'eod:read', borrower: false } },
      schema: {
        tags: ['daily close'],
        summary: 'Daily-close runs, newest business date first',
        querystring: pageQuerySchema,
        response: { 200: pageOf(eodRunSchema), ...errors },
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
        response: { 200: eodRunSchema, ...errors },
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
          ...errors,
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

  // ---- strategies -----------------------------------------------------------------------------------
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
          ...errors,
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
        response: { 200: strategySchema, ...errors },
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
        response: { 200: strategySchema, ...errors },
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
          ...errors,
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
          ...errors,
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

  // ---- schedules ------------------------------------------------------------------------------------
  api.post(
    '/schedules',
    {
      config: { access: { kind: 'permission', permission: 'schedules:compute', borrower: true }, audit: 'none' },
      schema: {
        tags: ['schedules'],
        summary: 'LoanTerms → Schedule (the same JSON contract as `kuan schedule`)',
        body: domainDocument(loanTermsDoc, 'LoanTerms (CONTRACTS.md)'),
        response: { 200: scheduleJsonSchema, ...errors },
      },
    },
    async (request) => toScheduleJson(buildSchedule(parseLoanTerms(request.body))),
  );

  // ---- messages and verification --------------------------------------------------------------------
  api.get(
    '/borrowers/:borrowerId/messages',
    {
      config: { access: { kind: 'permission', permission: 'messages:read', borrower: true } },
      schema: {
        tags: ['messages'],
        summary: 'Every message sent to a borrower, newest first, with its verification code',
        params: z.object({ borrowerId: idSchema }),
        querystring: z.object({ limit: pageQuerySchema.shape.limit }),
        response: { 200: z.object({ items: z.array(messageSchema) }), ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      const rows = await listBorrowerMessages(ctx.db, borrowerId, { limit: request.query.limit });
      await ctx.auditRead(request, {
        action: 'messages.list',
        borrowerIds: [borrowerId],
        detail: { count: rows.length },
      });
      return {
        items: rows.map((row) => ({
          messageId: row.contactId,
          code: row.code,
          channel: row.channel,
          template: row.template,
          loanIds: row.loanIds,
          sentAt: isoOrNull(row.sentAtMs),
          deliveryStatus: row.deliveryStatus,
        })),
      };
    },
  );

  api.get(
    '/borrowers/:borrowerId/messages/:messageId',
    {
      config: { access: { kind: 'permission', permission: 'messages:read', borrower: true } },
      schema: {
        tags: ['messages'],
        summary: 'One message sent to a borrower',
        params: z.object({ borrowerId: idSchema, messageId: messageIdSchema }),
        response: { 200: messageDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId, messageId } = request.params;
      requireBorrowerAccess(request, borrowerId, `message ${messageId}`);
      const row = await getContact(ctx.db, { borrowerId, contactId: messageId });
      if (row === undefined || row.verificationCode === null || row.sentAtMs === null) {
        throw notFound(`message ${messageId}`);
      }
      await ctx.auditRead(request, { action: 'messages.read', borrowerIds: [borrowerId], detail: { messageId } });
      const unmasked = seesPii(request, borrowerId);
      return {
        messageId: row.contactId,
        code: row.verificationCode,
        channel: row.channel,
        template: row.template,
        loanIds: row.loanIds,
        sentAt: isoOrNull(row.sentAtMs),
        deliveryStatus: row.deliveryStatus,
        status: row.status,
        address: row.address === null ? null : unmasked ? row.address : maskAddress(row.channel, row.address),
        reasons: request.principal?.kind === 'staff' ? row.reasons : [],
      };
    },
  );

  api.get(
    '/verify/:code',
    {
      config: {
        access: { kind: 'public' },
        rateLimit: { max: limits.verifyPerMinute, timeWindow: 60_000 },
      },
      schema: {
        tags: ['messages'],
        summary: 'Is a message with this verification code genuine? (channel and date only, to anyone)',
        description:
          'Anyone may ask; the answer says only whether the code is genuine, the channel and the UTC date. ' +
          'The message itself (`template`) is added only for its recipient, signed in as that borrower ' +
          '(`yours: true`). Any six letters and digits that are no code of ours — codes never use 0, 1, I, L ' +
          'or O — are `{ genuine: false }` with 200; only input that cannot be a code at all is 400.',
        security: [],
        params: z.object({ code: z.string().max(64) }),
        response: {
          200: z.object({
            code: z.string(),
            genuine: z.boolean(),
            channel: z.string().optional(),
            sentOn: z.string().optional().describe('UTC date the message was sent'),
            yours: z.boolean().optional().describe('true when the signed-in borrower received this message'),
            template: z.string().optional().describe('what the message was: only for its recipient'),
          }),
          400: problemSchema,
          429: problemSchema,
        },
      },
    },
    async (request) => {
      const lookAlike = lookAlikeCode(request.params.code);
      if (lookAlike !== undefined) return { code: lookAlike, genuine: false };
      const code = normaliseVerificationCode(request.params.code);
      const message = await findMessageByCode(ctx.db, code);
      if (message === undefined || message.sentAtMs === null) return { code, genuine: false };
      const token = sessionTokenOf(request);
      const principal = token === undefined ? null : await ctx.sessions.resolve(token);
      const yours = principal?.kind === 'borrower' && principal.borrowerId === message.borrowerId;
      return {
        code,
        genuine: true,
        channel: message.channel,
        sentOn: new Date(message.sentAtMs).toISOString().slice(0, 10),
        ...(yours ? { yours: true, template: message.template } : {}),
      };
    },
  );

  // ---- audit ----------------------------------------------------------------------------------------
  api.get(
    '/audit',
    {
      config: { access: { kind: 'permission', permission: 'audit:read', borrower: false } },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (optionally about one borrower or by one staff member)',
        querystring: pageQuerySchema.extend({
          borrowerId: idSchema.optional(),
          staff: z
            .string()
            .regex(/^[a-z0-9][a-z0-9._-]{0,63}$/)
            .optional(),
        }),
        response: { 200: pageOf(auditRowSchema), ...errors },
      },
    },
    async (request) => {
      const { limit, cursor, borrowerId, staff } = request.query;
      const before = decodeCursor(cursor, z.object({ s: z.number().int().min(1) }));
      const rows = await listAudit(ctx.db, {
        limit: Math.min(limit, PAGE_LIMIT_MAX),
        ...(before ? { beforeSeq: before.s } : {}),
        ...(borrowerId === undefined ? {} : { subjectBorrowerId: borrowerId }),
        ...(staff === undefined ? {} : { actor: { kind: 'staff' as const, id: staff } }),
      });
      return page(rows, limit, (last) => ({ s: last.seq }));
    },
  );

  api.get(
    '/audit/verify',
    {
      config: { access: { kind: 'permission', permission: 'audit:read', borrower: false } },
      schema: {
        tags: ['audit'],
        summary: 'Walk the audit chain and recompute every hash',
        response: {
          200: z.object({
            ok: z.boolean(),
            rowsChecked: z.number().int(),
            headSeq: z.number().int().optional(),
            brokenSeq: z.number().int().optional(),
            reason: z.string().optional(),
          }),
          ...errors,
        },
      },
    },
    async () => {
      // Let appends made so far land, so the walk covers this request's own predecessors.
      await ctx.audit.flush();
      const result = await verifyAuditChain(ctx.db);
      return result.ok
        ? { ok: true, rowsChecked: result.rowsChecked, headSeq: result.headSeq }
        : { ok: false, rowsChecked: result.rowsChecked, brokenSeq: result.brokenSeq, reason: result.reason };
    },
  );
}
