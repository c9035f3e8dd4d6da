// SMS channels: Kuan's generic JSON webhook (also used for push) and Twilio, with their receipt parsers.
export { createWebhookChannel, parseWebhookReceipt, type WebhookChannelOptions } from './webhook.ts';
export {
  createTwilioSmsChannel,
  parseTwilioStatusCallback,
  verifyTwilioSignature,
  type TwilioSmsOptions,
} from './twilio.ts';
