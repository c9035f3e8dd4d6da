// The database a command works on: the one the environment names (DATABASE_URL, else PGlite in
// KUAN_DATA_DIR or ./.kuan), migrated first and closed after, whatever the command did.
import { databaseConfigFromEnv, migrate, openDatabase, type Database } from '../store/index.ts';
import type { CliIo } from './io.ts';

export async function withDatabase<T>(io: CliIo, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openDatabase(databaseConfigFromEnv(io.env));
  try {
    await migrate(db);
    return await fn(db);
  } finally {
    await db.close();
  }
}
