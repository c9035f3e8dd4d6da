// The audit chain on a real store (PGlite, or PostgreSQL with DATABASE_URL): appends link each row to the
// previous one without gaps, even from concurrent appenders; the database refuses edits; and an edit made
// anyway (trigger disabled, as a superuser could) is found by verifyAuditChain, which names the row.
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendAudit,
  AUDIT_GENESIS_HASH,
  auditHead,
  auditRowHash,
  listAudit,
  verifyAuditChain,
  type AuditEntry,
} from './audit.ts';
import { executeStatement, openDatabase, queryRows } from './db.ts';
import { canonicalJson } from './idempotency.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase();
});
afterAll(async () => test.dispose());

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  atMs: Date.parse('2026-03-10T04:00:00Z') + n,
  actorKind: 'staff',
  actorId: 'collector',
  action: 'POST /api/v1/loans/:loanId/payments',
  resource: `/api/v1/loans/L${n}/payments`,
  subjectBorrowerId: `B${n}`,
  outcome: 201,
  detail: { requestId: `req-${n}`, amount: '100.00' },
  ...extra,
});

/** Runs SQL with the audit log's triggers off: what someone with full database rights could do. */
async function tamper(statement: ReturnType<typeof sql>, db = test.db): Promise<void> {
  await db.transaction(async (tx) => {
    await executeStatement(tx, sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await executeStatement(tx, statement);
    await executeStatement(tx, sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
  });
}

/** A row chained onto the current head but inserted around appendAudit (the head does not move). */
function forgedRowPastHead(head: { seq: number; hash: string }) {
  const content = {
    seq: head.seq + 1,
    at: '2026-03-10T05:00:00.000Z',
    actorKind: 'staff' as const,
    actorId: 'intruder',
    action: 'forged',
    resource: '/nowhere',
    subjectBorrowerId: null,
    outcome: 0,
    detail: {},
  };
  const hash = auditRowHash(head.hash, content);
  return sql`INSERT INTO audit_log (seq, at, actor_kind, actor_id, action, resource, outcome, detail, prev_hash, hash)
             VALUES (${content.seq}, ${content.at}::timestamptz, 'staff', 'intruder', 'forged', '/nowhere', 0,
                     '{}'::jsonb, ${head.hash}, ${hash})`;
}

describe('the audit chain', () => {
  it('starts empty and verifies', async () => {
    expect(await auditHead(test.db)).toEqual({ seq: 0, hash: AUDIT_GENESIS_HASH });
    expect(await verifyAuditChain(test.db)).toEqual({
      ok: true,
      rowsChecked: 0,
      headSeq: 0,
      headHash: AUDIT_GENESIS_HASH,
    });
  });

  it('links each row to the previous one, and stores exactly what it hashed (NUL and lone surrogates cleaned)', async () => {
    const rows = await appendAudit(test.db, [
      entry(1),
      entry(2, {
        actorId: 'bad\u0000name\ud800',
        detail: { text: 'x\u0000y', float: 1.5, nested: { big: 2n ** 70n } },
      }),
    ]);
    expect(rows.map((row) => row.seq)).toEqual([1, 2]);
    expect(rows[0]?.prevHash).toBe(AUDIT_GENESIS_HASH);
    expect(rows[1]?.prevHash).toBe(rows[0]?.hash);
    expect(rows[1]?.actorId).toBe('bad\uFFFDname\uFFFD');
    expect(rows[1]?.detail).toEqual({ text: 'x\uFFFDy', float: '1.5', nested: { big: String(2n ** 70n) } });
    const stored = await listAudit(test.db, { limit: 10 });
    expect(stored.map((row) => row.seq)).toEqual([2, 1]);
    expect(stored[0]).toEqual(rows[1]);
    expect(auditRowHash(rows[0]!.prevHash, rows[0]!)).toBe(rows[0]?.hash);
    expect((await verifyAuditChain(test.db)).ok).toBe(true);
  });

  it('numbers rows without gaps when many appenders run at once', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => appendAudit(test.db, [entry(100 + i), entry(200 + i)])));
    const result = await verifyAuditChain(test.db, { pageSize: 7 });
    expect(result).toMatchObject({ ok: true, rowsChecked: 42, headSeq: 42 });
  });

  // Two processes each keep their own idea of the head: the one that guessed wrong chains again.
  it.skipIf(!process.env.DATABASE_URL?.trim())(
    'numbers rows without gaps when two processes append at once',
    async () => {
      const other = await openDatabase({
        databaseUrl: process.env.DATABASE_URL!.trim(),
        searchPath: test.schemaName,
        poolSize: 4,
      });
      try {
        const before = (await verifyAuditChain(test.db)) as { headSeq: number };
        await Promise.all(
          Array.from({ length: 30 }, (_, i) => appendAudit(i % 2 === 0 ? test.db : other, [entry(300 + i)])),
        );
        expect(await verifyAuditChain(other)).toMatchObject({ ok: true, headSeq: before.headSeq + 30 });
      } finally {
        await other.close();
      }
    },
  );

  it('refuses UPDATE, DELETE and TRUNCATE on audit rows', async () => {
    await expect(test.db.query(sql`UPDATE audit_log SET actor_id = 'x' WHERE seq = 1`)).rejects.toThrow();
    await expect(test.db.query(sql`DELETE FROM audit_log WHERE seq = 1`)).rejects.toThrow();
    await expect(test.db.query(sql`TRUNCATE audit_log`)).rejects.toThrow();
  });

  it('names the row whose content was edited', async () => {
    await tamper(sql`UPDATE audit_log SET outcome = 200 WHERE seq = 17`);
    expect(await verifyAuditChain(test.db)).toEqual({
      ok: false,
      rowsChecked: 16,
      brokenSeq: 17,
      reason: 'its content does not match its hash',
    });
    await tamper(sql`UPDATE audit_log SET outcome = 201 WHERE seq = 17`);
    expect((await verifyAuditChain(test.db)).ok).toBe(true);
  });

  it('finds an edit whose hash was recomputed (the next row no longer links), a removed row and a removed tail', async () => {
    const [row] = await listAudit(test.db, { beforeSeq: 6, limit: 1 });
    const forged = { ...row!, actorId: 'someone else' };
    await tamper(
      sql`UPDATE audit_log SET actor_id = 'someone else', hash = ${auditRowHash(forged.prevHash, forged)} WHERE seq = 5`,
    );
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: false, brokenSeq: 6 });
    await tamper(sql`UPDATE audit_log SET actor_id = ${row!.actorId}, hash = ${row!.hash} WHERE seq = 5`);

    const [saved] = await queryRows<Record<string, unknown>>(test.db, sql`SELECT * FROM audit_log WHERE seq = 30`);
    await tamper(sql`DELETE FROM audit_log WHERE seq = 30`);
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: false, brokenSeq: 30, reason: 'row 30 is missing' });
    await tamper(
      sql`INSERT INTO audit_log SELECT * FROM jsonb_populate_record(NULL::audit_log, ${JSON.stringify(saved)}::jsonb)`,
    );
    expect((await verifyAuditChain(test.db)).ok).toBe(true);

    await tamper(sql`DELETE FROM audit_log WHERE seq = 42`);
    expect(await verifyAuditChain(test.db)).toMatchObject({ ok: false, brokenSeq: 42 });
  });

  it('hashes canonical JSON: the same for any key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
        expect(JSON.parse(canonicalJson(object))).toEqual(JSON.parse(JSON.stringify(object)));
      }),
    );
  });
});

describe('a row inserted past the chain head', () => {
  let own: TestDatabase;
  beforeAll(async () => {
    own = await openTestDatabase();
    await appendAudit(own.db, [entry(1), entry(2), entry(3)]);
  });
  afterAll(async () => own.dispose());

  it('is refused by the database', async () => {
    const head = await auditHead(own.db);
    const refused = await own.db.query(forgedRowPastHead(head)).then(
      () => 'inserted',
      (error: { cause?: { message?: string }; message: string }) => error.cause?.message ?? error.message,
    );
    expect(refused).toMatch(/audit_log row 4 is past the chain head \(row 3\)/);
    expect(await verifyAuditChain(own.db)).toMatchObject({ ok: true, rowsChecked: 3, headSeq: 3 });
  });

  it('inserted anyway (triggers off), is named by verify, which reads every row of the table', async () => {
    await tamper(forgedRowPastHead(await auditHead(own.db)), own.db);
    expect(await verifyAuditChain(own.db)).toEqual({
      ok: false,
      rowsChecked: 3,
      brokenSeq: 4,
      reason: 'row 4 is past the chain head (row 3): it was not appended through the head',
    });
    // and it blocks the chain: the next append clashes with it at seq 4
    await expect(appendAudit(own.db, [entry(5)])).rejects.toThrow();
  });
});
