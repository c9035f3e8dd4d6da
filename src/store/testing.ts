// A database for tests, chosen by the environment like the real one: in-memory PGlite by default; with
// DATABASE_URL, a fresh schema on that PostgreSQL (named per process and call, selected through
// search_path), so repeated and parallel test runs never see each other's rows. dispose() drops it.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { MEMORY_DATA_DIR, openDatabase, type Database } from './db.ts';
import { migrate } from './migrate.ts';

export interface TestDatabase {
  db: Database;
  /** The PostgreSQL schema in use, or undefined on PGlite. */
  schemaName: string | undefined;
  dispose(): Promise<void>;
}

export async function openTestDatabase(
  options: { migrate?: boolean; poolSize?: number; env?: Readonly<Record<string, string | undefined>> } = {},
): Promise<TestDatabase> {
  const databaseUrl = (options.env ?? process.env).DATABASE_URL?.trim();
  if (!databaseUrl) {
    const db = await openDatabase({ dataDir: MEMORY_DATA_DIR });
    if (options.migrate !== false) await migrate(db);
    return { db, schemaName: undefined, dispose: () => db.close() };
  }
  const schemaName = `kuan_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(databaseUrl, `CREATE SCHEMA ${schemaName}`);
  const db = await openDatabase({ databaseUrl, searchPath: schemaName, poolSize: options.poolSize ?? 4 });
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    schemaName,
    async dispose() {
      await db.close();
      await adminQuery(databaseUrl, `DROP SCHEMA IF EXISTS ${schemaName} CASCADE`);
    },
  };
}

/** One statement on its own connection to `databaseUrl` (CREATE/DROP DATABASE cannot run in a pool's transaction). */
export async function adminQuery(databaseUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
