// E-mail over SMTP (nodemailer, pooled connections): a plain-text body with a simple HTML alternative,
// a Message-ID derived from Kuan's messageId (so a resend after a timeout is recognisably the same mail)
// and the X-Kuan-Message-Id / X-Kuan-Verification-Code headers. SMTP replies are classified: 4xx and
// connection trouble are retryable, 5xx permanent (except authentication, which is the account's problem).
import { createTransport } from 'nodemailer';
import {
  bodyWithVerificationCode,
  defaultTimeoutMs,
  rejected,
  retryable,
  sendCodes,
  type ChannelAdapter,
  type OutboundMessage,
  type SendOutcome,
} from '../channel.ts';
import { htmlAlternative } from './html.ts';

export interface SmtpChannelOptions {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure?: boolean;
  /** Refuse to send over a connection that did not upgrade to TLS (production). */
  requireTls?: boolean;
  auth?: { user: string; pass: string };
  /** e.g. `"宽 Kuan" <notices@lender.example>` */
  from: string;
  /** Per SMTP phase (connect, greeting, each reply); the whole send is bounded by three times this. */
  timeoutMs?: number;
  /** Right-hand side of the Message-ID; default: the domain of `from`. */
  messageIdDomain?: string;
  /** Connections kept open to the server. */
  connectionsMax?: number;
  /** Messages sent over one connection before it is replaced (default 1,000). */
  messagesPerConnectionMax?: number;
}

const subjectFallback: Record<string, string> = { 'zh-CN': '宽 Kuan 通知', en: 'Kuan notice' };

export function createSmtpChannel(options: SmtpChannelOptions): ChannelAdapter {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const transport = createTransport({
    pool: true,
    maxConnections: options.connectionsMax ?? 2,
    maxMessages: options.messagesPerConnectionMax ?? 1_000,
    host: options.host,
    port: options.port,
    secure: options.secure ?? false,
    requireTLS: options.requireTls ?? false,
    ...(options.auth ? { auth: options.auth } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    dnsTimeout: timeoutMs,
  });
  const domain = options.messageIdDomain ?? /@([A-Za-z0-9.-]+)>?\s*$/.exec(options.from)?.[1] ?? 'kuan.invalid';
  return {
    channel: 'email',
    name: 'smtp-email',
    async send(message: OutboundMessage): Promise<SendOutcome> {
      const text = bodyWithVerificationCode(message);
      const sending = transport.sendMail({
        from: options.from,
        to: message.to,
        subject: message.subject ?? subjectFallback[message.locale] ?? subjectFallback.en,
        text,
        html: htmlAlternative(text, message.locale),
        messageId: mailMessageId(message.messageId, domain),
        headers: {
          'X-Kuan-Message-Id': message.messageId,
          'X-Kuan-Verification-Code': message.verificationCode,
          'Content-Language': message.locale,
        },
      });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<'deadline'>((resolve) => {
        timer = setTimeout(() => resolve('deadline'), 3 * timeoutMs);
      });
      try {
        const info = await Promise.race([sending, deadline]);
        if (info === 'deadline') {
          sending.catch(() => undefined);
          return retryable(sendCodes.timeout, `SMTP send not finished within ${3 * timeoutMs} ms`);
        }
        return { outcome: 'accepted', providerMessageId: info.messageId };
      } catch (error) {
        return classifySmtpError(error);
      } finally {
        clearTimeout(timer);
      }
    },
    close: async () => transport.close(),
  };
}

/**
 * `<local@domain>` where local is the messageId with every character outside [A-Za-z0-9_-] written as
 * `=XX` (its UTF-8 bytes in hex): a valid dot-atom, one-to-one with the messageId.
 */
export function mailMessageId(messageId: string, domain: string): string {
  const local = [...Buffer.from(messageId, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
  return `<kuan.${local}@${domain}>`;
}

interface SmtpError {
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  message?: string;
}

function classifySmtpError(error: unknown): SendOutcome {
  const smtp: SmtpError = typeof error === 'object' && error !== null ? (error as SmtpError) : {};
  const reply = smtp.responseCode;
  const detail = `${smtp.code ?? 'error'}${reply ? ` SMTP ${smtp.response ?? reply}` : `: ${smtp.message ?? String(error)}`}`;
  if (smtp.code === 'EAUTH' || smtp.code === 'ENOAUTH' || reply === 530 || reply === 534 || reply === 535) {
    return retryable(sendCodes.unauthorized, detail);
  }
  if (reply !== undefined && reply >= 400 && reply < 500) return retryable(sendCodes.providerUnavailable, detail);
  if (reply !== undefined && reply >= 500) {
    const badMailbox = smtp.command === 'RCPT TO' && (reply === 550 || reply === 551 || reply === 553);
    return rejected(badMailbox ? sendCodes.invalidAddress : sendCodes.providerRejected, detail);
  }
  // Refused before any reply: nodemailer found no usable recipient address.
  if (smtp.code === 'EENVELOPE') return rejected(sendCodes.invalidAddress, detail);
  if (smtp.code === 'ETIMEDOUT') return retryable(sendCodes.timeout, detail);
  if (['ECONNECTION', 'ESOCKET', 'EDNS', 'ETLS', 'ECONNREFUSED'].includes(smtp.code ?? '')) {
    return retryable(sendCodes.connectionFailed, detail);
  }
  return retryable(sendCodes.adapterError, detail);
}
