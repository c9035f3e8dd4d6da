// Measurement for benchmarks: warm up, then call the function in growing batches until the time is up,
// and report operations per second. One thread, so a result is a per-core figure. The clock is read
// once per batch, not per call, so timing costs stay out of microsecond-scale operations.

export interface MeasureOptions {
  warmupMs: number;
  durationMs: number;
}

export interface Measurement {
  iterations: number;
  elapsedMs: number;
  opsPerSec: number;
  /** Mean time per operation in microseconds. */
  meanUs: number;
}

/** Keeps results reachable so the optimiser cannot drop the work being measured. */
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}
export function lastConsumed(): unknown {
  return sink;
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function runFor(fn: () => unknown, durationMs: number): { iterations: number; elapsedMs: number } {
  let batch = 1;
  let iterations = 0;
  const start = nowMs();
  let elapsed = 0;
  while (elapsed < durationMs) {
    const batchStart = nowMs();
    for (let i = 0; i < batch; i += 1) consume(fn());
    const batchMs = nowMs() - batchStart;
    iterations += batch;
    elapsed = nowMs() - start;
    // Aim for batches of about 20 ms: long enough to hide the clock, short enough to stop on time.
    if (batchMs < 20) batch = Math.min(batch * 2, 1 << 20);
  }
  return { iterations, elapsedMs: elapsed };
}

export function measure(fn: () => unknown, { warmupMs, durationMs }: MeasureOptions): Measurement {
  runFor(fn, warmupMs);
  const { iterations, elapsedMs } = runFor(fn, durationMs);
  const opsPerSec = (iterations * 1000) / elapsedMs;
  return { iterations, elapsedMs, opsPerSec, meanUs: (elapsedMs * 1000) / iterations };
}
