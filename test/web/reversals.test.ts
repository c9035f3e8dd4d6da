// Browser end-to-end for payment reversals (issue 19): the seeded overdue loan (DPD 45) is brought
// current by a payment of everything overdue; a supervisor opens the loan's ledger, reverses that payment
// (it came back unpaid) — a reason, then the confirmation — and sees the loan re-open: DPD 45 again, the
// payment marked reversed. A collector sees no Reverse action. Above the approval threshold the
// supervisor's reversal waits; an admin approves it on the approvals page and the loan re-opens then.
// Effects are checked where they land (the stored loan and payment), not only on screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, testPasswordHashing } from '../../src/api/index.ts';
import { postPayment, readLoanState } from '../../src/app/index.ts';
import { listLoanPayments } from '../../src/store/index.ts';
import { createStaffAccount } from '../../src/store/access.ts';
import { browserTestsUnavailable, PASSWORD, SEED, staffSignIn, startWebHarness, type WebHarness } from './support.ts';

const unavailable = browserTestsUnavailable();
if (unavailable) console.warn(unavailable);

describe.skipIf(unavailable !== null)('browser end-to-end: payment reversals', { timeout: 120_000 }, () => {
  let harness: WebHarness;
  let paymentId: string;
  const { loanId, borrowerId } = SEED.overdue;

  beforeAll(async () => {
    harness = await startWebHarness();
    const loan = await readLoanState(harness.db, loanId);
    expect(loan?.state.dpd).toBe(45);
    const paid = await postPayment(harness.db, {
      loanId,
      amountMinor: 150_000n,
      on: harness.today,
      source: 'manual',
      idempotencyKey: 'e2e-catch-up',
    });
    if (paid.outcome !== 'posted') throw new Error(JSON.stringify(paid));
    paymentId = paid.paymentId;
    expect((await readLoanState(harness.db, loanId))?.state.dpd).toBe(0);
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('a collector sees the payments but no Reverse action', async () => {
    const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await staffSignIn(page, SEED.collector);
    await page.goto(`/console/loans/${loanId}`);
    await page.getByTestId('tab-ledger').click();
    await page.getByTestId(`payment-status-${paymentId}`).waitFor();
    expect(await page.getByTestId(`reverse-${paymentId}`).count()).toBe(0);
    await context.close();
  });

  it('a supervisor reverses the payment with a reason and sees the loan re-open', async () => {
    const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await staffSignIn(page, SEED.supervisor);
    await page.goto(`/console/loans/${loanId}`);
    expect(await page.getByTestId('loan-dpd').textContent()).toBe('0');
    await page.getByTestId('tab-ledger').click();
    await page.getByTestId(`reverse-${paymentId}`).click();
    const dialog = page.getByTestId('reversal-dialog');
    await dialog.waitFor();
    // Nothing to confirm before a reason is chosen.
    expect(await page.getByTestId('reversal-confirm').isDisabled()).toBe(true);
    await dialog.getByRole('combobox').click();
    await page
      .locator('.ant-select-item-option')
      .filter({ hasText: /insufficient funds|余额不足/ })
      .click();
    await harness.screenshot(page, 'supervisor-reverse-payment');
    await page.getByTestId('reversal-confirm').click();
    await page.getByTestId('saved').waitFor();
    const saved = await page.getByTestId('saved').textContent();
    expect(saved).toMatch(/0 → 45/);
    await page.getByTestId('loan-dpd').filter({ hasText: '45' }).waitFor();
    await page.getByTestId('tab-ledger').click();
    const status = page.getByTestId(`payment-status-${paymentId}`);
    await status.waitFor();
    expect(await status.textContent()).toMatch(/Reversed|已冲正/);
    expect(await page.getByTestId(`reverse-${paymentId}`).count()).toBe(0);

    // Where it lands: the loan is overdue again as the replay says, the payment stored as reversed.
    const loan = await readLoanState(harness.db, loanId);
    expect(loan?.state).toMatchObject({ dpd: 45, status: 'overdue' });
    const payments = await listLoanPayments(harness.db, { borrowerId, loanId });
    expect(payments.find((payment) => payment.paymentId === paymentId)).toMatchObject({
      status: 'reversed',
      result: { reversal: { reason: 'returned_nsf' } },
    });
    await context.close();
  });

  it('above the threshold the reversal waits for approval, and an admin approving it re-opens the loan', async () => {
    const paid = await postPayment(harness.db, {
      loanId,
      amountMinor: 150_000n,
      on: harness.today,
      source: 'manual',
      idempotencyKey: 'e2e-catch-up-2',
    });
    if (paid.outcome !== 'posted') throw new Error(JSON.stringify(paid));
    expect((await readLoanState(harness.db, loanId))?.state.dpd).toBe(0);
    harness.api.context.reversalApprovalAboveMinor = 100_000n;
    await createStaffAccount(harness.db, {
      username: 'li',
      role: 'admin',
      passwordHash: await hashPassword(PASSWORD, testPasswordHashing),
      atMs: Date.now(),
    });
    try {
      const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await staffSignIn(page, SEED.supervisor);
      await page.goto(`/console/loans/${loanId}`);
      await page.getByTestId('tab-ledger').click();
      await page.getByTestId(`reverse-${paid.paymentId}`).click();
      await page.getByTestId('reversal-dialog').getByRole('combobox').click();
      await page
        .locator('.ant-select-item-option')
        .filter({ hasText: /Posted twice|重复入账/ })
        .click();
      await page.getByTestId('reversal-confirm').click();
      await page.getByTestId('saved').waitFor();
      expect(await page.getByTestId('saved').textContent()).toMatch(/approval|审批/);
      expect((await readLoanState(harness.db, loanId))?.state.dpd).toBe(0);
      await context.close();

      const adminContext = await harness.newContext({ viewport: { width: 1366, height: 900 } });
      const admin = await adminContext.newPage();
      await staffSignIn(admin, 'li');
      await admin.goto('/console/approvals');
      const approve = admin.locator('[data-testid^="approve-"]');
      await approve.first().waitFor();
      expect(await approve.count()).toBe(1);
      await approve.first().click();
      await admin.getByTestId('approval-confirm').click();
      await admin.locator('[data-testid^="approve-"]').first().waitFor({ state: 'detached' });
      await expect.poll(async () => (await readLoanState(harness.db, loanId))?.state.dpd).toBe(45);
      const payments = await listLoanPayments(harness.db, { borrowerId, loanId });
      expect(payments.find((payment) => payment.paymentId === paid.paymentId)).toMatchObject({
        status: 'reversed',
        result: { reversal: { reason: 'duplicate' } },
      });
      await adminContext.close();
    } finally {
      delete harness.api.context.reversalApprovalAboveMinor;
    }
  });
});
