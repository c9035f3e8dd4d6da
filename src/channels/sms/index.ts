// SMS channels: Kuan's generic JSON webhook (also used for push) and Twilio, with the parsers of what their
// providers post back (delivery receipts, borrowers' replies).
export { createWebhookChannel, parseWebhookReceipt, parseWebhookReply, type WebhookChannelOptions } from './webhook.ts';
export {
  createTwilioSmsChannel,
  parseTwilioInboundMessage,
  parseTwilioStatusCallback,
  verifyTwilioSignature,
  type TwilioSmsOptions,
} from './twilio.ts';
