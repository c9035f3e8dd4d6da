// An experiment's results read one strategy's contacts through the partial index of migration 0014, not
// a scan of every contact ever planned (checked on the plan the database chooses when a scan is
// discouraged, since a tiny test table would otherwise always be scanned).
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from './db.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

describe('experiment contacts index', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase();
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it("is what a strategy's arm counts over a range of dates read", async () => {
    const plan = await test.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL enable_seqscan = off`);
      const rows = await queryRows<Record<string, string>>(
        tx,
        sql`EXPLAIN SELECT c.status FROM contacts c
            WHERE c.intent->'strategy'->>'name' = ${'default'}
              AND c.intent->'strategy'->>'arm' IN ('champion', 'challenger')
              AND c.business_date BETWEEN ${'2026-03-01'}::date AND ${'2026-03-31'}::date`,
      );
      return rows.map((row) => Object.values(row).join(' ')).join('\n');
    });
    expect(plan).toContain('contacts_experiment_idx');
  });
});
