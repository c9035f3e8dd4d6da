// The store: schema, migrations and repositories — the only place that speaks SQL. Loan state is an
// opaque JSON document to it; the application layer (app/) maps between these row types and the servicing core.
export {
  awaitCommitsDurable,
  databaseConfigFromEnv,
  DEFAULT_DATA_DIR,
  executeStatement,
  executorOf,
  MEMORY_DATA_DIR,
  openDatabase,
  queryRows,
  restoreEmbedded,
  type Database,
  type DatabaseConfig,
  type DatabaseKind,
  type Executor,
  type Queryable,
  type ScriptRunner,
  type Transaction,
} from './db.ts';
export { appliedSchemaVersion, loadMigrations, migrate, type MigrateResult, type Migration } from './migrate.ts';
export { isUniqueViolation, StoreConflictError, type StoreConflictCode } from './errors.ts';
export {
  borrowerHash,
  checkPartition,
  HASH_SPACE,
  partitionRange,
  workerOfHash,
  WORKERS_MAX,
  type Partition,
} from './partition.ts';
export * from './products.ts';
export * from './borrowers.ts';
export * from './loans.ts';
export * from './transactions.ts';
export * from './journal.ts';
export * from './outbox.ts';
export * from './close.ts';
export * from './payments.ts';
export * from './idempotency.ts';
export * from './close-runs.ts';
export * from './auto-debit.ts';
export * from './contacts.ts';
export * from './audit.ts';
export * from './access.ts';
export * from './pages.ts';
export * from './cases.ts';
export * from './hardship.ts';
export * from './approvals.ts';
export * from './portal-payments.ts';
export * from './experiments.ts';
export { adminQuery, openTestDatabase, type TestDatabase } from './testing.ts';
export * as tables from './schema.ts';
export * from './day-runs.ts';
export * from './operations.ts';
