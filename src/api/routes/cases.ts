// Collection cases, for the staff console: the collector's queue in order (why this case first), claiming
// the next case, recording a call's outcome, the borrower's cases and notes, and their promises to pay
// and holds (these two the borrower sees too). Orchestration only: the decisions are the application layer's (src/app
// cases). Invariants: a borrower reaches only their own promises and holds (404 otherwise); cases, notes
// and the queue are staff only; a call outcome carries an Idempotency-Key and a refusal comes back as a
// named code (422, 409 for a reused key).
import { z } from 'zod';
import { localDate, type IsoDate } from '../../calendar/index.ts';
import { callOutcomes } from '../../contact/index.ts';
import { addNote, currentState, explainQueue, jsonSafe, nextCase, recordCallOutcome } from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import {
  getLoan,
  listBorrowerCases,
  listBorrowerLoans,
  listNotesPage,
  type CaseRow,
  type NoteRow,
} from '../../store/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound } from '../problem.ts';
import {
  amountSchema,
  decodeCursor,
  idSchema,
  isoDateSchema,
  page,
  pageOf,
  pageQuerySchema,
  textSchema,
} from '../schemas.ts';
import {
  borrowerParams,
  errorResponses,
  idempotencyHeaders,
  iso,
  isoOrNull,
  looseObject,
  money,
  refusalResponses,
  rejectedProblem,
  requireBorrower,
  requireBorrowerAccess,
  requireSubject,
  staffUsername,
} from './common.ts';

const caseIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'must be a case id this API returned' });

const caseSchema = z.object({
  caseId: z.string(),
  borrowerId: z.string(),
  status: z.string(),
  stage: z.string(),
  loanIds: z.array(z.string()),
  dpd: z.number().int(),
  bucket: z.string(),
  priority: z.number(),
  assignedAgentId: z.string().nullable(),
  openedOn: z.string(),
  resolvedOn: z.string().nullable(),
  resolution: z.string().nullable(),
  lastCallAt: z.string().nullable(),
});

function caseJson(row: CaseRow): z.infer<typeof caseSchema> {
  return {
    caseId: row.caseId,
    borrowerId: row.borrowerId,
    status: row.status,
    stage: row.stage,
    loanIds: row.loanIds,
    dpd: row.dpd,
    bucket: row.bucket,
    priority: row.priorityCenti / 100,
    assignedAgentId: row.assignedAgentId,
    openedOn: row.openedOn,
    resolvedOn: row.resolvedOn,
    resolution: row.resolution,
    lastCallAt: isoOrNull(row.lastCallAtMs),
  };
}

const noteSchema = z.object({
  noteId: z.number().int(),
  caseId: z.string().nullable(),
  complaintId: z.string().nullable(),
  author: z.string(),
  text: z.string(),
  createdAt: z.string(),
});

function noteJson(row: NoteRow): z.infer<typeof noteSchema> {
  return {
    noteId: row.noteId,
    caseId: row.caseId,
    complaintId: row.complaintId,
    author: row.author,
    text: row.text,
    createdAt: iso(row.createdAtMs),
  };
}

export function registerCaseRoutes(api: Api, ctx: ApiContext): void {
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
        response: { 200: z.object({ items: z.array(looseObject) }), ...errorResponses },
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
        response: { 200: z.object({ case: looseObject.nullable() }), ...errorResponses },
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
          outcome: z.enum(callOutcomes),
          number: z
            .string()
            .regex(/^\+?[0-9]{5,20}$/)
            .optional(),
          loanIds: z.array(idSchema).max(50).optional(),
          promise: z.strictObject({ loanId: idSchema, amount: amountSchema, date: isoDateSchema }).optional(),
          callback: z.strictObject({ date: isoDateSchema, time: z.string().regex(/^\d{2}:\d{2}$/) }).optional(),
          note: textSchema(2000).optional(),
        }),
        response: { 200: looseObject, ...refusalResponses, ...errorResponses },
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

  // ---- cases and notes (staff) --------------------------------------------------------------------
  api.get(
    '/borrowers/:borrowerId/cases',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: "The borrower's collection cases, newest first (at most one is open)",
        params: borrowerParams,
        querystring: z.object({ status: z.enum(['open', 'resolved']).optional() }),
        response: { 200: z.object({ items: z.array(caseSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const rows = await listBorrowerCases(ctx.db, borrowerId, {
        ...(request.query.status === undefined ? {} : { status: request.query.status }),
      });
      return { items: rows.map(caseJson) };
    },
  );

  const noteCursor = z.object({ n: z.number().int().min(0).max(2_147_483_647) });

  api.get(
    '/borrowers/:borrowerId/notes',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: "The borrower's notes (on cases, complaints and the borrower), oldest first",
        params: borrowerParams,
        querystring: pageQuerySchema,
        response: { 200: pageOf(noteSchema), ...errorResponses },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const after = decodeCursor(request.query.cursor, noteCursor);
      const rows = await listNotesPage(ctx.db, {
        borrowerId,
        limit: request.query.limit,
        ...(after === undefined ? {} : { afterNoteId: after.n }),
      });
      return page(rows.map(noteJson), request.query.limit, (last) => ({ n: last.noteId }));
    },
  );

  api.post(
    '/borrowers/:borrowerId/notes',
    {
      config: { access: { kind: 'permission', permission: 'cases:work', borrower: false } },
      schema: {
        tags: ['cases'],
        summary: 'Add a note about the borrower, on one of their cases when caseId is given',
        params: borrowerParams,
        body: z.strictObject({ text: textSchema(2000).min(1), caseId: caseIdSchema.optional() }),
        response: { 201: noteSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const noteId = await addNote({
        db: ctx.db,
        borrowerId,
        ...(request.body.caseId === undefined ? {} : { caseId: request.body.caseId }),
        author: staffUsername(request),
        text: request.body.text,
        atMs: ctx.clock(),
      });
      request.auditNote!.detail = { noteId };
      const [row] = await listNotesPage(ctx.db, { borrowerId, afterNoteId: noteId - 1, limit: 1 });
      if (row === undefined) throw new Error(`note ${noteId} of ${borrowerId} was written`);
      void reply.code(201);
      return noteJson(row);
    },
  );

  // ---- promises and holds (staff and the borrower) ------------------------------------------------
  api.get(
    '/borrowers/:borrowerId/promises',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'Promises to pay, newest first: open, kept, partly kept or broken, and what was paid toward each',
        params: borrowerParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                promiseId: z.string(),
                loanId: z.string(),
                amount: z.string(),
                paid: z.string(),
                date: z.string(),
                status: z.string(),
                takenBy: z.string(),
                madeAt: z.string(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      const subject = await requireSubject(ctx, request, borrowerId);
      const state = currentState(subject);
      const currencies = new Map(
        (await listBorrowerLoans(ctx.db, borrowerId)).map((loan) => [loan.loanId, loan.currency]),
      );
      const promises = [...state.promises].sort((a, b) => b.madeAtMs - a.madeAtMs);
      return {
        items: promises.map((promise) => {
          const currency = currencies.get(promise.loanId) ?? 'CNY';
          return {
            promiseId: promise.promiseId,
            loanId: promise.loanId,
            amount: money(promise.amountMinor, currency),
            paid: money(promise.paidMinor, currency),
            date: promise.date,
            status: promise.status,
            takenBy: promise.takenBy,
            madeAt: iso(promise.madeAtMs),
          };
        }),
      };
    },
  );

  api.get(
    '/borrowers/:borrowerId/holds',
    {
      config: { access: { kind: 'permission', permission: 'loans:read', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'Collection holds (缓催), newest first, with their days in the borrower’s own time zone',
        params: borrowerParams,
        response: {
          200: z.object({
            items: z.array(
              z.object({
                fromDate: z.string(),
                untilDate: z.string().describe('the last day of the hold'),
                from: z.string(),
                until: z.string(),
                reason: z.string(),
                status: z.enum(['scheduled', 'active', 'ended']),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      const subject = await requireSubject(ctx, request, borrowerId);
      const state = currentState(subject);
      const nowMs = ctx.clock();
      const holds = [...state.holds].sort((a, b) => b.fromMs - a.fromMs);
      return {
        items: holds.map((hold) => ({
          fromDate: localDate(state.timezone, hold.fromMs),
          untilDate: localDate(state.timezone, hold.untilMs - 1),
          from: iso(hold.fromMs),
          until: iso(hold.untilMs),
          reason: hold.reason,
          status:
            nowMs < hold.fromMs
              ? ('scheduled' as const)
              : nowMs < hold.untilMs
                ? ('active' as const)
                : ('ended' as const),
        })),
      };
    },
  );
}
