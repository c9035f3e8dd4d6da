// `kuan doctor [--schedule] [--url URL] [--format text|json]`: the readiness checks of GET /health/ready
// (src/app/health.ts) from the command line — one line per check, then a summary; exit 0 when ready, 1
// when not, 2 on bad options. It reads the database the environment names without migrating it (a
// schema behind this version of Kuan is what it reports), or, with --url, asks a running `kuan serve`
// (the only way to look into an embedded database a server holds open).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { checkReadiness, type HealthCheck, type Readiness } from '../../app/index.ts';
import { InputError, quote } from '../../errors/index.ts';
import { databaseConfigFromEnv, MEMORY_DATA_DIR, openDatabase } from '../../store/index.ts';
import type { Command } from '../command.ts';
import type { CliIo } from '../io.ts';
import { choice, parseOptions } from '../options.ts';
import { oneLine } from '../runner.ts';

const usage = 'doctor [--schedule] [--url URL] [--format text|json]';
const formats = ['text', 'json'] as const;
/** How long --url waits for the server's answer. */
const URL_TIMEOUT_MS = 10_000;

const readinessSchema = z.object({
  status: z.enum(['ready', 'not_ready']),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), required: z.boolean(), detail: z.string() })),
});

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'is Kuan ready? database, migrations, scheduler heartbeat, last completed day (exit 1 when not ready)',
  usage,
  details: [
    'options:',
    '  --schedule        a scheduler (`kuan serve --schedule`) should be running: its heartbeat must be fresh',
    '  --url URL         ask a running `kuan serve` (its GET /health/ready) instead of opening the database;',
    '                    needed for an embedded database, which the server holds open',
    '  --format F        text (default: one line per check, then a summary) or json (the /health/ready body)',
    '',
    'Checks: the database answers; its schema is at the newest migration this version of Kuan has (doctor',
    'never migrates); the scheduler’s last heartbeat; the last business date whose whole day completed; the',
    'circuit of each channel and payment provider (with --url). See docs/operations.md.',
    'Exit 0 when ready, 1 when a required check fails, 2 on bad options.',
  ].join('\n'),
  async run(argv, io) {
    const { values } = parseOptions(
      argv,
      {
        options: {
          schedule: { type: 'boolean', default: false },
          url: { type: 'string' },
          format: { type: 'string', default: 'text' },
        },
      },
      usage,
    );
    const format = choice(values.format, formats, '--format');
    if (values.url !== undefined && values.schedule === true) {
      throw new InputError('--schedule', 'applies without --url (the server knows whether it schedules)');
    }
    const readiness =
      values.url === undefined
        ? await readinessOfDatabase(io, values.schedule === true)
        : await readinessAt(serverUrl(values.url));
    io.stdout.write(format === 'json' ? `${JSON.stringify(readiness)}\n` : textOf(readiness));
    return readiness.status === 'ready' ? 0 : 1;
  },
};

function serverUrl(value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError('--url', `must be an http(s) URL such as http://127.0.0.1:4000, got ${quote(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError('--url', `must be an http(s) URL such as http://127.0.0.1:4000, got ${quote(value)}`);
  }
  return new URL('/health/ready', url);
}

/** The checks on the database the environment names, opened (never created or migrated) and closed. */
async function readinessOfDatabase(io: CliIo, schedulerExpected: boolean): Promise<Readiness> {
  const config = databaseConfigFromEnv(io.env);
  if (config.databaseUrl === undefined && config.dataDir !== undefined && config.dataDir !== MEMORY_DATA_DIR) {
    const folder = resolve(config.dataDir);
    if (!existsSync(join(folder, 'pgdata'))) {
      return notReady(`no embedded database in ${folder} (set KUAN_DATA_DIR or DATABASE_URL)`);
    }
  }
  let db;
  try {
    db = await openDatabase(config);
  } catch (error) {
    const message = oneLine(error instanceof Error ? error.message : String(error)).slice(0, 300);
    const hint = /in use by process/.test(message)
      ? '; ask the server instead: kuan doctor --url http://HOST:PORT'
      : '';
    return notReady(`could not open: ${message}${hint}`);
  }
  try {
    return await checkReadiness({ db, nowMs: Date.now(), ...(schedulerExpected ? { scheduler: {} } : {}) });
  } finally {
    await db.close();
  }
}

function notReady(databaseDetail: string): Readiness {
  return { status: 'not_ready', checks: [{ name: 'database', ok: false, required: true, detail: databaseDetail }] };
}

/** A running server's readiness; a server that does not answer is itself the failed check. */
async function readinessAt(url: URL): Promise<Readiness> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(URL_TIMEOUT_MS) });
  } catch (error) {
    const cause = (error as { cause?: { code?: unknown } }).cause?.code;
    const reason = typeof cause === 'string' ? cause : error instanceof Error ? error.name : 'failed';
    return {
      status: 'not_ready',
      checks: [{ name: 'server', ok: false, required: true, detail: `${url.origin} did not answer (${reason})` }],
    };
  }
  const parsed = readinessSchema.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) {
    return {
      status: 'not_ready',
      checks: [
        {
          name: 'server',
          ok: false,
          required: true,
          detail: `${url.href} answered ${response.status}, not a readiness report`,
        },
      ],
    };
  }
  return parsed.data;
}

function textOf(readiness: Readiness): string {
  const width = Math.max(...readiness.checks.map((check) => check.name.length));
  const lines = readiness.checks.map((check) => `${markOf(check)}  ${check.name.padEnd(width)}  ${check.detail}`);
  const passed = readiness.checks.filter((check) => check.ok).length;
  const failed = readiness.checks.filter((check) => !check.ok && check.required).map((check) => check.name);
  lines.push(
    readiness.status === 'ready'
      ? `ready: ${passed} of ${readiness.checks.length} checks passed`
      : `not ready: ${failed.join(', ')} failed (${passed} of ${readiness.checks.length} checks passed)`,
  );
  return `${lines.join('\n')}\n`;
}

function markOf(check: HealthCheck): string {
  return check.ok ? 'ok  ' : check.required ? 'FAIL' : 'warn';
}
