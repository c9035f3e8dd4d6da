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
      // Directories map a global key to its borrower: keyed by that key on purpose (lookup tables): loan ids
      // (loan_directory) and verification codes (verification_codes).
      const directories = ['loan_directory', 'verification_codes'];
      if (!directories.includes(config.name) && config.columns.some((column) => column.name === 'borrower_id')) {
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
    expect(rows).toEqual([{ loan_id: 'L1', note: 'was active', state: '{"paid": "0"}' }]);

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
    // One fresh database per migration: seconds each, so more than the default test budget.
  }, 300_000);
});

describe('0002_loan_contracts over version-1 loan documents', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase({ migrate: false });
    const migrations = loadMigrations();
    await migrate(test.db, migrations.slice(0, 1));
    const fixture = readFileSync(join(migrationsFolder, 'fixtures', '0002_before.sql'), 'utf8');
    await test.db.scriptTransaction((runner) => runner.exec(fixture));
    await migrate(test.db, migrations.slice(0, 2));
  });
  afterAll(async () => test.dispose());

  it('moves each contract out of the document: rules once by digest, terms on the loan', async () => {
    const rules = await queryRows<{ rules_digest: string; rules: { graceDays: number }; digest: string }>(
      test.db,
      sql`SELECT rules_digest, rules, encode(sha256(convert_to(rules::text, 'UTF8')), 'hex') AS digest
          FROM servicing_rules`,
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.rules_digest).toBe(rules[0]!.digest);
    expect(rules[0]!.rules.graceDays).toBe(3);
    const loans = await queryRows<{ loan_id: string; rules_digest: string | null; terms: unknown }>(
      test.db,
      sql`SELECT loan_id, rules_digest, terms FROM loans ORDER BY loan_id`,
    );
    expect(loans.map((loan) => [loan.loan_id, loan.rules_digest])).toEqual([
      ['L1', rules[0]!.rules_digest],
      ['L2', rules[0]!.rules_digest],
      ['L3', null],
    ]);
    // The terms' compact form (encodeCompactTerms in src/servicing/state.ts).
    expect(loans[0]!.terms).toBe(
      '120000|CNY|3/25|3|1|month|2026-01-10||equal_installment|declining|periodic|365|0|half_up|1||',
    );
    expect(loans[2]!.terms).toBeNull();
  });

  it('rewrites version-1 documents as version 2, exactly as the runner encodes them, and leaves other states alone', async () => {
    const rows = await queryRows<{ loan_id: string; state: unknown }>(
      test.db,
      sql`SELECT loan_id, state FROM loans ORDER BY loan_id`,
    );
    // The runner's encodeLoanDocument of the same states (src/app/document.ts); src/app/document.test.ts
    // checks the conversion against it over many states.
    expect(rows).toEqual([
      {
        loan_id: 'L1',
        state: {
          version: 2,
          lastSeq: 1,
          loan: '2026-01-10|0|active|0|||0|0|2026-01-10|2026-02-07|||M0',
          installments: '1|2026-02-10|39603|1200;2|2026-03-10|39999|804;3|2026-04-10|40398|404',
        },
      },
      {
        loan_id: 'L2',
        state: {
          version: 2,
          lastSeq: 3,
          loan: '2026-01-10|0|overdue|33|1||2|2|2026-03-15|2026-03-16|||M2',
          installments:
            '1|2026-02-10|39603|1200||18582|1200|||||449|218||8082855|1;2|2026-03-10|39999|804||||||||100|||1799955|1;3|2026-04-10|40398|404',
        },
      },
      { loan_id: 'L3', state: { paid: '0' } },
    ]);
    const others = await queryRows<{ count: number }>(
      test.db,
      sql`SELECT (SELECT count(*) FROM loan_transactions)::int + (SELECT count(*) FROM outbox)::int AS count`,
    );
    expect(others[0]!.count).toBe(2);
  });
});

function drizzleTables(): PgTable[] {
  return (Object.values(tables) as unknown[]).filter((value): value is PgTable => is(value, PgTable));
}
