// `kuan doctor` on a database made for the test (an embedded data folder, or with DATABASE_URL a database
// of its own): one line per readiness check and a summary; exit 0 on a migrated database, 1 when there is
// none, when its schema is a migration behind (doctor itself never migrates), or when a scheduler is
// expected and has no heartbeat; --format json gives the /health/ready body; --url asks a running server;
// bad options exit 2 naming the flag.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import {
  appliedSchemaVersion,
  databaseConfigFromEnv,
  loadMigrations,
  migrate,
  openDatabase,
} from '../../src/store/index.ts';
import { startApi, type ApiHarness } from '../../src/api/testing.ts';
import { adminUrl, expectBadInput, freshDatabase, runInProcess, type FreshDatabase } from './support.ts';

const newestVersion = loadMigrations().at(-1)!.version;

let folder: string;
const databases: FreshDatabase[] = [];

beforeAll(() => {
  folder = mkdtempSync(join(tmpdir(), 'kuan-doctor-'));
});
afterAll(async () => {
  for (const database of databases) await database.drop();
  rmSync(folder, { recursive: true, force: true });
});

/** The environment of a database of its own: a data folder, or a fresh PostgreSQL database. */
async function freshDatabaseEnv(): Promise<Record<string, string>> {
  const database = await freshDatabase('kuan_doctor_cli', join(folder, `data-${databases.length}`));
  databases.push(database);
  return database.env;
}

async function migrateTo(env: Record<string, string>, migrations = loadMigrations()): Promise<void> {
  const db = await openDatabase(databaseConfigFromEnv(env));
  try {
    await migrate(db, migrations);
  } finally {
    await db.close();
  }
}

async function kuan(argv: string[], env: Record<string, string>) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('kuan doctor', () => {
  it('is ready on a migrated database: one line per check, then the summary', async () => {
    const env = await freshDatabaseEnv();
    await migrateTo(env);
    const result = await kuan(['doctor'], env);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^ok {4}database {4}(pglite|postgres) answered in \d+ ms$/);
    expect(lines[1]).toBe(`ok    migrations  schema at version ${newestVersion}, the newest this version of Kuan has`);
    expect(lines[2]).toBe('ok    day         no day has completed yet');
    expect(lines[3]).toBe('ready: 3 of 3 checks passed');

    const json = await kuan(['doctor', '--format', 'json'], env);
    expect(json.code).toBe(0);
    const body = JSON.parse(json.stdout) as { status: string; checks: { name: string }[] };
    expect(body.status).toBe('ready');
    expect(body.checks.map((check) => check.name)).toEqual(['database', 'migrations', 'day']);
  });

  it('exits 1 when a scheduler is expected and none has beaten', async () => {
    const env = await freshDatabaseEnv();
    await migrateTo(env);
    const result = await kuan(['doctor', '--schedule'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('FAIL  scheduler   no heartbeat recorded yet\n');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('not ready: scheduler failed (3 of 4 checks passed)');
  });

  it('exits 1 naming the migration missing, and leaves the schema as it found it', async () => {
    const env = await freshDatabaseEnv();
    await migrateTo(env, loadMigrations().slice(0, -1));
    const result = await kuan(['doctor'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `FAIL  migrations  schema at version ${newestVersion - 1}, this version of Kuan needs ${newestVersion}`,
    );
    expect(result.stdout.trimEnd().split('\n').at(-1)).toMatch(/^not ready: migrations failed/);
    const db = await openDatabase(databaseConfigFromEnv(env));
    try {
      expect(await appliedSchemaVersion(db)).toBe(newestVersion - 1);
    } finally {
      await db.close();
    }
  });

  it.skipIf(Boolean(adminUrl))('exits 1 when there is no embedded database, creating none', async () => {
    const env = { KUAN_DATA_DIR: join(folder, 'nothing-here') };
    const result = await kuan(['doctor'], env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^FAIL {2}database {2}no embedded database in .*nothing-here/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('not ready: database failed (0 of 1 checks passed)');
  });

  it('names the flag of a bad option with exit 2', async () => {
    expectBadInput(await runInProcess(['doctor', '--format', 'xml']), '--format', expect);
    expectBadInput(await runInProcess(['doctor', '--bogus']), '--bogus', expect);
    expectBadInput(await runInProcess(['doctor', '--url', 'ftp://127.0.0.1']), '--url', expect);
    expectBadInput(await runInProcess(['doctor', '--url', 'http://127.0.0.1:1', '--schedule']), '--schedule', expect);
  });
});

describe('kuan doctor --url', () => {
  let h: ApiHarness;
  let url: string;
  beforeAll(async () => {
    h = await startApi({ seed: false });
    url = await h.api.app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => h.close());

  it('prints a running server’s readiness', async () => {
    const result = await kuan(['doctor', '--url', url], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok {4}database {4}/);
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('ready: 3 of 3 checks passed');
  });

  it('exits 1 when no server answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const result = await kuan(['doctor', '--url', `http://127.0.0.1:${port}`], {});
    expect(result.code).toBe(1);
    expect(result.stdout).toBe(
      `FAIL  server  http://127.0.0.1:${port} did not answer (ECONNREFUSED)\nnot ready: server failed (0 of 1 checks passed)\n`,
    );
  });
});
