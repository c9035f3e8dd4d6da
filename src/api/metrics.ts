// GET /metrics: Prometheus text exposition from prom-client, in a Registry of this API's own (never the
// global one, so tests and several servers in one process do not mix their series). Observed in the
// process: HTTP request durations by route pattern (Fastify's routeOptions.url, never the raw URL),
// method and status code; audit-append failures; the default process metrics. Collected on a scrape from
// the store (src/store/operations.ts, aggregates only): loans by status and bucket, contacts by channel,
// status and held-back rule, outbox lag, the case queue, the newest business date's day stages; and the
// circuits of this process's channels and payment provider. Invariants: every label set is bounded (route
// patterns, enumerations, rule names checked against a pattern); the store is read at most once per
// `storeIntervalMs` however many scrapers ask; a failing store read empties the store's series and sets
// kuan_store_scrape_success 0 rather than failing the scrape. Who may read it: with a token configured
// (KUAN_METRICS_TOKEN), whoever presents it as a Bearer token; without one, clients on the loopback
// address only (the socket's peer, not a forwarded address) — see docs/operations.md.
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ChannelAdapters, CircuitSnapshot, PaymentProvider } from '../channels/index.ts';
import { circuitOf, dayStages } from '../app/index.ts';
import { operationsSnapshot, type OperationsSnapshot } from '../store/index.ts';
import type { AuditWriter } from './audit.ts';
import type { Api, ApiContext } from './context.ts';
import { ApiProblem } from './problem.ts';

export interface MetricsSettings {
  /** Required as `Authorization: Bearer …` when set; unset, only loopback clients may scrape. */
  token?: string;
  /** The store's aggregates are read at most this often (default 15 s); scrapes in between reuse them. */
  storeIntervalMs?: number;
}

const STORE_INTERVAL_MS_DEFAULT = 15_000;
const circuitStates = ['closed', 'open', 'half_open'] as const;
/** A day-stage count's key as the pipeline writes it (camelCase words), else not exported. */
const countKeyPattern = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/;

export function registerMetrics(
  app: Api,
  context: ApiContext,
  audit: AuditWriter,
  settings: MetricsSettings,
): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const httpDuration = new Histogram({
    name: 'kuan_http_request_duration_seconds',
    help: 'HTTP requests by route pattern (unmatched: no route), method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  app.addHook('onResponse', async (request, reply) => {
    httpDuration.observe(
      { route: request.routeOptions.url ?? 'unmatched', method: request.method, status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  let auditFailuresSeen = 0;
  new Counter({
    name: 'kuan_audit_append_failures_total',
    help: 'Audit-chain appends that failed in this process (actions refused or answered 503 audit_unavailable)',
    registers,
    collect() {
      this.inc(audit.appendFailuresTotal - auditFailuresSeen);
      auditFailuresSeen = audit.appendFailuresTotal;
    },
  });

  new Gauge({
    name: 'kuan_circuit_state',
    help: 'The circuit breaker state of each channel and payment provider of this process (1 for the current state)',
    labelNames: ['circuit', 'state'] as const,
    registers,
    collect() {
      this.reset();
      for (const [circuit, snapshot] of circuitsOf(context.operations?.adapters, context.paymentProvider)) {
        for (const state of circuitStates) this.set({ circuit, state }, snapshot.state === state ? 1 : 0);
      }
    },
  });

  const storeIntervalMs = settings.storeIntervalMs ?? STORE_INTERVAL_MS_DEFAULT;
  let cached: { atMs: number; settled: boolean; snapshot: Promise<OperationsSnapshot | undefined> } | undefined;
  /**
   * The store's aggregates, read at most once per interval (and once per scrape: every gauge of a scrape
   * shares the read in flight); undefined when the read failed.
   */
  const snapshot = (): Promise<OperationsSnapshot | undefined> => {
    const nowMs = Date.now();
    if (cached === undefined || (cached.settled && nowMs - cached.atMs >= storeIntervalMs)) {
      const entry = {
        atMs: nowMs,
        settled: false,
        snapshot: operationsSnapshot(context.db, { nowMs: context.clock(), lastStage: dayStages.at(-1)! })
          .catch(() => undefined)
          .finally(() => {
            entry.settled = true;
          }),
      };
      cached = entry;
    }
    return cached.snapshot;
  };
  /** A gauge refilled from the store's snapshot on every scrape. */
  const storeGauge = <L extends string>(
    config: { name: string; help: string; labelNames?: readonly L[] },
    fill: (gauge: Gauge<L>, snapshot: OperationsSnapshot) => void,
  ): void => {
    new Gauge<L>({
      ...config,
      labelNames: config.labelNames ?? [],
      registers,
      async collect() {
        const read = await snapshot();
        this.reset();
        if (read !== undefined) fill(this, read);
      },
    });
  };

  new Gauge({
    name: 'kuan_store_scrape_success',
    help: '1 when the store answered the aggregates this scrape reports, else 0',
    registers,
    async collect() {
      this.set((await snapshot()) === undefined ? 0 : 1);
    },
  });
  storeGauge(
    {
      name: 'kuan_loans',
      help: 'Loans in the book by status and delinquency bucket',
      labelNames: ['status', 'bucket'],
    },
    (gauge, read) => {
      for (const row of read.loans) gauge.set({ status: row.status, bucket: row.bucket }, row.count);
    },
  );
  storeGauge(
    {
      name: 'kuan_contacts',
      help: 'Contacts by channel and status (planned, deferred, sending, sent, suppressed, failed); rule: the gate rule that held back a suppressed or deferred one',
      labelNames: ['channel', 'status', 'rule'],
    },
    (gauge, read) => {
      for (const row of read.contacts)
        gauge.set({ channel: row.channel, status: row.status, rule: row.rule }, row.count);
    },
  );
  storeGauge(
    {
      name: 'kuan_outbox_oldest_pending_age_seconds',
      help: 'Age of the oldest event not yet delivered (0: none waits)',
    },
    (gauge, read) => gauge.set(read.outboxOldestSeconds),
  );
  storeGauge({ name: 'kuan_outbox_pending_events', help: 'Events not yet delivered' }, (gauge, read) =>
    gauge.set(read.outboxPending),
  );
  storeGauge({ name: 'kuan_case_queue_depth', help: 'Open collection cases no agent is assigned' }, (gauge, read) =>
    gauge.set(read.queueDepth),
  );
  storeGauge(
    {
      name: 'kuan_case_queue_oldest_age_seconds',
      help: 'Age of the oldest unassigned open case, from its opening date',
    },
    (gauge, read) => gauge.set(read.queueOldestSeconds),
  );
  storeGauge(
    {
      name: 'kuan_day_stage_duration_seconds',
      help: 'The newest business date’s day stages: how long each took (its last attempt)',
      labelNames: ['stage'],
    },
    (gauge, read) => {
      for (const row of read.dayStages) if (row.seconds !== null) gauge.set({ stage: row.stage }, row.seconds);
    },
  );
  storeGauge(
    {
      name: 'kuan_day_stage_attempts',
      help: 'The newest business date’s day stages: attempts so far',
      labelNames: ['stage'],
    },
    (gauge, read) => {
      for (const row of read.dayStages) gauge.set({ stage: row.stage }, row.attempts);
    },
  );
  storeGauge(
    {
      name: 'kuan_day_stage_status',
      help: 'The newest business date’s day stages: 1 for the stage’s status (running, completed, failed)',
      labelNames: ['stage', 'status'],
    },
    (gauge, read) => {
      for (const row of read.dayStages) {
        for (const status of ['running', 'completed', 'failed']) {
          gauge.set({ stage: row.stage, status }, row.status === status ? 1 : 0);
        }
      }
    },
  );
  storeGauge(
    {
      name: 'kuan_day_stage_items',
      help: 'The newest business date’s day stages: the counts each recorded (count: its key, e.g. sent, inserted)',
      labelNames: ['stage', 'count'],
    },
    (gauge, read) => {
      for (const row of read.dayStages) {
        for (const [count, value] of Object.entries(row.counts)) {
          if (typeof value === 'number' && countKeyPattern.test(count)) gauge.set({ stage: row.stage, count }, value);
        }
      }
    },
  );
  storeGauge(
    {
      name: 'kuan_day_business_date_seconds',
      help: 'The newest business date the day has started, as midnight UTC in epoch seconds',
    },
    (gauge, read) => {
      const date = read.dayStages[0]?.businessDate;
      if (date !== undefined) gauge.set(Date.parse(`${date}T00:00:00Z`) / 1000);
    },
  );
  storeGauge(
    {
      name: 'kuan_day_last_completed_timestamp_seconds',
      help: 'When the last whole day (every stage) finished, in epoch seconds',
    },
    (gauge, read) => {
      if (read.lastDayFinishedSeconds !== null) gauge.set(read.lastDayFinishedSeconds);
    },
  );

  const tokenDigest = settings.token === undefined ? undefined : digestOf(settings.token);
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['operations'],
        summary:
          'Prometheus metrics (text exposition format): from 127.0.0.1 only, or with the Bearer token KUAN_METRICS_TOKEN when set',
      },
    },
    async (request, reply) => {
      if (tokenDigest !== undefined) {
        const presented = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
        if (presented === undefined || !timingSafeEqual(digestOf(presented), tokenDigest)) {
          throw new ApiProblem(
            'unauthenticated',
            'metrics need the Bearer token the server was given (KUAN_METRICS_TOKEN)',
          );
        }
      } else if (!isLoopback(request.socket.remoteAddress)) {
        throw new ApiProblem('forbidden', 'metrics are served to 127.0.0.1 only unless KUAN_METRICS_TOKEN is set');
      }
      const text = await registry.metrics();
      return reply.header('cache-control', 'no-store').type(registry.contentType).send(text);
    },
  );
  return registry;
}

function digestOf(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The circuit of every adapter or provider wrapped in a circuit breaker, by name. */
function circuitsOf(
  adapters: ChannelAdapters | undefined,
  provider: PaymentProvider | undefined,
): [string, CircuitSnapshot][] {
  const circuits: [string, CircuitSnapshot][] = [];
  for (const [name, source] of [...Object.entries(adapters ?? {}), ['payment_provider', provider] as const]) {
    const circuit = circuitOf(source);
    if (circuit !== undefined) circuits.push([name, circuit]);
  }
  return circuits;
}
