// The command wrapper on the store (PGlite, or PostgreSQL with DATABASE_URL), through a small command that
// adds a borrower: a repeat under a key answers the first answer and writes nothing, another input under it
// is refused, a dry run writes nothing (no row, no key, no audit row) and answers what the real run then
// answers, every real run writes one audit row naming the context's actor, a plain refusal writes nothing
// (its key stays free) while a command's final refusals are stored and replayed, and an exception rolls
// the whole command back, key included.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getBorrower,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  type Database,
  type TestDatabase,
} from '../store/index.ts';
import { defineCommand, planned, type CommandContext } from './command.ts';
import { refuse, succeed } from './result.ts';

interface AddBorrowerInput {
  borrowerId: string;
  name: string;
  /** Throw while writing, after the key was registered. */
  failWhileWriting?: boolean;
}

interface AddedBorrower {
  borrowerId: string;
  name: string;
  /** Derived from the key, so a retry names the same record. */
  reference: string | null;
}

function addBorrower(options: { storeRefusals: boolean; keyRequired?: boolean }) {
  return defineCommand<AddBorrowerInput, AddedBorrower, AddBorrowerInput>({
    name: 'test.add_borrower',
    scope: options.storeRefusals ? 'test.add_borrower.final' : 'test.add_borrower',
    storeRefusals: options.storeRefusals,
    keyRequired: options.keyRequired ?? false,
    identity: ({ borrowerId, name }) => ({ borrowerId, name }),
    async decide(tx, input, _ctx, idempotencyKey) {
      if (input.name.trim() === '') return refuse('name_empty', 'name: must not be empty', 'name');
      if ((await getBorrower(tx, input.borrowerId)) !== undefined) {
        return refuse('borrower_exists', `borrowerId: ${input.borrowerId} exists already`, 'borrowerId');
      }
      const value = { borrowerId: input.borrowerId, name: input.name, reference: idempotencyKey ?? null };
      return planned(succeed(value), input);
    },
    async apply(tx, input) {
      const { borrowerId, name } = input;
      await upsertBorrowers(tx, [{ borrowerId, name, timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} }]);
      if (input.failWhileWriting === true) throw new Error('the store went away');
    },
    audit: (input, answer) => ({
      resource: `borrower/${input.borrowerId}`,
      subjectBorrowerId: answer.ok ? input.borrowerId : null,
    }),
  });
}

const plainRefusals = addBorrower({ storeRefusals: false });
const finalRefusals = addBorrower({ storeRefusals: true });

async function counts(db: Database) {
  const [row] = await queryRows<{ borrowers: unknown; keys: unknown; audit: unknown }>(
    db,
    sql`SELECT (SELECT count(*) FROM borrowers) AS borrowers,
               (SELECT count(*) FROM idempotency_keys WHERE scope LIKE 'test.%') AS keys,
               (SELECT count(*) FROM audit_log WHERE action = 'test.add_borrower') AS audit`,
  );
  return { borrowers: Number(row?.borrowers), keys: Number(row?.keys), audit: Number(row?.audit) };
}

describe('defineCommand', () => {
  let test: TestDatabase;
  let db: Database;
  let ctx: CommandContext;

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    ctx = { db, actor: { kind: 'staff', id: 'ann' }, nowMs: Date.parse('2026-03-10T09:00:00Z') };
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('a dry run writes nothing and answers what the real run then answers', async () => {
    const before = await counts(db);
    const request = { idempotencyKey: 'k-1', input: { borrowerId: 'B1', name: 'Ann' } };
    const dry = await plainRefusals(ctx, { ...request, dryRun: true });
    expect(dry).toEqual({
      ok: true,
      value: { borrowerId: 'B1', name: 'Ann', reference: 'k-1' },
      replayed: false,
      dryRun: true,
    });
    expect(await counts(db)).toEqual(before);
    expect(await getBorrower(db, 'B1')).toBeUndefined();

    const real = await plainRefusals(ctx, request);
    expect(real).toEqual({ ...dry, dryRun: false });
    expect(await counts(db)).toEqual({
      borrowers: before.borrowers + 1,
      keys: before.keys + 1,
      audit: before.audit + 1,
    });
    expect((await getBorrower(db, 'B1'))?.name).toBe('Ann');
  });

  it('writes one audit row per run, naming the context’s actor, the command and its result', async () => {
    const rows = await queryRows<{ actor_kind: string; actor_id: string; resource: string; detail: unknown }>(
      db,
      sql`SELECT actor_kind, actor_id, resource, subject_borrower_id, detail FROM audit_log
          WHERE action = 'test.add_borrower' ORDER BY seq`,
    );
    expect(rows).toEqual([
      expect.objectContaining({
        actor_kind: 'staff',
        actor_id: 'ann',
        resource: 'borrower/B1',
        subject_borrower_id: 'B1',
        detail: { result: 'ok' },
      }),
    ]);
  });

  it('answers a repeat under the key with the first answer and writes nothing but its audit row', async () => {
    const before = await counts(db);
    const again = await plainRefusals(ctx, { idempotencyKey: 'k-1', input: { borrowerId: 'B1', name: 'Ann' } });
    expect(again).toEqual({
      ok: true,
      value: { borrowerId: 'B1', name: 'Ann', reference: 'k-1' },
      replayed: true,
      dryRun: false,
    });
    expect(await counts(db)).toEqual({ ...before, audit: before.audit + 1 });
    const [last] = await queryRows<{ detail: unknown }>(
      db,
      sql`SELECT detail FROM audit_log WHERE action = 'test.add_borrower' ORDER BY seq DESC LIMIT 1`,
    );
    expect(last?.detail).toEqual({ result: 'ok', replayed: true });
    // A dry run of the repeat answers the replay too, and writes nothing at all.
    const dry = await plainRefusals(ctx, {
      idempotencyKey: 'k-1',
      dryRun: true,
      input: { borrowerId: 'B1', name: 'Ann' },
    });
    expect(dry).toMatchObject({ ok: true, replayed: true, dryRun: true });
    expect(await counts(db)).toEqual({ ...before, audit: before.audit + 1 });
  });

  it('refuses another input under a used key, naming the field, and writes nothing', async () => {
    const before = await counts(db);
    for (const dryRun of [true, false]) {
      const reused = await plainRefusals(ctx, {
        idempotencyKey: 'k-1',
        dryRun,
        input: { borrowerId: 'B2', name: 'Bo' },
      });
      expect(reused).toEqual({
        ok: false,
        code: 'idempotency_key_reused',
        message: 'idempotencyKey: already used for another request',
        field: 'idempotencyKey',
        replayed: false,
        dryRun,
      });
    }
    expect(await counts(db)).toEqual({ ...before, audit: before.audit + 1 });
    expect(await getBorrower(db, 'B2')).toBeUndefined();
  });

  it('a plain refusal writes nothing, not even its key: the corrected request under it goes through', async () => {
    const before = await counts(db);
    const refused = await plainRefusals(ctx, { idempotencyKey: 'k-2', input: { borrowerId: 'B2', name: ' ' } });
    expect(refused).toMatchObject({ ok: false, code: 'name_empty', field: 'name', replayed: false });
    expect(await counts(db)).toEqual({ ...before, audit: before.audit + 1 });
    const corrected = await plainRefusals(ctx, { idempotencyKey: 'k-2', input: { borrowerId: 'B2', name: 'Bo' } });
    expect(corrected).toMatchObject({ ok: true, replayed: false, value: { borrowerId: 'B2' } });
  });

  it('a final refusal is stored under its key and replayed; the key is then bound to that input', async () => {
    const before = await counts(db);
    const input = { borrowerId: 'B1', name: 'Ann again' };
    const dry = await finalRefusals(ctx, { idempotencyKey: 'f-1', dryRun: true, input });
    expect(dry).toMatchObject({ ok: false, code: 'borrower_exists', dryRun: true });
    expect((await counts(db)).keys).toBe(before.keys);
    const refused = await finalRefusals(ctx, { idempotencyKey: 'f-1', input });
    expect(refused).toMatchObject({ ok: false, code: 'borrower_exists', replayed: false });
    expect((await counts(db)).keys).toBe(before.keys + 1);
    const again = await finalRefusals(ctx, { idempotencyKey: 'f-1', input });
    expect(again).toEqual({ ...refused, replayed: true });
    const other = await finalRefusals(ctx, { idempotencyKey: 'f-1', input: { borrowerId: 'B3', name: 'Cy' } });
    expect(other).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
    expect(await getBorrower(db, 'B3')).toBeUndefined();
  });

  it('rolls the whole command back, key included, when writing throws', async () => {
    const before = await counts(db);
    await expect(
      plainRefusals(ctx, { idempotencyKey: 'k-3', input: { borrowerId: 'B4', name: 'Di', failWhileWriting: true } }),
    ).rejects.toThrow('the store went away');
    expect(await counts(db)).toEqual(before);
    const retried = await plainRefusals(ctx, { idempotencyKey: 'k-3', input: { borrowerId: 'B4', name: 'Di' } });
    expect(retried).toMatchObject({ ok: true, replayed: false });
  });

  it('runs without a key unless the command requires one', async () => {
    const before = await counts(db);
    const unkeyed = await plainRefusals(ctx, { input: { borrowerId: 'B5', name: 'Ed' } });
    expect(unkeyed).toMatchObject({ ok: true, value: { reference: null } });
    expect((await counts(db)).keys).toBe(before.keys);
    const keyed = addBorrower({ storeRefusals: false, keyRequired: true });
    expect(await keyed(ctx, { input: { borrowerId: 'B6', name: 'Fa' } })).toMatchObject({
      ok: false,
      code: 'idempotency_key_required',
      field: 'idempotencyKey',
    });
    expect(await getBorrower(db, 'B6')).toBeUndefined();
  });

  it('two runs racing under one key: one writes, the other answers its answer', async () => {
    const before = await counts(db);
    const request = { idempotencyKey: 'k-race', input: { borrowerId: 'B7', name: 'Gu' } };
    const results = await Promise.all([plainRefusals(ctx, request), plainRefusals(ctx, request)]);
    expect(results.map((result) => result.ok && result.replayed).sort()).toEqual([false, true]);
    expect(results[0]).toMatchObject({ ok: true, value: { borrowerId: 'B7', reference: 'k-race' } });
    expect(results[1]).toMatchObject({ ok: true, value: { borrowerId: 'B7', reference: 'k-race' } });
    const after = await counts(db);
    expect(after.borrowers).toBe(before.borrowers + 1);
    expect(after.keys).toBe(before.keys + 1);
  });
});
