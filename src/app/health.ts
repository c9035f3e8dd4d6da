// Readiness: whether this process can do its work, as a list of named checks an operator (GET
// /health/ready, `kuan doctor`) and an orchestrator read. Checked: the database answers; its schema is at
// the newest migration this version of Kuan ships; the scheduler's heartbeat is fresh (when one is expected);
// the last business date whose whole day completed; and the circuit state of every channel and payment
// provider that has a circuit breaker. Invariants: the process is ready exactly when every required check
// passes (database, migrations, and the scheduler when expected); an open circuit or a day not yet run
// is reported but does not make the process unready, since restarting it or routing around it would not
// help. Details name states and ages, never addresses, credentials or error texts that may carry them.
import type { ChannelAdapters, CircuitSnapshot, PaymentProvider } from '../channels/index.ts';
import {
  appliedSchemaVersion,
  lastCompletedDayDate,
  latestSchedulerBeat,
  loadMigrations,
  pingDatabase,
  type Database,
} from '../store/index.ts';
import { dayStages } from './day.ts';
import { SCHEDULER_HEARTBEAT_STALE_MS } from './scheduler.ts';

export interface HealthCheck {
  name: string;
  ok: boolean;
  /** Does a failure make the process not ready? */
  required: boolean;
  detail: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: HealthCheck[];
}

export interface ReadinessSources {
  db: Database;
  /** Epoch milliseconds. */
  nowMs: number;
  /**
   * A scheduler is expected: this process's (`workerId`, `kuan serve --schedule`) or any (`kuan doctor
   * --schedule`); its heartbeat must then be fresh. Without it, the newest heartbeat is reported only.
   */
  scheduler?: { workerId?: string };
  /** The channels of this process; those with a circuit breaker report its state. */
  adapters?: ChannelAdapters;
  paymentProvider?: PaymentProvider;
}

/** How long the database may take to answer before it counts as unreachable. */
export const READINESS_DATABASE_TIMEOUT_MS = 2_000;

/** Gathers every check; never throws (a failing source is a failed check). */
export async function checkReadiness(sources: ReadinessSources): Promise<Readiness> {
  const checks: HealthCheck[] = [];
  const database = await checkDatabase(sources.db);
  checks.push(database);
  if (database.ok) {
    const expected = sources.scheduler !== undefined;
    checks.push(await guarded('migrations', true, () => checkMigrations(sources.db)));
    // On a schema behind this version the tables these read may not exist yet: a failed check, not a throw.
    const scheduler = await guarded('scheduler', expected, () => checkScheduler(sources));
    if (scheduler !== undefined) checks.push(scheduler);
    checks.push(await guarded('day', false, () => checkDay(sources.db)));
  } else {
    const skipped = 'not checked: the database did not answer';
    checks.push({ name: 'migrations', ok: false, required: true, detail: skipped });
    if (sources.scheduler !== undefined) checks.push({ name: 'scheduler', ok: false, required: true, detail: skipped });
  }
  for (const [channel, adapter] of Object.entries(sources.adapters ?? {})) {
    const circuit = circuitOf(adapter);
    if (circuit !== undefined) checks.push(circuitCheck(`circuit.${channel}`, circuit, sources.nowMs));
  }
  const providerCircuit = circuitOf(sources.paymentProvider);
  if (providerCircuit !== undefined) {
    checks.push(circuitCheck('circuit.payment_provider', providerCircuit, sources.nowMs));
  }
  const ready = checks.every((check) => check.ok || !check.required);
  return { status: ready ? 'ready' : 'not_ready', checks };
}

async function guarded<T extends HealthCheck | undefined>(
  name: string,
  required: boolean,
  check: () => Promise<T>,
): Promise<HealthCheck | T> {
  try {
    return await check();
  } catch (error) {
    return { name, ok: false, required, detail: `could not be read (${reasonOf(error)})` };
  }
}

async function checkDatabase(db: Database): Promise<HealthCheck> {
  const startedMs = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      pingDatabase(db),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), READINESS_DATABASE_TIMEOUT_MS);
      }),
    ]);
    return {
      name: 'database',
      ok: true,
      required: true,
      detail: `${db.kind} answered in ${Math.round(performance.now() - startedMs)} ms`,
    };
  } catch (error) {
    return { name: 'database', ok: false, required: true, detail: `${db.kind} did not answer (${reasonOf(error)})` };
  } finally {
    clearTimeout(timer);
  }
}

/** A short reason without the error's text (which may name hosts or users): its code, or a timeout. */
function reasonOf(error: unknown): string {
  if (error instanceof Error && error.message === 'timeout') return `no answer in ${READINESS_DATABASE_TIMEOUT_MS} ms`;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code) ? code : 'query failed';
}

async function checkMigrations(db: Database): Promise<HealthCheck> {
  const newest = loadMigrations().at(-1)?.version ?? 0;
  const applied = await appliedSchemaVersion(db);
  const detail =
    applied === newest
      ? `schema at version ${applied}, the newest this version of Kuan has`
      : applied < newest
        ? `schema at version ${applied}, this version of Kuan needs ${newest}: start \`kuan serve\` (it migrates) or run any command on the database`
        : `schema at version ${applied}, newer than this version of Kuan (${newest}): upgrade Kuan`;
  return { name: 'migrations', ok: applied === newest, required: true, detail };
}

async function checkScheduler(sources: ReadinessSources): Promise<HealthCheck | undefined> {
  const expected = sources.scheduler !== undefined;
  const beat = await latestSchedulerBeat(
    sources.db,
    sources.scheduler?.workerId === undefined ? {} : { workerId: sources.scheduler.workerId },
  );
  if (beat === undefined) {
    return expected ? { name: 'scheduler', ok: false, required: true, detail: 'no heartbeat recorded yet' } : undefined;
  }
  const ageMs = Math.max(0, sources.nowMs - Date.parse(beat.beatAt));
  const fresh = ageMs <= SCHEDULER_HEARTBEAT_STALE_MS;
  const age = `last heartbeat ${Math.round(ageMs / 1000)} s ago (${beat.beatAt})`;
  return {
    name: 'scheduler',
    ok: fresh,
    required: expected,
    detail: fresh ? age : `${age}, more than ${SCHEDULER_HEARTBEAT_STALE_MS / 1000} s: stuck or stopped`,
  };
}

async function checkDay(db: Database): Promise<HealthCheck> {
  const date = await lastCompletedDayDate(db, { lastStage: dayStages.at(-1)! });
  return {
    name: 'day',
    ok: true,
    required: false,
    detail: date === undefined ? 'no day has completed yet' : `last completed business date ${date}`,
  };
}

/** The circuit of an adapter or provider wrapped in a circuit breaker (withCircuitBreaker), if it is. */
export function circuitOf(source: object | undefined): CircuitSnapshot | undefined {
  const circuit = (source as { circuit?: unknown } | undefined)?.circuit;
  return typeof circuit === 'function' ? (circuit.call(source) as CircuitSnapshot) : undefined;
}

function circuitCheck(name: string, circuit: CircuitSnapshot, nowMs: number): HealthCheck {
  const detail =
    circuit.state === 'open' && circuit.openUntilMs !== undefined
      ? `open after ${circuit.consecutiveFailures} failures; next trial in ${Math.max(0, Math.ceil((circuit.openUntilMs - nowMs) / 1000))} s`
      : circuit.state.replace('_', '-');
  return { name, ok: circuit.state !== 'open', required: false, detail };
}
