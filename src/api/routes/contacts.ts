// A borrower's contacts, for the staff console and the borrower portal: the contact timeline (every
// contact, sent or held back, with each decision's reasons; staff only), the messages sent to the
// borrower, message verification for anyone holding a code, contact events (holds, promises to pay,
// opt-outs, hardship requests, pauses lifted, new addresses) and contact preferences (opt-outs and
// opt-ins, preferred channel, language of messages). Orchestration only: the rules are the application layer's and the
// core's (src/app contacts and preferences, src/contact/preferences.ts). Invariants: a borrower reaches
// only their own records, and anyone else's answer 404 exactly like a record that does not exist, and
// records only the borrower-facing kinds of event; verification answers anyone only whether a code is
// genuine, the channel and the date — never what the message said (its template) unless the asker is
// signed in as its recipient, and nothing about the person; a code-shaped input no code of ours can be
// (0, 1, I, L, O) is "not genuine", not an input error; addresses are masked without pii:read and every
// read of them is audited.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { lookAlikeCode, normaliseVerificationCode } from '../../contact/codes.ts';
import { contactChannels, templateLocales, type ContactChannel } from '../../contact/index.ts';
import { preferredChannelOf } from '../../contact/preferences.ts';
import {
  currentState,
  recordContactEvent,
  saveContactPreferences,
  type RecordedContactEvent,
} from '../../app/index.ts';
import { parseMoney } from '../../money/index.ts';
import {
  getBorrower,
  getLoan,
  listBorrowerContactsPage,
  listContactDecisions,
  loadContactSubjects,
  type ContactRow,
  type ContactSubject,
} from '../../store/index.ts';
import { findMessageByCode, getContact, listBorrowerMessages } from '../../store/contacts.ts';
import type { RateLimits } from '../app.ts';
import { maskEmail, maskMiddle, maskPhone } from '../auth/masking.ts';
import { sessionTokenOf } from '../auth/tokens.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound, problemSchema } from '../problem.ts';
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
  actorOf,
  borrowerParams,
  errorResponses,
  instantMsSchema,
  iso,
  isoOrNull,
  refusal,
  refusalResponses,
  requireBorrower,
  requireBorrowerAccess,
  requireSubject,
  seesPii,
} from './common.ts';

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

const contactIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:+-]{0,199}$/, { error: 'must be a contact id this API returned' });

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

const preferencesSchema = z
  .object({
    optOuts: z.array(z.string()),
    preferredChannel: z.string().nullable(),
    locale: z.string(),
    addresses: z.record(z.string(), z.string()).describe('by channel; masked without pii:read'),
    masked: z.boolean(),
  })
  .meta({ id: 'ContactPreferences' });

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

function maskAddress(channel: string, address: string): string {
  if (channel === 'email') return maskEmail(address);
  if (channel === 'sms' || channel === 'voice') return maskPhone(address);
  return maskMiddle(address, 2, 2);
}

export function registerContactRoutes(api: Api, ctx: ApiContext, limits: RateLimits): void {
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
        response: { 200: pageOf(contactSchema), ...errorResponses },
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
        response: { 200: contactDetailSchema, ...errorResponses },
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
        response: { 200: z.object({ items: z.array(messageSchema) }), ...errorResponses },
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
        response: { 200: messageDetailSchema, ...errorResponses },
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
          ...refusalResponses,
          ...errorResponses,
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
        response: { 200: preferencesSchema, ...errorResponses },
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
        response: { 200: preferencesSchema, ...errorResponses },
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
}
