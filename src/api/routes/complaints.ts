// Complaints and satisfaction surveys: a borrower (or staff on their behalf) opens a complaint, which gets
// a deadline and an owner; the review queue; reviewing and closing; the surveys offered when a case ends
// or a complaint closes, and the borrower's answer. Orchestration only: the rules are the application layer's (src/app
// cases.ts complaints and surveys). Invariants: a borrower reaches only their own complaints and surveys
// (404 otherwise) and does not see who handles a complaint or its internal review note; opening carries
// an Idempotency-Key; a complaint moves open → reviewed → closed once each (repeating the status it has
// is a no-op, going back is 409); a survey is answered once (409 the second time).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { closeComplaint, jsonSafe, openComplaint, recordSurvey, reviewComplaint } from '../../app/index.ts';
import {
  getBorrower,
  getComplaint,
  listBorrowerComplaints,
  listBorrowerSurveys,
  listComplaintsPage,
  type ComplaintRow,
} from '../../store/index.ts';
import { complaintCategories } from '../../workbench/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound } from '../problem.ts';
import { decodeCursor, idSchema, page, pageOf, pageQuerySchema, textSchema } from '../schemas.ts';
import {
  borrowerParams,
  errorResponses,
  idempotencyHeaders,
  instantMsSchema,
  iso,
  isoOrNull,
  looseObject,
  refusal,
  refusalResponses,
  rejectedProblem,
  requireBorrower,
  requireBorrowerAccess,
  staffUsername,
} from './common.ts';

const complaintSchema = z
  .object({
    complaintId: z.string(),
    borrowerId: z.string(),
    loanId: z.string().nullable(),
    category: z.string(),
    text: z.string(),
    status: z.enum(['open', 'reviewed', 'closed']),
    source: z.string(),
    createdAt: z.string(),
    deadlineAt: z.string(),
    reviewedAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    resolution: z.string().nullable(),
    // Staff only:
    caseId: z.string().nullable().optional(),
    team: z.string().optional(),
    assignedAgentId: z.string().nullable().optional(),
    reviewedBy: z.string().nullable().optional(),
    reviewNote: z.string().nullable().optional(),
    closedBy: z.string().nullable().optional(),
    breachAlertedAt: z
      .string()
      .nullable()
      .optional()
      .describe('when the deadline breach was alerted (the deadline passed while not closed); null if not'),
  })
  .meta({ id: 'Complaint' });

/** A complaint as its reader may see it: a borrower does not see who handles it or the internal review note. */
function complaintJson(row: ComplaintRow, staff: boolean): z.infer<typeof complaintSchema> {
  const shown = {
    complaintId: row.complaintId,
    borrowerId: row.borrowerId,
    loanId: row.loanId,
    category: row.category,
    text: row.text,
    status: row.status,
    source: row.source,
    createdAt: iso(row.openedAtMs),
    deadlineAt: iso(row.deadlineAtMs),
    reviewedAt: isoOrNull(row.reviewedAtMs),
    closedAt: isoOrNull(row.closedAtMs),
    resolution: row.resolution,
  };
  if (!staff) return shown;
  return {
    ...shown,
    caseId: row.caseId,
    team: row.team,
    assignedAgentId: row.assignedAgentId,
    reviewedBy: row.reviewedBy,
    reviewNote: row.reviewNote,
    closedBy: row.closedBy,
    breachAlertedAt: isoOrNull(row.breachAlertedAtMs),
  };
}

function isStaff(request: FastifyRequest): boolean {
  return request.principal?.kind === 'staff';
}

/** A complaint or survey refused because it already moved on: 409 naming the id field. */
function conflict(result: { code: string; message: string }, field: string): ApiProblem {
  return new ApiProblem('conflict', result.message, { code: result.code, field });
}

export function registerComplaintRoutes(api: Api, ctx: ApiContext): void {
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
        response: { 201: looseObject, ...refusalResponses, ...errorResponses },
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

  const complaintCursor = z.object({ d: instantMsSchema, b: z.string().max(64), k: z.string().max(64) });
  const complaintStatus = z.enum(['open', 'reviewed', 'closed']);

  api.get(
    '/complaints',
    {
      config: { access: { kind: 'permission', permission: 'complaints:review', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Complaints of every team by deadline (soonest first), of one status when asked',
        description:
          '`breached=true`: only the complaints whose deadline passed while not closed, each alerted once by ' +
          '`kuan day` (stage alerts; outbox event complaint_breach to its team) at `breachAlertedAt`; ' +
          '`breached=false`: only the others.',
        querystring: pageQuerySchema.extend({
          status: complaintStatus.optional(),
          breached: z.enum(['true', 'false']).optional(),
        }),
        response: { 200: pageOf(complaintSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { limit, cursor, status, breached } = request.query;
      const after = decodeCursor(cursor, complaintCursor);
      const rows = await listComplaintsPage(ctx.db, {
        limit,
        ...(status === undefined ? {} : { status }),
        ...(breached === undefined ? {} : { breached: breached === 'true' }),
        ...(after === undefined ? {} : { after: { deadlineAtMs: after.d, borrowerId: after.b, complaintId: after.k } }),
      });
      return page(
        rows.map((row) => complaintJson(row, true)),
        limit,
        (last) => ({ d: Date.parse(last.deadlineAt), b: last.borrowerId, k: last.complaintId }),
      );
    },
  );

  api.get(
    '/borrowers/:borrowerId/complaints',
    {
      config: { access: { kind: 'permission', permission: 'complaints:write', borrower: true } },
      schema: {
        tags: ['cases'],
        summary: "The borrower's complaints, newest first, with their status, deadline and resolution",
        params: borrowerParams,
        response: { 200: z.object({ items: z.array(complaintSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const rows = await listBorrowerComplaints(ctx.db, borrowerId);
      return { items: rows.reverse().map((row) => complaintJson(row, isStaff(request))) };
    },
  );

  api.patch(
    '/borrowers/:borrowerId/complaints/:complaintId',
    {
      config: { access: { kind: 'permission', permission: 'complaints:review', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Review a complaint (lifting the pause of collection contact it held) or close it with a resolution',
        description:
          'open → reviewed → closed. Reviewing lifts the complaint’s pause of collection contact (unless another ' +
          'open complaint holds one); closing needs a resolution, reviews first if nobody had, and offers the ' +
          'borrower a satisfaction survey. Asking for the status the complaint has already changes nothing; ' +
          'reviewing a closed complaint is 409.',
        params: z.object({ borrowerId: idSchema, complaintId: idSchema }),
        body: z.strictObject({
          status: z.enum(['reviewed', 'closed']),
          resolution: textSchema(2000).optional().describe('required to close; the review note when reviewing'),
        }),
        response: {
          200: complaintSchema.extend({ changed: z.boolean(), liftedPause: z.boolean() }),
          ...refusalResponses,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { borrowerId, complaintId } = request.params;
      requireBorrowerAccess(request, borrowerId, `complaint ${complaintId}`);
      const by = staffUsername(request);
      const { status } = request.body;
      const resolution = request.body.resolution?.trim() || undefined;
      const existing = await getComplaint(ctx.db, { borrowerId, complaintId });
      if (existing === undefined) throw notFound(`complaint ${complaintId}`);
      request.auditNote!.detail = { complaintId, status };
      if (existing.status === status) return { ...complaintJson(existing, true), changed: false, liftedPause: false };
      if (status === 'closed' && resolution === undefined) {
        throw new ApiProblem('invalid-input', 'resolution: is required to close a complaint', { field: 'resolution' });
      }
      const atMs = ctx.clock();
      const result =
        status === 'reviewed'
          ? await reviewComplaint({
              db: ctx.db,
              request: { borrowerId, complaintId, by, atMs, ...(resolution === undefined ? {} : { note: resolution }) },
            })
          : await closeComplaint({
              db: ctx.db,
              request: { borrowerId, complaintId, by, atMs, resolution: resolution as string },
            });
      if (result.outcome === 'rejected') {
        if (result.code === 'complaint_not_found') throw notFound(`complaint ${complaintId}`);
        throw conflict(result, 'complaintId');
      }
      request.auditNote!.detail = { complaintId, status, liftedPause: result.lifted };
      return { ...complaintJson(result.complaint, true), changed: true, liftedPause: result.lifted };
    },
  );

  // ---- surveys ------------------------------------------------------------------------------------
  const surveySchema = z.object({
    surveyId: z.string(),
    subject: z.enum(['case', 'complaint']).describe('what ended: a collection case or a complaint'),
    subjectId: z.string(),
    status: z.enum(['pending', 'answered']),
    offeredAt: z.string(),
    answeredAt: z.string().nullable(),
    score: z.number().int().nullable(),
    comment: z.string().nullable(),
  });

  api.get(
    '/borrowers/:borrowerId/surveys',
    {
      config: { access: { kind: 'permission', permission: 'complaints:write', borrower: true } },
      schema: {
        tags: ['cases'],
        summary: 'Satisfaction surveys offered when a case ended or a complaint closed, newest first',
        params: borrowerParams,
        response: { 200: z.object({ items: z.array(surveySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const rows = await listBorrowerSurveys(ctx.db, borrowerId);
      return {
        items: rows.map((row) => ({
          surveyId: row.surveyId,
          subject: row.subjectKind,
          subjectId: row.subjectId,
          status: row.status,
          offeredAt: iso(row.offeredAtMs),
          answeredAt: isoOrNull(row.answeredAtMs),
          score: row.score,
          comment: row.comment,
        })),
      };
    },
  );

  api.post(
    '/borrowers/:borrowerId/surveys/:surveyId',
    {
      config: { access: { kind: 'permission', permission: 'complaints:write', borrower: true } },
      schema: {
        tags: ['cases'],
        summary: 'The borrower answers a survey: a score 1–5 and a comment; once only (409 the second time)',
        params: z.object({ borrowerId: idSchema, surveyId: idSchema }),
        body: z.strictObject({
          score: z.number().int().min(1).max(5),
          comment: textSchema(1000).optional(),
        }),
        response: {
          200: z.object({ surveyId: z.string(), status: z.literal('answered') }),
          ...refusalResponses,
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { borrowerId, surveyId } = request.params;
      requireBorrowerAccess(request, borrowerId, `survey ${surveyId}`);
      if (request.principal?.kind !== 'borrower') {
        throw refusal('borrower_only', 'only the borrower answers their survey');
      }
      const result = await recordSurvey({
        db: ctx.db,
        request: {
          borrowerId,
          surveyId,
          score: request.body.score,
          ...(request.body.comment === undefined ? {} : { comment: request.body.comment }),
          atMs: ctx.clock(),
        },
      });
      if (result.outcome === 'rejected') {
        if (result.code === 'survey_not_found') throw notFound(`survey ${surveyId}`);
        throw conflict(result, 'surveyId');
      }
      request.auditNote!.detail = { surveyId, score: request.body.score };
      return { surveyId, status: 'answered' as const };
    },
  );
}
