// A local HTTP server that speaks three message-provider APIs for tests and simulations: Kuan's generic
// JSON webhook (POST /v1/messages), Twilio's Messages API (POST /2010-04-01/Accounts/{sid}/Messages.json)
// and FCM HTTP v1 (POST /v1/projects/{project}/messages:send). It records every request, delivers once
// per idempotency key (a repeated key gets the first id back), can be scripted to fail (500, 503, 429,
// hang, accept-then-hang, invalid address) and can post delivery receipts back to the callback URL a
// message named, in the generic JSON or Twilio's signed form format.
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ProviderFormat = 'generic' | 'twilio' | 'fcm';
export type ScriptedFailure =
  | 'server_error'
  | 'unavailable'
  | 'rate_limited'
  /** Never answers, delivers nothing. */
  | 'hang'
  /** Delivers, then never answers: the client times out although the message went. */
  | 'accept_then_hang'
  | 'invalid_address';

export interface RecordedRequest {
  format: ProviderFormat;
  path: string;
  headers: IncomingHttpHeaders;
  idempotencyKey?: string;
  /** JSON body, or the form fields for Twilio. */
  body: Record<string, unknown>;
  /** The HTTP status answered; undefined while (or when) hanging. */
  status?: number;
}

export interface Delivery {
  format: ProviderFormat;
  id: string;
  idempotencyKey?: string;
  to: string;
  text: string;
  title?: string;
  /** Where receipts go: the generic `callbackUrl` or Twilio's `StatusCallback`. */
  callbackUrl?: string;
  /** Kuan's messageId when the request carried it. */
  messageId?: string;
}

export interface TestMessageProvider {
  url: string;
  twilio: { accountSid: string; authToken: string };
  fcm: { projectId: string; accessToken: string };
  /** Bearer key the generic endpoint requires. */
  genericApiKey: string;
  requests: RecordedRequest[];
  deliveries: Delivery[];
  /** Addresses always refused: invalid number (generic, Twilio 21211) or unregistered token (FCM). */
  invalidAddresses: Set<string>;
  /** The next `count` requests (any format) fail with `failure`. */
  failNext(failure: ScriptedFailure, count?: number): void;
  /** Posts a receipt for delivery `id` to its callback URL; resolves to the receiver's HTTP status. */
  sendReceipt(id: string, status: string, options?: { errorCode?: string; atMs?: number }): Promise<number>;
  close(): Promise<void>;
}

const bodyBytesMax = 1_000_000;

export async function startMessageProviderServer(): Promise<TestMessageProvider> {
  const twilio = { accountSid: 'AC00000000000000000000000000000001', authToken: 'twilio-test-token' };
  const fcm = { projectId: 'kuan-test', accessToken: 'fcm-test-token' };
  const genericApiKey = 'generic-test-key';
  const requests: RecordedRequest[] = [];
  const deliveries: Delivery[] = [];
  const byKey = new Map<string, Delivery>();
  const invalidAddresses = new Set<string>();
  const failures: ScriptedFailure[] = [];
  let counter = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= bodyBytesMax) chunks.push(chunk);
    });
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const format = formatOf(req.method ?? '', path, twilio.accountSid, fcm.projectId);
      if (!format) return json(res, 404, { error: { code: 'not_found', message: path } });
      let body: Record<string, unknown>;
      try {
        body =
          format === 'twilio'
            ? Object.fromEntries(new URLSearchParams(raw))
            : (JSON.parse(raw) as Record<string, unknown>);
      } catch {
        return json(res, 400, { error: { code: 'invalid_request', message: 'body is not JSON' } });
      }
      const keyHeader = req.headers['idempotency-key'];
      const idempotencyKey = typeof keyHeader === 'string' ? keyHeader : undefined;
      const record: RecordedRequest = {
        format,
        path,
        headers: req.headers,
        body,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      requests.push(record);
      const reply = (status: number, answer: unknown, headers: Record<string, string> = {}): void => {
        record.status = status;
        json(res, status, answer, headers);
      };
      if (!authorised(format, req.headers.authorization)) return reply(...refusal(format, 'unauthorized', ''));
      const message = readMessage(format, body);
      if (!message) return reply(...refusal(format, 'missing', ''));
      const failure = failures.shift();
      if (failure === 'hang') return;
      if (failure && failure !== 'accept_then_hang') return reply(...refusal(format, failure, message.to));
      if (invalidAddresses.has(message.to)) return reply(...refusal(format, 'invalid_address_known', message.to));
      const known = idempotencyKey ? byKey.get(`${format}:${idempotencyKey}`) : undefined;
      const delivery = known ?? {
        format,
        id: newId(format, (counter += 1)),
        ...message,
        ...(idempotencyKey ? { idempotencyKey } : {}),
      };
      if (!known) {
        deliveries.push(delivery);
        if (idempotencyKey) byKey.set(`${format}:${idempotencyKey}`, delivery);
      }
      if (failure === 'accept_then_hang') return;
      reply(...success(format, delivery, known !== undefined));
    });
  });

  const authorised = (format: ProviderFormat, header: string | undefined): boolean => {
    if (format === 'generic') return header === `Bearer ${genericApiKey}`;
    if (format === 'fcm') return header === `Bearer ${fcm.accessToken}`;
    const expected = Buffer.from(`${twilio.accountSid}:${twilio.authToken}`).toString('base64');
    return header === `Basic ${expected}`;
  };

  const sendReceipt: TestMessageProvider['sendReceipt'] = async (id, status, options = {}) => {
    const delivery = deliveries.find((candidate) => candidate.id === id);
    if (!delivery?.callbackUrl) throw new Error(`no delivery ${id} with a callback URL`);
    if (delivery.format === 'twilio') {
      const form: Record<string, string> = {
        AccountSid: twilio.accountSid,
        MessageSid: delivery.id,
        SmsSid: delivery.id,
        MessageStatus: status,
        SmsStatus: status,
        To: delivery.to,
        ApiVersion: '2010-04-01',
        ...(options.errorCode ? { ErrorCode: options.errorCode } : {}),
      };
      const signed = Object.keys(form)
        .sort()
        .reduce((text, key) => text + key + form[key], delivery.callbackUrl);
      const signature = createHmac('sha1', twilio.authToken).update(signed, 'utf8').digest('base64');
      const response = await fetch(delivery.callbackUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
        body: new URLSearchParams(form).toString(),
        signal: AbortSignal.timeout(5_000),
      });
      await response.arrayBuffer();
      return response.status;
    }
    const response = await fetch(delivery.callbackUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: delivery.id,
        ...(delivery.messageId ? { messageId: delivery.messageId } : {}),
        status,
        at: new Date(options.atMs ?? Date.now()).toISOString(),
        ...(options.errorCode ? { code: options.errorCode } : {}),
      }),
      signal: AbortSignal.timeout(5_000),
    });
    await response.arrayBuffer();
    return response.status;
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    twilio,
    fcm,
    genericApiKey,
    requests,
    deliveries,
    invalidAddresses,
    failNext(failure, count = 1) {
      for (let i = 0; i < count; i += 1) failures.push(failure);
    },
    sendReceipt,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function formatOf(method: string, path: string, accountSid: string, projectId: string): ProviderFormat | null {
  if (method !== 'POST') return null;
  const pathname = path.split('?')[0];
  if (pathname === '/v1/messages') return 'generic';
  if (pathname === `/2010-04-01/Accounts/${accountSid}/Messages.json`) return 'twilio';
  if (pathname === `/v1/projects/${projectId}/messages:send`) return 'fcm';
  return null;
}

type MessageFields = Omit<Delivery, 'format' | 'id' | 'idempotencyKey'>;

function readMessage(format: ProviderFormat, body: Record<string, unknown>): MessageFields | null {
  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value.length > 0 ? value : undefined;
  if (format === 'generic') {
    const to = text(body.to);
    const message = text(body.body);
    if (!to || !message || !text(body.messageId)) return null;
    const callbackUrl = text(body.callbackUrl);
    const title = text(body.subject);
    return {
      to,
      text: message,
      messageId: body.messageId as string,
      ...(callbackUrl ? { callbackUrl } : {}),
      ...(title ? { title } : {}),
    };
  }
  if (format === 'twilio') {
    const to = text(body.To);
    const message = text(body.Body);
    if (!to || !message || !(text(body.From) ?? text(body.MessagingServiceSid))) return null;
    const callbackUrl = text(body.StatusCallback);
    const messageId = callbackUrl ? new URL(callbackUrl).searchParams.get('messageId') : null;
    return { to, text: message, ...(callbackUrl ? { callbackUrl } : {}), ...(messageId ? { messageId } : {}) };
  }
  const fcmMessage = body.message as
    { token?: unknown; notification?: { title?: unknown; body?: unknown }; data?: { messageId?: unknown } } | undefined;
  const to = text(fcmMessage?.token);
  const message = text(fcmMessage?.notification?.body);
  if (!to || !message) return null;
  const title = text(fcmMessage?.notification?.title);
  const messageId = text(fcmMessage?.data?.messageId);
  return { to, text: message, ...(title ? { title } : {}), ...(messageId ? { messageId } : {}) };
}

function newId(format: ProviderFormat, counter: number): string {
  if (format === 'twilio') return `SM${counter.toString(16).padStart(32, '0')}`;
  if (format === 'fcm') return `projects/kuan-test/messages/0:${counter}`;
  return `msg_${counter}`;
}

type Answer = [status: number, body: unknown, headers?: Record<string, string>];

function success(format: ProviderFormat, delivery: Delivery, repeated: boolean): Answer {
  if (format === 'twilio') {
    return [201, { sid: delivery.id, status: 'queued', to: delivery.to, body: delivery.text, error_code: null }];
  }
  if (format === 'fcm') return [200, { name: delivery.id }];
  return [repeated ? 200 : 202, { id: delivery.id }];
}

type Refusal =
  Exclude<ScriptedFailure, 'hang' | 'accept_then_hang'> | 'invalid_address_known' | 'unauthorized' | 'missing';

/** Each provider's own error answer for a refusal, as its documentation shows it. */
function refusal(format: ProviderFormat, kind: Refusal, to: string): Answer {
  const retryAfter = { 'retry-after': '1' };
  if (format === 'twilio') {
    const twilioError = (status: number, code: number, message: string): Answer => [
      status,
      { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
      status === 429 ? retryAfter : {},
    ];
    if (kind === 'server_error') return twilioError(500, 20500, 'Internal Server Error');
    if (kind === 'unavailable') return twilioError(503, 20503, 'Service Unavailable');
    if (kind === 'rate_limited') return twilioError(429, 20429, 'Too Many Requests');
    if (kind === 'unauthorized') return twilioError(401, 20003, 'Authenticate');
    if (kind === 'missing') return twilioError(400, 21604, "A 'To' phone number is required.");
    return twilioError(400, 21211, `The 'To' number ${to} is not a valid phone number.`);
  }
  if (format === 'fcm') {
    const fcmError = (code: number, status: string, message: string, errorCode?: string): Answer => [
      code,
      {
        error: {
          code,
          message,
          status,
          ...(errorCode
            ? { details: [{ '@type': 'type.googleapis.com/google.firebase.fcm.v1.FcmError', errorCode }] }
            : {}),
        },
      },
      code === 429 ? retryAfter : {},
    ];
    if (kind === 'server_error') return fcmError(500, 'INTERNAL', 'Internal error encountered.', 'INTERNAL');
    if (kind === 'unavailable')
      return fcmError(503, 'UNAVAILABLE', 'The service is currently unavailable.', 'UNAVAILABLE');
    if (kind === 'rate_limited') return fcmError(429, 'RESOURCE_EXHAUSTED', 'Quota exceeded.', 'QUOTA_EXCEEDED');
    if (kind === 'unauthorized')
      return fcmError(401, 'UNAUTHENTICATED', 'Request had invalid authentication credentials.');
    if (kind === 'invalid_address_known')
      return fcmError(404, 'NOT_FOUND', 'Requested entity was not found.', 'UNREGISTERED');
    return fcmError(
      400,
      'INVALID_ARGUMENT',
      'The registration token is not a valid FCM registration token',
      'INVALID_ARGUMENT',
    );
  }
  const genericError = (status: number, code: string, message: string): Answer => [
    status,
    { error: { code, message } },
    status === 429 ? retryAfter : {},
  ];
  if (kind === 'server_error') return genericError(500, 'internal', 'internal error');
  if (kind === 'unavailable') return genericError(503, 'unavailable', 'try later');
  if (kind === 'rate_limited') return genericError(429, 'rate_limited', 'too many requests');
  if (kind === 'unauthorized') return genericError(401, 'unauthorized', 'bad api key');
  if (kind === 'missing') return genericError(400, 'invalid_request', 'messageId, to and body are required');
  return genericError(400, 'invalid_address', `${to} is not a valid address`);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

export interface ReceivedCallback {
  /** The full URL the callback was posted to, as the provider signed it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for Kuan's receipt endpoint: records each POST and answers 204. */
export async function startReceiptReceiver(): Promise<{
  url: string;
  callbacks: ReceivedCallback[];
  close(): Promise<void>;
}> {
  const callbacks: ReceivedCallback[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const { port } = server.address() as AddressInfo;
      callbacks.push({
        url: `http://127.0.0.1:${port}${req.url ?? '/'}`,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/receipts`,
    callbacks,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
