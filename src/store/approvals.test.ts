// The approvals and strategies tables on whichever database openTestDatabase picks: a pending approval is
// decided once (the second of two concurrent decisions changes nothing), the table refuses a requester
// deciding their own request, lists page newest first by status and kind, pending ones are superseded
// together, and at most one strategy is active — activating retires the one before.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  activateStrategy,
  decideApproval,
  findPendingApproval,
  findStrategyVersionDigests,
  getActiveStrategy,
  getApproval,
  insertApproval,
  listApprovals,
  listStrategyActivations,
  lockApprovalDecisions,
  supersedePendingApprovals,
  type NewApproval,
} from './approvals.ts';
import { executeStatement } from './db.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const digestA = 'a'.repeat(64);
const digestB = 'b'.repeat(64);
const digestBase = '0'.repeat(64);

function approval(approvalId: string, overrides: Partial<NewApproval> = {}): NewApproval {
  return {
    approvalId,
    kind: 'strategy_activation',
    subject: 'default',
    summary: `activate ${approvalId}`,
    requestedBy: 'maker',
    requestedAt: '2026-05-20T09:00:00.000Z',
    requestComment: null,
    document: { name: 'default', version: 2, steps: [] },
    digest: digestA,
    baseDigest: digestBase,
    changes: [{ kind: 'step_removed', id: 'pre_due_3', fields: [], text: 'step pre_due_3 removed' }],
    ...overrides,
  };
}

describe('approvals and strategies tables', () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase({ poolSize: 4 });
  });
  afterAll(async () => test.dispose());

  it('store a request as pending and read it back exactly; a second insert of the id does nothing', async () => {
    const asked = approval('A-1', { requestComment: 'fewer e-mails' });
    expect(await insertApproval(test.db, asked)).toBe(true);
    expect(await insertApproval(test.db, approval('A-1', { summary: 'other' }))).toBe(false);
    expect(await getApproval(test.db, 'A-1')).toEqual({
      ...asked,
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      decisionComment: null,
      supersededBy: null,
    });
    expect(await getApproval(test.db, 'A-404')).toBeUndefined();
    expect((await findPendingApproval(test.db, { kind: 'strategy_activation', digest: digestA }))?.approvalId).toBe(
      'A-1',
    );
    expect(await findPendingApproval(test.db, { kind: 'strategy_activation', digest: digestB })).toBeUndefined();
  });

  it('decide a pending approval once: of two concurrent decisions exactly one changes it', async () => {
    await insertApproval(test.db, approval('A-2', { digest: digestB }));
    const results = await Promise.all(
      (['checker-1', 'checker-2'] as const).map((decidedBy, index) =>
        decideApproval(test.db, {
          approvalId: 'A-2',
          status: index === 0 ? 'approved' : 'rejected',
          decidedBy,
          decidedAt: '2026-05-20T10:00:00.000Z',
          comment: null,
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    const decided = await getApproval(test.db, 'A-2');
    expect(decided?.status).toBe(results[0] ? 'approved' : 'rejected');
    expect(decided?.decidedBy).toBe(results[0] ? 'checker-1' : 'checker-2');
    expect(decided?.decidedAt).toBe('2026-05-20T10:00:00.000Z');
  });

  it('refuse, in the table itself, a requester deciding their own request', async () => {
    await insertApproval(test.db, approval('A-3', { digest: 'c'.repeat(64) }));
    await expect(
      decideApproval(test.db, {
        approvalId: 'A-3',
        status: 'approved',
        decidedBy: 'maker',
        decidedAt: '2026-05-20T10:00:00.000Z',
        comment: null,
      }),
    ).rejects.toThrow();
    expect((await getApproval(test.db, 'A-3'))?.status).toBe('pending');
  });

  it('supersede every other pending request of the kind, and none already decided', async () => {
    await insertApproval(test.db, approval('A-4', { digest: 'd'.repeat(64) }));
    const superseded = await test.db.transaction(async (tx) => {
      await lockApprovalDecisions(tx);
      return supersedePendingApprovals(tx, {
        kind: 'strategy_activation',
        supersededBy: 'A-4',
        decidedBy: 'checker-1',
        decidedAt: '2026-05-20T11:00:00.000Z',
      });
    });
    expect(superseded).toEqual(['A-1', 'A-3']);
    expect(await getApproval(test.db, 'A-1')).toMatchObject({ status: 'superseded', supersededBy: 'A-4' });
    expect((await getApproval(test.db, 'A-4'))?.status).toBe('pending');
    expect((await getApproval(test.db, 'A-2'))?.supersededBy).toBeNull();
  });

  it('list newest first, filtered by status and kind, in pages that neither skip nor repeat', async () => {
    for (let index = 0; index < 5; index += 1) {
      await insertApproval(
        test.db,
        approval(`P-${index}`, {
          digest: String(index).repeat(64),
          requestedAt: `2026-06-0${index + 1}T09:00:00.000Z`,
        }),
      );
    }
    const pending = await listApprovals(test.db, { status: 'pending', limit: 100 });
    expect(pending.map((row) => row.approvalId)).toEqual(['P-4', 'P-3', 'P-2', 'P-1', 'P-0', 'A-4']);
    const first = await listApprovals(test.db, { status: 'pending', kind: 'strategy_activation', limit: 4 });
    const last = first.at(-1)!;
    const second = await listApprovals(test.db, {
      status: 'pending',
      limit: 4,
      before: { requestedAt: last.requestedAt, approvalId: last.approvalId },
    });
    expect([...first, ...second].map((row) => row.approvalId)).toEqual(pending.map((row) => row.approvalId));
    expect((await listApprovals(test.db, { status: 'superseded', limit: 10 })).map((row) => row.approvalId)).toEqual([
      'A-3',
      'A-1',
    ]);
    expect(await listApprovals(test.db, { limit: 100 })).toHaveLength(9);
  });

  it('keep at most one strategy active: activating retires the one before', async () => {
    expect(await getActiveStrategy(test.db)).toBeUndefined();
    const first = await test.db.transaction(async (tx) =>
      activateStrategy(tx, {
        approvalId: 'A-2',
        name: 'default',
        version: 2,
        digest: digestB,
        document: { name: 'default', version: 2 },
        activatedAt: '2026-05-20T10:00:00.000Z',
        activatedBy: 'maker',
        approvedBy: 'checker-1',
      }),
    );
    expect(first).toEqual({ retired: null });
    const second = await test.db.transaction(async (tx) =>
      activateStrategy(tx, {
        approvalId: 'A-4',
        name: 'gentle',
        version: 1,
        digest: 'd'.repeat(64),
        document: { name: 'gentle', version: 1 },
        activatedAt: '2026-05-21T10:00:00.000Z',
        activatedBy: 'maker',
        approvedBy: 'checker-2',
      }),
    );
    expect(second).toEqual({ retired: 'A-2' });
    expect(await getActiveStrategy(test.db)).toMatchObject({
      approvalId: 'A-4',
      name: 'gentle',
      active: true,
      retiredAt: null,
      approvedBy: 'checker-2',
    });
    expect(
      (await listStrategyActivations(test.db, 10)).map((row) => [row.approvalId, row.active, row.retiredAt]),
    ).toEqual([
      ['A-4', true, null],
      ['A-2', false, '2026-05-21T10:00:00.000Z'],
    ]);
    expect(await findStrategyVersionDigests(test.db, { name: 'default', version: 2 })).toEqual([digestB]);
    // The unique index holds even against a writer that skips activateStrategy.
    await expect(
      executeStatement(test.db, sql`UPDATE strategies SET active = true, retired_at = NULL WHERE approval_id = 'A-2'`),
    ).rejects.toThrow();
  });
});
