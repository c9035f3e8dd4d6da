// The hardship tables on whichever database openTestDatabase picks: policies found by product then
// default; reasons listed newest first with their evidence, bytes read back exactly (a 1 MB image too);
// the table refuses content that does not match its recorded size; plans change only under the version
// read, only active plans have a next check, and claimPlansToJudge takes due active plans once under
// concurrent transactions; approvals are numbered per plan.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertBorrowers } from './borrowers.ts';
import {
  claimPlansToJudge,
  countPlansActivatedSince,
  findHardshipPolicy,
  getEvidenceContent,
  getHardshipPlan,
  insertHardshipPlan,
  insertOverdueReason,
  insertPlanApproval,
  listLoanPlans,
  listOverdueReasons,
  listPlanApprovals,
  updateHardshipPlan,
  upsertHardshipPolicy,
  type NewHardshipPlan,
} from './hardship.ts';
import { openTestDatabase, type TestDatabase } from './testing.ts';

const AT = '2026-05-20T09:00:00.000Z';

function plan(planId: string, overrides: Partial<NewHardshipPlan> = {}): NewHardshipPlan {
  return {
    borrowerId: 'B1',
    planId,
    loanId: 'L1',
    planType: 're_installment',
    status: 'requested',
    terms: { type: 're_installment', termCount: 12, firstDueDate: null },
    requestedBy: 'agent-7',
    requestedOn: '2026-05-20',
    reasonId: null,
    offer: { balance: '5501.80' },
    resultCode: null,
    resultMessage: null,
    createdAt: AT,
    ...overrides,
  };
}

describe('hardship store', () => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await openTestDatabase();
    await upsertBorrowers(test.db, [
      { borrowerId: 'B1', name: 'B1', timezone: 'Asia/Shanghai', locale: 'zh-CN', contacts: {} },
    ]);
  });

  afterAll(async () => {
    await test?.dispose();
  });

  it('finds the product policy before the default, and replaces a policy', async () => {
    const { db } = test;
    expect(await findHardshipPolicy(db, ['P1', 'default'])).toBeUndefined();
    await upsertHardshipPolicy(db, { policyId: 'default', config: { v: 1 }, updatedAt: AT });
    expect(await findHardshipPolicy(db, ['P1', 'default'])).toEqual({ policyId: 'default', config: { v: 1 } });
    await upsertHardshipPolicy(db, { policyId: 'P1', config: { v: 2 }, updatedAt: AT });
    await upsertHardshipPolicy(db, { policyId: 'P1', config: { v: 3 }, updatedAt: AT });
    expect(await findHardshipPolicy(db, ['P1', 'default'])).toEqual({ policyId: 'P1', config: { v: 3 } });
  });

  it('stores reasons with their evidence bytes and lists them newest first', async () => {
    const { db } = test;
    const image = new Uint8Array(1024 * 1024).map((_, index) => (index * 31) % 256);
    const inserted = await insertOverdueReason(db, {
      borrowerId: 'B1',
      reasonId: 'R1',
      loanId: 'L1',
      category: 'illness_or_accident',
      text: '住院',
      capturedBy: 'borrower',
      capturedAt: AT,
      evidence: [
        {
          fileName: 'scan.png',
          mediaType: 'image/png',
          sizeBytes: image.byteLength,
          sha256: 'a'.repeat(64),
          content: image,
        },
        {
          fileName: 'note.pdf',
          mediaType: 'application/pdf',
          sizeBytes: 3,
          sha256: 'b'.repeat(64),
          content: new Uint8Array([1, 2, 3]),
        },
      ],
    });
    expect(inserted).toBe(true);
    const again = await insertOverdueReason(db, {
      borrowerId: 'B1',
      reasonId: 'R1',
      loanId: null,
      category: 'other',
      text: 'x',
      capturedBy: 'borrower',
      capturedAt: AT,
      evidence: [],
    });
    expect(again).toBe(false);
    await insertOverdueReason(db, {
      borrowerId: 'B1',
      reasonId: 'R2',
      loanId: null,
      category: 'income_loss',
      text: '',
      capturedBy: 'agent-1',
      capturedAt: '2026-05-21T09:00:00.000Z',
      evidence: [],
    });
    const listed = await listOverdueReasons(db, { borrowerId: 'B1' });
    expect(listed.map((reason) => [reason.reasonId, reason.evidence.length])).toEqual([
      ['R2', 0],
      ['R1', 2],
    ]);
    expect(await listOverdueReasons(db, { borrowerId: 'B1', loanId: 'L1' })).toHaveLength(1);
    const file = await getEvidenceContent(db, { borrowerId: 'B1', reasonId: 'R1', evidenceNo: 1 });
    expect(file?.sizeBytes).toBe(image.byteLength);
    expect(Buffer.from(file?.content ?? []).equals(Buffer.from(image))).toBe(true);
    expect((await getEvidenceContent(db, { borrowerId: 'B1', reasonId: 'R1', evidenceNo: 2 }))?.content).toEqual(
      new Uint8Array([1, 2, 3]),
    );
  });

  it('refuses evidence whose content is not its recorded size', async () => {
    await expect(
      insertOverdueReason(test.db, {
        borrowerId: 'B1',
        reasonId: 'R3',
        loanId: null,
        category: 'other',
        text: 'x',
        capturedBy: 'borrower',
        capturedAt: AT,
        evidence: [
          {
            fileName: 'a.pdf',
            mediaType: 'application/pdf',
            sizeBytes: 4,
            sha256: 'c'.repeat(64),
            content: new Uint8Array([1]),
          },
        ],
      }),
    ).rejects.toThrow();
  });

  it('changes a plan only under the version read; only an active plan has a next check', async () => {
    const { db } = test;
    await insertHardshipPlan(db, plan('H1'));
    const read = await getHardshipPlan(db, 'H1');
    expect(read).toMatchObject({ status: 'requested', version: 1, offer: { balance: '5501.80' }, nextCheckDate: null });
    await expect(
      updateHardshipPlan(db, {
        borrowerId: 'B1',
        planId: 'H1',
        expectedVersion: 1,
        status: 'active',
        nextCheckDate: null,
        updatedAt: AT,
      }),
    ).rejects.toThrow();
    await updateHardshipPlan(db, {
      borrowerId: 'B1',
      planId: 'H1',
      expectedVersion: 1,
      status: 'active',
      activatedOn: '2026-05-20',
      activationSeq: 7,
      judged: [{ number: 19, dueDate: '2026-06-20', amountMinor: '43000' }],
      graceDays: 3,
      onBreak: 'restore',
      nextCheckDate: '2026-05-21',
      updatedAt: AT,
    });
    await expect(
      updateHardshipPlan(db, {
        borrowerId: 'B1',
        planId: 'H1',
        expectedVersion: 1,
        status: 'completed',
        nextCheckDate: null,
        updatedAt: AT,
      }),
    ).rejects.toThrow(/changed since it was read/);
    expect(await getHardshipPlan(db, 'H1')).toMatchObject({
      status: 'active',
      version: 2,
      activationSeq: 7,
      graceDays: 3,
      onBreak: 'restore',
      judged: [{ number: 19, dueDate: '2026-06-20', amountMinor: '43000' }],
    });
    expect(await countPlansActivatedSince(db, { borrowerId: 'B1', loanId: 'L1', since: '2025-05-20' })).toBe(1);
    expect(await countPlansActivatedSince(db, { borrowerId: 'B1', loanId: 'L1', since: '2026-05-21' })).toBe(0);
    await insertHardshipPlan(
      db,
      plan('H2', { status: 'refused', resultCode: 'dpd_above_maximum', resultMessage: 'no' }),
    );
    expect(
      (await listLoanPlans(db, { borrowerId: 'B1', loanId: 'L1' })).map((p) => [p.planId, p.status, p.endedOn]),
    ).toEqual([
      ['H1', 'active', null],
      ['H2', 'refused', '2026-05-20'],
    ]);
  });

  it('claims active plans due for a look once, under concurrent transactions', async () => {
    const { db } = test;
    expect(await db.transaction((tx) => claimPlansToJudge(tx, { businessDate: '2026-05-20', limit: 10 }))).toEqual([]);
    let inner: string[] = [];
    const outer = await db.transaction(async (tx) => {
      const claimed = await claimPlansToJudge(tx, { businessDate: '2026-05-21', limit: 10 });
      if (db.kind === 'postgres') {
        // A second runner skips the locked plan rather than waiting for it.
        inner = (
          await db.transaction((other) => claimPlansToJudge(other, { businessDate: '2026-05-21', limit: 10 }))
        ).map((p) => p.planId);
      }
      return claimed.map((p) => p.planId);
    });
    expect(outer).toEqual(['H1']);
    expect(inner).toEqual([]);
  });

  it('numbers approvals per plan', async () => {
    const { db } = test;
    const decision = {
      borrowerId: 'B1',
      planId: 'H1',
      approverId: 'agent-7',
      role: 'collector',
      decision: 'exceeded' as const,
      limits: null,
      code: 'approval_limit_exceeded',
      message: 'a collector may waive up to 10 %',
      decidedOn: '2026-05-20',
      decidedAt: AT,
    };
    expect(await insertPlanApproval(db, decision)).toBe(1);
    expect(
      await insertPlanApproval(db, {
        ...decision,
        role: 'supervisor',
        decision: 'approved',
        code: null,
        message: null,
      }),
    ).toBe(2);
    expect(
      (await listPlanApprovals(db, { borrowerId: 'B1', planId: 'H1' })).map((row) => [row.seq, row.role, row.decision]),
    ).toEqual([
      [1, 'collector', 'exceeded'],
      [2, 'supervisor', 'approved'],
    ]);
  });
});
