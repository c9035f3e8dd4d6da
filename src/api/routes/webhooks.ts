// What message providers post back: delivery receipts and borrowers' replies (STOP, 退订 → opt-out). No
// session signs these in; each is believed only when its provider signed it — the generic webhook with
// its Standard Webhooks secret, Twilio with its auth token over the URL it posted to (docs/channels.md,
// `kuan serve --channels FILE`). An unconfigured provider's route answers 404, a bad signature 401, and
// nothing is read or written before the signature holds. Every accepted post is idempotent by effect, so
// a provider's retries are harmless; an opt-out is audited with the provider as the actor.
import { z } from 'zod';
import {
  parseTwilioInboundMessage,
  parseTwilioStatusCallback,
  parseWebhookReceipt,
  parseWebhookReply,
  verifyStandardWebhook,
  verifyTwilioSignature,
  type DeliveryReceipt,
  type InboundReply,
} from '../../channels/index.ts';
import { InputError } from '../../errors/index.ts';
import { receiveDeliveryReceipt, receiveSmsReply } from '../../app/index.ts';
import type { Api, ApiContext } from '../context.ts';
import { ApiProblem, notFound, problemSchema } from '../problem.ts';

/** Provider posts are small: a receipt or one SMS. */
const WEBHOOK_BODY_MAX_BYTES = 64 * 1024;

const errors = { 400: problemSchema, 401: problemSchema, 404: problemSchema };

const receiptAnswerSchema = z
  .object({
    contactId: z.string().nullable().describe('the contact the receipt is about; null when no sent message has its id'),
    changed: z.boolean().describe('false when the receipt repeats the status already recorded'),
  })
  .meta({ id: 'WebhookReceiptAnswer' });

const replyAnswerSchema = z
  .object({
    borrowers: z.number().int().describe('borrowers whose SMS address sent the reply'),
    optedOut: z.number().int().describe('of them, those the reply opted out'),
  })
  .meta({ id: 'WebhookReplyAnswer' });

const rawBodySchema = z.string().max(WEBHOOK_BODY_MAX_BYTES);

function jsonOf(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new InputError('body', 'must be JSON');
  }
}

function headerText(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function registerWebhookRoutes(api: Api, ctx: ApiContext): void {
  const appliedReceipt = async (receipt: DeliveryReceipt) => {
    const result = await receiveDeliveryReceipt({ db: ctx.db, receipt, nowMs: ctx.clock() });
    return { contactId: result.contactId, changed: result.changed };
  };

  const appliedReply = async (reply: InboundReply, provider: string, path: string) => {
    const result = await receiveSmsReply({ db: ctx.db, reply, nowMs: ctx.clock() });
    for (const borrowerId of result.optedOut) {
      await ctx.audit.append({
        atMs: ctx.clock(),
        actorKind: 'system',
        actorId: `provider:${provider}`,
        action: 'contacts.opt_out_by_reply',
        resource: path,
        subjectBorrowerId: borrowerId,
        outcome: 200,
        detail: { channel: 'sms', providerMessageId: reply.providerMessageId },
      });
    }
    return { borrowers: result.borrowerIds.length, optedOut: result.optedOut.length };
  };

  // The body reaches these handlers as the exact bytes received: a signature covers them, not a re-encoding.
  api.register(async (plugin) => {
    const scope = plugin as Api;
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: WEBHOOK_BODY_MAX_BYTES }, (_request, body, done) =>
      done(null, body),
    );

    const signedByWebhook = (
      channel: 'sms' | 'push',
      request: { headers: Record<string, string | string[] | undefined> },
      body: string,
    ) => {
      const secret = ctx.inbound?.webhookSecrets[channel];
      if (secret === undefined) throw notFound(`no ${channel} webhook provider is configured to post here`);
      const verdict = verifyStandardWebhook({
        secret,
        headers: {
          id: headerText(request.headers['webhook-id']),
          timestamp: headerText(request.headers['webhook-timestamp']),
          signature: headerText(request.headers['webhook-signature']),
        },
        body,
        nowMs: ctx.clock(),
      });
      if (!verdict.ok) throw new ApiProblem('unauthenticated', verdict.reason);
    };

    const twilioForm = (
      request: { headers: Record<string, string | string[] | undefined>; url: string },
      body: string,
    ) => {
      const twilio = ctx.inbound?.twilio;
      if (twilio === undefined) throw notFound('no Twilio account is configured to post here');
      const form = new URLSearchParams(body);
      const url = `${twilio.publicOrigin}${request.url}`;
      const signature = headerText(request.headers['x-twilio-signature']) ?? '';
      if (!verifyTwilioSignature({ authToken: twilio.authToken, url, form, signature })) {
        throw new ApiProblem('unauthenticated', 'X-Twilio-Signature does not match this request');
      }
      return { form, url };
    };

    for (const channel of ['sms', 'push'] as const) {
      scope.post(
        `/webhooks/${channel}/receipts`,
        {
          config: { access: { kind: 'public' }, audit: 'none', rateLimit: false },
          schema: {
            tags: ['webhooks'],
            summary: `A delivery receipt from the ${channel} webhook provider`,
            description:
              'Signed with the provider’s Standard Webhooks secret (webhook-id, webhook-timestamp, webhook-signature). ' +
              'Body: {"id","messageId"?,"status":"delivered"|"failed"|"undelivered"|"read","at":ISO-8601,"code"?}. ' +
              'Sets the message’s delivery status; undelivered or failed plans the strategy’s fallback. A repeat changes nothing.',
            security: [],
            body: rawBodySchema,
            response: { 200: receiptAnswerSchema, ...errors },
          },
        },
        async (request) => {
          signedByWebhook(channel, request, request.body);
          const receipt = parseWebhookReceipt(jsonOf(request.body));
          return appliedReceipt(receipt);
        },
      );
    }

    scope.post(
      '/webhooks/sms/replies',
      {
        config: { access: { kind: 'public' }, audit: 'none', rateLimit: false },
        schema: {
          tags: ['webhooks'],
          summary: 'A borrower’s SMS reply, from the SMS webhook provider',
          description:
            'Signed with the provider’s Standard Webhooks secret. Body: {"id","from","text","at":ISO-8601}. ' +
            'Every borrower whose SMS address is `from` gets the reply; a revocation word (STOP, 退订, … — every ' +
            'pack’s words) opts them out of SMS, with ALL / 全部 out of every channel but letters.',
          security: [],
          body: rawBodySchema,
          response: { 200: replyAnswerSchema, ...errors },
        },
      },
      async (request) => {
        signedByWebhook('sms', request, request.body);
        return appliedReply(parseWebhookReply(jsonOf(request.body)), 'webhook-sms', request.url);
      },
    );

    scope.post(
      '/webhooks/twilio/status',
      {
        config: { access: { kind: 'public' }, audit: 'none', rateLimit: false },
        schema: {
          tags: ['webhooks'],
          summary: 'A Twilio status callback (delivery receipt)',
          description:
            'Form fields MessageSid, MessageStatus, ErrorCode, signed by X-Twilio-Signature. Kuan sends this URL as ' +
            'StatusCallback with `?messageId=`; progress statuses (queued, sent, …) are acknowledged and ignored.',
          security: [],
          body: rawBodySchema,
          response: { 200: receiptAnswerSchema, ...errors },
        },
      },
      async (request) => {
        const { form, url } = twilioForm(request, request.body);
        const receipt = parseTwilioStatusCallback(form, { receivedAtMs: ctx.clock(), callbackUrl: url });
        if (receipt === null) return { contactId: null, changed: false };
        return appliedReceipt(receipt);
      },
    );

    scope.post(
      '/webhooks/twilio/inbound',
      {
        config: { access: { kind: 'public' }, audit: 'none', rateLimit: false },
        schema: {
          tags: ['webhooks'],
          summary: 'A Twilio incoming message (a borrower’s reply)',
          description:
            'Form fields MessageSid, From, Body, signed by X-Twilio-Signature; the number’s messaging webhook. ' +
            'Answers empty TwiML: Kuan sends no message back of its own.',
          security: [],
          body: rawBodySchema,
          response: { 200: z.string(), ...errors },
        },
      },
      async (request, reply) => {
        const { form } = twilioForm(request, request.body);
        await appliedReply(parseTwilioInboundMessage(form, { receivedAtMs: ctx.clock() }), 'twilio', request.url);
        void reply.type('text/xml; charset=utf-8');
        return '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';
      },
    );
  });
}
