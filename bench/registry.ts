// What a benchmark is and how its results are printed: each result is one human line and one JSON
// line (starting with `{`), so a person reads the first and a script greps the second.
import type { MeasureOptions, Measurement } from './harness.ts';

export interface BenchContext {
  measureOptions: MeasureOptions;
  /** `--loans N`: the book size for benchmarks that build one. */
  loans?: number;
  report(result: BenchResult): void;
}

export interface BenchResult {
  bench: string;
  /** What was measured, e.g. "build"; with `params` it names one row of the results table. */
  case: string;
  params: Record<string, string | number>;
  measurement: Measurement;
  /** The unit an operation is, for the human line ("schedules"). */
  unit: string;
}

export interface Benchmark {
  readonly name: string;
  readonly summary: string;
  run(context: BenchContext): Promise<void>;
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const fixed = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });

export function humanLine(result: BenchResult): string {
  const params = Object.entries(result.params)
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  const { opsPerSec, meanUs, iterations } = result.measurement;
  return `${result.bench} ${result.case} ${params}: ${grouped.format(opsPerSec)} ${result.unit}/s (${fixed.format(meanUs)} µs each, ${grouped.format(iterations)} runs)`;
}

export function jsonLine(result: BenchResult): string {
  const { opsPerSec, meanUs, iterations, elapsedMs } = result.measurement;
  return JSON.stringify({
    bench: result.bench,
    case: result.case,
    ...result.params,
    unit: result.unit,
    opsPerSec: Math.round(opsPerSec),
    meanUs: Number(meanUs.toFixed(3)),
    iterations,
    elapsedMs: Math.round(elapsedMs),
  });
}
