// GET /metrics on whichever database openTestDatabase picks, parsed as Prometheus text: a request shows up
// in the duration histogram under its route pattern (never its raw URL); the loans gauge equals the book as
// GET /loans lists it; contacts, the outbox, the case queue, the newest day's stages and the channels'
// circuits are reported; default process metrics are present; only loopback clients may scrape unless a
// token is configured, and then only with it.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retryable, sendCodes, withCircuitBreaker } from '../channels/index.ts';
import { finishDayStage, queryRows, startDayStage } from '../store/index.ts';
import { startApi, type ApiHarness } from './testing.ts';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (comments skipped; label values without escaped quotes suffice here). */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    expect(match, line).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const pair of (match![2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)"/g)) {
      labels[pair[1]!] = pair[2]!;
    }
    samples.push({ name: match![1]!, labels, value: Number(match![3]) });
  }
  return samples;
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find(
    (sample) => sample.name === name && Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  )?.value;
}

describe('GET /metrics', () => {
  let h: ApiHarness;
  beforeAll(async () => {
    h = await startApi({ metrics: { storeIntervalMs: 0 } });
  });
  afterAll(async () => h.close());

  const scrape = async () => {
    const response = await h.call({ method: 'GET', url: '/metrics' });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return { text: response.body, samples: parseMetrics(response.body) };
  };

  it('counts a request under its route pattern, method and status code, never its raw URL', async () => {
    expect((await h.call({ method: 'GET', url: '/api/v1/loans/L1', token: h.staffTokens.viewer })).statusCode).toBe(
      200,
    );
    expect((await h.call({ method: 'GET', url: '/api/v1/loans/L3', token: h.staffTokens.viewer })).statusCode).toBe(
      200,
    );
    expect((await h.call({ method: 'GET', url: '/api/v1/loans/NOPE-123' })).statusCode).toBe(401);
    expect((await h.call({ method: 'GET', url: '/no/such/secret-path' })).statusCode).toBe(404);
    const { text, samples } = await scrape();
    const route = '/api/v1/loans/:loanId';
    expect(
      valueOf(samples, 'kuan_http_request_duration_seconds_count', { route, method: 'GET', status_code: '200' }),
    ).toBe(2);
    expect(
      valueOf(samples, 'kuan_http_request_duration_seconds_count', { route, method: 'GET', status_code: '401' }),
    ).toBe(1);
    expect(
      valueOf(samples, 'kuan_http_request_duration_seconds_bucket', { route, status_code: '200', le: '+Inf' }),
    ).toBe(2);
    expect(
      valueOf(samples, 'kuan_http_request_duration_seconds_count', { route: 'unmatched', status_code: '404' }),
    ).toBe(1);
    expect(text).not.toMatch(/NOPE-123|secret-path|loans\/L1/);
  });

  it('reports the book’s loans by status and bucket, as GET /loans lists them', async () => {
    const listed = await h.call({ method: 'GET', url: '/api/v1/loans?limit=100', token: h.staffTokens.viewer });
    const expected = new Map<string, number>();
    for (const loan of listed.json<{ items: { status: string; bucket: string }[] }>().items) {
      const key = `${loan.status} ${loan.bucket}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    expect([...expected.values()].reduce((sum, count) => sum + count, 0)).toBe(4);
    const { samples } = await scrape();
    const reported = new Map(
      samples
        .filter((sample) => sample.name === 'kuan_loans')
        .map((sample) => [`${sample.labels.status} ${sample.labels.bucket}`, sample.value]),
    );
    expect(reported).toEqual(expected);
    expect(valueOf(samples, 'kuan_store_scrape_success')).toBe(1);
  });

  it('reports contacts, the outbox, the case queue and the newest day’s stages from the store', async () => {
    await startDayStage(h.db, { businessDate: '2026-03-09', stage: 'close' });
    await finishDayStage(h.db, {
      businessDate: '2026-03-09',
      stage: 'close',
      status: 'completed',
      counts: { loansClosed: 4, nested: { ignored: 1 } },
    });
    await startDayStage(h.db, { businessDate: '2026-03-09', stage: 'plans' });
    // One message held back by the gate: its rule (the last reason's first word) becomes the label.
    await queryRows(
      h.db,
      sql`UPDATE contacts SET status = 'suppressed', sent_at = NULL,
            reasons = '["strategy default step pre_due_3", "quiet_hours 22:00-08:00 Asia/Shanghai"]'::jsonb
          WHERE borrower_id = 'B2'`,
    );
    const [outbox] = await queryRows<{ pending: number | string }>(
      h.db,
      sql`SELECT count(*) AS pending FROM outbox WHERE dispatched_at IS NULL`,
    );
    const { samples } = await scrape();
    expect(valueOf(samples, 'kuan_contacts', { channel: 'sms', status: 'sent', rule: '' })).toBe(1);
    expect(valueOf(samples, 'kuan_contacts', { channel: 'sms', status: 'suppressed', rule: 'quiet_hours' })).toBe(1);
    expect(valueOf(samples, 'kuan_outbox_pending_events')).toBe(Number(outbox!.pending));
    expect(valueOf(samples, 'kuan_outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'kuan_case_queue_depth')).toBe(0);
    expect(valueOf(samples, 'kuan_day_stage_items', { stage: 'close', count: 'loansClosed' })).toBe(4);
    expect(samples.some((sample) => sample.name === 'kuan_day_stage_items' && sample.labels.count === 'nested')).toBe(
      false,
    );
    expect(valueOf(samples, 'kuan_day_stage_status', { stage: 'close', status: 'completed' })).toBe(1);
    expect(valueOf(samples, 'kuan_day_stage_status', { stage: 'plans', status: 'running' })).toBe(1);
    expect(valueOf(samples, 'kuan_day_stage_duration_seconds', { stage: 'close' })).toBeGreaterThanOrEqual(0);
    expect(valueOf(samples, 'kuan_day_business_date_seconds')).toBe(Date.parse('2026-03-09T00:00:00Z') / 1000);
    expect(valueOf(samples, 'kuan_audit_append_failures_total')).toBe(0);
    expect(valueOf(samples, 'process_cpu_seconds_total')).toBeGreaterThan(0);
  });

  it('reports the state of each circuit breaker the process has', async () => {
    const failing = withCircuitBreaker(
      { channel: 'sms', name: 'test-sms', send: async () => retryable(sendCodes.providerUnavailable, '503') },
      { now: () => h.clock.nowMs, failuresMax: 1 },
    );
    await failing.send({} as never);
    h.api.context.operations = { adapters: { sms: failing } };
    try {
      const { samples } = await scrape();
      expect(valueOf(samples, 'kuan_circuit_state', { circuit: 'sms', state: 'open' })).toBe(1);
      expect(valueOf(samples, 'kuan_circuit_state', { circuit: 'sms', state: 'closed' })).toBe(0);
    } finally {
      h.api.context.operations = undefined;
    }
  });

  it('refuses a client that is not on the loopback address', async () => {
    const response = await h.api.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.1.2.3' });
    expect(response.statusCode).toBe(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).not.toContain('kuan_');
  });
});

describe('GET /metrics with a token', () => {
  let h: ApiHarness;
  const token = 'metrics-token-0123456789abcdef';
  beforeAll(async () => {
    h = await startApi({ seed: false, metrics: { token } });
  });
  afterAll(async () => h.close());

  it('answers whoever presents the token, from any address, and nobody else (loopback included)', async () => {
    const remote = { method: 'GET' as const, url: '/metrics', remoteAddress: '10.1.2.3' };
    const withToken = await h.api.app.inject({ ...remote, headers: { authorization: `Bearer ${token}` } });
    expect(withToken.statusCode).toBe(200);
    expect(parseMetrics(withToken.body).some((sample) => sample.name === 'kuan_loans')).toBe(false);
    expect(valueOf(parseMetrics(withToken.body), 'kuan_store_scrape_success')).toBe(1);
    expect((await h.api.app.inject({ ...remote, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await h.api.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
  });
});
