-- 0016_scheduler_heartbeats — the scheduler (`kuan serve --schedule`) writes the instant of each of its
-- rounds here, one row per scheduler process, so readiness (GET /health/ready, `kuan doctor`) can tell a
-- live scheduler from a stuck or dead one, from this process or another. Rows of processes gone for a week
-- are deleted by the next beat, so the table holds about as many rows as schedulers run. Nothing here is
-- borrower-owned: a reference table on a distributed engine.
CREATE TABLE scheduler_heartbeats (
  worker_id text PRIMARY KEY,
  started_at timestamptz NOT NULL,
  beat_at timestamptz NOT NULL
);
