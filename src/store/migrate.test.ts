import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { is, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './db.ts';
import { loadMigrations, migrate } from './migrate.ts';
import * as tables from './schema.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const migrationsFolder = fileURLToPath(new URL('./migrations/', import.meta.url));

describe('migrations on an empty database', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase({ migrate: false });
  });
  afterAll(async () => test.dispose());

  it('apply every file once, and a second run applies nothing', async () => {
    const all = loadMigrations().map((migration) => migration.version);
    expect(await migrate(test.db)).toEqual({ applied: all, version: all.length });
    expect(await migrate(test.db)).toEqual({ applied: [], version: all.length });
    const recorded = await queryRows<{ version: number }>(test.db, sql`SELECT version FROM schema_migrations`);
    expect(recorded.map((row) => row.version)).toEqual(all);
  });

  it('create exactly the tables and columns the Drizzle schema declares, with the same types and nullability', async () => {
    const columns = await queryRows<{
      table_name: string;
      column_name: string;
      data_type: string;
      is_nullable: string;
    }>(
      test.db,
      sql`SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns
          WHERE table_schema = current_schema() ORDER BY table_name, column_name`,
    );
    const actual = columns.map(
      (column) =>
        `${column.table_name}.${column.column_name} ${column.data_type}${column.is_nullable === 'NO' ? ' not null' : ''}`,
    );
    const declared = drizzleTables()
      .flatMap((table) => {
        const config = getTableConfig(table);
        return config.columns.map(
          (column) => `${config.name}.${column.name} ${column.getSQLType()}${column.notNull ? ' not null' : ''}`,
        );
      })
      .sort();
    expect(actual.sort()).toEqual(declared);
  });

  it('create the primary keys the Drizzle schema declares, borrower_id first wherever a table has one', async () => {
    const keys = await queryRows<{ table_name: string; columns: string }>(
      test.db,
      sql`SELECT tc.table_name, string_agg(k.column_name, ',' ORDER BY k.ordinal_position) AS columns
          FROM information_schema.table_constraints tc
          JOIN information_schema.key_column_usage k
            ON k.constraint_name = tc.constraint_name AND k.table_schema = tc.table_schema
          WHERE tc.table_schema = current_schema() AND tc.constraint_type = 'PRIMARY KEY'
          GROUP BY tc.table_name`,
    );
    const actual = Object.fromEntries(keys.map((key) => [key.table_name, key.columns]));
    for (const table of drizzleTables()) {
      const config = getTableConfig(table);
      const declared =
        config.primaryKeys[0]?.columns.map((column) => column.name) ??
        config.columns.filter((column) => column.primary).map((column) => column.name);
      expect(actual[config.name], config.name).toBe(declared.join(','));
      // loan_directory maps loan ids to borrowers: keyed by loan id on purpose (a lookup table).
      if (config.name !== 'loan_directory' && config.columns.some((column) => column.name === 'borrower_id')) {
        expect(declared[0], `${config.name} is keyed by borrower first`).toBe('borrower_id');
      }
    }
  });
});

describe('the migration runner on a database holding data', () => {
  let test: TestDatabase;
  let folder: string;
  beforeAll(async () => {
    test = await openTestDatabase({ migrate: false });
    folder = mkdtempSync(join(tmpdir(), 'kuan-migrations-'));
    for (const migration of loadMigrations())
      copyFileSync(join(migrationsFolder, migration.name), join(folder, migration.name));
  });
  afterAll(async () => {
    await test.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  it('applies a new migration over existing rows, keeps them, and refuses an edited or unknown file', async () => {
    const current = loadMigrations(folder).length;
    await migrate(test.db, loadMigrations(folder));
    await test.db.query(
      sql`INSERT INTO borrowers (borrower_id, name, timezone, locale) VALUES ('B1', 'Wang', 'Asia/Shanghai', 'zh-CN')`,
    );
    await test.db.query(sql`INSERT INTO loan_directory (loan_id, borrower_id) VALUES ('L1', 'B1')`);
    await test.db.query(
      sql`INSERT INTO loans (borrower_id, loan_id, currency, status, bucket, next_event_date, borrower_hash, state)
          VALUES ('B1', 'L1', 'CNY', 'active', 'M0', '2026-03-10', 7, '{"paid": "0"}')`,
    );

    const next = String(current + 1).padStart(4, '0');
    writeFileSync(
      join(folder, `${next}_loan_note.sql`),
      `-- ${next}_loan_note — test only.\nALTER TABLE loans ADD COLUMN note text NOT NULL DEFAULT '';\nUPDATE loans SET note = 'was ' || status;\n`,
    );
    expect(await migrate(test.db, loadMigrations(folder))).toEqual({ applied: [current + 1], version: current + 1 });
    const rows = await queryRows<{ loan_id: string; note: string; state: unknown }>(
      test.db,
      sql`SELECT loan_id, note, state FROM loans`,
    );
    expect(rows).toEqual([{ loan_id: 'L1', note: 'was active', state: { paid: '0' } }]);

    const first = join(folder, loadMigrations(folder)[0]!.name);
    writeFileSync(first, `${readFileSync(first, 'utf8')}\n-- edited\n`);
    await expect(migrate(test.db, loadMigrations(folder))).rejects.toThrow(/changed after it was applied/);
    await expect(migrate(test.db, loadMigrations(migrationsFolder))).rejects.toThrow(/does not know/);
  });

  it('refuses migration files whose numbering has a gap', () => {
    const gapped = mkdtempSync(join(tmpdir(), 'kuan-migrations-gap-'));
    try {
      writeFileSync(join(gapped, '0001_a.sql'), 'SELECT 1;');
      writeFileSync(join(gapped, '0003_c.sql'), 'SELECT 1;');
      expect(() => loadMigrations(gapped)).toThrow(/without gaps/);
    } finally {
      rmSync(gapped, { recursive: true, force: true });
    }
  });

  it('applies each real migration after the first over a fixture of the previous version’s data', async () => {
    // Convention turned into a check: a migration NNNN > 1 ships migrations/fixtures/NNNN_before.sql,
    // rows in the shape of version NNNN − 1, and must apply over them.
    const migrations = loadMigrations();
    for (const migration of migrations.slice(1)) {
      const fixture = join(migrationsFolder, 'fixtures', `${String(migration.version).padStart(4, '0')}_before.sql`);
      expect(existsSync(fixture), `${migration.name} needs ${fixture}`).toBe(true);
      const scratch = await openTestDatabase({ migrate: false });
      try {
        await migrate(scratch.db, migrations.slice(0, migration.version - 1));
        await scratch.db.scriptTransaction((runner) => runner.exec(readFileSync(fixture, 'utf8')));
        expect((await migrate(scratch.db, migrations.slice(0, migration.version))).applied).toEqual([
          migration.version,
        ]);
      } finally {
        await scratch.dispose();
      }
    }
  });
});

function drizzleTables(): PgTable[] {
  return (Object.values(tables) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
}
