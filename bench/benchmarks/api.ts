// The HTTP API under load: `kuan serve` as a real process (the binary, general rate limit off, warnings-only
// logging) on PostgreSQL when DATABASE_URL is set — a database made for the run and dropped after it — else
// on embedded PGlite in a temporary folder, with a book of loans and a staff session; autocannon in this
// process drives it. Cases: `loan-get` (GET /api/v1/loans/{id}, a random loan of the book per request: the
// loan read, decoded and summarised) and `payment-post` (POST /api/v1/loans/{id}/payments of 1.00 with a
// unique Idempotency-Key per request, set in autocannon's setupRequest: lock, post, journal, audit).
// Reported: requests per second and, in the params, p50/p99 latency in ms and the non-2xx count.
// Target (issue 6): ≥ 1,000 requests/s with p99 < 50 ms on a 2-core machine.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { hashPassword } from '../../src/api/index.ts';
import { addDays, localDate } from '../../src/calendar/index.ts';
import { openLoans } from '../../src/app/index.ts';
import { parseLoanTerms } from '../../src/schedule/index.ts';
import { parseServicingRules } from '../../src/servicing/index.ts';
import { createStaffAccount } from '../../src/store/access.ts';
import { migrate, openDatabase, upsertBorrowers, type DatabaseConfig } from '../../src/store/index.ts';
import type { Benchmark, BenchContext } from '../registry.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = 'bench password, not secret';
/** Concurrent connections autocannon keeps open. */
const CONNECTIONS = 16;
const CHUNK = 1_000;

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A book of `loans` loans (one borrower each) disbursed 20 days ago, and a collector account. */
async function prepare(config: DatabaseConfig, loans: number): Promise<void> {
  const db = await openDatabase(config);
  try {
    await migrate(db);
    const start = addDays(localDate('UTC', Date.now()), -20);
    const terms = parseLoanTerms({ principal: '50000.00', annualRate: '0.12', termCount: 12, startDate: start });
    const rules = parseServicingRules({ graceDays: 3 });
    for (let from = 0; from < loans; from += CHUNK) {
      const ids = Array.from({ length: Math.min(CHUNK, loans - from) }, (_, i) => String(from + i).padStart(7, '0'));
      await upsertBorrowers(
        db,
        ids.map((id) => ({ borrowerId: `B${id}`, name: id, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} })),
      );
      await openLoans(
        db,
        ids.map((id) => ({ loanId: `L${id}`, borrowerId: `B${id}`, terms, rules, disbursedOn: start })),
      );
    }
    await createStaffAccount(db, {
      username: 'bench',
      role: 'collector',
      passwordHash: await hashPassword(PASSWORD),
      atMs: Date.now(),
    });
  } finally {
    await db.close();
  }
}

async function startServe(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['bin/kuan.js', 'serve', '--port', '0', '--rate-limit', '0', '--log-level', 'warn'],
    { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`kuan serve exited with ${code}`)));
  });
  return { url, child };
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

function fire(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

function report(
  context: BenchContext,
  name: string,
  result: autocannon.Result,
  params: Record<string, string | number>,
) {
  const requests = result.requests.total;
  const elapsedMs = result.duration * 1000;
  context.report({
    bench: 'api',
    case: name,
    params: {
      ...params,
      connections: CONNECTIONS,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    },
    unit: 'requests',
    measurement: {
      iterations: requests,
      elapsedMs,
      opsPerSec: (requests * 1000) / elapsedMs,
      meanUs: result.latency.average * 1000,
    },
  });
}

async function runAgainst(context: BenchContext, env: Record<string, string>, store: string, loans: number) {
  const { url, child } = await startServe(env);
  try {
    const signIn = await fetch(`${url}/api/v1/auth/staff/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'bench', password: PASSWORD }),
    });
    if (signIn.status !== 200) throw new Error(`sign-in failed: ${signIn.status} ${await signIn.text()}`);
    const { token } = (await signIn.json()) as { token: string };
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const durationSeconds = Math.max(3, Math.round(context.measureOptions.durationMs / 1000));
    const warmupSeconds = Math.max(1, Math.round(context.measureOptions.warmupMs / 1000));
    const loanPath = () => `/api/v1/loans/L${String(Math.floor(Math.random() * loans)).padStart(7, '0')}`;
    const run = randomBytes(4).toString('hex');
    let sequence = 0;
    const cases: { name: string; request: autocannon.Request }[] = [
      {
        name: 'loan-get',
        request: {
          method: 'GET',
          setupRequest: (request) => ({ ...request, path: loanPath() }),
        },
      },
      {
        name: 'payment-post',
        request: {
          method: 'POST',
          body: JSON.stringify({ amount: '1.00' }),
          setupRequest: (request) => ({
            ...request,
            path: `${loanPath()}/payments`,
            headers: { ...request.headers, 'idempotency-key': `bench-${run}-${(sequence += 1)}` },
          }),
        },
      },
    ];
    for (const { name, request } of cases) {
      await fire({ url, connections: CONNECTIONS, duration: warmupSeconds, headers, requests: [request] });
      const result = await fire({
        url,
        connections: CONNECTIONS,
        duration: durationSeconds,
        headers,
        requests: [request],
      });
      report(context, name, result, { store, loans });
    }
  } finally {
    await stopServe(child);
  }
}

export const apiBench: Benchmark = {
  name: 'api',
  summary: 'HTTP API under autocannon (kuan serve; PostgreSQL with DATABASE_URL, else PGlite): loan GET, payment POST',
  async run(context) {
    const loans = context.loans ?? 2_000;
    const url = process.env.DATABASE_URL?.trim();
    if (!url) {
      process.stdout.write('api: DATABASE_URL unset, so on embedded PGlite (one connection)\n');
      const dataDir = mkdtempSync(join(tmpdir(), 'kuan-bench-api-'));
      try {
        await prepare({ dataDir }, loans);
        await runAgainst(context, { KUAN_DATA_DIR: dataDir, DATABASE_URL: '' }, 'pglite', loans);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      return;
    }
    const name = `kuan_bench_api_${randomBytes(4).toString('hex')}`;
    await admin(url, `CREATE DATABASE ${name}`);
    const parsed = new URL(url);
    parsed.pathname = `/${name}`;
    try {
      await prepare({ databaseUrl: parsed.toString(), poolSize: 2 }, loans);
      await runAgainst(context, { DATABASE_URL: parsed.toString() }, 'postgres', loans);
    } finally {
      await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  },
};
