// Helping borrowers who fall behind, over the contact pipeline, hardship and case jobs: contact events
// (holds, promises to pay, opt-outs, pauses lifted, new addresses), overdue reasons, hardship plans
// (request, approve, refuse, a borrower accepting a self-service offer), the collector's queue (explain,
// next case, call outcome) and complaints. Orchestration only: the decisions are the jobs' (src/jobs
// contacts, hardship, cases). Invariants: a borrower acts only on their own records (404 otherwise) and
// only through the borrower-facing kinds of event; every money-moving or person-contacting command
// carries an Idempotency-Key; refusals come back as named codes (422, 409 for a reused key).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { addDays, compareDates, maxDate, type IsoDate } from '../../calendar/index.ts';
import { contactChannels } from '../../contact/index.ts';
import { InputError } from '../../errors/index.ts';
import { evidenceFilesMax, overdueReasonCategories } from '../../hardship/index.ts';
import { complaintCategories } from '../../workbench/index.ts';
import {
  approvePlan,
  explainQueue,
  jsonSafe,
  nextCase,
  openComplaint,
  recordCallOutcome,
  recordContactEvent,
  recordOverdueReason,
  refusePlan,
  requestPlan,
  type RecordedContactEvent,
} from '../../jobs/index.ts';
import { parseMoney } from '../../money/index.ts';
import { planTypes } from '../../servicing/index.ts';
import { getBorrower, getLoan } from '../../store/index.ts';
import { getHardshipPlan, listLoanPlans } from '../../store/hardship.ts';
import type { StaffRole } from '../auth/permissions.ts';
import type { Api, ApiContext } from '../context.ts';
import { readEvidenceForm, type UploadedFile } from '../evidence-upload.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { amountSchema, idSchema, isoDateSchema, textSchema } from '../schemas.ts';
import { loadLoan, mayAccessBorrower, refusal, requireBorrowerAccess } from './common.ts';
import { today } from './loans.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const refusals = { 409: problemSchema, 422: problemSchema };
const looseObject = z.record(z.string(), z.unknown());

const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string({ error: 'is required: one unique key per request, 1-200 printable ASCII characters' })
    .regex(/^[\x21-\x7e]{1,200}$/, { error: 'must be 1-200 printable ASCII characters' }),
});

/** An overdue reason as a client gives it: the JSON body, or the multipart form's `reason` field. */
const reasonBodySchema = z.strictObject({
  category: z.enum(overdueReasonCategories),
  text: textSchema(2000).optional(),
});

/** The multipart form's `reason` field, validated like the JSON body; errors name `reason.<field>`. */
function parseReasonField(value: unknown): z.output<typeof reasonBodySchema> {
  const parsed = reasonBodySchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const path = issue?.path.map(String) ?? [];
  const keys = issue && 'keys' in issue && Array.isArray(issue.keys) ? issue.keys.map(String) : [];
  const field = ['reason', ...path, ...keys.slice(0, 1)].join('.');
  throw new InputError(field, issue?.message ?? 'is not valid');
}

/** The approval-ladder role (src/hardship policy) a staff role approves plans as. */
const approverRoles: Readonly<Partial<Record<StaffRole, string>>> = {
  collector: 'collector',
  supervisor: 'supervisor',
  admin: 'manager',
};

/** Kinds of contact event a borrower may record about themself. */
const borrowerEventTypes = new Set(['hold', 'promise_to_pay', 'opt_out', 'hardship_request']);

const contactEventSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hold'), days: z.number().int().min(1).max(90), reason: textSchema(500).min(1) }),
  z.strictObject({
    type: z.literal('promise_to_pay'),
    promiseId: idSchema.optional().describe('the same id again replaces the promise; default: loan and date'),
    loanId: idSchema,
    amount: amountSchema,
    date: isoDateSchema,
    remindMe: z
      .boolean()
      .optional()
      .describe('the borrower asked to be reminded before the date; without it nothing is sent until the date passes'),
  }),
  z.strictObject({ type: z.literal('opt_out'), channel: z.enum(contactChannels) }),
  z.strictObject({ type: z.literal('hardship_request'), reason: textSchema(2000).min(1) }),
  z.strictObject({ type: z.literal('pause_lifted'), reason: textSchema(500).min(1) }),
  z
    .strictObject({ type: z.literal('hardship_closed'), reason: textSchema(500).min(1) })
    .describe('staff closed the hardship request without a plan decision: ordinary contact resumes'),
  z.strictObject({
    type: z.literal('contact_update'),
    contacts: z
      .record(z.enum(contactChannels), z.union([textSchema(254).min(1), z.null()]))
      .describe('an address per channel; null removes it'),
  }),
]);

/** The principal as the jobs name an actor: "borrower" or the staff username (also the agent id). */
function actorOf(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal === null) throw new ApiProblem('unauthenticated', 'sign in first');
  return principal.kind === 'borrower' ? 'borrower' : principal.username;
}

function staffUsername(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new ApiProblem('forbidden', 'staff only');
  return principal.username;
}

function rejectedProblem(result: { code: string; message: string }): ApiProblem {
  return refusal(result.code, result.message);
}

/** The business date a plan or reason is dated: today, or the loan's last closed date if later. */
function planDate(ctx: ApiContext, closedThrough: IsoDate | null, given: IsoDate | undefined, field: string): IsoDate {
  const floor = maxDate(today(ctx), closedThrough ?? today(ctx));
  const date = given ?? floor;
  if (compareDates(date, addDays(floor, 400)) > 0) {
    throw new ApiProblem('invalid-input', `${field}: must be on or before ${addDays(floor, 400)}`, { field });
  }
  return date;
}

export function registerHelpRoutes(api: Api, ctx: ApiContext): void {
  // ---- contact events -----------------------------------------------------------------------------
  api.post(
    '/borrowers/:borrowerId/contact-events',
    {
      config: { access: { kind: 'permission', permission: 'contacts:write', borrower: true } },
      schema: {
        tags: ['help'],
        summary:
          'Record a hold, a promise to pay, an opt-out, a hardship request (or its closing), a pause lifted or new addresses',
        description:
          'Applied to the borrower’s contact state at once: every later send re-checks it. A borrower may record ' +
          'hold, promise_to_pay, opt_out and hardship_request about themself.',
        params: z.object({ borrowerId: idSchema }),
        body: contactEventSchema,
        response: {
          200: z.object({
            optedOut: z.string().nullable(),
            callTaskId: z.string().nullable(),
            fallbackContactId: z.string().nullable(),
          }),
          ...refusals,
          ...errors,
        },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      const body = request.body;
      request.auditNote!.detail = { type: body.type };
      if (request.principal?.kind === 'borrower' && !borrowerEventTypes.has(body.type)) {
        throw refusal('event_not_allowed', `type: a borrower may not record ${body.type}`, 'type');
      }
      if ((await getBorrower(ctx.db, borrowerId)) === undefined) throw notFound(`borrower ${borrowerId}`);
      let event: RecordedContactEvent;
      if (body.type === 'promise_to_pay') {
        const loan = await getLoan(ctx.db, body.loanId);
        if (loan === undefined || loan.borrowerId !== borrowerId) throw notFound(`loan ${body.loanId}`);
        event = {
          type: 'promise_to_pay',
          promiseId: body.promiseId ?? `${body.loanId}:${body.date}`,
          loanId: body.loanId,
          amountMinor: parseMoney(body.amount, loan.currency, { field: 'amount', allowZero: false }).amountMinor,
          date: body.date,
          takenBy: actorOf(request),
          ...(body.remindMe === true ? { remindMe: true } : {}),
        };
      } else if (body.type === 'contact_update') {
        event = { type: 'contact_update', contacts: body.contacts };
      } else {
        event = body;
      }
      const result = await recordContactEvent({ db: ctx.db, borrowerId, nowMs: ctx.clock(), event });
      return {
        optedOut: result.optedOut,
        callTaskId: result.callTask?.taskId ?? null,
        fallbackContactId: result.fallbackContactId,
      };
    },
  );

  // ---- overdue reasons and plans ------------------------------------------------------------------
  api.post(
    '/loans/:loanId/overdue-reasons',
    {
      config: { access: { kind: 'permission', permission: 'plans:request', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'Record why the borrower fell behind (hardship, emergency, poor planning, …), with evidence files',
        description:
          'JSON `{category, text?}`, or multipart/form-data with a JSON field `reason` (`{category, text?}`) and ' +
          `up to ${evidenceFilesMax} files as \`evidence\` (PDF, JPEG, PNG or HEIC, each at most 10 MB). The server ` +
          "takes each file's size, SHA-256 and type from its bytes (the type by its magic numbers; the file name " +
          'must end as its type requires). Too many or too big: 413; a wrong type: 400; the problem names the ' +
          'field (`evidence[1]`) and the file, and nothing is stored.',
        params: z.object({ loanId: idSchema }),
        headers: idempotencyHeaders,
        consumes: ['application/json', 'multipart/form-data'],
        // Nullish: a multipart body reaches validation as null; the handler reads it (readEvidenceForm).
        body: reasonBodySchema.nullish(),
        response: {
          201: z.object({
            reasonId: z.string(),
            replayed: z.boolean(),
            evidence: z
              .array(
                z.object({
                  fileName: z.string(),
                  mediaType: z.string(),
                  sizeBytes: z.number().int(),
                  sha256: z.string(),
                }),
              )
              .optional()
              .describe('the files stored, as the server measured them'),
          }),
          413: problemSchema,
          ...refusals,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      let body: z.output<typeof reasonBodySchema>;
      let files: UploadedFile[] = [];
      if (request.isMultipart()) {
        const form = await readEvidenceForm(request);
        body = parseReasonField(form.reason);
        files = form.files;
      } else if (request.body === undefined || request.body === null) {
        throw new InputError(
          'body',
          'is required: JSON {category, text?}, or multipart/form-data with a JSON field "reason" and files "evidence"',
        );
      } else {
        body = request.body;
      }
      const evidence = files.map(({ content: _content, ...meta }) => meta);
      const result = await recordOverdueReason(ctx.db, {
        idempotencyKey: `api:${row.borrowerId}:${request.headers['idempotency-key']}`,
        borrowerId: row.borrowerId,
        loanId: row.loanId,
        reason: {
          category: body.category,
          ...(body.text === undefined ? {} : { text: body.text }),
          capturedBy: actorOf(request),
          ...(evidence.length === 0 ? {} : { evidence }),
        },
        files: files.map((file) => file.content),
        at: new Date(ctx.clock()).toISOString(),
      });
      if (result.outcome === 'rejected') throw rejectedProblem(result);
      if (request.auditNote && evidence.length > 0) {
        request.auditNote.detail = { ...request.auditNote.detail, evidence: evidence.map((file) => file.sha256) };
      }
      void reply.code(201);
      return {
        reasonId: result.reasonId,
        replayed: result.outcome === 'replayed',
        ...(evidence.length === 0 ? {} : { evidence }),
      };
    },
  );

  api.get(
    '/loans/:loanId/plans',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['help'],
        summary: "The loan's hardship plans: requested, refused, active, completed or broken",
        params: z.object({ loanId: idSchema }),
        response: { 200: z.object({ items: z.array(looseObject) }), ...errors },
      },
    },
    async (request) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      const plans = await listLoanPlans(ctx.db, { borrowerId: row.borrowerId, loanId: row.loanId });
      return { items: plans.map((plan) => jsonSafe(plan) as Record<string, unknown>) };
    },
  );

  api.post(
    '/loans/:loanId/plans',
    {
      config: { access: { kind: 'permission', permission: 'plans:request', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'Ask for a plan: deferral, re-installment, settlement, due-date change or re-age (an offer to decide)',
        params: z.object({ loanId: idSchema }),
        headers: idempotencyHeaders,
        body: z.strictObject({
          plan: looseObject
            .describe(
              '{type: deferral, periods | days} · {type: re_installment, termCount, firstDueDate?} · ' +
                '{type: settlement, amount, deadline} · {type: due_date_change, dayOfMonth} · {type: re_age}',
            )
            // For the description only (parsePlanRequest validates): the plan types, so clients need no copy.
            .meta({ properties: { type: { type: 'string', enum: [...planTypes] } }, required: ['type'] }),
          reasonId: z.string().max(64).optional(),
          on: isoDateSchema.optional(),
        }),
        response: { 201: looseObject, ...refusals, ...errors },
      },
    },
    async (request, reply) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      const result = await requestPlan(ctx.db, {
        idempotencyKey: `api:${row.borrowerId}:${request.headers['idempotency-key']}`,
        loanId: row.loanId,
        requestedBy: actorOf(request),
        on: planDate(ctx, row.closedThrough, request.body.on, 'on'),
        plan: request.body.plan,
        ...(request.body.reasonId === undefined ? {} : { reasonId: request.body.reasonId }),
        at: new Date(ctx.clock()).toISOString(),
      });
      if (result.outcome === 'rejected') throw rejectedProblem(result);
      request.auditNote!.detail = { planId: result.planId, outcome: result.outcome };
      if (result.outcome === 'refused') throw refusal(result.code, result.message);
      void reply.code(201);
      return jsonSafe({ ...result, replayed: result.outcome === 'replayed' }) as Record<string, unknown>;
    },
  );

  const planParams = z.object({ planId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/) });

  /** The plan, if the principal may see its borrower; 404 otherwise. */
  const findPlan = async (request: FastifyRequest, planId: string) => {
    const plan = await getHardshipPlan(ctx.db, planId);
    if (plan === undefined || !mayAccessBorrower(request, plan.borrowerId)) throw notFound(`plan ${planId}`);
    request.auditNote!.subjectBorrowerId = plan.borrowerId;
    return plan;
  };

  const decide = async (
    request: FastifyRequest,
    input: { planId: string; key: string },
    approver: { id: string; role: string },
  ) => {
    const plan = await findPlan(request, input.planId);
    const loan = await getLoan(ctx.db, plan.loanId);
    const result = await approvePlan(ctx.db, {
      idempotencyKey: `api:${plan.borrowerId}:${input.key}`,
      planId: plan.planId,
      approver,
      on: planDate(ctx, loan?.closedThrough ?? null, undefined, 'on'),
      at: new Date(ctx.clock()).toISOString(),
    });
    if (result.outcome === 'rejected') throw rejectedProblem(result);
    return jsonSafe({ ...result, replayed: result.outcome === 'replayed' }) as Record<string, unknown>;
  };

  api.post(
    '/plans/:planId/approve',
    {
      config: { access: { kind: 'permission', permission: 'plans:approve', borrower: false } },
      schema: {
        tags: ['help'],
        summary: 'Approve a requested plan and apply it (within the approver role’s limits)',
        params: planParams,
        headers: idempotencyHeaders,
        response: { 200: looseObject, ...refusals, ...errors },
      },
    },
    async (request) => {
      const username = staffUsername(request);
      const role = request.principal?.kind === 'staff' ? approverRoles[request.principal.role] : undefined;
      if (role === undefined) throw refusal('approval_role_missing', 'this role approves no plans');
      return decide(
        request,
        { planId: request.params.planId, key: request.headers['idempotency-key'] },
        { id: username, role },
      );
    },
  );

  api.post(
    '/plans/:planId/accept',
    {
      config: { access: { kind: 'permission', permission: 'plans:request', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'The borrower accepts a self-service offer (one the policy lets a borrower take without approval)',
        params: planParams,
        headers: idempotencyHeaders,
        response: { 200: looseObject, ...refusals, ...errors },
      },
    },
    async (request) => {
      if (request.principal?.kind !== 'borrower') {
        throw refusal('borrower_only', 'only the borrower accepts a self-service offer; staff approve instead');
      }
      return decide(
        request,
        { planId: request.params.planId, key: request.headers['idempotency-key'] },
        { id: 'borrower', role: 'borrower' },
      );
    },
  );

  api.post(
    '/plans/:planId/refuse',
    {
      config: { access: { kind: 'permission', permission: 'plans:approve', borrower: false } },
      schema: {
        tags: ['help'],
        summary: 'Turn a requested plan down, saying why',
        params: planParams,
        headers: idempotencyHeaders,
        body: z.strictObject({ reason: textSchema(2000).min(1) }),
        response: { 200: looseObject, ...refusals, ...errors },
      },
    },
    async (request) => {
      const plan = await findPlan(request, request.params.planId);
      const username = staffUsername(request);
      const role = request.principal?.kind === 'staff' ? approverRoles[request.principal.role] : undefined;
      const loan = await getLoan(ctx.db, plan.loanId);
      const result = await refusePlan(ctx.db, {
        idempotencyKey: `api:${plan.borrowerId}:${request.headers['idempotency-key']}`,
        planId: plan.planId,
        approver: { id: username, role: role ?? 'collector' },
        on: planDate(ctx, loan?.closedThrough ?? null, undefined, 'on'),
        reason: request.body.reason,
        at: new Date(ctx.clock()).toISOString(),
      });
      if (result.outcome === 'rejected') throw rejectedProblem(result);
      return { ...result, replayed: result.outcome === 'replayed' };
    },
  );

  // ---- the collector's queue ----------------------------------------------------------------------
  api.get(
    '/queue',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'The collection queue in order, each case with the priority formula’s terms (why this one first)',
        querystring: z.object({
          limit: z.coerce.number().int().min(1).max(200).default(50),
          agentId: z
            .string()
            .regex(/^[A-Za-z0-9._:@-]{1,64}$/)
            .optional(),
        }),
        response: { 200: z.object({ items: z.array(looseObject) }), ...errors },
      },
    },
    async (request) => {
      const entries = await explainQueue({
        db: ctx.db,
        limit: request.query.limit,
        ...(request.query.agentId === undefined ? {} : { agentId: request.query.agentId }),
      });
      return { items: entries.map((entry) => jsonSafe(entry) as Record<string, unknown>) };
    },
  );

  api.post(
    '/queue/next',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Claim the next case for the signed-in agent (their username is their agent id)',
        response: { 200: z.object({ case: looseObject.nullable() }), ...errors },
      },
    },
    async (request) => {
      const next = await nextCase({ db: ctx.db, agentId: staffUsername(request), nowMs: ctx.clock() });
      if (next !== null) request.auditNote!.subjectBorrowerId = next.case.borrowerId;
      return { case: next === null ? null : (jsonSafe(next) as Record<string, unknown>) };
    },
  );

  api.post(
    '/cases/:borrowerId/:caseId/call-outcomes',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Record a call: its outcome and effects (a promise, a callback, a dispute, a note)',
        params: z.object({ borrowerId: idSchema, caseId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/) }),
        headers: idempotencyHeaders,
        body: z.strictObject({
          outcome: z.enum([
            'connected',
            'no_answer',
            'busy',
            'wrong_number',
            'third_party',
            'refused',
            'dispute',
            'promise',
            'callback',
          ]),
          number: z
            .string()
            .regex(/^\+?[0-9]{5,20}$/)
            .optional(),
          loanIds: z.array(idSchema).max(50).optional(),
          promise: z.strictObject({ loanId: idSchema, amount: amountSchema, date: isoDateSchema }).optional(),
          callback: z.strictObject({ date: isoDateSchema, time: z.string().regex(/^\d{2}:\d{2}$/) }).optional(),
          note: textSchema(2000).optional(),
        }),
        response: { 200: looseObject, ...refusals, ...errors },
      },
    },
    async (request) => {
      const { borrowerId, caseId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      const body = request.body;
      let promise: { loanId: string; amountMinor: bigint; date: IsoDate } | undefined;
      if (body.promise !== undefined) {
        const loan = await getLoan(ctx.db, body.promise.loanId);
        if (loan === undefined || loan.borrowerId !== borrowerId) throw notFound(`loan ${body.promise.loanId}`);
        promise = {
          loanId: loan.loanId,
          amountMinor: parseMoney(body.promise.amount, loan.currency, { field: 'promise.amount', allowZero: false })
            .amountMinor,
          date: body.promise.date,
        };
      }
      const result = await recordCallOutcome({
        db: ctx.db,
        request: {
          idempotencyKey: `api:${borrowerId}:${request.headers['idempotency-key']}`,
          agentId: staffUsername(request),
          borrowerId,
          caseId,
          outcome: body.outcome,
          atMs: ctx.clock(),
          ...(body.number === undefined ? {} : { number: body.number }),
          ...(body.loanIds === undefined ? {} : { loanIds: body.loanIds }),
          ...(promise === undefined ? {} : { promise }),
          ...(body.callback === undefined ? {} : { callback: body.callback }),
          ...(body.note === undefined ? {} : { note: body.note }),
        },
      });
      if (result.outcome === 'rejected') throw rejectedProblem(result);
      if (result.outcome === 'replayed') return { ...(jsonSafe(result.response) as object), replayed: true };
      return { ...(jsonSafe(result) as object), replayed: false };
    },
  );

  // ---- complaints ---------------------------------------------------------------------------------
  api.post(
    '/borrowers/:borrowerId/complaints',
    {
      config: { access: { kind: 'permission', permission: 'complaints:write', borrower: true } },
      schema: {
        tags: ['cases'],
        summary: 'Open a complaint (about contact, fees, a dispute, privacy, …); it gets a deadline and an owner',
        params: z.object({ borrowerId: idSchema }),
        headers: idempotencyHeaders,
        body: z.strictObject({
          category: z.enum(complaintCategories),
          text: textSchema(4000).min(1),
          loanId: idSchema.optional(),
        }),
        response: { 201: looseObject, ...refusals, ...errors },
      },
    },
    async (request, reply) => {
      const { borrowerId } = request.params;
      requireBorrowerAccess(request, borrowerId);
      if ((await getBorrower(ctx.db, borrowerId)) === undefined) throw notFound(`borrower ${borrowerId}`);
      const borrower = request.principal?.kind === 'borrower';
      const result = await openComplaint({
        db: ctx.db,
        request: {
          idempotencyKey: `api:${borrowerId}:${request.headers['idempotency-key']}`,
          borrowerId,
          ...(request.body.loanId === undefined ? {} : { loanId: request.body.loanId }),
          source: borrower ? 'borrower' : 'agent',
          raisedBy: borrower ? borrowerId : staffUsername(request),
          category: request.body.category,
          text: request.body.text,
          atMs: ctx.clock(),
        },
      });
      if (result.outcome === 'rejected') throw rejectedProblem(result);
      void reply.code(201);
      if (result.outcome === 'replayed') return { ...(jsonSafe(result.response) as object), replayed: true };
      return { ...(jsonSafe(result) as object), replayed: false };
    },
  );
}
