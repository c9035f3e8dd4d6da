// Hardship help for borrowers who fall behind: why they fell behind (overdue reasons, with evidence
// files) and hardship plans (request, approve, refuse, a borrower accepting a self-service offer).
// Orchestration only: the decisions are the application layer's (src/app hardship). Invariants: a borrower acts only on
// their own loans and plans (404 otherwise); every command carries an Idempotency-Key; refusals come back
// as named codes (422, 409 for a reused key).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { IsoDate } from '../../calendar/index.ts';
import { InputError } from '../../errors/index.ts';
import { evidenceFilesMax, overdueReasonCategories } from '../../hardship/index.ts';
import { approvePlan, jsonSafe, recordOverdueReason, refusePlan, requestPlan } from '../../app/index.ts';
import { planTypes, valueDate, valueDateFutureDaysMax } from '../../servicing/index.ts';
import { getLoan } from '../../store/index.ts';
import { getHardshipPlan, listLoanPlans } from '../../store/hardship.ts';
import type { StaffRole } from '../auth/permissions.ts';
import type { Api, ApiContext } from '../context.ts';
import { readEvidenceForm, type UploadedFile } from '../evidence-upload.ts';
import { commandContextOf } from '../command-context.ts';
import { notFound, problemSchema, refusalProblem } from '../problem.ts';
import { idSchema, isoDateSchema, textSchema } from '../schemas.ts';
import {
  actorOf,
  errorResponses,
  idempotencyHeaders,
  loadLoan,
  looseObject,
  mayAccessBorrower,
  refusal,
  refusalResponses,
  staffUsername,
} from './common.ts';
import { today } from './loans.ts';

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

/** The business date a plan or reason is dated: servicing's value-date rule (today, or the loan's last closed date if later). */
function planDate(ctx: ApiContext, closedThrough: IsoDate | null, given: IsoDate | undefined, field: string): IsoDate {
  const dated = valueDate({
    requestedOn: given,
    today: today(ctx),
    closedThrough: closedThrough ?? today(ctx),
    futureDaysMax: valueDateFutureDaysMax,
    field,
  });
  if (!dated.ok) throw new InputError(dated.field, dated.message);
  return dated.on;
}

export function registerPlanRoutes(api: Api, ctx: ApiContext): void {
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
          ...refusalResponses,
          ...errorResponses,
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
      const result = await recordOverdueReason(commandContextOf(ctx, request), {
        idempotencyKey: `api:${row.borrowerId}:${request.headers['idempotency-key']}`,
        input: {
          borrowerId: row.borrowerId,
          loanId: row.loanId,
          reason: {
            category: body.category,
            ...(body.text === undefined ? {} : { text: body.text }),
            capturedBy: actorOf(request),
            ...(evidence.length === 0 ? {} : { evidence }),
          },
          files: files.map((file) => file.content),
        },
      });
      if (!result.ok) throw refusalProblem(result);
      if (request.auditNote && evidence.length > 0) {
        request.auditNote.detail = { ...request.auditNote.detail, evidence: evidence.map((file) => file.sha256) };
      }
      void reply.code(201);
      return {
        reasonId: result.value.reasonId,
        replayed: result.replayed,
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
        response: { 200: z.object({ items: z.array(looseObject) }), ...errorResponses },
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
        response: { 201: looseObject, ...refusalResponses, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { row } = await loadLoan(ctx, request, request.params.loanId);
      const result = await requestPlan(commandContextOf(ctx, request), {
        idempotencyKey: `api:${row.borrowerId}:${request.headers['idempotency-key']}`,
        input: {
          loanId: row.loanId,
          requestedBy: actorOf(request),
          on: planDate(ctx, row.closedThrough, request.body.on, 'on'),
          plan: request.body.plan,
          ...(request.body.reasonId === undefined ? {} : { reasonId: request.body.reasonId }),
        },
      });
      if (!result.ok) throw refusalProblem(result);
      void reply.code(201);
      const outcome = result.replayed ? 'replayed' : 'requested';
      return jsonSafe({ outcome, ...result.value, replayed: result.replayed }) as Record<string, unknown>;
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
    const result = await approvePlan(commandContextOf(ctx, request), {
      idempotencyKey: `api:${plan.borrowerId}:${input.key}`,
      input: { planId: plan.planId, approver, on: planDate(ctx, loan?.closedThrough ?? null, undefined, 'on') },
    });
    if (!result.ok) throw refusalProblem(result);
    const outcome = result.replayed ? 'replayed' : 'activated';
    return jsonSafe({ outcome, ...result.value, replayed: result.replayed }) as Record<string, unknown>;
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
        response: { 200: looseObject, ...refusalResponses, ...errorResponses },
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
        response: { 200: looseObject, ...refusalResponses, ...errorResponses },
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
        response: { 200: looseObject, ...refusalResponses, ...errorResponses },
      },
    },
    async (request) => {
      const plan = await findPlan(request, request.params.planId);
      const username = staffUsername(request);
      const role = request.principal?.kind === 'staff' ? approverRoles[request.principal.role] : undefined;
      const loan = await getLoan(ctx.db, plan.loanId);
      const result = await refusePlan(commandContextOf(ctx, request), {
        idempotencyKey: `api:${plan.borrowerId}:${request.headers['idempotency-key']}`,
        input: {
          planId: plan.planId,
          approver: { id: username, role: role ?? 'collector' },
          on: planDate(ctx, loan?.closedThrough ?? null, undefined, 'on'),
          reason: request.body.reason,
        },
      });
      if (!result.ok) throw refusalProblem(result);
      return { outcome: result.replayed ? 'replayed' : 'refused', ...result.value, replayed: result.replayed };
    },
  );
}
