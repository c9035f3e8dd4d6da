// `kuan eod`: input errors, a close on an embedded data folder (and a second run doing nothing), and —
// on PostgreSQL only — the crash test: the real binary killed with SIGKILL at 20 seeded moments across a
// multi-day run, rerun to completion, must leave the same book as an uninterrupted run.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { addDays, type IsoDate } from '../calendar/index.ts';
import { main } from '../cli/main.ts';
import { memoryIo } from '../cli/io.ts';
import { countDueLoans, getEodRun, migrate, openDatabase, openTestDatabase, type Database } from '../store/index.ts';
import { repoRoot } from '../../test/cli/support.ts';
import { bookHash, FIRST_DAY, runDays, seededRandom, seedBook } from './testing.ts';

const databaseUrl = process.env.DATABASE_URL?.trim();

async function kuan(argv: string[], env: Record<string, string>) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('kuan eod', () => {
  const folders: string[] = [];
  afterAll(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('names --date when it is missing or not a date', async () => {
    const missing = await kuan(['eod'], {});
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^--date: is required/);
    const bad = await kuan(['eod', '--date', '2026-02-30'], {});
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--date: /);
    expect(bad.stdout).toBe('');
  });

  it('refuses --workers above 1 on the embedded database, naming --workers', async () => {
    const result = await kuan(['eod', '--date', '2026-01-05', '--workers', '2'], { KUAN_DATA_DIR: '/nonexistent' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^--workers: /);
    const zero = await kuan(['eod', '--date', '2026-01-05', '--workers', '0'], {});
    expect(zero.stderr).toMatch(/^--workers: /);
  });

  it('closes a date in a data folder, and a second run does nothing', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-eod-'));
    folders.push(folder);
    const db = await openDatabase({ dataDir: folder });
    await migrate(db);
    await seedBook(db, 60);
    await db.close();
    const date = addDays(FIRST_DAY, 20);
    const first = await kuan(['eod', '--date', date], { KUAN_DATA_DIR: folder });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      new RegExp(`^eod ${date}: \\d+ loans closed, \\d+ events, \\d+ journal entries, [\\d.]+ s\\n$`),
    );
    expect(Number(/(\d+) loans closed/.exec(first.stdout)?.[1])).toBeGreaterThan(0);
    const second = await kuan(['eod', '--date', date], { KUAN_DATA_DIR: folder });
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/already completed, nothing to do/);
    const check = await openDatabase({ dataDir: folder });
    expect((await getEodRun(check, date))?.status).toBe('completed');
    await check.close();
  }, 30_000);

  it('refuses a date more than one day past the last close and today (exit 2 naming --date) unless --force', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-eod-future-'));
    folders.push(folder);
    const env = { KUAN_DATA_DIR: folder };
    const today = new Date().toISOString().slice(0, 10);
    const typo = await kuan(['eod', '--date', '2062-12-31'], env);
    expect(typo).toEqual({
      code: 2,
      stdout: '',
      stderr:
        `--date: 2062-12-31 is more than one day past today (${today}; no close has completed yet), so it would ` +
        'close loans ahead of time; pass --force to close it anyway\n',
    });
    const check = await openDatabase({ dataDir: folder });
    expect(await getEodRun(check, '2062-12-31')).toBeUndefined();
    await check.close();
    // Tomorrow is fine (a lender ahead of UTC); a deliberate jump takes --force.
    expect((await kuan(['eod', '--date', addDays(today, 1)], env)).code).toBe(0);
    expect((await kuan(['eod', '--date', '2062-12-30', '--force'], env)).code).toBe(0);
    // Past a close that is ahead of today: one day at a time.
    expect((await kuan(['eod', '--date', '2062-12-31'], env)).code).toBe(0);
    const skip = await kuan(['eod', '--date', '2063-01-02'], env);
    expect(skip.code).toBe(2);
    expect(skip.stderr).toMatch(
      new RegExp(
        `^--date: 2063-01-02 is more than one day past the later of the last completed close \\(2062-12-31\\) and today \\(${today}\\)`,
      ),
    );
  }, 120_000);

  it.runIf(databaseUrl)(
    'after kill -9 at 20 seeded moments, reruns end in the book of an uninterrupted run',
    async () => {
      const url = databaseUrl!;
      const name = `kuan_crash_${process.pid}_${randomBytes(4).toString('hex')}`;
      await admin(url, `CREATE DATABASE ${name}`);
      const crashUrl = withDatabase(url, name);
      const reference = await openTestDatabase();
      try {
        const LOANS = 1_500;
        const db = await openDatabase({ databaseUrl: crashUrl, poolSize: 2 });
        await migrate(db);
        await seedBook(db, LOANS);
        await db.close();

        // Kill points: a seeded fraction of how long the last complete run took (start-up through tsx
        // included), up to four kills a day, until 20 processes were killed.
        const random = seededRandom(2026);
        let kills = 0;
        let days = 0;
        let lastRunMs = 1500;
        let midClose = 0;
        const watcher = await openDatabase({ databaseUrl: crashUrl, poolSize: 1 });
        while (kills < 20 || days < 3) {
          const date = addDays(FIRST_DAY, days);
          for (let killsToday = 0; ;) {
            const delay = kills < 20 && killsToday < 4 ? Math.floor((0.3 + random() * 0.8) * lastRunMs) : undefined;
            const started = performance.now();
            const dueBefore = await countDueLoans(watcher, { businessDate: date });
            // Every other kill waits for a committed page, so some surely land between pages whatever the
            // machine's speed; the others fall anywhere from start-up on.
            const kill: KillPoint | undefined =
              delay === undefined
                ? undefined
                : kills % 2 === 1 && dueBefore > 0
                  ? { afterProgress: { watcher, dueBefore, delayMs: Math.floor(random() * 20) } }
                  : { afterMs: delay };
            const outcome = await runEod(crashUrl, date, kill);
            if (outcome === 'killed') {
              const dueAfter = await countDueLoans(watcher, { businessDate: date });
              if (dueAfter > 0 && dueAfter < dueBefore) midClose++;
              kills++;
              killsToday++;
              continue;
            }
            expect(outcome).toBe('ok');
            if (delay === undefined) lastRunMs = performance.now() - started;
            break;
          }
          days++;
          expect(days).toBeLessThan(30);
        }
        await watcher.close();
        expect(kills).toBe(20);
        // Some kills landed between committed pages, not only during start-up.
        expect(midClose).toBeGreaterThanOrEqual(3);

        await seedBook(reference.db, LOANS);
        await runDays(reference.db, [], { days, payments: false, pageSize: 7 });
        const crashed = await openDatabase({ databaseUrl: crashUrl, poolSize: 2 });
        try {
          expect(await bookHash(crashed)).toBe(await bookHash(reference.db));
        } finally {
          await crashed.close();
        }
      } finally {
        await reference.dispose();
        await admin(url, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }
    },
    120_000,
  );
});

/** When to kill: a time after start, or once a page has committed (due loans fell) plus a little. */
type KillPoint = { afterMs: number } | { afterProgress: { watcher: Database; dueBefore: number; delayMs: number } };

function runEod(url: string, date: string, kill: KillPoint | undefined): Promise<'ok' | 'killed' | 'failed'> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/kuan.js', 'eod', '--date', date, '--page-size', '7'], {
      cwd: repoRoot,
      env: { ...process.env, DATABASE_URL: url },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    let killed = false;
    let done = false;
    const killNow = () => {
      if (!done) killed = child.kill('SIGKILL');
    };
    let timer: NodeJS.Timeout | undefined;
    if (kill !== undefined && 'afterMs' in kill) timer = setTimeout(killNow, kill.afterMs);
    if (kill !== undefined && 'afterProgress' in kill) {
      const { watcher, dueBefore, delayMs } = kill.afterProgress;
      const poll = async () => {
        while (!done) {
          const due = await countDueLoans(watcher, { businessDate: date as IsoDate });
          if (due < dueBefore) {
            timer = setTimeout(killNow, delayMs);
            return;
          }
          await new Promise((wait) => setTimeout(wait, 10));
        }
      };
      void poll();
    }
    child.on('close', (code, signal) => {
      done = true;
      clearTimeout(timer);
      resolve(killed && signal === 'SIGKILL' ? 'killed' : code === 0 ? 'ok' : 'failed');
    });
  });
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

async function admin(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
