// `npm run bench -- [name …] [--seconds N]`: runs the named benchmarks (all when none is named) on this
// one thread and prints, per result, a human line and a JSON line. Benchmarks never gate the tests.
import { parseArgs } from 'node:util';
import { cpus } from 'node:os';
import { benchmarks } from './benchmarks/index.ts';
import type { BenchContext, Benchmark } from './registry.ts';
import { humanLine, jsonLine } from './registry.ts';

function usage(): string {
  const names = benchmarks.map((b) => `  ${b.name.padEnd(10)} ${b.summary}`).join('\n');
  return `usage: npm run bench -- [name …] [--seconds N] [--warmup-seconds N] [--loans N]\n\nbenchmarks:\n${names}\n`;
}

async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        seconds: { type: 'string', default: '2.5' },
        'warmup-seconds': { type: 'string', default: '1' },
        loans: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage()}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(usage());
    return 0;
  }
  const seconds = Number(parsed.values.seconds);
  const warmupSeconds = Number(parsed.values['warmup-seconds']);
  if (!(seconds > 0) || !(warmupSeconds >= 0)) {
    process.stderr.write(`--seconds and --warmup-seconds must be positive numbers\n`);
    return 2;
  }
  const loans = parsed.values.loans === undefined ? undefined : Number(parsed.values.loans);
  if (loans !== undefined && !(Number.isInteger(loans) && loans > 0)) {
    process.stderr.write(`--loans must be a positive whole number, got ${JSON.stringify(parsed.values.loans)}\n`);
    return 2;
  }
  const selected: Benchmark[] = parsed.positionals.length === 0 ? [...benchmarks] : [];
  for (const name of parsed.positionals) {
    const bench = benchmarks.find((b) => b.name === name);
    if (!bench) {
      process.stderr.write(`unknown benchmark ${JSON.stringify(name)}\n${usage()}`);
      return 2;
    }
    selected.push(bench);
  }
  const context: BenchContext = {
    measureOptions: { warmupMs: warmupSeconds * 1000, durationMs: seconds * 1000 },
    ...(loans === undefined ? {} : { loans }),
    report(result) {
      process.stdout.write(`${humanLine(result)}\n${jsonLine(result)}\n`);
    },
  };
  process.stdout.write(`# node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread\n`);
  for (const bench of selected) await bench.run(context);
  return 0;
}

process.exitCode = await run(process.argv.slice(2));
