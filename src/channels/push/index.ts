// Push channels: FCM HTTP v1. (A push provider behind Kuan's generic webhook uses sms/webhook.ts with
// `channel: 'push'`.)
export { createFcmPushChannel, type FcmPushOptions } from './fcm.ts';
