// The channels module's front door: the channel port, every contact channel adapter (e-mail, SMS, push,
// letter, voice), the circuit breaker and backoff, and the payment providers.
export * from './channel.ts';
export * from './circuit-breaker.ts';
export * from './email/index.ts';
export * from './sms/index.ts';
export * from './push/index.ts';
export * from './letter/index.ts';
export * from './voice/index.ts';
export * from './payments/index.ts';
export * from './config.ts';
export * from './standard-webhooks.ts';
export * from './events/index.ts';
