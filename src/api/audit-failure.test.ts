// The audit trail fails closed: when the audit log will not take an action's row (here a row forged past
// the chain head blocks the next seq), the action's response is a 503 problem `audit_unavailable`, not a
// success; later actions are refused before they run until an append succeeds again; and verify names
// the forged row. Runs on PGlite, and on PostgreSQL with DATABASE_URL.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getStaffAccount } from '../store/access.ts';
import { auditHead, auditRowHash, verifyAuditChain } from '../store/audit.ts';
import { executeStatement } from '../store/index.ts';
import { PASSWORD, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
beforeAll(async () => {
  h = await startApi({ seed: false });
});
afterAll(async () => h.close());

/** SQL run with the audit log's triggers off: what someone with full database rights could do. */
async function tamper(statement: ReturnType<typeof sql>): Promise<void> {
  await h.db.transaction(async (tx) => {
    await executeStatement(tx, sql`ALTER TABLE audit_log DISABLE TRIGGER USER`);
    await executeStatement(tx, statement);
    await executeStatement(tx, sql`ALTER TABLE audit_log ENABLE TRIGGER USER`);
  });
}

const addStaff = (username: string) =>
  h.call({
    method: 'POST',
    url: '/api/v1/staff',
    token: h.staffTokens.admin,
    payload: { username, role: 'viewer', password: PASSWORD },
  });

describe('an audit append that fails', () => {
  it('turns the action into a 503 problem, refuses later actions until the log takes rows again', async () => {
    expect((await addStaff('before')).statusCode).toBe(201);
    await h.api.context.audit.flush();
    const head = await auditHead(h.db);
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
    await tamper(
      sql`INSERT INTO audit_log (seq, at, actor_kind, actor_id, action, resource, outcome, detail, prev_hash, hash)
          VALUES (${content.seq}, ${content.at}::timestamptz, 'staff', 'intruder', 'forged', '/nowhere', 0,
                  '{}'::jsonb, ${head.hash}, ${auditRowHash(head.hash, content)})`,
    );
    expect(await verifyAuditChain(h.db)).toMatchObject({ ok: false, brokenSeq: content.seq });

    // The action ran in its own transaction; its response says it is not on record.
    const unrecorded = await addStaff('unrecorded');
    expect(unrecorded.statusCode).toBe(503);
    expect(unrecorded.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(unrecorded.json()).toMatchObject({ status: 503, code: 'audit_unavailable' });
    expect(await getStaffAccount(h.db, 'unrecorded')).toBeDefined();

    // The next action is refused before it runs.
    const refused = await addStaff('refused');
    expect(refused.statusCode).toBe(503);
    expect(refused.json()).toMatchObject({ code: 'audit_unavailable' });
    expect(await getStaffAccount(h.db, 'refused')).toBeUndefined();
    // Reads go on.
    expect((await h.call({ method: 'GET', url: '/api/v1/staff', token: h.staffTokens.admin })).statusCode).toBe(200);
    // Both failed appends (the unrecorded action's row, the refusal's row) are counted for the operator.
    const metrics = await h.call({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/^kuan_audit_append_failures_total 2$/m);

    // Once the forged row is gone, the refusal's own row goes in and actions run again.
    await tamper(sql`DELETE FROM audit_log WHERE seq = ${content.seq}`);
    expect((await addStaff('refused')).statusCode).toBe(503);
    expect((await addStaff('refused')).statusCode).toBe(201);
    await h.api.context.audit.flush();
    expect((await verifyAuditChain(h.db)).ok).toBe(true);
  });
});
