// `kuan serve --schedule` as a lender runs it, through the real binary, on a database made for the test
// (an embedded data folder, or with DATABASE_URL a fresh PostgreSQL database): started after today's
// cut-off on a book that no day has run yet, it runs today's day at once — every stage recorded once, each
// logged as a JSON line on stderr — and stops cleanly on SIGTERM. On PostgreSQL two such processes share
// the database: one of them runs the day (pg-boss hands the work to one), each stage runs once. Flags that
// only mean something with --schedule are refused without it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localDate } from '../../src/calendar/index.ts';
import { dayStages } from '../../src/app/index.ts';
import { listDayRuns } from '../../src/store/index.ts';
import {
  adminUrl,
  expectBadInput,
  freshDatabase,
  runInProcess,
  startServeBinary,
  type FreshDatabase,
  type ServeBinary,
} from './support.ts';

let env: Record<string, string>;
let folder: string;
let database: FreshDatabase;

beforeEach(async () => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-serve-schedule-'));
  database = await freshDatabase('kuan_schedule', join(folder, 'data'));
  env = {
    KUAN_CODE_SECRET: 'serve-schedule-test-secret-0123',
    KUAN_TIMEZONE: 'UTC',
    KUAN_DAY_CUTOFF: '00:00',
    ...database.env,
  };
});
afterEach(async () => {
  await database.drop();
  rmSync(folder, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  stage?: string;
  status?: string;
  businessDate?: string;
}

function logLines(server: ServeBinary): LogLine[] {
  return server
    .stderr()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Waits (bounded) until the servers' logs together show the day's last stage done. */
async function dayDone(servers: ServeBinary[]): Promise<void> {
  const last = dayStages.at(-1);
  for (let attempt = 0; attempt < 600; attempt += 1) {
    const lines = servers.flatMap(logLines);
    if (lines.some((line) => line.msg === 'day stage' && line.stage === last && line.status !== 'busy')) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the day did not finish: ${servers.map((server) => server.stderr()).join('\n')}`);
}

async function dayRunsOfToday() {
  // The servers have stopped; their database is free to open (PGlite's folder has one owner at a time).
  const db = await database.open();
  try {
    return await listDayRuns(db, { businessDate: localDate('UTC', Date.now()) });
  } finally {
    await db.close();
  }
}

describe('kuan serve --schedule', () => {
  it('refuses scheduling flags without --schedule', async () => {
    expectBadInput(await runInProcess(['serve', '--cutoff', '07:00']), '--cutoff', expect);
    expectBadInput(await runInProcess(['serve', '--schedule', '--cutoff', '7am']), '--cutoff', expect);
    expectBadInput(await runInProcess(['serve', '--schedule', '--catch-up-days', '0']), '--catch-up-days', expect);
  });

  it('runs the day that is due at start, logs each stage, and stops on SIGTERM', async () => {
    const server = await startServeBinary(env, ['--schedule', '--log-level', 'info']);
    try {
      await dayDone([server]);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const lines = logLines(server);
    expect(lines.filter((line) => line.msg === 'day stage').map((line) => line.stage)).toEqual([...dayStages]);
    expect(lines.at(-1)?.msg).toBe('scheduler stopped');
    const runs = await dayRunsOfToday();
    expect(runs.map((run) => `${run.stage} ${run.status} ${run.attempts}`).sort()).toEqual(
      dayStages.map((stage) => `${stage} completed 1`).sort(),
    );
  });

  it.runIf(adminUrl !== undefined)('run in two processes on one database, runs each stage once', async () => {
    const servers = await Promise.all([
      startServeBinary(env, ['--schedule', '--log-level', 'info']),
      startServeBinary(env, ['--schedule', '--log-level', 'info']),
    ]);
    try {
      await dayDone(servers);
    } finally {
      for (const server of servers) expect(await server.stop()).toBe(0);
    }
    // Both schedulers started: starting together on a fresh database once deadlocked in pg-boss's
    // createQueue, and the failed process lingered until SIGTERM killed it.
    for (const server of servers) expect(logLines(server).map((line) => line.msg)).toContain('scheduler started');
    const started = servers.map((server) => logLines(server).filter((line) => line.msg === 'day starting').length);
    expect(started.sort()).toEqual([0, 1]);
    const runs = await dayRunsOfToday();
    expect(runs.map((run) => `${run.stage} ${run.status} ${run.attempts}`).sort()).toEqual(
      dayStages.map((stage) => `${stage} completed 1`).sort(),
    );
  });
});
