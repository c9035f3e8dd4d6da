// The migration runner: applies src/store/migrations/NNNN_name.sql in order, each once, and records
// them in schema_migrations (version, name, checksum). Invariants: migrations only go forward and are
// numbered 1, 2, 3 … without gaps; an applied file never changes (its SHA-256 is compared on every run);
// all pending files apply in one transaction under an advisory lock, so processes starting together
// against one PostgreSQL neither race nor see a half-migrated schema. (On PGlite, one connection, the
// lock is free and harmless.)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Database } from './db.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  /** Versions this call applied (empty when the schema was already current). */
  applied: number[];
  /** The schema's version afterwards. */
  version: number;
}

const migrationsFolder = fileURLToPath(new URL('./migrations/', import.meta.url));
const fileNamePattern = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** The migration files, in order; throws if their numbering has a gap or a duplicate. */
export function loadMigrations(folder: string = migrationsFolder): Migration[] {
  const migrations = readdirSync(folder)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => {
      const match = fileNamePattern.exec(file);
      if (!match) throw new Error(`migration file name must be NNNN_name.sql: ${file}`);
      const sql = readFileSync(`${folder}/${file}`, 'utf8');
      return {
        version: Number(match[1]),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(
        `migrations must be numbered 1, 2, 3 … without gaps; found ${migration.name} at position ${index + 1}`,
      );
    }
  });
  return migrations;
}

/** Brings the schema up to date (idempotent); safe to call from many processes at once. */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = loadMigrations(),
): Promise<MigrateResult> {
  return db.scriptTransaction(async (runner) => {
    // Keyed by schema, so test files that each work in their own schema do not wait for each other.
    await runner.query(`SELECT pg_advisory_xact_lock(hashtext('kuan.migrate:' || current_schema()))`);
    await runner.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const recorded = await runner.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((migration) => [migration.version, migration]));
    for (const row of recorded) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new Error(
          `the database has migration ${row.version} (${row.name}), which this version of Kuan does not know`,
        );
      }
      if (migration.checksum !== row.checksum) {
        throw new Error(`migration ${migration.name} changed after it was applied; add a new migration instead`);
      }
    }
    const done = new Set(recorded.map((row) => row.version));
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await runner.exec(migration.sql);
      await runner.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        migration.checksum,
      ]);
      applied.push(migration.version);
    }
    const version = Math.max(0, ...recorded.map((row) => row.version), ...applied);
    return { applied, version };
  });
}

/**
 * The newest migration recorded in the database (0 before any), read without changing anything: what
 * readiness compares with the newest file this version of Kuan ships.
 */
export async function appliedSchemaVersion(db: Database): Promise<number> {
  return db.scriptTransaction(async (runner) => {
    const [table] = await runner.query<{ name: string | null }>(
      `SELECT to_regclass('schema_migrations')::text AS name`,
    );
    if (table?.name === null || table?.name === undefined) return 0;
    const [row] = await runner.query<{ version: number | null }>(
      'SELECT max(version) AS version FROM schema_migrations',
    );
    return Number(row?.version ?? 0);
  });
}
