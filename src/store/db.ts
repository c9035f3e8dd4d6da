// The database handle: one Drizzle schema over either embedded PGlite (a data folder, or memory for
// tests) or PostgreSQL through a node-postgres pool. Everything above this file is driver-agnostic.
//
// Invariants:
// - Every session runs with TimeZone UTC, so instants read back the same on both drivers.
// - PGlite is one connection: PGlite itself queues a query issued while a transaction is open until
//   that transaction ends, so concurrent callers in one process cannot interleave into each other's
//   transaction. One process owns a PGlite data folder at a time (a lock file says which).
// - The environment is read only by databaseConfigFromEnv, at the edge.
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT, PgTransaction, PgTransactionConfig } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import pg from 'pg';
import { InputError } from '../errors/index.ts';
import * as schema from './schema.ts';

export type Schema = typeof schema;

/** Drizzle bound to the database or to one transaction: what repository functions run on. */
export type Executor = PgDatabase<PgQueryResultHKT, Schema>;

/** Drizzle bound to one open transaction (every statement on it commits or rolls back together). */
export type Transaction = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

/** Where a repository function may run: the database (autocommit) or an open transaction. */
export type Queryable = Database | Executor;

export type DatabaseKind = 'pglite' | 'postgres';

/** The in-memory PGlite, gone when closed: for tests and throwaway simulations. */
export const MEMORY_DATA_DIR = 'memory://';

export const DEFAULT_DATA_DIR = './.kuan';

export interface DatabaseConfig {
  /** postgres://… — when set, PostgreSQL; otherwise embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** PGlite's folder (created if missing), or MEMORY_DATA_DIR. Default ./.kuan. */
  dataDir?: string;
  /** PostgreSQL: connections in this process's pool. Default 10. */
  poolSize?: number;
  /** PostgreSQL: the schema to work in (its search_path); tests use a fresh one per file. */
  searchPath?: string;
}

/** A script runner inside one raw transaction: for migrations, which need multi-statement SQL. */
export interface ScriptRunner {
  /** Runs one or more statements without parameters. */
  exec(script: string): Promise<void>;
  /** Runs one statement with $1… parameters; values come back as the driver parses them. */
  query<Row>(text: string, params?: readonly unknown[]): Promise<Row[]>;
}

export interface Database {
  readonly kind: DatabaseKind;
  /** Where it is, for logs and the CLI (no password). */
  readonly description: string;
  /** Drizzle outside any transaction: each statement commits on its own. */
  readonly orm: Executor;
  /** Runs fn in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Transaction) => Promise<T>, config?: PgTransactionConfig): Promise<T>;
  /** Runs one parameterised statement (a Drizzle `sql` template) and returns its rows as the driver parsed them. */
  query<Row>(statement: SQL): Promise<Row[]>;
  /** Runs fn in a transaction on the raw driver (multi-statement scripts); used by migrate(). */
  scriptTransaction<T>(fn: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  /**
   * Embedded only: the whole database as one gzipped tar (PGlite's dumpDataDir), consistent because this
   * handle is the folder's only owner. PostgreSQL is backed up with pg_dump (docs/operations.md).
   */
  dumpEmbedded?(): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** The edge: turns the process environment into a config (DATABASE_URL, else KUAN_DATA_DIR, else ./.kuan). */
export function databaseConfigFromEnv(env: Readonly<Record<string, string | undefined>>): DatabaseConfig {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    // Checked here, where every command reads it: a malformed URL is the operator's typo (exit 2 naming
    // it), not a driver's internal error on the first query.
    let url: URL | undefined;
    try {
      url = new URL(databaseUrl);
    } catch {
      url = undefined;
    }
    if (url === undefined || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')) {
      throw new InputError('DATABASE_URL', 'must be a PostgreSQL URL such as postgres://user@host:5432/kuan');
    }
    return { databaseUrl };
  }
  return { dataDir: env.KUAN_DATA_DIR?.trim() || DEFAULT_DATA_DIR };
}

export async function openDatabase(config: DatabaseConfig = {}): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl, config) : openPglite(config.dataDir ?? DEFAULT_DATA_DIR);
}

/** The Drizzle executor behind a Queryable. */
export function executorOf(queryable: Queryable): Executor {
  return 'orm' in queryable ? queryable.orm : queryable;
}

interface DriverResult {
  rows: unknown[];
  rowCount?: number | null;
  affectedRows?: number;
}

/** Runs a `sql` template and returns its rows (raw driver values; map them before they leave the store). */
export async function queryRows<Row>(queryable: Queryable, statement: SQL): Promise<Row[]> {
  const result = (await executorOf(queryable).execute(statement)) as DriverResult;
  return result.rows as Row[];
}

/** Runs a `sql` template and returns how many rows it inserted, updated or deleted. */
export async function executeStatement(queryable: Queryable, statement: SQL): Promise<number> {
  const result = (await executorOf(queryable).execute(statement)) as DriverResult;
  return result.rowCount ?? result.affectedRows ?? 0;
}

/**
 * Returns once every transaction this session's server committed before the call is on disk, including
 * those committed with synchronous_commit off: a transaction that takes an id commits synchronously, and
 * a synchronous commit flushes all the WAL before its own record.
 */
export async function awaitCommitsDurable(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await queryRows(tx, sql`SELECT txid_current()`);
  });
}

async function openPostgres(databaseUrl: string, config: DatabaseConfig): Promise<Database> {
  const options = ['-c TimeZone=UTC'];
  if (config.searchPath !== undefined) {
    if (!/^[a-z_][a-z0-9_]*$/.test(config.searchPath)) throw new RangeError(`searchPath: not a plain schema name`);
    options.push(`-c search_path=${config.searchPath}`);
  }
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: config.poolSize ?? 10,
    options: options.join(' '),
    application_name: 'kuan',
  });
  // An idle connection that the server drops emits 'error' on the pool; without a listener Node would
  // crash the process. The pool discards that connection and the next query opens a new one.
  pool.on('error', () => {});
  const orm = drizzleNodePg({ client: pool, schema }) as unknown as Executor;
  const url = new URL(databaseUrl);
  const database = createHandle({
    kind: 'postgres',
    description: `PostgreSQL ${url.host}${url.pathname}${config.searchPath ? ` (schema ${config.searchPath})` : ''}`,
    orm,
    async scriptTransaction(fn) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await fn({
          exec: async (script) => {
            await client.query(script);
          },
          query: async <Row>(text: string, params: readonly unknown[] = []) =>
            (await client.query(text, [...params])).rows as Row[],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: Error) => (broken = rollbackError));
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  });
  // Fail at open, with the driver's own message, rather than at the first query.
  await pool.query('SELECT 1');
  return database;
}

/** Data folders this process has open, so a second open in the same process fails too. */
const openDataDirs = new Set<string>();

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir === MEMORY_DATA_DIR;
  const folder = inMemory ? undefined : resolve(dataDir);
  const unlock = folder ? lockDataDir(folder) : () => {};
  let client: PGlite;
  try {
    // The PostgreSQL files live in a subfolder, so the data folder can hold other things (the lock).
    client = await PGlite.create(folder ? join(folder, 'pgdata') : MEMORY_DATA_DIR);
    await client.exec(`SET TIME ZONE 'UTC'`);
  } catch (error) {
    unlock();
    throw error;
  }
  const orm = drizzlePglite({ client, schema }) as unknown as Executor;
  let closed = false;
  return createHandle({
    kind: 'pglite',
    description: folder ? `PGlite in ${folder}` : 'PGlite in memory',
    orm,
    dumpEmbedded: async () => new Uint8Array(await (await client.dumpDataDir('gzip')).arrayBuffer()),
    scriptTransaction: (fn) =>
      client.transaction((tx) =>
        fn({
          exec: async (script) => {
            await tx.exec(script);
          },
          query: async <Row>(text: string, params: readonly unknown[] = []) =>
            (await tx.query<Row>(text, [...params])).rows,
        }),
      ),
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.close();
      } finally {
        unlock();
      }
    },
  });
}

function createHandle(
  parts: Pick<Database, 'kind' | 'description' | 'orm' | 'scriptTransaction' | 'close' | 'dumpEmbedded'>,
): Database {
  return {
    ...parts,
    transaction: (fn, config) => parts.orm.transaction(fn, config),
    query: (statement) => queryRows(parts.orm, statement),
  };
}

/**
 * Makes `dataDir` the embedded database a backup (dumpEmbedded) holds. Refuses, naming KUAN_DATA_DIR, a
 * folder that already has a database — a restore never overwrites one — and names FILE when the archive
 * is not a backup PGlite can load (the folder is left without a database then).
 */
export async function restoreEmbedded(dataDir: string, archive: Uint8Array): Promise<void> {
  const folder = resolve(dataDir);
  const pgdata = join(folder, 'pgdata');
  if (existsSync(pgdata) && readdirSync(pgdata).length > 0) {
    throw new InputError('KUAN_DATA_DIR', `${folder} already holds a database; restore into an empty folder`);
  }
  const unlock = lockDataDir(folder);
  try {
    let client: PGlite;
    try {
      client = await PGlite.create(pgdata, { loadDataDir: new Blob([archive]) });
      await client.query('SELECT 1');
    } catch (error) {
      rmSync(pgdata, { recursive: true, force: true });
      const reason = error instanceof Error ? error.message : String(error);
      throw new InputError('FILE', `is not a backup of an embedded Kuan database (${reason.slice(0, 200)})`);
    }
    await client.close();
  } finally {
    unlock();
  }
}

/**
 * Takes the data folder's lock file (its content: the owner's process id). Two processes writing one
 * PGlite folder would corrupt it, so a second opener fails with a clear message; a lock left by a
 * process that no longer runs (killed) is taken over.
 */
function lockDataDir(folder: string): () => void {
  if (openDataDirs.has(folder)) throw new Error(`database folder ${folder} is already open in this process`);
  mkdirSync(folder, { recursive: true });
  const lockPath = join(folder, 'lock');
  for (let attempt = 0; ; attempt += 1) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error;
      const owner = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processIsAlive(owner)) {
        // The user's to fix (another Kuan holds the folder), so an input error: exit 2 with what to do.
        throw new InputError(
          'KUAN_DATA_DIR',
          `database folder ${folder} is in use by process ${owner} (a running kuan serve or kuan demo?): ` +
            'stop it first, or set KUAN_DATA_DIR to another folder, or DATABASE_URL to a PostgreSQL server ' +
            'that several processes can share',
        );
      }
      rmSync(lockPath, { force: true });
    }
  }
  openDataDirs.add(folder);
  return () => {
    openDataDirs.delete(folder);
    rmSync(lockPath, { force: true });
  };
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
