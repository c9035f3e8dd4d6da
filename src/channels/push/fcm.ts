// App push through Firebase Cloud Messaging's HTTP v1 API (POST /v1/projects/{project}/messages:send with
// an OAuth bearer token). FCM has no idempotency key; the messageId goes in `data` and as the Android
// collapse key and APNs collapse id, so a resent message replaces the first on the device instead of
// showing twice. FCM's error codes are mapped to Kuan's stable codes.
import {
  bodyWithVerificationCode,
  callProvider,
  defaultTimeoutMs,
  rejected,
  retryable,
  sendCodes,
  stringField,
  transientStatus,
  type ChannelAdapter,
  type OutboundMessage,
  type SendOutcome,
} from '../channel.ts';

export interface FcmPushOptions {
  /** Default https://fcm.googleapis.com; tests point it at a local server. */
  baseUrl?: string;
  projectId: string;
  /** An OAuth 2 access token, or a function returning a fresh one (tokens expire after an hour). */
  accessToken: string | (() => Promise<string>);
  /** Title when the message has no subject, by locale. */
  defaultTitle?: Record<string, string>;
  timeoutMs?: number;
}

/** FcmError codes (google.firebase.fcm.v1.FcmError) and google.rpc codes that are permanent, by Kuan code. */
const permanentErrors: Record<string, string> = {
  UNREGISTERED: sendCodes.unregistered,
  // Also a malformed token, but equally a payload FCM refuses: the detail tells which.
  INVALID_ARGUMENT: sendCodes.providerRejected,
  SENDER_ID_MISMATCH: sendCodes.invalidAddress,
  NOT_FOUND: sendCodes.unregistered,
};
/** APNs rejects a collapse id longer than this many bytes. */
const apnsCollapseIdBytesMax = 64;

export function createFcmPushChannel(options: FcmPushOptions): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const url = new URL(
    `/v1/projects/${encodeURIComponent(options.projectId)}/messages:send`,
    options.baseUrl ?? 'https://fcm.googleapis.com',
  ).toString();
  const titles = options.defaultTitle ?? { 'zh-CN': '还款提醒', en: 'Repayment reminder' };
  return {
    channel: 'push',
    name: 'fcm-push',
    async send(message: OutboundMessage): Promise<SendOutcome> {
      let token: string;
      try {
        token = typeof options.accessToken === 'string' ? options.accessToken : await options.accessToken();
      } catch (error) {
        return retryable(sendCodes.unauthorized, `no access token: ${error instanceof Error ? error.message : ''}`);
      }
      const title = message.subject ?? titles[message.locale] ?? titles.en ?? '';
      const fcmMessage = {
        token: message.to,
        notification: { title, body: bodyWithVerificationCode(message) },
        data: {
          messageId: message.messageId,
          verificationCode: message.verificationCode,
          loanIds: message.loanIds.join(','),
          locale: message.locale,
        },
        android: { collapse_key: message.messageId },
        ...(Buffer.byteLength(message.messageId) <= apnsCollapseIdBytesMax
          ? { apns: { headers: { 'apns-collapse-id': message.messageId } } }
          : {}),
      };
      const answer = await callProvider(
        url,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json; charset=utf-8',
            authorization: `Bearer ${token}`,
            'idempotency-key': message.messageId,
          },
          body: JSON.stringify({ message: fcmMessage }),
        },
        timeoutMs,
      );
      if ('outcome' in answer) return answer;
      const error = (answer.body as { error?: unknown } | undefined)?.error;
      const fcmCode = fcmErrorCode(error) ?? stringField(error, 'status');
      const detail = `HTTP ${answer.status}${fcmCode ? ` ${fcmCode}` : ''}: ${stringField(error, 'message') ?? ''}`;
      const name = stringField(answer.body, 'name');
      if (answer.status >= 200 && answer.status < 300) {
        return name ? { outcome: 'accepted', providerMessageId: name } : retryable(sendCodes.badAnswer, detail);
      }
      const transient = transientStatus(answer, detail);
      if (transient) return transient;
      if (answer.status >= 400 && answer.status < 500) {
        return rejected((fcmCode && permanentErrors[fcmCode]) ?? sendCodes.providerRejected, detail);
      }
      return retryable(sendCodes.badAnswer, `unexpected HTTP ${answer.status}`);
    },
  };
}

/** The FcmError `errorCode` in `error.details`, which is more precise than the HTTP-level status. */
function fcmErrorCode(error: unknown): string | undefined {
  const details = (error as { details?: unknown } | undefined)?.details;
  if (!Array.isArray(details)) return undefined;
  for (const detail of details.slice(0, 10)) {
    const code = stringField(detail, 'errorCode');
    if (code) return code;
  }
  return undefined;
}
