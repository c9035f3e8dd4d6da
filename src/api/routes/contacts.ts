// A borrower's contacts: the messages sent to them (staff and the borrower) and message verification for
// anyone holding a code. Invariants: verification answers anyone only whether a code is genuine, the
// channel and the date — never what the message said (its template) unless the asker is signed in as its
// recipient, and nothing about the person; a code-shaped input no code of ours can be (0, 1, I, L, O) is
// "not genuine", not an input error; a borrower lists and reads only their own messages (404 for anyone
// else's); addresses are masked without pii:read and every read of them is audited.
import { z } from 'zod';
import { lookAlikeCode, normaliseVerificationCode } from '../../contact/codes.ts';
import { findMessageByCode, getContact, listBorrowerMessages } from '../../store/contacts.ts';
import type { RateLimits } from '../app.ts';
import { maskEmail, maskMiddle, maskPhone } from '../auth/masking.ts';
import { sessionTokenOf } from '../auth/tokens.ts';
import type { Api, ApiContext } from '../context.ts';
import { notFound, problemSchema } from '../problem.ts';
import { idSchema, pageQuerySchema } from '../schemas.ts';
import { errorResponses, isoOrNull, requireBorrowerAccess, seesPii } from './common.ts';

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
}
