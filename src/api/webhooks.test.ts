// What message providers post back, through the API: a borrower's STOP / 退订 reply opts them out (found by
// their number however it is formatted) and is audited with the provider as actor; a reply that revokes
// nothing changes nothing; a delivery receipt sets the message's status once. Nothing is believed or
// written unless signed — the generic webhook by Standard Webhooks, Twilio by X-Twilio-Signature — and a
// provider that is not configured has no route.
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook } from '../channels/index.ts';
import { getContact, loadContactSubjects, queryRows } from '../store/index.ts';
import { executeStatement } from '../store/db.ts';
import { startApi, type ApiHarness } from './testing.ts';

const smsSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const twilio = { authToken: 'twilio-auth-token-for-tests', publicOrigin: 'https://kuan.lender.example' };

let h: ApiHarness;

beforeAll(async () => {
  h = await startApi();
  // B1's seeded message as the generic provider accepted it.
  await executeStatement(
    h.db,
    sql`UPDATE contacts SET provider_message_id = 'prov-B1-1' WHERE contact_id = 'B1:2026-03-02:pre_due_3:sms'`,
  );
  await executeStatement(
    h.db,
    sql`UPDATE contacts SET provider_message_id = 'SM0123456789' WHERE contact_id = 'B2:2026-03-02:pre_due_3:sms'`,
  );
});

afterAll(async () => {
  await h?.close();
});

function signedPost(url: string, payload: unknown, options: { secret?: string; timestampS?: number } = {}) {
  const body = JSON.stringify(payload);
  const id = `msg_${url.length}_${body.length}_${options.timestampS ?? 0}`;
  const timestampS = options.timestampS ?? Math.floor(h.clock.nowMs / 1000);
  const signature = signStandardWebhook({ secret: options.secret ?? smsSecret, id, timestampS, body });
  return h.call({
    method: 'POST',
    url,
    payload: body,
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(timestampS),
      'webhook-signature': signature,
    },
  });
}

/** Twilio's signature: HMAC-SHA1 of the full URL and every field name and value, in name order. */
function twilioPost(path: string, fields: Record<string, string>, authToken = twilio.authToken) {
  const data = Object.keys(fields)
    .sort()
    .reduce((text, key) => text + key + fields[key], `${twilio.publicOrigin}${path}`);
  const signature = createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
  return h.call({
    method: 'POST',
    url: path,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
  });
}

async function optOutsOf(borrowerId: string): Promise<string[]> {
  const [subject] = await loadContactSubjects(h.db, [borrowerId]);
  return [...(subject?.state?.optOuts ?? [])];
}

describe('provider webhooks', () => {
  it('has no route for a provider the server was not configured with', async () => {
    const reply = await signedPost('/api/v1/webhooks/sms/replies', {
      id: 'in-0',
      from: '+8613800000001',
      text: 'STOP',
      at: '2026-03-10T04:00:00Z',
    });
    expect(reply.statusCode, reply.body).toBe(404);
    expect(await optOutsOf('B1')).toEqual([]);
  });

  it('opts a borrower out of SMS on a signed STOP from their number, once, and audits it', async () => {
    h.api.context.inbound = { webhookSecrets: { sms: smsSecret }, twilio };
    const stop = { id: 'in-1', from: '+86 138-0000-0001', text: ' stop ', at: '2026-03-10T04:00:00Z' };

    const unsigned = await h.call({
      method: 'POST',
      url: '/api/v1/webhooks/sms/replies',
      payload: stop,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(401);
    const forged = await signedPost('/api/v1/webhooks/sms/replies', stop, {
      secret: 'whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    });
    expect(forged.statusCode).toBe(401);
    const stale = await signedPost('/api/v1/webhooks/sms/replies', stop, {
      timestampS: Math.floor(h.clock.nowMs / 1000) - 3600,
    });
    expect(stale.statusCode).toBe(401);
    expect(await optOutsOf('B1')).toEqual([]);

    const accepted = await signedPost('/api/v1/webhooks/sms/replies', stop);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toEqual({ borrowers: 1, optedOut: 1 });
    expect(await optOutsOf('B1')).toEqual(['sms']);
    expect(await optOutsOf('B2')).toEqual([]);

    const again = await signedPost('/api/v1/webhooks/sms/replies', stop);
    expect(again.statusCode).toBe(200);
    expect(await optOutsOf('B1')).toEqual(['sms']);

    const audited = await queryRows<{ actor_kind: string; actor_id: string; subject_borrower_id: string }>(
      h.db,
      sql`SELECT actor_kind, actor_id, subject_borrower_id FROM audit_log
          WHERE action = 'contacts.opt_out_by_reply' ORDER BY seq`,
    );
    expect(audited[0]).toEqual({ actor_kind: 'system', actor_id: 'provider:webhook-sms', subject_borrower_id: 'B1' });
  });

  it('changes nothing for a reply that revokes nothing, or from a number no borrower has', async () => {
    const chat = await signedPost('/api/v1/webhooks/sms/replies', {
      id: 'in-2',
      from: '+8613800000002',
      text: 'I will pay on Friday',
      at: '2026-03-10T04:01:00Z',
    });
    expect(chat.json()).toEqual({ borrowers: 1, optedOut: 0 });
    expect(await optOutsOf('B2')).toEqual([]);
    const stranger = await signedPost('/api/v1/webhooks/sms/replies', {
      id: 'in-3',
      from: '+15555550100',
      text: 'STOP',
      at: '2026-03-10T04:02:00Z',
    });
    expect(stranger.json()).toEqual({ borrowers: 0, optedOut: 0 });
    const malformed = await signedPost('/api/v1/webhooks/sms/replies', { id: 'in-4', text: 'STOP' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json()).toMatchObject({ field: 'from' });
  });

  it('records a signed delivery receipt once', async () => {
    const receipt = { id: 'prov-B1-1', status: 'delivered', at: '2026-03-02T01:00:05Z' };
    const first = await signedPost('/api/v1/webhooks/sms/receipts', receipt);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toEqual({ contactId: 'B1:2026-03-02:pre_due_3:sms', changed: true });
    expect(await signedPost('/api/v1/webhooks/sms/receipts', receipt).then((r) => r.json())).toEqual({
      contactId: 'B1:2026-03-02:pre_due_3:sms',
      changed: false,
    });
    const contact = await getContact(h.db, { borrowerId: 'B1', contactId: 'B1:2026-03-02:pre_due_3:sms' });
    expect(contact?.deliveryStatus).toBe('delivered');
    // Push has no provider configured here.
    expect((await signedPost('/api/v1/webhooks/push/receipts', receipt)).statusCode).toBe(404);
  });

  it("takes Twilio's signed status callbacks and incoming messages (退订 opts out), refusing a bad signature", async () => {
    const statusPath = `/api/v1/webhooks/twilio/status?messageId=${encodeURIComponent('B2:2026-03-02:pre_due_3:sms')}`;
    const status = await twilioPost(statusPath, {
      MessageSid: 'SM0123456789',
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toEqual({ contactId: 'B2:2026-03-02:pre_due_3:sms', changed: true });
    const progress = await twilioPost(statusPath, { MessageSid: 'SM0123456789', MessageStatus: 'sent' });
    expect(progress.json()).toEqual({ contactId: null, changed: false });

    const inbound = { MessageSid: 'SMin000001', From: '+8613800000002', To: '+8610690000', Body: '退订' };
    const forged = await twilioPost('/api/v1/webhooks/twilio/inbound', inbound, 'another-token');
    expect(forged.statusCode).toBe(401);
    expect(await optOutsOf('B2')).toEqual([]);
    const accepted = await twilioPost('/api/v1/webhooks/twilio/inbound', inbound);
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.headers['content-type']).toContain('text/xml');
    expect(accepted.body).toContain('<Response></Response>');
    expect(await optOutsOf('B2')).toEqual(['sms']);
  });
});
