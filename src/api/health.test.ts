// GET /health/live and GET /health/ready on whichever database openTestDatabase picks: both answer without
// a session and are never rate limited; ready is 200 on a migrated database and 503 naming the failed check
// when the schema is a migration behind, when the database is closed, or when the expected scheduler's
// heartbeat is missing or stale; the last completed day and the channels' circuits are reported without
// making the process unready; no body carries the database's address.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryable, sendCodes, withCircuitBreaker } from '../channels/index.ts';
import { SCHEDULER_HEARTBEAT_STALE_MS } from '../app/index.ts';
import {
  finishDayStage,
  loadMigrations,
  migrate,
  openTestDatabase,
  recordSchedulerBeat,
  startDayStage,
} from '../store/index.ts';
import { buildApi, testPasswordHashing } from './index.ts';
import { startApi, type ApiHarness } from './testing.ts';

interface Readiness {
  status: string;
  checks: { name: string; ok: boolean; required: boolean; detail: string }[];
}

const newestVersion = loadMigrations().at(-1)!.version;

function checkOf(body: Readiness, name: string) {
  const check = body.checks.find((candidate) => candidate.name === name);
  expect(check, `${name} in ${JSON.stringify(body)}`).toBeDefined();
  return check!;
}

describe('health probes', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ seed: false, rateLimits: { requestsPerMinute: 2 } });
  });
  afterAll(async () => h.close());

  it('answers /health/live without a session, past the rate limit that stops other routes', async () => {
    for (let probe = 0; probe < 4; probe += 1) {
      const live = await h.call({ method: 'GET', url: '/health/live' });
      expect(live.statusCode).toBe(200);
      expect(live.json()).toEqual({ status: 'live' });
      const ready = await h.call({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(200);
    }
    const limited = [];
    for (let request = 0; request < 3; request += 1) {
      limited.push((await h.call({ method: 'GET', url: '/api/v1/products', token: h.staffTokens.viewer })).statusCode);
    }
    expect(limited).toContain(429);
  });

  it('is ready on a migrated database, reporting the schema version and that no day has completed', async () => {
    const response = await h.call({ method: 'GET', url: '/health/ready' });
    expect(response.statusCode).toBe(200);
    const body = response.json<Readiness>();
    expect(body.status).toBe('ready');
    expect(checkOf(body, 'database')).toMatchObject({ ok: true, required: true });
    expect(checkOf(body, 'migrations')).toMatchObject({ ok: true, required: true });
    expect(checkOf(body, 'migrations').detail).toContain(`version ${newestVersion}`);
    expect(checkOf(body, 'day')).toMatchObject({ ok: true, required: false, detail: 'no day has completed yet' });
    expect(body.checks.map((check) => check.name)).not.toContain('scheduler');
    expect(response.body).not.toMatch(/postgres:|PGlite in|kuan_test_/);
  });

  it('reports the last business date whose whole day completed', async () => {
    await startDayStage(h.db, { businessDate: '2026-03-09', stage: 'events' });
    await finishDayStage(h.db, { businessDate: '2026-03-09', stage: 'events', status: 'completed' });
    const body = (await h.call({ method: 'GET', url: '/health/ready' })).json<Readiness>();
    expect(checkOf(body, 'day').detail).toBe('last completed business date 2026-03-09');
  });

  it('is not ready while the scheduler it runs has no fresh heartbeat', async () => {
    h.api.context.operations = { scheduler: { workerId: 'host:42' } };
    try {
      const missing = await h.call({ method: 'GET', url: '/health/ready' });
      expect(missing.statusCode).toBe(503);
      expect(checkOf(missing.json<Readiness>(), 'scheduler')).toMatchObject({
        ok: false,
        required: true,
        detail: 'no heartbeat recorded yet',
      });
      await recordSchedulerBeat(h.db, { workerId: 'host:42', atMs: h.clock.nowMs - 30_000 });
      const fresh = await h.call({ method: 'GET', url: '/health/ready' });
      expect(fresh.statusCode).toBe(200);
      expect(checkOf(fresh.json<Readiness>(), 'scheduler').detail).toMatch(/^last heartbeat 30 s ago/);
      h.clock.nowMs += SCHEDULER_HEARTBEAT_STALE_MS;
      const stale = await h.call({ method: 'GET', url: '/health/ready' });
      expect(stale.statusCode).toBe(503);
      expect(stale.json<Readiness>().status).toBe('not_ready');
      expect(checkOf(stale.json<Readiness>(), 'scheduler').detail).toMatch(/stuck or stopped$/);
    } finally {
      h.api.context.operations = undefined;
    }
  });

  it('reports an open channel circuit without taking the process out of service', async () => {
    const failing = withCircuitBreaker(
      { channel: 'sms', name: 'test-sms', send: async () => retryable(sendCodes.providerUnavailable, '503') },
      { now: () => h.clock.nowMs, failuresMax: 1, coolDownMs: 30_000 },
    );
    await failing.send({} as never);
    h.api.context.operations = { adapters: { sms: failing } };
    try {
      const response = await h.call({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(200);
      expect(checkOf(response.json<Readiness>(), 'circuit.sms')).toEqual({
        name: 'circuit.sms',
        ok: false,
        required: false,
        detail: 'open after 1 failures; next trial in 30 s',
      });
    } finally {
      h.api.context.operations = undefined;
    }
  });

  it('describes both probes in the OpenAPI document', async () => {
    const document = h.api.app.swagger() as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
  });
});

describe('readiness of a database that is not right', () => {
  it('answers 503 naming the migration missing', async () => {
    const test = await openTestDatabase({ migrate: false });
    try {
      await migrate(test.db, loadMigrations().slice(0, -1));
      const api = await buildApi({ db: test.db, passwordHashing: testPasswordHashing });
      try {
        const response = await api.app.inject({ method: 'GET', url: '/health/ready' });
        expect(response.statusCode).toBe(503);
        const body = response.json<Readiness>();
        expect(body.status).toBe('not_ready');
        expect(checkOf(body, 'database').ok).toBe(true);
        expect(checkOf(body, 'migrations')).toMatchObject({ ok: false, required: true });
        expect(checkOf(body, 'migrations').detail).toContain(
          `schema at version ${newestVersion - 1}, this version of Kuan needs ${newestVersion}`,
        );
      } finally {
        await api.close();
      }
    } finally {
      await test.dispose();
    }
  });

  it('answers 503 when the database is closed, and /health/live still answers', async () => {
    const test = await openTestDatabase();
    const api = await buildApi({ db: test.db, passwordHashing: testPasswordHashing });
    try {
      await test.dispose();
      const response = await api.app.inject({ method: 'GET', url: '/health/ready' });
      expect(response.statusCode).toBe(503);
      const body = response.json<Readiness>();
      expect(checkOf(body, 'database')).toMatchObject({ ok: false, required: true });
      expect(checkOf(body, 'database').detail).toMatch(/did not answer/);
      expect(checkOf(body, 'migrations').detail).toBe('not checked: the database did not answer');
      expect(response.body).not.toMatch(/postgres:|kuan_test_|127\.0\.0\.1/);
      expect((await api.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    } finally {
      await api.close();
    }
  });
});
