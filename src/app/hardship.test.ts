// Hardship at service level, on whichever database openTestDatabase picks (PGlite, or PostgreSQL with
// DATABASE_URL): overdue reasons with evidence stored and read back byte for byte; plan requests with
// their offers, refusals by eligibility, approval limits with a clear reason; an approval that applies
// the plan in one transaction (loan row, plan transaction, journal, outbox) so that replaying the stored
// history rebuilds the stored state; judging plans — a settlement paid in full closes the loan, a missed
// re-installment payment breaks the plan and restores the original schedule; everything idempotent.
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IsoDate } from '../calendar/index.ts';
import { InputError } from '../errors/index.ts';
import type { CommandContext } from './index.ts';
import * as hardship from './hardship.ts';
import { judgePlans, setHardshipPolicy } from './hardship.ts';
import { historyOf, openLoans, postPayment, readLoanState, runDailyClose } from './index.ts';
import { hardshipPolicyToJson, defaultHardshipPolicy } from '../hardship/index.ts';
import { parseLoanTerms } from '../schedule/index.ts';
import { parseServicingRules, replay, serializeLoanState } from '../servicing/index.ts';
import { getEvidenceContent, getHardshipPlan, getOverdueReason, listPlanApprovals } from '../store/hardship.ts';
import {
  listLoanTransactions,
  openTestDatabase,
  queryRows,
  upsertBorrowers,
  upsertProduct,
  type Database,
  type TestDatabase,
} from '../store/index.ts';

const AT = '2026-05-20T09:00:00Z';

/** A command run by an agent at the instant `at`, its key beside the input (as the API passes them). */
type Keyed<Input> = Input & { idempotencyKey: string; at: string };

function run<Input, Value>(
  command: (ctx: CommandContext, request: { idempotencyKey: string; input: Input }) => Promise<Value>,
) {
  return (db: Database, request: Keyed<Input>): Promise<Value> => {
    const { idempotencyKey, at, ...input } = request;
    const ctx: CommandContext = { db, actor: { kind: 'system', id: 'test' }, nowMs: Date.parse(at) };
    return command(ctx, { idempotencyKey, input: input as unknown as Input });
  };
}

const recordOverdueReason = run(hardship.recordOverdueReason);
const requestPlan = run(hardship.requestPlan);
const approvePlan = run(hardship.approvePlan);
const refusePlan = run(hardship.refusePlan);

/** The contract's example loan (5,000.00 at 12 % over 18 months, 305.00 a month), grace 3, penalty 18 %. */
function loanRequest(loanId: string, borrowerId: string, annualRate = '0.12') {
  const terms = parseLoanTerms({
    principal: '5000.00',
    currency: 'CNY',
    annualRate,
    termCount: 18,
    startDate: '2026-02-15',
    rounding: { mode: 'half_up', installmentMultiple: '1' },
  });
  return {
    loanId,
    borrowerId,
    terms,
    rules: parseServicingRules({ graceDays: 3, penaltyAnnualRate: '0.18' }),
    disbursedOn: '2026-02-15',
  };
}

async function closeThrough(db: Database, date: IsoDate): Promise<void> {
  await runDailyClose({ db, businessDate: date });
}

/** The stored state equals the replay of the stored history (compared in the serialized form). */
async function replaysToStored(db: Database, loanId: string): Promise<void> {
  const loan = await readLoanState(db, loanId);
  if (!loan) throw new Error(`no loan ${loanId}`);
  const rows = await listLoanTransactions(db, { borrowerId: loan.row.borrowerId, loanId });
  const { opening, transactions } = historyOf(rows);
  const rebuilt = replay(opening, transactions, { through: loan.state.closedThrough });
  expect(rebuilt.rejected).toEqual([]);
  expect(JSON.stringify(serializeLoanState(rebuilt.state))).toBe(JSON.stringify(serializeLoanState(loan.state)));
}

async function count(db: Database, table: string): Promise<number> {
  const rows = await queryRows<{ n: unknown }>(db, sql`SELECT count(*) AS n FROM ${sql.raw(table)}`);
  return Number(rows[0]?.n);
}

/** Trial balance of one loan from the stored journal: receivables per account (debit − credit). */
async function balances(db: Database, loanId: string): Promise<Record<string, bigint>> {
  const rows = await queryRows<{ account: string; net: unknown }>(
    db,
    sql`SELECT p->>'account' AS account,
               sum(CASE WHEN p->>'side' = 'debit' THEN (p->>'amountMinor')::bigint ELSE -(p->>'amountMinor')::bigint END) AS net
        FROM journal_entries, jsonb_array_elements(postings) AS p WHERE loan_id = ${loanId} GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((row) => [row.account, BigInt(String(row.net))]));
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('hardship service', () => {
  let test: TestDatabase;
  let db: Database;
  let reasonB1 = '';
  let planId = '';

  beforeAll(async () => {
    test = await openTestDatabase();
    db = test.db;
    const borrowers = ['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7'];
    await upsertProduct(db, { productId: 'P-REAGE', name: 'Re-age up to 180 DPD', terms: {}, rules: {} });
    await upsertProduct(db, { productId: 'P-DEAR', name: 'Priced before the caps', terms: {}, rules: {} });
    await upsertBorrowers(
      db,
      borrowers.map((borrowerId) => ({
        borrowerId,
        name: borrowerId,
        timezone: 'Asia/Shanghai',
        locale: 'zh-CN',
        contacts: {},
      })),
    );
    await openLoans(db, [
      loanRequest('L1', 'B1'),
      loanRequest('L2', 'B2'),
      loanRequest('L3', 'B3'),
      loanRequest('L4', 'B4'),
      loanRequest('L5', 'B5'),
      { ...loanRequest('L6', 'B6'), productId: 'P-REAGE' },
      // Opened below the edges' checks (as a book migrated from before the caps): 40 %, above cn-2026's 36 %.
      { ...loanRequest('L7', 'B7', '0.40'), productId: 'P-DEAR' },
    ]);
    // Nobody pays: on 2026-05-20 installments 1–3 are unpaid, DPD 66.
    await closeThrough(db, '2026-05-20');
  });

  afterAll(async () => {
    await test?.dispose();
  });

  describe('overdue reasons', () => {
    const pdf = new TextEncoder().encode('%PDF-1.4\n% a hospital discharge letter\n%%EOF\n');

    it('stores the reason and its evidence bytes, checked against size and checksum, once per key', async () => {
      const request = {
        idempotencyKey: 'reason-B1-1',
        borrowerId: 'B1',
        loanId: 'L1',
        reason: {
          category: 'illness_or_accident',
          text: '住院两个月，无法工作',
          capturedBy: 'agent-7',
          evidence: [
            { fileName: 'discharge.pdf', mediaType: 'application/pdf', sizeBytes: pdf.byteLength, sha256: sha256(pdf) },
          ],
        },
        files: [pdf],
        at: AT,
      };
      const first = await recordOverdueReason(db, request);
      if (!first.ok) throw new Error(first.message);
      expect(first.replayed).toBe(false);
      reasonB1 = first.value.reasonId;
      const again = await recordOverdueReason(db, request);
      expect(again).toEqual({ ok: true, value: { reasonId: reasonB1 }, replayed: true, dryRun: false });
      const stored = await getOverdueReason(db, { borrowerId: 'B1', reasonId: reasonB1 });
      expect(stored).toMatchObject({
        category: 'illness_or_accident',
        text: '住院两个月，无法工作',
        capturedBy: 'agent-7',
        loanId: 'L1',
      });
      expect(stored?.evidence).toEqual([
        {
          evidenceNo: 1,
          fileName: 'discharge.pdf',
          mediaType: 'application/pdf',
          sizeBytes: pdf.byteLength,
          sha256: sha256(pdf),
        },
      ]);
      const file = await getEvidenceContent(db, { borrowerId: 'B1', reasonId: reasonB1, evidenceNo: 1 });
      expect(file && Buffer.from(file.content).equals(Buffer.from(pdf))).toBe(true);
      const reused = await recordOverdueReason(db, { ...request, reason: { ...request.reason, text: 'other words' } });
      expect(reused).toMatchObject({ ok: false, code: 'idempotency_key_reused' });
    });

    it('rejects a file that does not match its checksum, a type outside the allow-list, text over 2000 characters', async () => {
      const base = { idempotencyKey: 'reason-B1-2', borrowerId: 'B1', loanId: 'L1', at: AT, files: [pdf] };
      const evidence = {
        fileName: 'x.pdf',
        mediaType: 'application/pdf',
        sizeBytes: pdf.byteLength,
        sha256: '0'.repeat(64),
      };
      const wrong = await recordOverdueReason(db, {
        ...base,
        reason: { category: 'income_loss', capturedBy: 'borrower', evidence: [evidence] },
      });
      expect(wrong).toMatchObject({ ok: false, code: 'evidence_checksum_mismatch' });
      await expect(
        recordOverdueReason(db, {
          ...base,
          reason: {
            category: 'income_loss',
            capturedBy: 'borrower',
            evidence: [{ ...evidence, fileName: 'x.exe', mediaType: 'application/x-msdownload' }],
          },
        }),
      ).rejects.toThrow(/reason\.evidence\[0\]\.mediaType: must be one of application\/pdf/);
      await expect(
        recordOverdueReason(db, {
          ...base,
          files: [],
          reason: { category: 'income_loss', text: '字'.repeat(2001), capturedBy: 'borrower' },
        }),
      ).rejects.toThrow(InputError);
      expect(await count(db, 'overdue_reason_evidence')).toBe(1);
    });
  });

  describe('re-installment: request and approval', () => {
    it('offers 12 equal terms with the schedule before and after; a collector may approve it', async () => {
      const result = await requestPlan(db, {
        idempotencyKey: 'plan-L1',
        loanId: 'L1',
        requestedBy: 'agent-7',
        on: '2026-05-20',
        plan: { type: 're_installment', termCount: 12 },
        at: AT,
      });
      if (!result.ok) throw new Error(JSON.stringify(result));
      planId = result.value.planId;
      const { offer } = result.value;
      expect(offer).toMatchObject({
        dpd: 66,
        balance: '5501.80',
        concession: '345.90',
        concessionShare: '0.0629',
        approval: { required: true, minimumRole: 'collector' },
        balanceAfter: { principal: '5000.00', interest: '142.32', penalty: '13.58', total: '5155.90' },
      });
      const after = offer.scheduleAfter as { number: number; dueDate: string; total: string }[];
      expect(after).toHaveLength(12);
      expect(after[0]).toMatchObject({
        number: 19,
        dueDate: '2026-06-20',
        principal: '417.01',
        interest: '11.86',
        penalty: '1.13',
        total: '430.00',
      });
      expect(after[11]).toMatchObject({ dueDate: '2027-05-20', total: '425.90' });
      expect(offer.scheduleBefore as unknown[]).toHaveLength(18);
      expect((await getHardshipPlan(db, planId))?.status).toBe('requested');
      const again = await requestPlan(db, {
        idempotencyKey: 'plan-L1',
        loanId: 'L1',
        requestedBy: 'agent-7',
        on: '2026-05-20',
        plan: { type: 're_installment', termCount: 12 },
        at: AT,
      });
      expect(again).toMatchObject({ ok: true, replayed: true, value: { planId } });
    });

    it('approval applies it in one transaction: loan row, plan transaction, journal, outbox; replay = stored', async () => {
      const before = await readLoanState(db, 'L1');
      const result = await approvePlan(db, {
        idempotencyKey: 'approve-L1',
        planId,
        approver: { id: 'agent-7', role: 'collector' },
        on: '2026-05-20',
        at: AT,
      });
      if (!result.ok) throw new Error(JSON.stringify(result));
      expect(result.value.seq).toBe((before?.lastSeq ?? 0) + 1);
      const loan = await readLoanState(db, 'L1');
      expect(loan?.row).toMatchObject({ status: 'active', dpd: 0, bucket: 'M0' });
      const rows = await listLoanTransactions(db, { borrowerId: 'B1', loanId: 'L1', afterSeq: result.value.seq - 1 });
      expect(rows.map((row) => row.kind)).toEqual(['plan']);
      expect(rows[0]?.body).toMatchObject({
        kind: 'plan',
        action: 'activate',
        planId,
        terms: { type: 're_installment' },
      });
      const outbox = await queryRows<{ kind: string }>(
        db,
        sql`SELECT kind FROM outbox WHERE loan_id = 'L1' AND business_date = '2026-05-20' ORDER BY kind`,
      );
      expect(outbox.map((row) => row.kind)).toContain('plan_activated');
      const ledger = await balances(db, 'L1');
      // Interest moved into the plan is no longer receivable until its new due dates.
      expect(ledger.interest_receivable ?? 0n).toBe(0n);
      expect(ledger.principal_receivable).toBe(500000n);
      expect(ledger.penalty_receivable).toBe(1358n);
      expect((await getHardshipPlan(db, planId))?.status).toBe('active');
      await replaysToStored(db, 'L1');
      const entries = await count(db, 'journal_entries');
      // A retry (at another instant) gets the first answer and writes nothing.
      const again = await approvePlan(db, {
        idempotencyKey: 'approve-L1',
        planId,
        approver: { id: 'agent-7', role: 'collector' },
        on: '2026-05-20',
        at: '2026-05-20T09:05:00Z',
      });
      expect(again).toMatchObject({ ok: true, replayed: true, value: { planId } });
      expect(await count(db, 'journal_entries')).toBe(entries);
      const approvals = await listPlanApprovals(db, { borrowerId: 'B1', planId });
      expect(approvals.map((row) => [row.decision, row.role, row.approverId])).toEqual([
        ['approved', 'collector', 'agent-7'],
      ]);
    });

    it('a second plan on the same loan is refused while one is active', async () => {
      const result = await requestPlan(db, {
        idempotencyKey: 'plan-L1-second',
        loanId: 'L1',
        requestedBy: 'agent-7',
        on: '2026-05-20',
        plan: { type: 're_installment', termCount: 6 },
        at: AT,
      });
      expect(result).toMatchObject({ ok: false, code: 'plan_already_open' });
    });
  });

  describe('settlement: approval limits, then paid in full by the deadline, which closes the loan', () => {
    let settlementId = '';

    it('a collector may not approve 18.2 %; a supervisor may', async () => {
      const reason = await recordOverdueReason(db, {
        idempotencyKey: 'reason-B2',
        borrowerId: 'B2',
        loanId: 'L2',
        reason: { category: 'business_failure', text: '店铺关门', capturedBy: 'borrower' },
        at: AT,
      });
      expect(reason).toMatchObject({ ok: true, replayed: false });
      const requested = await requestPlan(db, {
        idempotencyKey: 'plan-L2',
        loanId: 'L2',
        requestedBy: 'borrower',
        on: '2026-05-20',
        plan: { type: 'settlement', amount: '4500.00', deadline: '2026-06-15' },
        at: AT,
      });
      if (!requested.ok) throw new Error(JSON.stringify(requested));
      settlementId = requested.value.planId;
      expect(requested.value.offer).toMatchObject({
        balance: '5501.80',
        concession: '1001.80',
        approval: { required: true, minimumRole: 'supervisor' },
      });
      const denied = await approvePlan(db, {
        idempotencyKey: 'approve-L2-collector',
        planId: settlementId,
        approver: { id: 'agent-7', role: 'collector' },
        on: '2026-05-20',
        at: AT,
      });
      expect(denied).toEqual({
        ok: false,
        replayed: false,
        dryRun: false,
        code: 'approval_limit_exceeded',
        message: 'a collector may waive up to 10 % (550.18), this plan waives 18.2 % (1001.80)',
      });
      expect((await getHardshipPlan(db, settlementId))?.status).toBe('requested');
      const byBorrower = await approvePlan(db, {
        idempotencyKey: 'approve-L2-borrower',
        planId: settlementId,
        approver: { id: 'borrower', role: 'borrower' },
        on: '2026-05-20',
        at: AT,
      });
      expect(byBorrower).toMatchObject({ ok: false, code: 'approval_limit_exceeded' });
      const unknown = await approvePlan(db, {
        idempotencyKey: 'approve-L2-intern',
        planId: settlementId,
        approver: { id: 'x', role: 'intern' },
        on: '2026-05-20',
        at: AT,
      });
      expect(unknown).toMatchObject({ ok: false, code: 'approver_role_unknown' });
      const approved = await approvePlan(db, {
        idempotencyKey: 'approve-L2-supervisor',
        planId: settlementId,
        approver: { id: 'sup-1', role: 'supervisor' },
        on: '2026-05-20',
        at: AT,
      });
      expect(approved).toMatchObject({ ok: true, value: { status: 'active' } });
      const approvals = await listPlanApprovals(db, { borrowerId: 'B2', planId: settlementId });
      expect(approvals.map((row) => row.decision)).toEqual(['exceeded', 'exceeded', 'exceeded', 'approved']);
      expect(approvals[3]?.limits).toEqual({ waiveShareMax: '0.3', deferralMonthsMax: 6 });
      expect(approvals[0]?.message).toBe(
        'a collector may waive up to 10 % (550.18), this plan waives 18.2 % (1001.80)',
      );
    });

    it('payments reaching the lump sum complete it: the rest is waived and the loan closes', async () => {
      await closeThrough(db, '2026-05-25');
      await postPayment(db, {
        loanId: 'L2',
        amountMinor: 200_000n,
        on: '2026-05-25',
        source: 'manual',
        idempotencyKey: 'pay-L2-1',
      });
      const partly = await judgePlans(db, { businessDate: '2026-05-25', at: '2026-05-25T23:00:00Z' });
      expect(partly.kept).toBeGreaterThanOrEqual(1);
      await closeThrough(db, '2026-06-05');
      await postPayment(db, {
        loanId: 'L2',
        amountMinor: 250_000n,
        on: '2026-06-05',
        source: 'manual',
        idempotencyKey: 'pay-L2-2',
      });
      const stats = await judgePlans(db, { businessDate: '2026-06-05', at: '2026-06-05T23:00:00Z' });
      expect(stats.completed).toBe(1);
      const loan = await readLoanState(db, 'L2');
      expect(loan?.row).toMatchObject({ status: 'closed', nextEventDate: null });
      const ledger = await balances(db, 'L2');
      for (const account of ['principal_receivable', 'interest_receivable', 'fee_receivable', 'penalty_receivable']) {
        expect(ledger[account] ?? 0n).toBe(0n);
      }
      // Paid 4,500.00 in; what was still booked was written off to waiver expense.
      expect(ledger.cash).toBe(-500000n + 450000n);
      expect((ledger.waiver_expense ?? 0n) > 0n).toBe(true);
      expect(await getHardshipPlan(db, settlementId)).toMatchObject({ status: 'completed', endedOn: '2026-06-05' });
      const events = await queryRows<{ kind: string }>(
        db,
        sql`SELECT kind FROM outbox WHERE loan_id = 'L2' AND kind LIKE 'plan_%'`,
      );
      expect(events.map((row) => row.kind).sort()).toEqual(['plan_activated', 'plan_completed']);
      await replaysToStored(db, 'L2');
    });
  });

  describe('re-installment: a missed plan payment breaks the plan', () => {
    it('the first plan installment missed past its grace days breaks the plan and restores the original schedule', async () => {
      for (const date of ['2026-05-21', '2026-06-20', '2026-06-23'] as const) {
        await closeThrough(db, date);
        const stats = await judgePlans(db, { businessDate: date, at: `${date}T23:00:00Z` });
        expect(stats.broken).toBe(0);
      }
      expect((await getHardshipPlan(db, planId))?.nextCheckDate).toBe('2026-06-24');
      await closeThrough(db, '2026-06-24');
      const stats = await judgePlans(db, { businessDate: '2026-06-24', at: '2026-06-24T23:00:00Z' });
      expect(stats).toMatchObject({ judged: 1, broken: 1 });
      const plan = await getHardshipPlan(db, planId);
      expect(plan).toMatchObject({
        status: 'broken',
        resultCode: 'broken',
        nextCheckDate: null,
        endedOn: '2026-06-24',
      });
      expect(plan?.resultMessage).toContain('installment 19 due 2026-06-20 is unpaid past its 3 grace days');
      // L3 never had a plan: L1 is now the same loan, penalty for the plan's days included.
      await closeThrough(db, '2026-06-24');
      const restored = await readLoanState(db, 'L1');
      const never = await readLoanState(db, 'L3');
      const strip = (state: NonNullable<typeof never>['state']) =>
        JSON.stringify({ ...serializeLoanState(state), loanId: '', borrowerId: '' });
      expect(restored && never && strip(restored.state) === strip(never.state)).toBe(true);
      expect(await balances(db, 'L1')).toEqual(await balances(db, 'L3'));
      await replaysToStored(db, 'L1');
      const rerun = await judgePlans(db, { businessDate: '2026-06-24', at: '2026-06-24T23:30:00Z' });
      expect(rerun.judged).toBe(0);
    });
  });

  describe('eligibility and self-service', () => {
    it('refuses a plan the product does not allow at this DPD, and records the refusal', async () => {
      await recordOverdueReason(db, {
        idempotencyKey: 'reason-B4',
        borrowerId: 'B4',
        reason: { category: 'income_loss', capturedBy: 'borrower' },
        at: AT,
      });
      const result = await requestPlan(db, {
        idempotencyKey: 'plan-L4-deferral',
        loanId: 'L4',
        requestedBy: 'borrower',
        on: '2026-06-24',
        plan: { type: 'deferral', periods: 2 },
        at: AT,
      });
      expect(result).toMatchObject({
        ok: false,
        code: 'dpd_above_maximum',
        message: 'a deferral plan allows DPD of at most 30; the loan is at 101',
      });
      if (result.ok) return;
      expect(await getHardshipPlan(db, result.about as string)).toMatchObject({
        status: 'refused',
        resultCode: 'dpd_above_maximum',
      });
    });

    it('a dispute is handled as a complaint, not with a plan', async () => {
      const reason = await recordOverdueReason(db, {
        idempotencyKey: 'reason-B5',
        borrowerId: 'B5',
        loanId: 'L5',
        reason: { category: 'dispute', text: '我没有借过这笔钱', capturedBy: 'borrower' },
        at: AT,
      });
      expect(reason).toMatchObject({ ok: true, replayed: false });
      const result = await requestPlan(db, {
        idempotencyKey: 'plan-L5',
        loanId: 'L5',
        requestedBy: 'borrower',
        on: '2026-06-24',
        plan: { type: 're_installment', termCount: 6 },
        at: AT,
      });
      expect(result).toMatchObject({ ok: false, code: 'reason_not_eligible' });
    });

    it('a borrower takes a due-date change alone; it completes when applied', async () => {
      // A product policy of its own: due-date changes at any DPD up to 120, no reason needed.
      const json = hardshipPolicyToJson(defaultHardshipPolicy) as { plans: Record<string, unknown> };
      json.plans.due_date_change = { dpdAtLeast: 0, dpdAtMost: 120, reasonRequired: false };
      await setHardshipPolicy(db, { policyId: 'default', policy: json, at: AT });
      const requested = await requestPlan(db, {
        idempotencyKey: 'plan-L4-day',
        loanId: 'L4',
        requestedBy: 'borrower',
        on: '2026-06-24',
        plan: { type: 'due_date_change', dayOfMonth: 25 },
        at: AT,
      });
      if (!requested.ok) throw new Error(JSON.stringify(requested));
      expect(requested.value.offer.approval).toEqual({ required: false, minimumRole: 'collector' });
      const accepted = await approvePlan(db, {
        idempotencyKey: 'accept-L4-day',
        planId: requested.value.planId,
        approver: { id: 'borrower', role: 'borrower' },
        on: '2026-06-24',
        at: AT,
      });
      expect(accepted).toMatchObject({ ok: true, value: { status: 'completed' } });
      const loan = await readLoanState(db, 'L4');
      const next = loan?.state.installments.find((row) => row.dueDate > '2026-06-24');
      // The new day nearest the old due date (07-15): 07-25 rather than 06-25.
      expect(next?.dueDate).toBe('2026-07-25');
      await replaysToStored(db, 'L4');
    });

    it('an approver can refuse a requested plan', async () => {
      const requested = await requestPlan(db, {
        idempotencyKey: 'plan-L4-reage',
        loanId: 'L4',
        requestedBy: 'agent-9',
        on: '2026-06-24',
        plan: { type: 're_age' },
        at: AT,
      });
      // The loan is 101 days past due: above the default re-age maximum of 90.
      expect(requested).toMatchObject({ ok: false, code: 'dpd_above_maximum' });
      const settle = await requestPlan(db, {
        idempotencyKey: 'plan-L4-settle',
        loanId: 'L4',
        requestedBy: 'agent-9',
        on: '2026-06-24',
        plan: { type: 'settlement', amount: '5000.00', deadline: '2026-07-10' },
        at: AT,
      });
      if (!settle.ok) throw new Error(JSON.stringify(settle));
      const refused = await refusePlan(db, {
        idempotencyKey: 'refuse-L4',
        planId: settle.value.planId,
        approver: { id: 'sup-1', role: 'supervisor' },
        on: '2026-06-24',
        reason: 'income not verified',
        at: AT,
      });
      expect(refused).toEqual({ ok: true, value: { planId: settle.value.planId }, replayed: false, dryRun: false });
      expect(await getHardshipPlan(db, settle.value.planId)).toMatchObject({
        status: 'refused',
        resultMessage: 'income not verified',
      });
      const late = await approvePlan(db, {
        idempotencyKey: 'approve-L4-settle',
        planId: settle.value.planId,
        approver: { id: 'mgr', role: 'manager' },
        on: '2026-06-24',
        at: AT,
      });
      expect(late).toMatchObject({ ok: false, code: 'plan_not_requested' });
    });
  });
  describe('rate caps', () => {
    it('refuses a deferral that accrues interest on a loan priced above the refusal line, and records the refusal', async () => {
      const json = hardshipPolicyToJson(defaultHardshipPolicy) as { plans: Record<string, Record<string, unknown>> };
      json.plans.deferral = {
        ...json.plans.deferral,
        dpdAtMost: 180,
        periodsMax: 12,
        reasonRequired: false,
        interest: 'accrue',
      };
      await setHardshipPolicy(db, { policyId: 'P-DEAR', policy: json, at: AT });
      const requested = await requestPlan(db, {
        idempotencyKey: 'plan-L7',
        loanId: 'L7',
        requestedBy: 'agent-9',
        on: '2026-06-24',
        plan: { type: 'deferral', periods: 6 },
        at: AT,
      });
      if (requested.ok) throw new Error(JSON.stringify(requested));
      expect(requested.code).toBe('rate_above_cap');
      expect(requested.message).toMatch(/APR 40\.25 % is above the refusal line 36 % \(cn-2026 pricing\)$/);
      expect(await getHardshipPlan(db, requested.about as string)).toMatchObject({ status: 'refused' });
    });
  });

  describe('re-age under a product policy of its own', () => {
    it('three on-time payments of the installment due reset delinquency: DPD 0, bucket M0', async () => {
      const json = hardshipPolicyToJson(defaultHardshipPolicy) as { plans: Record<string, Record<string, unknown>> };
      json.plans.re_age = { dpdAtLeast: 1, dpdAtMost: 180, reasonRequired: false, onTimePayments: 3 };
      await setHardshipPolicy(db, { policyId: 'P-REAGE', policy: json, at: AT });
      const requested = await requestPlan(db, {
        idempotencyKey: 'plan-L6',
        loanId: 'L6',
        requestedBy: 'agent-9',
        on: '2026-06-24',
        plan: { type: 're_age' },
        at: AT,
      });
      if (!requested.ok) throw new Error(JSON.stringify(requested));
      expect(requested.value.offer).toMatchObject({
        dpd: 101,
        approval: { required: true, minimumRole: 'collector' },
        planInstallments: [
          { number: null, dueDate: '2026-07-15', amount: '305.00' },
          { number: null, dueDate: '2026-08-15', amount: '305.00' },
          { number: null, dueDate: '2026-09-15', amount: '305.00' },
        ],
      });
      const approved = await approvePlan(db, {
        idempotencyKey: 'approve-L6',
        planId: requested.value.planId,
        approver: { id: 'agent-9', role: 'collector' },
        on: '2026-06-24',
        at: AT,
      });
      expect(approved).toMatchObject({ ok: true, value: { status: 'active' } });
      for (const date of ['2026-07-15', '2026-08-15', '2026-09-15'] as const) {
        await closeThrough(db, date);
        const paid = await postPayment(db, {
          loanId: 'L6',
          amountMinor: 30_500n,
          on: date,
          source: 'manual',
          idempotencyKey: `pay-L6-${date}`,
        });
        expect(paid.outcome).toBe('posted');
        const stats = await judgePlans(db, { businessDate: date, at: `${date}T23:00:00Z` });
        expect(stats.broken).toBe(0);
      }
      // Each payment went to the oldest installment, so the loan stayed past due until the plan completed
      // and moved what was past due to one installment after the last.
      expect(await getHardshipPlan(db, requested.value.planId)).toMatchObject({
        status: 'completed',
        endedOn: '2026-09-15',
      });
      const loan = await readLoanState(db, 'L6');
      expect(loan?.row).toMatchObject({ dpd: 0, bucket: 'M0', status: 'active' });
      const last = loan?.state.installments[loan.state.installments.length - 1];
      expect(last).toMatchObject({ number: 19, dueDate: '2027-09-15' });
      await replaysToStored(db, 'L6');
    });
  });
});
