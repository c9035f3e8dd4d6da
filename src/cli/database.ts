// The database a command works on: the one the environment names (DATABASE_URL, else PGlite in
// KUAN_DATA_DIR or ./.kuan), migrated first and closed after, whatever the command did.
import { InputError } from '../errors/index.ts';
import { databaseConfigFromEnv, migrate, openDatabase, WORKERS_MAX, type Database } from '../store/index.ts';
import type { CliIo } from './io.ts';
import { wholeNumberOption } from './options.ts';

export async function withDatabase<T>(io: CliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseConfigFromEnv(io.env));
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/**
 * `--workers N` (default 1): more than one needs PostgreSQL, since the embedded database is one process per
 * data folder; InputError naming the flag otherwise.
 */
export function workersOption(value: string | undefined, io: CliIo): number {
  const workers = wholeNumberOption(value, '--workers', { min: 1, max: WORKERS_MAX }) ?? 1;
  if (workers > 1 && databaseConfigFromEnv(io.env).databaseUrl === undefined) {
    throw new InputError(
      '--workers',
      'more than 1 needs PostgreSQL (DATABASE_URL); the embedded database is one process',
    );
  }
  return workers;
}
