// `kuan backup` and `kuan restore` on the embedded database: a book imported, closed for some days and
// with a staff account (an audited action) is backed up, restored into an empty folder, and the restored
// database has the same loans, ledger, journal and audit chain (which verifies). A restore never
// overwrites a database, a file that is not a backup is refused naming FILE, and PostgreSQL is refused
// naming DATABASE_URL (pg_dump's job) — and the documented pg_dump / pg_restore path brings back the same
// on PostgreSQL (when DATABASE_URL is set and the client tools are installed).
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.ts';
import { main } from '../../src/cli/main.ts';
import { openDatabase, queryRows, type Database } from '../../src/store/index.ts';
import { verifyAuditChain } from '../../src/store/audit.ts';
import { expectBadInput, freshDatabase } from './support.ts';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'kuan-backup-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function kuan(argv: string[], env: Record<string, string>) {
  const io = memoryIo('', { env });
  const code = await main(argv, io);
  return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** Every row of the tables a restore must bring back, in key order. */
async function contents(db: Database): Promise<string> {
  const tables = {
    loans: sql`SELECT * FROM loans ORDER BY borrower_id, loan_id`,
    loan_transactions: sql`SELECT * FROM loan_transactions ORDER BY borrower_id, loan_id, seq`,
    journal_entries: sql`SELECT * FROM journal_entries ORDER BY 1, 2, 3`,
    audit_log: sql`SELECT * FROM audit_log ORDER BY seq`,
    staff_accounts: sql`SELECT username, role FROM staff_accounts ORDER BY username`,
  };
  const dump: Record<string, unknown[]> = {};
  for (const [name, statement] of Object.entries(tables)) dump[name] = await queryRows(db, statement);
  return JSON.stringify(dump, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
}

/** Two loans imported and closed for three dates, and a staff account (an audited action). */
async function buildBook(env: Record<string, string>): Promise<void> {
  const csv = join(folder, 'loans.csv');
  await writeFile(
    csv,
    'borrower_id,timezone,loan_id,principal,annual_rate,term_count,start_date\n' +
      'B1,Asia/Shanghai,L1,1200.00,0.12,12,2026-01-10\nB2,Asia/Shanghai,L2,3000.00,0.18,6,2026-01-15\n',
  );
  expect((await kuan(['import', 'loans', csv], env)).code).toBe(0);
  for (const date of ['2026-02-10', '2026-02-15', '2026-03-01']) {
    expect((await kuan(['eod', '--date', date], env)).code).toBe(0);
  }
  const staff = ['staff', 'add', '--user', 'ops', '--role', 'admin', '--password', 'a long passphrase here'];
  expect((await kuan(staff, env)).code).toBe(0);
}

const postgresTools =
  process.env.DATABASE_URL !== undefined && spawnSync('pg_dump', ['--version']).status === 0
    ? null
    : 'needs DATABASE_URL and the PostgreSQL client tools (pg_dump, pg_restore)';

describe('kuan backup and kuan restore', () => {
  it('bring back the same book, ledger, journal and audit chain', async () => {
    const source = { KUAN_DATA_DIR: join(folder, 'source') };
    await buildBook(source);

    const file = join(folder, 'kuan.backup');
    const backup = await kuan(['backup', '--out', file], source);
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(/^backup of .*: .*kuan\.backup \(\d+ bytes\)\n$/);

    const target = { KUAN_DATA_DIR: join(folder, 'target') };
    const restored = await kuan(['restore', file], target);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);

    const before = await openDatabase({ dataDir: source.KUAN_DATA_DIR });
    const expected = await contents(before).finally(() => before.close());
    const after = await openDatabase({ dataDir: target.KUAN_DATA_DIR });
    try {
      const actual = await contents(after);
      expect(actual).toBe(expected);
      expect(JSON.parse(actual).journal_entries.length).toBeGreaterThan(0);
      expect(JSON.parse(actual).audit_log.length).toBeGreaterThan(0);
      expect(await verifyAuditChain(after)).toMatchObject({ ok: true });
    } finally {
      await after.close();
    }

    // A restore never overwrites a database.
    expectBadInput(await kuan(['restore', file], target), 'KUAN_DATA_DIR', expect);
  });

  it('refuses a file that is not a backup, a missing --out, and PostgreSQL', async () => {
    const garbage = join(folder, 'not-a-backup');
    await writeFile(garbage, 'hello');
    const env = { KUAN_DATA_DIR: join(folder, 'empty') };
    expectBadInput(await kuan(['restore', garbage], env), 'FILE', expect);
    expectBadInput(await kuan(['backup'], env), '--out', expect);
    const postgres = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test' };
    expectBadInput(await kuan(['backup', '--out', join(folder, 'x')], postgres), 'DATABASE_URL', expect);
  });

  it.skipIf(postgresTools !== null)(
    'on PostgreSQL: pg_dump and pg_restore bring back the same (docs/operations.md)',
    async () => {
      const source = await freshDatabase('kuan_backup_src', join(folder, 'unused-src'));
      const target = await freshDatabase('kuan_backup_dst', join(folder, 'unused-dst'));
      try {
        await buildBook(source.env);
        const file = join(folder, 'kuan.dump');
        const dump = spawnSync('pg_dump', ['--format=custom', `--file=${file}`, source.env.DATABASE_URL], {
          encoding: 'utf8',
        });
        expect(dump.status, dump.stderr).toBe(0);
        const restore = spawnSync('pg_restore', ['--no-owner', `--dbname=${target.env.DATABASE_URL}`, file], {
          encoding: 'utf8',
        });
        expect(restore.status, restore.stderr).toBe(0);
        const before = await source.open();
        const expected = await contents(before).finally(() => before.close());
        const after = await target.open();
        try {
          expect(await contents(after)).toBe(expected);
          expect(await verifyAuditChain(after)).toMatchObject({ ok: true });
        } finally {
          await after.close();
        }
      } finally {
        await source.drop();
        await target.drop();
      }
    },
  );
});
