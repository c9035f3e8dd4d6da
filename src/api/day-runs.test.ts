// GET /day-runs on whichever database openTestDatabase picks: after the day of a business date has run
// (and once with a stage failed), staff see each date with its stages in pipeline order, their counts,
// and the day's status; a borrower may not look.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInStrategies, parsePolicy, type Strategy } from '../contact/index.ts';
import { dayStages, runDay } from '../app/index.ts';
import { finishDayStage, startDayStage } from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

interface DayRun {
  businessDate: string;
  status: string;
  stages: { stage: string; status: string; attempts: number; counts: Record<string, unknown>; error: string | null }[];
}

describe('GET /day-runs', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi();
    await runDay({
      db: h.db,
      businessDate: '2026-03-09',
      nowMs: Date.parse('2027-01-01T00:00:00Z'),
      timezone: 'Asia/Shanghai',
      cutoffMinutes: 360,
      policy: parsePolicy('cn-2026'),
      strategy: builtInStrategies.default as Strategy,
      adapters: {},
      secret: 'day-runs-api-secret-0123456789',
      sinks: [],
      workerId: 'test',
    });
    await startDayStage(h.db, { businessDate: '2026-03-10', stage: 'close' });
    await finishDayStage(h.db, { businessDate: '2026-03-10', stage: 'close', status: 'failed', error: 'disk full' });
  });
  afterAll(async () => h.close());

  it('lists each business date, newest first, with its stages in order and the day’s status', async () => {
    const response = await h.call({ method: 'GET', url: '/api/v1/day-runs', token: h.staffTokens.viewer });
    expect(response.statusCode).toBe(200);
    const { items } = response.json() as { items: DayRun[] };
    expect(items.map((run) => `${run.businessDate} ${run.status}`)).toEqual([
      '2026-03-10 failed',
      '2026-03-09 completed',
    ]);
    expect(items[1]!.stages.map((stage) => stage.stage)).toEqual([...dayStages]);
    expect(items[1]!.stages.find((stage) => stage.stage === 'close')?.counts).toMatchObject({ loansClosed: 4 });
    expect(items[0]!.stages).toEqual([
      expect.objectContaining({ stage: 'close', status: 'failed', error: 'disk full' }),
    ]);

    const one = await h.call({ method: 'GET', url: '/api/v1/day-runs?date=2026-03-09', token: h.staffTokens.viewer });
    expect((one.json() as { items: DayRun[] }).items.map((run) => run.businessDate)).toEqual(['2026-03-09']);
  });

  it('names a bad query parameter and refuses borrowers', async () => {
    const bad = await h.call({ method: 'GET', url: '/api/v1/day-runs?days=0', token: h.staffTokens.viewer });
    expect(bad.statusCode).toBe(400);
    const borrower = await h.call({ method: 'GET', url: '/api/v1/day-runs', token: h.borrowerTokens.B1 });
    expect(borrower.statusCode).toBe(403);
  });
});
