import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  databaseConfigFromEnv,
  getBorrower,
  listLoanJournal,
  listLoanTransactions,
  migrate,
  openDatabase,
  upsertBorrowers,
} from './index.ts';

// Tests of the embedded engine itself: they need no PostgreSQL, so the PostgreSQL run of the suite skips them.
const onPostgres = Boolean(process.env.DATABASE_URL?.trim());

describe('databaseConfigFromEnv', () => {
  it('chooses PostgreSQL when DATABASE_URL is set, else the data folder, else ./.kuan', () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: 'postgres://u@h:5432/d', KUAN_DATA_DIR: '/x' })).toEqual({
      databaseUrl: 'postgres://u@h:5432/d',
    });
    expect(databaseConfigFromEnv({ KUAN_DATA_DIR: '/var/lib/kuan' })).toEqual({ dataDir: '/var/lib/kuan' });
    expect(databaseConfigFromEnv({ DATABASE_URL: ' ', KUAN_DATA_DIR: '' })).toEqual({ dataDir: './.kuan' });
    expect(databaseConfigFromEnv({})).toEqual({ dataDir: './.kuan' });
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL, naming it and not echoing it', () => {
    for (const url of ['not a url', 'mysql://u:pw@h/d', 'postgres//u@h/d']) {
      expect(() => databaseConfigFromEnv({ DATABASE_URL: url })).toThrow(/^DATABASE_URL: must be a PostgreSQL URL/);
    }
    expect(databaseConfigFromEnv({ DATABASE_URL: 'postgresql://u@h/d' })).toEqual({
      databaseUrl: 'postgresql://u@h/d',
    });
  });
});

describe.skipIf(onPostgres)('embedded PGlite in a data folder', () => {
  const folders: string[] = [];
  const newFolder = () => {
    const folder = mkdtempSync(join(tmpdir(), 'kuan-data-'));
    folders.push(folder);
    return folder;
  };
  afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

  it('keeps its data across a reopen, and lets one owner at a time open the folder', async () => {
    const folder = newFolder();
    const db = await openDatabase({ dataDir: folder });
    try {
      expect(db).toMatchObject({ kind: 'pglite', description: `PGlite in ${folder}` });
      await migrate(db);
      await upsertBorrowers(db, [
        { borrowerId: 'B1', name: '李雷', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} },
      ]);
      await expect(openDatabase({ dataDir: folder })).rejects.toThrow(/already open in this process/);
    } finally {
      await db.close();
    }

    // A process that still runs holds the folder (our parent stands in for one) …
    writeFileSync(join(folder, 'lock'), `${process.ppid}\n`);
    await expect(openDatabase({ dataDir: folder })).rejects.toThrow(`is in use by process ${process.ppid}`);
    // … a lock left by a killed process is taken over.
    writeFileSync(join(folder, 'lock'), '2147483646\n');
    const reopened = await openDatabase({ dataDir: folder });
    try {
      expect((await migrate(reopened)).applied).toEqual([]);
      expect(await getBorrower(reopened, 'B1')).toMatchObject({ name: '李雷' });
    } finally {
      await reopened.close();
    }
  });

  it('survives kill -9 in the middle of writing: every committed transaction whole, nothing half', async () => {
    const folder = newFolder();
    const writer = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./crash-writer.test-support.ts', import.meta.url)), folder],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let committed = 0;
    await new Promise<void>((resolve, reject) => {
      writer.on('exit', (code) => reject(new Error(`the writer exited early (${code})`)));
      writer.stdout.on('data', (chunk: Buffer) => {
        committed = Math.max(committed, ...String(chunk).trim().split('\n').map(Number));
        if (committed >= 40) resolve();
      });
    });
    writer.removeAllListeners('exit');
    const exited = new Promise((resolve) => writer.on('exit', resolve));
    writer.kill('SIGKILL');
    await exited;

    const db = await openDatabase({ dataDir: folder });
    try {
      const transactions = await listLoanTransactions(db, { borrowerId: 'B1', loanId: 'L1' });
      const journal = await listLoanJournal(db, { borrowerId: 'B1', loanId: 'L1' });
      expect(transactions.length).toBeGreaterThanOrEqual(committed);
      expect(transactions.map((row) => row.seq)).toEqual(
        Array.from({ length: transactions.length }, (_, index) => index + 1),
      );
      expect(journal.map((row) => row.entryId).sort()).toEqual(transactions.map((row) => `L1:${row.seq}`).sort());
    } finally {
      await db.close();
    }
  });
});
