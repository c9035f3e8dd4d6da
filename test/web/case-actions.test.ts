// Browser end-to-end for the workbench's commands beyond a call (issue 12): a collector previews and
// escalates their case from the workbench and sees a refusal by its message; a supervisor escalates it
// to the letter stage from the loan page, reads the lawyer's letter in the preview and downloads the PDF
// that was sent; a collector queues a status notice about a delayed refund (once: the same notice again
// queues nothing); compliance filters the complaints to the breached ones and sees the breach marked.
// Effects are checked where they land (the case's stage, the contacts), not only on screen. Its own
// harness: the promise e2e.test.ts records would stop an escalation (promise_open).
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, msPerDay } from '../../src/calendar/index.ts';
import type { ContactIntent } from '../../src/contact/index.ts';
import { alertComplaintBreaches, openComplaint } from '../../src/app/index.ts';
import {
  assignVerificationCode,
  getOpenCase,
  insertContacts,
  listBorrowerContacts,
  updateContact,
  upsertBorrowers,
} from '../../src/store/index.ts';
import { browserTestsUnavailable, SEED, staffSignIn, startWebHarness, ZONE, type WebHarness } from './support.ts';

const unavailable = browserTestsUnavailable();
if (unavailable) console.warn(unavailable);

const secret = 'a-console-test-secret-of-32-bytes';
const lender = { name: '宽信贷', address: '北京市朝阳区建国路1号', portalUrl: 'https://kuan.example/portal' };
const postalAddress = '上海市浦东新区世纪大道100号';
/** A short ladder the seeded overdue loan (DPD 45) climbs: hard at once, legal once a final notice went out. */
const ladder = [
  { name: 'soft', dpdAtLeast: 1, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'hard', dpdAtLeast: 20, noticesRequired: [], noticesSentDaysBeforeMin: 0, lawyerLetter: false },
  { name: 'legal', dpdAtLeast: 30, noticesRequired: ['final_notice'], noticesSentDaysBeforeMin: 0, lawyerLetter: true },
];

describe.skipIf(unavailable !== null)(
  'browser end-to-end: escalations, status notices, breaches',
  { timeout: 120_000 },
  () => {
    let harness: WebHarness;
    let breachedId: string;
    let timelyId: string;

    beforeAll(async () => {
      harness = await startWebHarness();
      harness.api.context.cases = { ladder, lender, verificationSecret: secret };
      // The server's day starts at noon in the borrowers' zone: a letter is not sent in quiet hours.
      const startedMs = Date.now();
      const noonMs = Date.parse(`${harness.today}T12:00:00+08:00`);
      harness.api.context.clock = () => noonMs + (Date.now() - startedMs);
      const { overdue } = SEED;
      // The letter goes to the borrower's own postal address.
      await upsertBorrowers(harness.db, [
        {
          borrowerId: overdue.borrowerId,
          name: overdue.name,
          timezone: ZONE,
          locale: 'zh-CN',
          contacts: { sms: overdue.phone, voice: overdue.phone, email: 'zhang@example.com', letter: postalAddress },
        },
      ]);
      // Two complaints from B-OTHER: the first's deadline passes and `kuan day` alerts it; the second is new.
      const nowMs = Date.now();
      const complain = async (key: string, atMs: number) => {
        const opened = await openComplaint({
          db: harness.db,
          request: {
            idempotencyKey: key,
            borrowerId: 'B-OTHER',
            source: 'borrower',
            raisedBy: 'B-OTHER',
            category: 'fees',
            text: `罚息太高 (${key})`,
            atMs,
          },
        });
        return (opened as { complaint: { complaintId: string } }).complaint.complaintId;
      };
      breachedId = await complain('complaint-late', nowMs - 60 * msPerDay);
      expect(await alertComplaintBreaches({ db: harness.db, nowMs })).toHaveLength(1);
      timelyId = await complain('complaint-new', nowMs);
    }, 180_000);

    afterAll(async () => {
      await harness?.close();
    });

    it('a collector previews and escalates their case from the workbench; a refusal shows its reason', async () => {
      const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await staffSignIn(page, SEED.collector);
      await page.getByTestId('nav-workbench').click();
      await page.getByTestId('next-case').click();
      await page.getByTestId('case-header').waitFor();
      await page.getByTestId('tab-escalate').click();
      const form = page.getByTestId('escalation-form');
      expect(await form.getByRole('combobox').inputValue()).toBe('hard');
      // Nothing to confirm before a preview.
      expect(await form.getByTestId('escalation-confirm').isDisabled()).toBe(true);
      await form.getByTestId('escalation-preview-button').click();
      const preview = form.getByTestId('escalation-preview');
      await preview.waitFor();
      expect(await form.getByTestId('escalation-reasons').textContent()).toContain('DPD 45 ≥ 20');
      expect(await preview.textContent()).toContain('This stage sends no letter');
      // The preview wrote nothing.
      expect((await getOpenCase(harness.db, SEED.overdue.borrowerId))?.stage).toBe('soft');
      await harness.screenshot(page, 'collector-escalation-preview');

      await form.getByTestId('escalation-confirm').click();
      await form.getByTestId('escalation-done').waitFor();
      expect(await form.getByTestId('escalation-done').textContent()).toContain('soft → hard');
      expect((await getOpenCase(harness.db, SEED.overdue.borrowerId))?.stage).toBe('hard');

      // The next stage needs a final notice nobody sent: refused, by the server's reason, and nothing written.
      expect(await form.getByRole('combobox').inputValue()).toBe('legal');
      await form.getByTestId('escalation-preview-button').click();
      await form.getByTestId('escalation-error').waitFor();
      expect(await form.getByTestId('escalation-error').textContent()).toContain('final_notice');
      expect(await form.getByTestId('escalation-preview').count()).toBe(0);
      expect((await getOpenCase(harness.db, SEED.overdue.borrowerId))?.stage).toBe('hard');
      await context.close();
    });

    it("a supervisor escalates to the letter stage from the loan page and downloads the lawyer's letter", async () => {
      // The final notice went out eight days ago.
      const date = addDays(harness.today, -8);
      const atMs = Date.parse(`${date}T02:00:00Z`);
      const intent: ContactIntent = {
        intentId: `${SEED.overdue.borrowerId}:${date}:final_notice:sms`,
        borrowerId: SEED.overdue.borrowerId,
        loanIds: [SEED.overdue.loanId],
        subjects: [],
        channel: 'sms',
        template: 'final_notice',
        purpose: 'reminder',
        stage: 'delinquent',
        strategy: { name: 'default', version: 1, arm: 'champion', stepId: 'final_notice' },
        date,
        plannedAtMs: atMs,
        validUntilMs: atMs + msPerDay,
        reasons: [],
      };
      await insertContacts(harness.db, [
        {
          intent,
          businessDate: date,
          status: 'planned',
          dueAtMs: atMs,
          verdict: 'send',
          reasons: [],
          decidedAtMs: atMs,
        },
      ]);
      const key = { borrowerId: intent.borrowerId, contactId: intent.intentId };
      await assignVerificationCode(harness.db, { ...key, secret, createdAtMs: atMs });
      await updateContact(harness.db, key, { status: 'sent', address: SEED.overdue.phone, sentAtMs: atMs }, atMs);

      const context = await harness.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
      const page = await context.newPage();
      await staffSignIn(page, SEED.supervisor);
      await page.goto(`/console/loans/${SEED.overdue.loanId}`);
      await page.getByTestId('loan-page').waitFor();
      await page.getByTestId('open-escalation').click();
      const form = page.getByTestId('escalation-form');
      await form.waitFor();
      expect(await form.getByRole('combobox').inputValue()).toBe('legal');
      await form.getByTestId('escalation-preview-button').click();
      const letter = form.getByTestId('escalation-letter-preview');
      await letter.or(form.getByTestId('escalation-error')).waitFor();
      expect(await form.getByTestId('escalation-error').allTextContents()).toEqual([]);
      expect(await letter.textContent()).toContain(postalAddress);
      expect((await form.getByTestId('escalation-letter-body').textContent())?.length).toBeGreaterThan(50);
      expect(await form.getByTestId('escalation-reasons').textContent()).toContain('final_notice');
      await harness.screenshot(page, 'supervisor-letter-preview');

      await form.getByTestId('escalation-confirm').click();
      const done = form.getByTestId('escalation-done');
      await done.waitFor();
      expect(await done.textContent()).toContain('hard → legal');
      expect((await getOpenCase(harness.db, SEED.overdue.borrowerId))?.stage).toBe('legal');
      const sent = await listBorrowerContacts(harness.db, SEED.overdue.borrowerId);
      const letterContact = sent.find((contact) => contact.template === 'lawyer_letter');
      expect(letterContact).toMatchObject({ status: 'sent', channel: 'letter' });
      expect(await done.textContent()).toContain(letterContact?.verificationCode ?? 'no code');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        form.getByTestId('escalation-letter-download').click(),
      ]);
      expect(download.suggestedFilename()).toMatch(/\.pdf$/);
      const pdf = await readFile(await download.path());
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      await harness.screenshot(page, 'supervisor-letter-sent');
      await context.close();
    });

    it('a collector sends a status notice about a delayed refund from the loan page, once', async () => {
      const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await staffSignIn(page, SEED.collector);
      await page.goto(`/console/loans/${SEED.current.loanId}`);
      await page.getByTestId('loan-page').waitFor();

      const send = async () => {
        await page.getByTestId('open-notice-form').click();
        const form = page.getByTestId('notice-form');
        await form.getByTestId('notice-amount').fill('50.00');
        await form.getByTestId('notice-reference').fill('R-2041');
        await form.getByTestId('notice-submit').click();
        await page.getByTestId('saved').waitFor();
        return page.getByTestId('saved').textContent();
      };
      expect(await send()).toContain('Notice queued');
      const notices = (await listBorrowerContacts(harness.db, SEED.current.borrowerId)).filter(
        (contact) => contact.template === 'status_delayed',
      );
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({ status: 'planned', channel: 'sms' });
      await harness.screenshot(page, 'collector-status-notice');

      // The same notice again (a new click, so a new key): the server queues nothing new, and says so.
      await page.getByTestId('saved').locator('.ant-alert-close-icon').click();
      expect(await send()).toContain('nothing new was queued');
      const again = (await listBorrowerContacts(harness.db, SEED.current.borrowerId)).filter(
        (contact) => contact.template === 'status_delayed',
      );
      expect(again).toHaveLength(1);
      await context.close();
    });

    it('compliance sees the breached complaint marked and filters to the breached ones', async () => {
      const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      await staffSignIn(page, SEED.compliance);
      await page.getByTestId('nav-complaints').click();
      const list = page.getByTestId('complaints');
      await list.getByText(timelyId).waitFor();
      await list.getByTestId(`complaint-breached-${breachedId}`).waitFor();
      expect(await list.getByTestId(`complaint-breached-${timelyId}`).count()).toBe(0);

      await list.getByTestId('complaints-breached').click();
      await expect.poll(() => list.getByText(timelyId).count()).toBe(0);
      await list.getByTestId(`complaint-breached-${breachedId}`).waitFor();
      expect(await list.getByTestId(`complaint-breached-${breachedId}`).textContent()).toContain('alerted');
      await harness.screenshot(page, 'compliance-breached-complaints');
      await context.close();
    });
  },
);
