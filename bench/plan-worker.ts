// One worker of the eod benchmark's contact planning: `node --import tsx bench/plan-worker.ts DATE WORKER
// WORKERS NOW_MS` plans its share of borrowers (the partitioned planContacts, src/store/partition.ts) on
// DATABASE_URL with the default strategy and the cn-2026 policy, and prints one JSON line: its stats,
// when planning started and finished (epoch ms, so the parent times the workers together without their
// start-up) and the CPU time of this process while planning.
import { parsePolicy, resolveStrategy } from '../src/contact/index.ts';
import { planContacts } from '../src/app/index.ts';
import { openDatabase } from '../src/store/index.ts';

const [date, worker, workers, nowMs] = process.argv.slice(2);
const databaseUrl = process.env.DATABASE_URL;
if (date === undefined || worker === undefined || workers === undefined || nowMs === undefined || !databaseUrl) {
  throw new Error('usage: DATABASE_URL=… node --import tsx bench/plan-worker.ts DATE WORKER WORKERS NOW_MS');
}
const db = await openDatabase({ databaseUrl, poolSize: 1 });
try {
  const strategy = resolveStrategy('default');
  const policy = parsePolicy('cn-2026');
  const cpu = process.cpuUsage();
  const startedMs = Date.now();
  const stats = await planContacts({
    db,
    date,
    strategy,
    policy,
    nowMs: Number(nowMs),
    partition: { worker: Number(worker), workers: Number(workers) },
    ...(process.env.KUAN_BENCH_PLAN_PAGE ? { pageSize: Number(process.env.KUAN_BENCH_PLAN_PAGE) } : {}),
  });
  const finishedMs = Date.now();
  const used = process.cpuUsage(cpu);
  process.stdout.write(
    `${JSON.stringify({ stats, startedMs, finishedMs, cpuMs: (used.user + used.system) / 1000 })}\n`,
  );
} finally {
  await db.close();
}
