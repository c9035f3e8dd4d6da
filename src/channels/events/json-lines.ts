// The event sink that writes each published event as one JSON line: to a file (appended, for a log
// shipper to tail) or to any writable stream (a process's stdout in development). Delivery is at least
// once — an event whose batch was written but not yet marked published is written again after a crash —
// so every line carries the event's stable id for consumers to deduplicate by.
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Writable } from 'node:stream';
import type { EventSink, PublishedEvent } from './sink.ts';

export function jsonLinesEventSink(target: { path: string } | { stream: Writable; name?: string }): EventSink {
  let stream: Writable;
  let owned = false;
  if ('path' in target) {
    mkdirSync(dirname(target.path), { recursive: true });
    stream = createWriteStream(target.path, { flags: 'a' });
    owned = true;
  } else {
    stream = target.stream;
  }
  const name = 'path' in target ? `json-lines:${target.path}` : (target.name ?? 'json-lines');
  return {
    name,
    async publish(events: readonly PublishedEvent[]) {
      if (events.length === 0) return;
      const text = events.map((event) => JSON.stringify(event)).join('\n') + '\n';
      await new Promise<void>((resolve, reject) => {
        stream.write(text, (error) => (error ? reject(error) : resolve()));
      });
    },
    async close() {
      if (!owned) return;
      await new Promise<void>((resolve) => stream.end(() => resolve()));
    },
  };
}
