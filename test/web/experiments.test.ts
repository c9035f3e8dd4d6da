// Browser end-to-end for the Strategies page's "Experiment results" panel (GET /strategies/{name}/results,
// docs/decisions/0005) over the seeded book of support.ts: a strategy "trial" with a champion/challenger
// experiment is activated (asked and approved), contacts of both arms are seeded (sent and suppressed)
// with payments inside, after and outside their windows; a supervisor sees each arm's counts and rates
// exactly as the API computes them, the lift, the note when no outcome is known yet, the empty span, and
// a strategy without an experiment saying so. The panel's pure readings are checked first, in node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, msPerDay, type IsoDate } from '../../src/calendar/index.ts';
import { builtInStrategies, strategyToJson, type ContactIntent, type Strategy } from '../../src/contact/index.ts';
import { approveRequest, experimentResults, requestActivation, type CommandContext } from '../../src/app/index.ts';
import {
  assignVerificationCode,
  insertContacts,
  insertPayments,
  updateContact,
  type Database,
} from '../../src/store/index.ts';
import type { ExperimentResults } from '../../web/src/api/types.ts';
import { defaultSpan, experimentOf, isEmpty, liftPoints, pendingOutcomes } from '../../web/src/console/experiment.ts';
import { browserTestsUnavailable, SEED, staffSignIn, startWebHarness, type WebHarness } from './support.ts';

const unavailable = browserTestsUnavailable();
if (unavailable) console.warn(unavailable);

const arm = (name: 'champion' | 'challenger', intents: number, outcomesKnown: number) => ({
  arm: name,
  intents,
  sent: intents,
  suppressed: 0,
  sentRate: intents ? '1.0000' : null,
  outcomesKnown,
  paid: 0,
  paidRate: outcomesKnown ? '0.0000' : null,
});

describe('the experiment panel’s readings of GET /strategies/{name}/results (no browser)', () => {
  it('says the lift in signed percentage points, exactly', () => {
    expect(liftPoints('0.1667')).toBe('+16.67');
    expect(liftPoints('-0.0500')).toBe('-5.00');
    expect(liftPoints('0.0000')).toBe('0.00');
    expect(liftPoints(null)).toBeNull();
  });

  it('counts outcomes still in their window, knows an empty span, and reads the experiment of a document', () => {
    const results: ExperimentResults = {
      strategy: 'trial',
      from: '2026-03-01',
      through: '2026-03-31',
      windowDays: 7,
      knownThrough: '2026-03-10',
      champion: arm('champion', 4, 3),
      challenger: arm('challenger', 2, 0),
      paidRateLift: null,
    };
    expect(pendingOutcomes(results)).toBe(3);
    expect(isEmpty(results)).toBe(false);
    expect(isEmpty({ ...results, champion: arm('champion', 0, 0), challenger: arm('challenger', 0, 0) })).toBe(true);
    expect(experimentOf({ name: 'x', experiment: { name: 'sms-first', challengerPercent: 20 } })).toEqual({
      name: 'sms-first',
      challengerPercent: 20,
    });
    expect(experimentOf({ name: 'x' })).toBeNull();
    expect(defaultSpan('2026-03-01')).toEqual({ from: '2026-01-31', through: '2026-03-01' });
  });
});

/** A contact as the pipeline leaves it: sent (with its verification code) or suppressed. */
async function seedContact(
  db: Database,
  contact: { borrowerId: string; loanId: string; arm: 'champion' | 'challenger'; date: IsoDate; sent: boolean },
): Promise<void> {
  const atMs = Date.parse(`${contact.date}T02:00:00Z`);
  const intent: ContactIntent = {
    intentId: `${contact.borrowerId}:${contact.date}:exp_${contact.arm}:sms`,
    borrowerId: contact.borrowerId,
    loanIds: [contact.loanId],
    subjects: [],
    channel: 'sms',
    template: `exp_${contact.arm}`,
    purpose: 'reminder',
    stage: 'delinquent',
    strategy: { name: 'trial', version: 1, arm: contact.arm, stepId: `exp_${contact.arm}` },
    date: contact.date,
    plannedAtMs: atMs,
    validUntilMs: atMs + msPerDay,
    reasons: [],
  };
  await insertContacts(db, [
    {
      intent,
      businessDate: contact.date,
      status: contact.sent ? 'planned' : 'suppressed',
      dueAtMs: atMs,
      verdict: contact.sent ? 'send' : 'suppress',
      reasons: [],
      decidedAtMs: atMs,
    },
  ]);
  if (contact.sent) {
    const key = { borrowerId: intent.borrowerId, contactId: intent.intentId };
    await assignVerificationCode(db, { ...key, secret: 'experiments-web-secret-0123456789', createdAtMs: atMs });
    await updateContact(db, key, { status: 'sent', address: '+8613900000009', sentAtMs: atMs }, atMs);
  }
}

describe.skipIf(unavailable !== null)('the console’s experiment results', { timeout: 120_000 }, () => {
  let harness: WebHarness;
  const day = (offset: number) => addDays(harness.today, offset);

  beforeAll(async () => {
    harness = await startWebHarness();
    const { db } = harness;
    const as = (staff: string): CommandContext => ({ db, actor: { kind: 'staff', id: staff }, nowMs: Date.now() });
    const json = strategyToJson(builtInStrategies.default as Strategy);
    const trial = {
      ...json,
      name: 'trial',
      version: 1,
      experiment: {
        name: 'sms-first',
        challengerPercent: 50,
        challenger: { steps: json.steps.map((step) => ({ ...step, id: `${step.id}_c` })) },
      },
    };
    const asked = await requestActivation(as(SEED.supervisor), { input: { strategy: trial } });
    if (!asked.ok) throw new Error(`activation refused: ${asked.message}`);
    const approved = await approveRequest(as(SEED.compliance), { input: { approvalId: asked.value.approvalId } });
    if (!approved.ok) throw new Error(`approval refused: ${approved.message}`);

    const { overdue, current } = SEED;
    // The book was closed through today: a 7-day window is known for contacts a week old or more.
    await seedContact(db, {
      borrowerId: overdue.borrowerId,
      loanId: overdue.loanId,
      arm: 'champion',
      date: day(-20),
      sent: true,
    });
    await seedContact(db, {
      borrowerId: current.borrowerId,
      loanId: current.loanId,
      arm: 'champion',
      date: day(-19),
      sent: true,
    });
    await seedContact(db, {
      borrowerId: 'B-OTHER',
      loanId: 'LN-OTHER',
      arm: 'challenger',
      date: day(-20),
      sent: false,
    });
    await seedContact(db, {
      borrowerId: overdue.borrowerId,
      loanId: overdue.loanId,
      arm: 'challenger',
      date: day(-12),
      sent: true,
    });
    await seedContact(db, {
      borrowerId: current.borrowerId,
      loanId: current.loanId,
      arm: 'challenger',
      date: day(-3),
      sent: true,
    });
    const payment = (borrowerId: string, loanId: string, on: IsoDate, status = 'posted') => ({
      borrowerId,
      paymentId: `P-${loanId}-${on}`,
      loanId,
      idempotencyKey: `exp:${loanId}:${on}`,
      requestHash: 'x',
      amountMinor: 10_000n,
      currency: 'CNY',
      source: 'manual',
      status,
      result: null,
      receivedAt: `${on}T00:00:00.000Z`,
    });
    await insertPayments(db, [
      payment(overdue.borrowerId, overdue.loanId, day(-18)), // champion, within its window
      payment(current.borrowerId, current.loanId, day(-5)), // champion, after its window closed
      payment('B-OTHER', 'LN-OTHER', day(-17)), // challenger (suppressed), within
      payment(overdue.borrowerId, overdue.loanId, day(-11), 'declined'), // a declined debit is no payment
      payment(overdue.borrowerId, overdue.loanId, day(-10)), // challenger, within
    ]);
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  /** Sets the panel's span and window, and waits for the answer to that exact question. */
  async function ask(page: import('playwright-core').Page, from: IsoDate, through: IsoDate, windowDays: number) {
    await page.getByTestId('experiment-from').fill(from);
    await page.getByTestId('experiment-through').fill(through);
    await page.getByTestId('experiment-window').fill(String(windowDays));
    await page.getByTestId('experiment-window').press('Tab');
    await page.locator(`[data-testid="experiment-results"][data-span="${from} ${through} ${windowDays}"]`).waitFor();
  }

  it('shows both arms’ counts and rates as the API computes them, the lift, and the paid-rate chart', async () => {
    const expected = await experimentResults(harness.db, {
      strategy: 'trial',
      from: day(-30),
      through: day(0),
      windowDays: 7,
    });
    const { champion, challenger } = expected.comparison;
    // The seeded outcomes: champion 1 paid of 2, challenger 2 paid of 2 known, one contact still in its window.
    expect(champion).toMatchObject({ intents: 2, sent: 2, outcomesKnown: 2, paid: 1, paidRate: '0.5000' });
    expect(challenger).toMatchObject({ intents: 3, suppressed: 1, sentRate: '0.6667', outcomesKnown: 2, paid: 2 });
    expect(expected.comparison.paidRateLift).toBe('0.5000');

    const context = await harness.newContext({ viewport: { width: 1366, height: 1000 } });
    const page = await context.newPage();
    await staffSignIn(page, SEED.supervisor);
    await page.getByTestId('nav-strategies').click();
    await page.getByTestId('experiment-panel').waitFor();
    expect(await page.getByTestId('experiment-panel').textContent()).toContain('sms-first');
    await ask(page, day(-30), day(0), 7);
    for (const arm of [champion, challenger]) {
      const row = page.getByTestId(`experiment-arm-${arm.arm}`);
      for (const field of ['intents', 'sent', 'suppressed', 'outcomesKnown', 'paid'] as const) {
        expect(await row.getByTestId(`arm-${field}`).textContent(), `${arm.arm} ${field}`).toBe(String(arm[field]));
      }
      for (const field of ['sentRate', 'paidRate'] as const) {
        expect(await row.getByTestId(`arm-${field}`).getAttribute('data-value'), `${arm.arm} ${field}`).toBe(
          arm[field],
        );
      }
    }
    const row = (name: string) => page.getByTestId(`experiment-arm-${name}`);
    expect(await row('challenger').getByTestId('arm-sentRate').textContent()).toBe('66.67%');
    expect(await row('champion').getByTestId('arm-paidRate').textContent()).toBe('50.00%');
    expect(await row('challenger').getByTestId('arm-paidRate').textContent()).toBe('100.00%');
    expect(await page.getByTestId('experiment-lift').textContent()).toContain('+50.00 pp');
    expect(await page.getByTestId('lift-unknown').count()).toBe(0);
    expect(await page.getByTestId('experiment-pending').textContent()).toBe(
      `Contacts whose window is still open after ${harness.today}, not counted yet: 1`,
    );
    await page.getByTestId('chart-experiment-paid-rate').locator('canvas').first().waitFor();
    await harness.screenshot(page, 'supervisor-experiment-results');

    // A window longer than the time since: nothing is known yet, and the page says why there is no lift.
    await ask(page, day(-20), day(-19), 30);
    expect(await row('champion').getByTestId('arm-outcomesKnown').textContent()).toBe('0');
    expect(await row('champion').getByTestId('arm-paidRate').textContent()).toBe('—');
    expect(await page.getByTestId('experiment-lift').getAttribute('data-value')).toBe('');
    expect(await page.getByTestId('lift-unknown').textContent()).toContain(harness.today);

    // A span with no contacts of the strategy.
    await ask(page, day(-60), day(-40), 7);
    expect(await page.getByTestId('experiment-empty').textContent()).toContain(`from ${day(-60)} through ${day(-40)}`);

    // A built-in without an experiment: the panel says so.
    await page.getByTestId('strategy-default').click();
    await page.getByTestId('experiment-none').waitFor();
    expect(await page.getByTestId('experiment-results').count()).toBe(0);
    await context.close();
  });
});
