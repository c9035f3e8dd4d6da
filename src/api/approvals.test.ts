// Strategy activation and the approvals inbox over HTTP: a supervisor asks for the exact document they
// previewed, nobody approves their own request (403 own_request), another supervisor or an admin approves
// it and it becomes the active strategy (GET /strategies/active, GET /strategies marks it, the preview's
// baseline follows it); a second decision is 409; a bad document is 400 naming the field; compliance reads
// the history but cannot decide; lists page; every request and decision is in the audit log with its detail.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, testPasswordHashing } from './index.ts';
import { builtInStrategies, strategyToJson, type Strategy, type StrategyJson } from '../contact/index.ts';
import { createStaffAccount } from '../store/access.ts';
import { queryRows } from '../store/index.ts';
import { PASSWORD, signInStaff, START_MS, startApi, type ApiHarness } from './testing.ts';

let h: ApiHarness;
let supervisor2: string;

beforeAll(async () => {
  h = await startApi();
  const passwordHash = await hashPassword(PASSWORD, testPasswordHashing);
  await createStaffAccount(h.db, { username: 'supervisor2', role: 'supervisor', passwordHash, atMs: START_MS });
  supervisor2 = await signInStaff(h.call, 'supervisor2');
});
afterAll(async () => h.close());

function edited(version: number): StrategyJson {
  const json = strategyToJson(builtInStrategies.default as Strategy);
  return {
    ...json,
    version,
    steps: json.steps.map((step) => (step.id === 'pre_due_3' ? { ...step, sendAt: '08:30' } : step)),
  };
}

const post = (url: string, token: string, payload: object = {}) => h.call({ method: 'POST', url, token, payload });
const get = (url: string, token: string) => h.call({ method: 'GET', url, token });

interface ApprovalJson {
  approvalId: string;
  status: string;
  requestedBy: string;
  summary: string;
  decidedBy: string | null;
  detail: {
    strategy: { name: string; version: number };
    digest: string;
    changes: { text: string }[];
    document?: unknown;
  };
}

describe('strategy activation over the API', () => {
  let approvalId = '';

  it('refuses a bad document naming the field, and refuses roles without strategies:write', async () => {
    const bad = { ...edited(2), steps: [{ ...edited(2).steps[0]!, sendAt: '25:00' }] };
    const response = await post('/api/v1/strategies/activations', h.staffTokens.supervisor, { strategy: bad });
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ field: 'strategy.steps[0].sendAt' });
    const collector = await post('/api/v1/strategies/activations', h.staffTokens.collector, { strategy: edited(2) });
    expect(collector.statusCode).toBe(403);
    const same = await post('/api/v1/strategies/activations', h.staffTokens.supervisor, { strategy: 'default' });
    expect(same.statusCode).toBe(409);
    expect(same.json()).toMatchObject({ code: 'identical_to_active' });
  });

  it('takes a request with the exact document, its digest and what it changes', async () => {
    const response = await post('/api/v1/strategies/activations', h.staffTokens.supervisor, {
      strategy: edited(2),
      comment: 'earlier reminder',
    });
    expect(response.statusCode).toBe(201);
    const approval = response.json() as ApprovalJson & { comment: string };
    approvalId = approval.approvalId;
    expect(approval).toMatchObject({
      kind: 'strategy_activation',
      status: 'pending',
      requestedBy: 'supervisor',
      comment: 'earlier reminder',
      decidedBy: null,
      detail: { strategy: { name: 'default', version: 2 }, document: edited(2) },
    });
    expect(approval.detail.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(approval.detail.changes.map((change) => change.text)).toEqual([
      'strategy changed: version 1 → 2',
      'step pre_due_3 changed: sendAt 09:00 → 08:30',
    ]);
    const active = await get('/api/v1/strategies/active', h.staffTokens.viewer);
    expect(active.json()).toMatchObject({ name: 'default', version: 1, source: 'builtin', approvalId: null });
  });

  it('lists the inbox for anyone with strategies:read, compliance included, in pages', async () => {
    h.clock.nowMs += 60_000; // asked a minute later: newest first
    const second = await post('/api/v1/strategies/activations', h.staffTokens.supervisor, { strategy: 'gentle' });
    expect(second.statusCode).toBe(201);
    const inbox = await get('/api/v1/approvals?status=pending', h.staffTokens.compliance);
    expect(inbox.statusCode).toBe(200);
    const items = (inbox.json() as { items: ApprovalJson[] }).items;
    expect(items.map((item) => item.detail.strategy.name)).toEqual(['gentle', 'default']);
    expect(items[0]!.detail.document).toBeUndefined();
    const first = (await get('/api/v1/approvals?status=pending&limit=1', h.staffTokens.viewer)).json() as {
      items: ApprovalJson[];
      nextCursor: string;
    };
    const next = (
      await get(`/api/v1/approvals?status=pending&limit=1&cursor=${first.nextCursor}`, h.staffTokens.viewer)
    ).json() as { items: ApprovalJson[] };
    expect([...first.items, ...next.items].map((item) => item.approvalId)).toEqual(
      items.map((item) => item.approvalId),
    );
    expect((await get('/api/v1/approvals?status=approved', h.staffTokens.viewer)).json()).toEqual({
      items: [],
      nextCursor: null,
    });
    expect((await get('/api/v1/approvals?status=maybe', h.staffTokens.viewer)).json()).toMatchObject({
      field: 'status',
    });
    expect((await get(`/api/v1/approvals/${approvalId}`, h.staffTokens.compliance)).json()).toMatchObject({
      approvalId,
      detail: { document: edited(2) },
    });
    expect((await get('/api/v1/approvals/A-404', h.staffTokens.compliance)).statusCode).toBe(404);
    expect((await get('/api/v1/approvals', h.borrowerTokens.B1)).statusCode).toBe(403);
  });

  it("refuses the requester's own decision and a role without approvals:decide", async () => {
    const own = await post(`/api/v1/approvals/${approvalId}/approve`, h.staffTokens.supervisor);
    expect(own.statusCode).toBe(403);
    expect(own.json()).toMatchObject({ code: 'own_request' });
    const ownReject = await post(`/api/v1/approvals/${approvalId}/reject`, h.staffTokens.supervisor);
    expect(ownReject.json()).toMatchObject({ code: 'own_request' });
    expect((await post(`/api/v1/approvals/${approvalId}/approve`, h.staffTokens.compliance)).statusCode).toBe(403);
    expect((await post('/api/v1/approvals/A-404/approve', h.staffTokens.admin)).statusCode).toBe(404);
    expect(
      (await post(`/api/v1/approvals/${approvalId}/approve`, h.staffTokens.admin, { comment: 'x'.repeat(2001) }))
        .statusCode,
    ).toBe(400);
  });

  it('activates on another member’s approval, supersedes the other request, and refuses a second decision', async () => {
    const approved = await post(`/api/v1/approvals/${approvalId}/approve`, supervisor2, { comment: 'fine' });
    expect(approved.statusCode).toBe(200);
    const body = approved.json() as ApprovalJson & { superseded: string[]; decisionComment: string };
    expect(body).toMatchObject({ status: 'approved', decidedBy: 'supervisor2', decisionComment: 'fine' });
    expect(body.superseded).toHaveLength(1);

    const active = (await get('/api/v1/strategies/active', h.staffTokens.compliance)).json();
    expect(active).toMatchObject({
      name: 'default',
      version: 2,
      source: 'activated',
      approvalId,
      activatedBy: 'supervisor',
      approvedBy: 'supervisor2',
      strategy: edited(2),
    });
    const list = (await get('/api/v1/strategies', h.staffTokens.viewer)).json() as {
      items: { name: string; version: number; active: boolean }[];
    };
    expect(list.items.map((item) => [item.name, item.version, item.active])).toEqual([
      ['default', 2, true],
      ['gentle', 1, false],
    ]);
    expect(
      ((await get('/api/v1/strategies/default', h.staffTokens.viewer)).json() as { version: number }).version,
    ).toBe(2);

    const again = await post(`/api/v1/approvals/${approvalId}/reject`, h.staffTokens.admin);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'approval_not_pending' });
    const superseded = (await get('/api/v1/approvals?status=superseded', h.staffTokens.viewer)).json() as {
      items: (ApprovalJson & { supersededBy: string })[];
    };
    expect(superseded.items.map((item) => [item.detail.strategy.name, item.supersededBy])).toEqual([
      ['gentle', approvalId],
    ]);
  });

  it('diffs the active document (as the console does) against an edit, and previews against the active strategy', async () => {
    const active = (await get('/api/v1/strategies/active', h.staffTokens.supervisor)).json() as { strategy: unknown };
    const diff = await post('/api/v1/strategies/diff', h.staffTokens.supervisor, {
      from: active.strategy,
      to: 'gentle',
    });
    expect(diff.statusCode).toBe(200);
    expect((diff.json() as { changes: unknown[] }).changes.length).toBeGreaterThan(3);
    const same = await post('/api/v1/strategies/diff', h.staffTokens.supervisor, {
      from: active.strategy,
      to: edited(2),
    });
    expect(same.json()).toMatchObject({ changes: [] });
  });

  it('rejects with a comment and leaves the active strategy alone', async () => {
    const asked = await post('/api/v1/strategies/activations', supervisor2, { strategy: 'gentle' });
    const id = (asked.json() as ApprovalJson).approvalId;
    const rejected = await post(`/api/v1/approvals/${id}/reject`, h.staffTokens.supervisor, { comment: 'no' });
    expect(rejected.statusCode).toBe(200);
    expect(rejected.json()).toMatchObject({ status: 'rejected', decidedBy: 'supervisor', decisionComment: 'no' });
    expect(((await get('/api/v1/strategies/active', h.staffTokens.viewer)).json() as { version: number }).version).toBe(
      2,
    );
  });

  it('audits every request and decision with the approval, the strategy and its digest', async () => {
    const rows = await queryRows<{
      actor_id: string;
      action: string;
      outcome: number;
      detail: Record<string, unknown>;
    }>(
      h.db,
      sql`SELECT actor_id, action, outcome, detail FROM audit_log
          WHERE action LIKE '%/approvals/%' OR action LIKE '%/strategies/activations' ORDER BY seq`,
    );
    const decisions = rows.filter((row) => row.outcome === 200 && row.action.endsWith('/approve'));
    expect(decisions).toHaveLength(1);
    expect(decisions[0]).toMatchObject({
      actor_id: 'supervisor2',
      detail: {
        approvalId,
        decision: 'approved',
        requestedBy: 'supervisor',
        strategy: { name: 'default', version: 2 },
        digest: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    const ownAttempt = rows.find((row) => row.outcome === 403 && row.actor_id === 'supervisor');
    expect(ownAttempt?.detail).toMatchObject({ approvalId, outcome: 'own_request' });
    expect(rows.filter((row) => row.outcome === 201).map((row) => row.detail.strategy)).toEqual([
      { name: 'default', version: 2 },
      { name: 'gentle', version: 1 },
      { name: 'gentle', version: 1 },
    ]);
  });
});
