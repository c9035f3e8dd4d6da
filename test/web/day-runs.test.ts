// Browser end-to-end for the console's Day page (GET /day-runs) over the seeded book of support.ts: before
// any day has run a supervisor sees how to run one; after `runDay` for today and tomorrow (and a close that
// failed the day before) the newest date shows its seven stages completed with the very counts the store
// recorded, the chart of stage durations is drawn, and the failed date shows its error with the later
// stages not run. A collector's menu has no Day page. The page's pure readings (chart series, stage rows,
// durations, counts) are checked first, in node.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/calendar/index.ts';
import { builtInStrategies, parsePolicy, type Strategy } from '../../src/contact/index.ts';
import { dayStages, runDay } from '../../src/app/index.ts';
import { finishDayStage, listDayRuns, startDayStage } from '../../src/store/index.ts';
import type { DayRun } from '../../web/src/api/types.ts';
import { countEntries, durationChart, durationParts, stageRows } from '../../web/src/console/day.ts';
import { messages } from '../../web/src/messages.ts';
import { browserTestsUnavailable, SEED, staffSignIn, startWebHarness, ZONE, type WebHarness } from './support.ts';

const unavailable = browserTestsUnavailable();
if (unavailable) console.warn(unavailable);

/** A count as the page shows it: its English label (the key itself when it has none) and its value. */
function countText(name: string, value: unknown): string {
  const key = `day.count.${name}`;
  const label = Object.hasOwn(messages, key) ? messages[key as keyof typeof messages][0] : name;
  const shown =
    typeof value === 'boolean' ? (value ? 'yes' : 'no') : typeof value === 'object' ? JSON.stringify(value) : value;
  return `${label} ${String(shown)}`;
}

describe('the Day page’s readings of GET /day-runs (no browser)', () => {
  const stage = (name: DayRun['stages'][number]['stage'], startedAt: string, finishedAt: string | null) => ({
    stage: name,
    status: finishedAt ? ('completed' as const) : ('running' as const),
    attempts: 1,
    startedAt,
    finishedAt,
    counts: {},
    error: null,
  });
  const runs: DayRun[] = [
    {
      businessDate: '2026-03-10',
      status: 'running',
      stages: [
        stage('close', '2026-03-10T22:00:00.000Z', '2026-03-10T22:00:02.500Z'),
        stage('plans', '2026-03-10T22:00:02.500Z', null),
      ],
    },
    {
      businessDate: '2026-03-09',
      status: 'running',
      stages: [stage('close', '2026-03-09T22:00:00.000Z', '2026-03-09T22:01:00.000Z')],
    },
  ];

  it('stacks each stage’s seconds per date, oldest date first, with no bar for a stage still running', () => {
    const chart = durationChart(runs);
    expect(chart.dates).toEqual(['2026-03-09', '2026-03-10']);
    expect(chart.series.map((series) => series.stage)).toEqual([...dayStages]);
    expect(chart.series[0]!.seconds).toEqual([60, 2.5]);
    expect(chart.series[1]!.seconds).toEqual([null, null]);
  });

  it('lists all seven stages in order, those not reached as not run', () => {
    expect(stageRows(runs[0]!).map((row) => `${row.stage} ${row.status}`)).toEqual([
      'close completed',
      'plans running',
      ...dayStages.slice(2).map((name) => `${name} not_run`),
    ]);
  });

  it('says a duration in ms, seconds or minutes, and orders counts headline first', () => {
    expect(durationParts(850)).toEqual({ key: 'day.ms', vars: { n: '850' } });
    expect(durationParts(12_440)).toEqual({ key: 'day.seconds', vars: { n: '12.4' } });
    expect(durationParts(185_000)).toEqual({ key: 'day.minutes', vars: { m: '3', s: '05' } });
    expect(countEntries({ zeta: 1, transactions: 2, loansClosed: 3, date: '2026-03-09', nested: { a: 1 } })).toEqual([
      ['loansClosed', 3],
      ['transactions', 2],
      ['nested', '{"a":1}'],
      ['zeta', 1],
    ]);
  });
});

describe.skipIf(unavailable !== null)('the console’s Day page', { timeout: 120_000 }, () => {
  let harness: WebHarness;

  beforeAll(async () => {
    harness = await startWebHarness();
  }, 180_000);

  afterAll(async () => {
    await harness?.close();
  });

  it('shows each business date’s stages with their counts, the durations chart, and a failed close', async () => {
    const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await staffSignIn(page, SEED.supervisor);
    await page.getByTestId('nav-day').click();
    const empty = page.getByTestId('day-empty');
    await empty.waitFor();
    expect(await empty.textContent()).toContain('kuan day --date D');
    expect(await empty.textContent()).toContain('kuan serve --schedule');

    const { today } = harness;
    const tomorrow = addDays(today, 1);
    const yesterday = addDays(today, -1);
    for (const businessDate of [today, tomorrow]) {
      const reports = await runDay({
        db: harness.db,
        businessDate,
        nowMs: Date.now(),
        timezone: ZONE,
        cutoffMinutes: 360,
        policy: parsePolicy('cn-2026'),
        strategy: builtInStrategies.default as Strategy,
        adapters: {},
        secret: 'day-runs-web-secret-0123456789',
        sinks: [],
        workerId: 'web-test',
      });
      expect(reports.map((report) => `${report.stage} ${report.status}`)).toEqual(
        dayStages.map((stage) => `${stage} completed`),
      );
    }
    await startDayStage(harness.db, { businessDate: yesterday, stage: 'close' });
    await finishDayStage(harness.db, { businessDate: yesterday, stage: 'close', status: 'failed', error: 'disk full' });
    const recorded = await listDayRuns(harness.db, { businessDate: tomorrow });
    // Tomorrow's close had loans to move on (an event fell due for at least one): the page shows how many.
    const loansClosed = recorded.find((row) => row.stage === 'close')?.counts.loansClosed;
    expect(loansClosed).toBeGreaterThan(0);

    await page.getByTestId('day-reload').click();
    const newest = page.getByTestId(`day-stages-${tomorrow}`);
    await newest.waitFor();
    expect(await page.getByTestId(`day-run-${tomorrow}`).getByTestId('day-status').textContent()).toBe('completed');
    for (const row of recorded) {
      const stage = newest.getByTestId(`day-stage-${row.stage}`);
      expect(await stage.getByTestId('stage-status').textContent()).toBe('completed');
      const shown = await stage.getByTestId('stage-counts').locator('.ant-tag').allTextContents();
      const expected = Object.entries(row.counts)
        .filter(([name]) => name !== 'date' && name !== 'businessDate')
        .map(([name, value]) => countText(name, value));
      // Every count the store recorded, each once (the page orders them: the stage's headline count first).
      expect([...shown].sort()).toEqual(expected.sort());
    }
    expect(recorded.map((row) => row.stage)).toEqual([...dayStages]);
    expect(await newest.locator('tbody tr').count()).toBe(dayStages.length);
    const closeCounts = newest.getByTestId('day-stage-close').getByTestId('stage-counts').locator('.ant-tag');
    expect(await closeCounts.first().textContent()).toBe(`loans closed ${String(loansClosed)}`);

    // The chart of stage durations per date, drawn by ECharts on a canvas.
    await page.getByTestId('day-chart').locator('canvas').first().waitFor();
    await harness.screenshot(page, 'supervisor-day');

    // The failed date: its close failed with the error, the six later stages not run.
    await page.getByTestId(`day-run-${yesterday}`).click();
    const failed = page.getByTestId(`day-stages-${yesterday}`);
    await failed.waitFor();
    expect(await page.getByTestId(`day-run-${yesterday}`).getByTestId('day-status').textContent()).toBe('failed');
    const close = failed.getByTestId('day-stage-close');
    expect(await close.getByTestId('stage-status').textContent()).toBe('failed');
    expect(await close.getByTestId('stage-error').textContent()).toBe('disk full');
    const notRun = await failed.getByTestId('stage-status').allTextContents();
    expect(notRun).toEqual(['failed', ...dayStages.slice(1).map(() => 'not run')]);
    await context.close();
  });

  it('is not in a collector’s menu', async () => {
    const context = await harness.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await staffSignIn(page, SEED.collector);
    await page.getByTestId('nav-workbench').waitFor();
    expect(await page.getByTestId('nav-day').count()).toBe(0);
    await context.close();
  });
});
