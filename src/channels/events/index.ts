// Event sinks: where the outbox's events are published (a JSON Lines log now; webhooks later).
export * from './sink.ts';
export * from './json-lines.ts';
