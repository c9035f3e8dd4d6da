// The access commands end to end: `kuan staff add` (password from stdin), `kuan audit verify` (exit 0,
// then exit 1 naming the row after an edit), and `kuan serve` as the real binary — it migrates, listens,
// answers with the staff account the CLI made, and stops cleanly on SIGTERM. On an embedded data folder,
// or with DATABASE_URL on a database made for the test and dropped after it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../cli/io.ts';
import { main } from '../cli/main.ts';
import { listAudit, verifyAuditChain } from '../store/audit.ts';
import { databaseConfigFromEnv, executeStatement, openDatabase } from '../store/index.ts';
import { startServeBinary } from '../../test/cli/support.ts';

const adminUrl = process.env.DATABASE_URL?.trim();
let env: Record<string, string>;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  if (adminUrl) {
    const name = `kuan_api_cli_${randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    env = { DATABASE_URL: url.toString() };
    cleanup = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  } else {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-api-cli-'));
    env = { KUAN_DATA_DIR: folder };
    cleanup = async () => rmSync(folder, { recursive: true, force: true });
  }
});
afterAll(async () => cleanup());

async function kuan(argv: string[], stdin = '') {
  const io = memoryIo(stdin, { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

describe('kuan staff', () => {
  it('adds an account with the password from stdin, lists it, and names the bad flag otherwise', async () => {
    const added = await kuan(['staff', 'add', '--user', 'ann', '--role', 'supervisor'], 'a long passphrase here\n');
    expect(added).toEqual({ code: 0, stdout: 'staff ann added with role supervisor\n', stderr: '' });
    const again = await kuan(['staff', 'add', '--user', 'ann', '--role', 'viewer', '--password', 'another long one']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/^--user: "ann" exists already\n$/);
    expect(
      (await kuan(['staff', 'add', '--user', 'bob', '--role', 'boss', '--password', 'long enough pw'])).stderr,
    ).toMatch(/^--role: /);
    expect((await kuan(['staff', 'add', '--user', 'bob', '--role', 'viewer', '--password', 'short'])).stderr).toMatch(
      /^--password: must be at least 10 characters/,
    );
    expect(
      (await kuan(['staff', 'add', '--user', 'Bob!', '--role', 'viewer', '--password', 'long enough pw'])).stderr,
    ).toMatch(/^--user: /);
    expect((await kuan(['staff', 'list'])).stdout).toBe('ann\tsupervisor\n');
  });
});

describe('the command line in the audit chain', () => {
  it('records staff add/disable/enable and import loans as cli:<os user>, without the password, and keeps one enabled admin', async () => {
    const actor = `cli:${userInfo().username}`;
    expect(
      (await kuan(['staff', 'add', '--user', 'root', '--role', 'admin', '--password', 'root password 1'])).code,
    ).toBe(0);
    // The only enabled admin cannot be disabled: exit 2 naming --user, nothing changes.
    const lastAdmin = await kuan(['staff', 'disable', '--user', 'root']);
    expect(lastAdmin.code).toBe(2);
    expect(lastAdmin.stderr).toBe('--user: "root" is the last enabled admin; enable or add another admin first\n');
    expect((await kuan(['staff', 'list'])).stdout).toContain('root\tadmin\n');
    expect((await kuan(['staff', 'add', '--user', 'root2', '--role', 'admin'], 'second root password\n')).code).toBe(0);
    expect(await kuan(['staff', 'disable', '--user', 'root'])).toEqual({
      code: 0,
      stdout: 'staff root disabled\n',
      stderr: '',
    });
    expect((await kuan(['staff', 'enable', '--user', 'root'])).code).toBe(0);

    const folder = mkdtempSync(join(tmpdir(), 'kuan-cli-audit-'));
    try {
      const file = join(folder, 'loans.csv');
      writeFileSync(
        file,
        'borrower_id,borrower_name,timezone,locale,loan_id,principal,currency,annual_rate,term_count,start_date\n' +
          'CB1,Cli Borrower,Asia/Shanghai,zh-CN,CL1,1000.00,CNY,0.12,6,2026-01-15\n',
      );
      const imported = await kuan(['import', 'loans', file]);
      expect(imported).toEqual({ code: 0, stdout: `${file}: imported 1 loan of 1 borrower\n`, stderr: '' });
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }

    const db = await openDatabase(databaseConfigFromEnv(env));
    try {
      const rows = (await listAudit(db, { limit: 100 })).filter((row) => row.actorId.startsWith('cli:')).reverse();
      expect(rows.map((row) => [row.actorKind, row.actorId, row.action, row.resource])).toEqual([
        ['system', actor, 'cli.staff.add', 'staff/ann'], // from the test above
        ['system', actor, 'cli.staff.add', 'staff/root'],
        ['system', actor, 'cli.staff.add', 'staff/root2'],
        ['system', actor, 'cli.staff.disable', 'staff/root'],
        ['system', actor, 'cli.staff.enable', 'staff/root'],
        ['system', actor, 'cli.import.loans', 'import/loans.csv'],
      ]);
      expect(rows[1]?.detail).toEqual({ username: 'root', role: 'admin' });
      expect(rows[5]?.detail).toMatchObject({ loans: 1, borrowers: 1 });
      expect(JSON.stringify(rows)).not.toMatch(/password/);
      expect((await verifyAuditChain(db)).ok).toBe(true);
    } finally {
      await db.close();
    }
  }, 180_000);
});

describe('kuan serve and kuan audit verify', () => {
  it('serves the API until SIGTERM; the audit chain it wrote verifies, and an edited row is named', async () => {
    // Rows the commands above wrote (kuan staff, kuan import): serve's two come after them.
    const before = Number(/intact: (\d+) rows/.exec((await kuan(['audit', 'verify'])).stdout)?.[1]);
    const server = await startServeBinary(env);
    const { url } = server;
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const openapi = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string };
      expect(openapi.openapi).toBe('3.1.0');
      const anonymous = await fetch(`${url}/api/v1/loans`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const signIn = await fetch(`${url}/api/v1/auth/staff/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ann', password: 'a long passphrase here' }),
      });
      expect(signIn.status).toBe(200);
      const { token } = (await signIn.json()) as { token: string };
      const products = await fetch(`${url}/api/v1/products/P1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ name: 'One' }),
      });
      expect(products.status).toBe(200);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    expect(server.stderr()).toContain('SIGTERM, stopping');

    const intact = await kuan(['audit', 'verify']);
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(new RegExp(`^audit chain intact: ${before + 2} rows, head [0-9a-f]{64}\\n$`));

    const db = await openDatabase(databaseConfigFromEnv(env));
    try {
      await db.transaction(async (tx) => {
        await executeStatement(tx, sql`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
        await executeStatement(tx, sql`UPDATE audit_log SET actor_id = 'mallory' WHERE seq = ${before + 2}`);
        await executeStatement(tx, sql`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      });
    } finally {
      await db.close();
    }
    const broken = await kuan(['audit', 'verify']);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toBe(
      `audit chain broken at row ${before + 2}: its content does not match its hash (${before + 1} rows before it are intact)\n`,
    );
    expect((await kuan(['audit', 'check'])).code).toBe(2);
  }, 180_000);
});
