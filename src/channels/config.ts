// Channel configuration as data: one JSON object that names, per channel, which adapter delivers it and
// how to reach the provider — read by `kuan simulate --channels FILE` (and the dispatcher's callers), so
// a scenario can send real e-mail over SMTP and real SMS/push to provider endpoints. Validated once;
// every error names its field. Secrets may be given as `{ "env": "NAME" }` to be read from the environment.
//
//   { "email":  { "smtp": { "host": "127.0.0.1", "port": 2525, "from": "Kuan <notices@lender.example>" } },
//     "sms":    { "webhook": { "url": "https://sms.example/v1/messages", "apiKey": { "env": "SMS_KEY" },
//                               "signingSecret": { "env": "SMS_WEBHOOK_SECRET" } } },
//     "push":   { "fcm": { "projectId": "p", "accessToken": { "env": "FCM_TOKEN" } } },
//     "letter": { "pdf": { "outputDir": "letters", "sender": { "name": "Kuan", "address": "…" } } },
//     "voice":  { "tasks": { "outputFile": "call-tasks.jsonl" } } }
//
// What providers post back (delivery receipts, borrowers' replies) is believed only when signed: by the
// generic webhook's `signingSecret` (Standard Webhooks), or by Twilio's auth token over the public URL
// Kuan is reached at (`publicUrl`, default the origin of `statusCallbackUrl`).
import type { ContactChannel } from '../contact/index.ts';
import { contactChannels } from '../contact/index.ts';
import { InputError, quote } from '../errors/index.ts';
import type { ChannelAdapter } from './channel.ts';
import { standardWebhookKey } from './standard-webhooks.ts';
import { createSmtpChannel } from './email/index.ts';
import { createLetterChannel } from './letter/index.ts';
import { createFcmPushChannel } from './push/index.ts';
import { createTwilioSmsChannel, createWebhookChannel } from './sms/index.ts';
import {
  createFileCallTaskSink,
  createMemoryCallTaskSink,
  createVoiceTaskChannel,
  type CallTaskSink,
} from './voice/index.ts';

export type ChannelAdapters = Partial<Record<ContactChannel, ChannelAdapter>>;

type Json = Record<string, unknown>;

function objectAt(value: unknown, field: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(field, `must be an object, got ${quote(value)}`);
  }
  return value as Json;
}

function textAt(value: unknown, field: string, env: Readonly<Record<string, string | undefined>>): string {
  if (typeof value === 'object' && value !== null && 'env' in value) {
    const name = (value as { env: unknown }).env;
    const found = typeof name === 'string' ? env[name] : undefined;
    if (found === undefined || found === '')
      throw new InputError(field, `names environment variable ${quote(name)}, which is not set`);
    return found;
  }
  if (typeof value !== 'string' || value.length === 0 || value.length > 2000) {
    throw new InputError(field, `must be a non-empty string (or { "env": "NAME" }), got ${quote(value)}`);
  }
  return value;
}

function optionalText(
  value: unknown,
  field: string,
  env: Readonly<Record<string, string | undefined>>,
): string | undefined {
  return value === undefined ? undefined : textAt(value, field, env);
}

function portAt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65_535) {
    throw new InputError(field, `must be a port number 1–65535, got ${quote(value)}`);
  }
  return value;
}

function urlAt(value: unknown, field: string, env: Readonly<Record<string, string | undefined>>): string {
  const text = textAt(value, field, env);
  if (!/^https?:\/\/[^\s]+$/.test(text)) throw new InputError(field, `must be an http(s) URL, got ${quote(text)}`);
  return text;
}

/** The single key of an adapter choice object ({ "smtp": {…} }), checked against the kinds allowed. */
function kindOf(json: Json, field: string, kinds: readonly string[]): [string, Json] {
  const keys = Object.keys(json);
  if (keys.length !== 1 || !kinds.includes(keys[0] as string)) {
    throw new InputError(field, `must have exactly one of ${kinds.join(', ')}, got ${quote(keys.join(', '))}`);
  }
  const kind = keys[0] as string;
  return [kind, objectAt(json[kind], `${field}.${kind}`)];
}

/** How Kuan checks what providers post back (src/api/routes/webhooks.ts). */
export interface InboundWebhookSettings {
  /** The generic-webhook providers' Standard Webhooks secrets, by channel. */
  webhookSecrets: Partial<Record<'sms' | 'push', string>>;
  /** Twilio's auth token (it signs every callback) and the origin Twilio posts to (https://host[:port]). */
  twilio?: { authToken: string; publicOrigin: string };
}

export interface ChannelSettings {
  adapters: ChannelAdapters;
  inbound: InboundWebhookSettings;
}

export interface ChannelConfigOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Where call tasks go when the config does not name an output file (default: kept in memory). */
  callTaskSink?: CallTaskSink;
}

/** Builds the adapters a channel configuration describes. */
export function channelsFromConfig(config: unknown, options: ChannelConfigOptions = {}): ChannelAdapters {
  return channelSettingsFromConfig(config, options).adapters;
}

/** The adapters a channel configuration describes, and how to check what their providers post back. */
export function channelSettingsFromConfig(config: unknown, options: ChannelConfigOptions = {}): ChannelSettings {
  const env = options.env ?? {};
  const json = objectAt(config, 'channels');
  const adapters: ChannelAdapters = {};
  const inbound: InboundWebhookSettings = { webhookSecrets: {} };
  for (const [channel, value] of Object.entries(json)) {
    const field = `channels.${channel}`;
    if (!(contactChannels as readonly string[]).includes(channel)) {
      throw new InputError(field, `is not a channel (${contactChannels.join(', ')})`);
    }
    const choice = objectAt(value, field);
    switch (channel as ContactChannel) {
      case 'email': {
        const [, smtp] = kindOf(choice, field, ['smtp']);
        const user = optionalText(smtp.user, `${field}.smtp.user`, env);
        const pass = optionalText(smtp.pass, `${field}.smtp.pass`, env);
        adapters.email = createSmtpChannel({
          host: textAt(smtp.host, `${field}.smtp.host`, env),
          port: portAt(smtp.port, `${field}.smtp.port`),
          from: textAt(smtp.from, `${field}.smtp.from`, env),
          secure: smtp.secure === true,
          ...(user !== undefined && pass !== undefined ? { auth: { user, pass } } : {}),
        });
        break;
      }
      case 'sms':
      case 'push': {
        const [kind, settings] = kindOf(choice, field, channel === 'sms' ? ['webhook', 'twilio'] : ['webhook', 'fcm']);
        const at = `${field}.${kind}`;
        if (kind === 'webhook') {
          const apiKey = optionalText(settings.apiKey, `${at}.apiKey`, env);
          const callbackUrl =
            settings.callbackUrl === undefined ? undefined : urlAt(settings.callbackUrl, `${at}.callbackUrl`, env);
          const signingSecret = optionalText(settings.signingSecret, `${at}.signingSecret`, env);
          if (signingSecret !== undefined) {
            standardWebhookKey(signingSecret, `${at}.signingSecret`);
            inbound.webhookSecrets[channel as 'sms' | 'push'] = signingSecret;
          }
          adapters[channel as 'sms' | 'push'] = createWebhookChannel({
            channel: channel as ContactChannel,
            url: urlAt(settings.url, `${at}.url`, env),
            ...(apiKey === undefined ? {} : { apiKey }),
            ...(callbackUrl === undefined ? {} : { callbackUrl }),
          });
        } else if (kind === 'twilio') {
          const baseUrl = settings.baseUrl === undefined ? undefined : urlAt(settings.baseUrl, `${at}.baseUrl`, env);
          const authToken = textAt(settings.authToken, `${at}.authToken`, env);
          const statusCallbackUrl =
            settings.statusCallbackUrl === undefined
              ? undefined
              : urlAt(settings.statusCallbackUrl, `${at}.statusCallbackUrl`, env);
          adapters.sms = createTwilioSmsChannel({
            accountSid: textAt(settings.accountSid, `${at}.accountSid`, env),
            authToken,
            from: textAt(settings.from, `${at}.from`, env),
            ...(baseUrl === undefined ? {} : { baseUrl }),
            ...(statusCallbackUrl === undefined ? {} : { statusCallbackUrl }),
          });
          const publicUrl =
            settings.publicUrl === undefined ? statusCallbackUrl : urlAt(settings.publicUrl, `${at}.publicUrl`, env);
          if (publicUrl !== undefined) inbound.twilio = { authToken, publicOrigin: new URL(publicUrl).origin };
        } else {
          const baseUrl = settings.baseUrl === undefined ? undefined : urlAt(settings.baseUrl, `${at}.baseUrl`, env);
          adapters.push = createFcmPushChannel({
            projectId: textAt(settings.projectId, `${at}.projectId`, env),
            accessToken: textAt(settings.accessToken, `${at}.accessToken`, env),
            ...(baseUrl === undefined ? {} : { baseUrl }),
          });
        }
        break;
      }
      case 'letter': {
        const [, pdf] = kindOf(choice, field, ['pdf']);
        const sender = objectAt(pdf.sender, `${field}.pdf.sender`);
        const outputDir = optionalText(pdf.outputDir, `${field}.pdf.outputDir`, env);
        adapters.letter = createLetterChannel({
          sender: {
            name: textAt(sender.name, `${field}.pdf.sender.name`, env),
            address: textAt(sender.address, `${field}.pdf.sender.address`, env),
          },
          ...(outputDir === undefined ? {} : { outputDir }),
        });
        break;
      }
      case 'voice': {
        const [, tasks] = kindOf(choice, field, ['tasks']);
        const outputFile = optionalText(tasks.outputFile, `${field}.tasks.outputFile`, env);
        const sink: CallTaskSink =
          outputFile !== undefined
            ? createFileCallTaskSink(outputFile)
            : (options.callTaskSink ?? createMemoryCallTaskSink().sink);
        adapters.voice = createVoiceTaskChannel(sink);
        break;
      }
    }
  }
  return { adapters, inbound };
}

/** Closes adapters that hold connections (SMTP pools). */
export async function closeChannels(adapters: ChannelAdapters): Promise<void> {
  await Promise.all(Object.values(adapters).map((adapter) => adapter?.close?.()));
}
