// Serving a borrower, for the staff console and the borrower portal: the contact timeline (every
// contact, sent or held back, with each decision's reasons), the borrower's cases, notes, promises to
// pay and holds, contact preferences (opt-outs and opt-ins, preferred channel, language of messages),
// complaints (the review queue; reviewing and closing) and satisfaction surveys. Orchestration only:
// the rules are the jobs' and the core's (src/jobs/cases.ts complaints, notes, surveys, preferences;
// src/contact/preferences.ts). Invariants: a borrower reaches only their own records, and anyone else's
// answer 404 exactly like a record that does not exist; the contact timeline, cases and notes are staff
// only (the portal shows messages, src/api/routes/operations.ts); addresses are masked without pii:read
// and every read of them is audited; a complaint moves open → reviewed → closed once each (repeating the
// status it has is a no-op, going back is 409); a survey is answered once (409 the second time).
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { localDate } from '../../calendar/index.ts';
import { contactChannels, templateLocales, type ContactChannel } from '../../contact/index.ts';
import { preferredChannelOf } from '../../contact/preferences.ts';
import {
  addNote,
  closeComplaint,
  currentState,
  recordSurvey,
  reviewComplaint,
  saveContactPreferences,
} from '../../jobs/index.ts';
import {
  getBorrower,
  getComplaint,
  getContact,
  listBorrowerCases,
  listBorrowerComplaints,
  listBorrowerContactsPage,
  listBorrowerLoans,
  listBorrowerSurveys,
  listComplaintsPage,
  listContactDecisions,
  listNotesPage,
  loadContactSubjects,
  type CaseRow,
  type ComplaintRow,
  type ContactRow,
  type ContactSubject,
  type NoteRow,
} from '../../store/index.ts';
import { maskEmail, maskMiddle, maskPhone } from '../auth/masking.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';
import { decodeCursor, idSchema, page, pageOf, pageQuerySchema, textSchema } from '../schemas.ts';
import { money, refusal, requireBorrowerAccess, seesPii } from './common.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const conflicts = { 409: problemSchema, 422: problemSchema };

const borrowerParams = z.object({ borrowerId: idSchema });
const contactIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/, { error: 'must be a contact id this API returned' });
const caseIdSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/, { error: 'must be a case id this API returned' });

const iso = (ms: number): string => new Date(ms).toISOString();
/** An instant in a cursor: epoch milliseconds a Date can hold (so a forged cursor is a 400, not a 500). */
const instantMsSchema = z.number().int().min(0).max(8_640_000_000_000_000);
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

function maskAddress(channel: string, address: string): string {
  if (channel === 'email') return maskEmail(address);
  if (channel === 'sms' || channel === 'voice') return maskPhone(address);
  return maskMiddle(address, 2, 2);
}

/** The borrower, or 404 (after the ownership check, so another borrower's id and a missing one look alike). */
async function requireBorrower(ctx: ApiContext, request: FastifyRequest, borrowerId: string): Promise<void> {
  requireBorrowerAccess(request, borrowerId);
  if ((await getBorrower(ctx.db, borrowerId)) === undefined) throw notFound(`borrower ${borrowerId}`);
}

/** The borrower's contact subject (borrower row and contact state), or 404. */
async function requireSubject(ctx: ApiContext, request: FastifyRequest, borrowerId: string): Promise<ContactSubject> {
  requireBorrowerAccess(request, borrowerId);
  const [subject] = await loadContactSubjects(ctx.db, [borrowerId]);
  if (subject === undefined) throw notFound(`borrower ${borrowerId}`);
  return subject;
}

// ---- shapes -----------------------------------------------------------------------------------------

const contactSchema = z
  .object({
    contactId: z.string(),
    channel: z.string(),
    template: z.string(),
    status: z.string().describe('planned, deferred, sending, sent, suppressed or failed'),
    loanIds: z.array(z.string()),
    businessDate: z.string(),
    dueAt: z.string(),
    sentAt: z.string().nullable(),
    verificationCode: z.string().nullable(),
    deliveryStatus: z.string().nullable(),
    attempts: z.number().int(),
    reasons: z.array(z.string()).describe("the latest decision's reasons"),
  })
  .meta({ id: 'Contact' });

const decisionSchema = z.object({
  seq: z.number().int(),
  phase: z.string().describe('plan, dispatch, delivery or receipt'),
  verdict: z.string(),
  decidedAt: z.string(),
  reasons: z.array(z.string()),
});

const contactDetailSchema = contactSchema.extend({
  address: z.string().nullable().describe('masked without pii:read'),
  decisions: z.array(decisionSchema),
});

function contactJson(row: ContactRow): z.infer<typeof contactSchema> {
  return {
    contactId: row.contactId,
    channel: row.channel,
    template: row.template,
    status: row.status,
    loanIds: row.loanIds,
    businessDate: row.businessDate,
    dueAt: iso(row.dueAtMs),
    sentAt: isoOrNull(row.sentAtMs),
    verificationCode: row.verificationCode,
    deliveryStatus: row.deliveryStatus,
    attempts: row.attempts,
    reasons: row.reasons,
  };
}

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

const preferencesSchema = z
  .object({
    optOuts: z.array(z.string()),
    preferredChannel: z.string().nullable(),
    locale: z.string(),
    addresses: z.record(z.string(), z.string()).describe('by channel; masked without pii:read'),
    masked: z.boolean(),
  })
  .meta({ id: 'ContactPreferences' });

function isStaff(request: FastifyRequest): boolean {
  return request.principal?.kind === 'staff';
}

function staffUsername(request: FastifyRequest): string {
  const principal = request.principal;
  if (principal?.kind !== 'staff') throw new ApiProblem('forbidden', 'staff only');
  return principal.username;
}

/** A complaint or survey refused because it already moved on: 409 naming the id field. */
function conflict(result: { code: string; message: string }, field: string): ApiProblem {
  return new ApiProblem('conflict', result.message, { code: result.code, field });
}

export function registerServiceRoutes(api: Api, ctx: ApiContext): void {
  // ---- the contact timeline (staff) ---------------------------------------------------------------
  const contactCursor = z.object({ d: instantMsSchema, c: z.string().max(200) });

  api.get(
    '/borrowers/:borrowerId/contacts',
    {
      config: { access: { kind: 'permission', permission: 'messages:read', borrower: false } },
      schema: {
        tags: ['messages'],
        summary: 'Every contact planned for the borrower — sent, held back, deferred, failed — newest first',
        description:
          'Staff only: a borrower sees the messages sent to them (GET /borrowers/{borrowerId}/messages), not ' +
          'the decisions that held others back.',
        params: borrowerParams,
        querystring: pageQuerySchema,
        response: { 200: pageOf(contactSchema), ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireBorrower(ctx, request, borrowerId);
      const after = decodeCursor(request.query.cursor, contactCursor);
      const rows = await listBorrowerContactsPage(ctx.db, borrowerId, {
        limit: request.query.limit,
        ...(after === undefined ? {} : { before: { dueAtMs: after.d, contactId: after.c } }),
      });
      await ctx.auditRead(request, {
        action: 'contacts.list',
        borrowerIds: [borrowerId],
        detail: { count: rows.length },
      });
      return page(rows.map(contactJson), request.query.limit, (last) => ({
        d: Date.parse(last.dueAt),
        c: last.contactId,
      }));
    },
  );

  api.get(
    '/borrowers/:borrowerId/contacts/:contactId',
    {
      config: { access: { kind: 'permission', permission: 'messages:read', borrower: false } },
      schema: {
        tags: ['messages'],
        summary: 'One contact with every decision about it in order (planned, sent or held back, delivered) and why',
        params: z.object({ borrowerId: idSchema, contactId: contactIdSchema }),
        response: { 200: contactDetailSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId, contactId } = request.params;
      requireBorrowerAccess(request, borrowerId, `contact ${contactId}`);
      const row = await getContact(ctx.db, { borrowerId, contactId });
      if (row === undefined) throw notFound(`contact ${contactId}`);
      const decisions = await listContactDecisions(ctx.db, { borrowerId, contactId });
      await ctx.auditRead(request, { action: 'contacts.read', borrowerIds: [borrowerId], detail: { contactId } });
      const unmasked = seesPii(request, borrowerId);
      return {
        ...contactJson(row),
        address: row.address === null ? null : unmasked ? row.address : maskAddress(row.channel, row.address),
        decisions: decisions.map((decision) => ({
          seq: decision.seq,
          phase: decision.phase,
          verdict: decision.verdict,
          decidedAt: iso(decision.decidedAtMs),
          reasons: decision.reasons,
        })),
      };
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
        response: { 200: z.object({ items: z.array(caseSchema) }), ...errors },
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
        response: { 200: pageOf(noteSchema), ...errors },
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
        response: { 201: noteSchema, ...errors },
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
          ...errors,
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
          ...errors,
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

  // ---- contact preferences (the borrower; staff on their behalf) ----------------------------------
  const preferencesOf = (request: FastifyRequest, subject: ContactSubject) => {
    const state = currentState(subject);
    const unmasked = seesPii(request, subject.borrowerId);
    const addresses: Record<string, string> = {};
    for (const [channel, address] of Object.entries(state.addresses) as [ContactChannel, string][]) {
      addresses[channel] = unmasked ? address : maskAddress(channel, address);
    }
    return {
      optOuts: state.optOuts,
      preferredChannel: preferredChannelOf(state),
      locale: state.locale,
      addresses,
      masked: !unmasked,
    };
  };

  api.get(
    '/borrowers/:borrowerId/contact-preferences',
    {
      config: { access: { kind: 'permission', permission: 'borrowers:read', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'The channels the borrower opted out of, their preferred channel, the language of their messages',
        params: borrowerParams,
        response: { 200: preferencesSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      const subject = await requireSubject(ctx, request, borrowerId);
      await ctx.auditRead(request, { action: 'contact_preferences.read', borrowerIds: [borrowerId] });
      return preferencesOf(request, subject);
    },
  );

  api.put(
    '/borrowers/:borrowerId/contact-preferences',
    {
      config: { access: { kind: 'permission', permission: 'contacts:write', borrower: true } },
      schema: {
        tags: ['help'],
        summary: 'Opt out of channels or back into them, choose the preferred channel and the language of messages',
        description:
          '`optOuts` is the complete list: a channel left out of it is opted back into. Applied to the contact ' +
          'state at once, so every later send re-checks it. Addresses change through a contact_update event.',
        params: borrowerParams,
        body: z.strictObject({
          optOuts: z.array(z.enum(contactChannels)).max(contactChannels.length),
          preferredChannel: z.enum(contactChannels).nullable().optional(),
          locale: z.enum(templateLocales).optional(),
        }),
        response: { 200: preferencesSchema, ...errors },
      },
    },
    async (request) => {
      const { borrowerId } = request.params;
      await requireSubject(ctx, request, borrowerId);
      const body = request.body;
      const outcome = await saveContactPreferences({
        db: ctx.db,
        borrowerId,
        nowMs: ctx.clock(),
        change: {
          optOuts: body.optOuts,
          ...(body.preferredChannel === undefined ? {} : { preferredChannel: body.preferredChannel }),
          ...(body.locale === undefined ? {} : { locale: body.locale }),
        },
      });
      request.auditNote!.detail = {
        optedOut: outcome.optedOut,
        optedIn: outcome.optedIn,
        preferredChannel: preferredChannelOf(outcome.state),
        ...(outcome.locale === null ? {} : { locale: outcome.locale }),
      };
      const [subject] = await loadContactSubjects(ctx.db, [borrowerId]);
      if (subject === undefined) throw notFound(`borrower ${borrowerId}`);
      return preferencesOf(request, subject);
    },
  );

  // ---- complaints ---------------------------------------------------------------------------------
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
        response: { 200: pageOf(complaintSchema), ...errors },
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
        response: { 200: z.object({ items: z.array(complaintSchema) }), ...errors },
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
          ...conflicts,
          ...errors,
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
        response: { 200: z.object({ items: z.array(surveySchema) }), ...errors },
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
          ...conflicts,
          ...errors,
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
