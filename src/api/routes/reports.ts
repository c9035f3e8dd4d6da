// Portfolio reports for the staff dashboard: the book by bucket, roll rates, cure rates, the collections
// curve, promises kept, contacts by channel and suppressions by reason. Every route needs `reports:read`
// and none is open to borrowers. Roll and cure rates compare each loan's standing at snapshot dates (month
// ends, or two dates given), the curve follows delinquency episodes; all are rebuilt from what servicing
// recorded (loan_events outbox rows, the journal, loan transactions — src/store/reports.ts) and decided
// by the pure src/reports module; definitions in docs/reports.md. Invariants: read-only; a bad query names
// its field; rates are decimal fraction strings (null when nothing was in the bucket); amounts are decimal
// strings in major units, never summed across currencies.
import { z } from 'zod';
import { compareDates, partsOf, type IsoDate } from '../../calendar/index.ts';
import { gateRuleOf } from '../../contact/index.ts';
import { InputError } from '../../errors/index.ts';
import { promiseKeptRates, type PromiseOutcome } from '../../workbench/index.ts';
import { historyOf } from '../../app/index.ts';
import {
  collectionsCurve,
  cureRates,
  curveDays,
  monthEndSnapshots,
  rollRates,
  SNAPSHOT_MONTHS_MAX,
  type DelinquencyEpisode,
  type TransitionGroup,
} from '../../reports/index.ts';
import {
  defaultBuckets,
  loanDaySummary,
  loanStatuses,
  parseServicingRules,
  replay,
  type Bucket,
  type LoanStatus,
} from '../../servicing/index.ts';
import { getServicingRules, type Queryable } from '../../store/index.ts';
import { bookByBucket } from '../../store/pages.ts';
import { countContactsByChannel, countSuppressionReasons, listPromiseRecords } from '../../store/contacts.ts';
import {
  delinquencyEpisodes,
  latestClosedDate,
  loanTransactionsThrough,
  standingTransitions,
  throughKey,
} from '../../store/reports.ts';
import type { Api, ApiContext } from '../context.ts';
import { problemSchema } from '../problem.ts';
import { isoDateSchema } from '../schemas.ts';
import { today } from './loans.ts';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const reportAccess = { access: { kind: 'permission' as const, permission: 'reports:read' as const, borrower: false } };

/** Most cohort months of one collections curve, and most days since delinquency it follows. */
export const CURVE_MONTHS_MAX = 24;
export const CURVE_MAX_DAYS_MAX = 720;

const asOfSchema = isoDateSchema
  .optional()
  .describe('the last date the report looks at; default: the latest completed daily close, else today');

const snapshotQuerySchema = z.object({
  months: z.coerce
    .number()
    .int()
    .min(1)
    .max(SNAPSHOT_MONTHS_MAX)
    .default(6)
    .describe(
      `one-month periods between consecutive month ends, the last ones on or before asOf (1-${SNAPSHOT_MONTHS_MAX})`,
    ),
  from: isoDateSchema
    .optional()
    .describe('first snapshot date; with `to`, one period between two dates instead of month ends'),
  to: isoDateSchema.optional().describe('second snapshot date (after `from`)'),
  asOf: asOfSchema,
});

const balanceRateSchema = z.object({
  currency: z.string(),
  balance: z.string().describe('outstanding principal at the first date of the loans in the bucket'),
  movedBalance: z.string().describe('the part of it on loans that rolled (roll rates) or cured (cure rates)'),
  rate: z.string().nullable().describe('movedBalance / balance, four decimals; null when the balance is 0'),
});

const rollRowSchema = z.object({
  from: z.string().describe('bucket at the first date'),
  to: z.string().describe('the next bucket of the ladder'),
  rate: z
    .string()
    .nullable()
    .describe(
      'share of the open loans in `from` at the first date that were in `to` or worse (or charged off) at the second; null when none were in `from`',
    ),
  loans: z.number().int().describe('open loans in `from` at the first date'),
  rolled: z.number().int().describe('of them, in `to` or worse, or charged off, at the second date'),
  balances: z.array(balanceRateSchema).describe('the same share by outstanding principal, per currency'),
});

const cureRowSchema = z.object({
  bucket: z.string().describe('delinquent bucket at the first date'),
  rate: z
    .string()
    .nullable()
    .describe(
      'share of the open loans in `bucket` at the first date that were current (first bucket) or closed at the second',
    ),
  loans: z.number().int(),
  cured: z.number().int(),
  balances: z.array(balanceRateSchema),
});

function periodsSchema<T extends z.ZodType>(row: T) {
  return z
    .array(z.object({ startDate: z.string(), endDate: z.string(), rows: z.array(row) }))
    .describe('each period on its own; `rows` pools them (sums of loans over the periods)');
}

/** The snapshot dates a query asks for, and the as-of date they were chosen from. */
async function snapshotsOf(
  ctx: ApiContext,
  query: { months: number; from?: IsoDate | undefined; to?: IsoDate | undefined; asOf?: IsoDate | undefined },
): Promise<{ asOf: IsoDate; snapshots: IsoDate[] }> {
  const asOf = query.asOf ?? (await defaultAsOf(ctx.db));
  if (query.from !== undefined || query.to !== undefined) {
    if (query.from === undefined) throw new InputError('from', 'is required with `to`');
    if (query.to === undefined) throw new InputError('to', 'is required with `from`');
    if (compareDates(query.to, query.from) <= 0) {
      throw new InputError('to', `must be after from ${query.from}, got "${query.to}"`);
    }
    return { asOf, snapshots: [query.from, query.to] };
  }
  return { asOf, snapshots: monthEndSnapshots(asOf, query.months) };

  async function defaultAsOf(queryable: Queryable): Promise<IsoDate> {
    return (await latestClosedDate(queryable)) ?? today(ctx);
  }
}

/** Each rules digest's bucket ladder (the default ladder for a loan stored without its contract). */
async function laddersOf(queryable: Queryable, digests: Iterable<string>): Promise<Map<string, readonly Bucket[]>> {
  const found = await getServicingRules(queryable, [...new Set(digests)]);
  const ladders = new Map<string, readonly Bucket[]>();
  for (const [digest, json] of found) {
    ladders.set(digest, parseServicingRules(json, { field: `servicing_rules[${digest}]`, stored: true }).buckets);
  }
  return ladders;
}

const statusOf = (text: string | null, field: string): LoanStatus => {
  if (text === null) return 'active';
  if ((loanStatuses as readonly string[]).includes(text)) return text as LoanStatus;
  throw new Error(`invariant violated: ${field} ${text} is a loan status`);
};

/** The book's transitions between consecutive snapshots, one list per period. */
async function transitionsByPeriod(queryable: Queryable, snapshots: readonly IsoDate[]): Promise<TransitionGroup[][]> {
  const rows = await standingTransitions(queryable, snapshots);
  const ladders = await laddersOf(
    queryable,
    rows.flatMap((row) => (row.rulesDigest === null ? [] : [row.rulesDigest])),
  );
  const periods: TransitionGroup[][] = snapshots.slice(1).map(() => []);
  for (const row of rows) {
    const ladder = (row.rulesDigest === null ? undefined : ladders.get(row.rulesDigest)) ?? defaultBuckets;
    const clear = (ladder[0] as Bucket).name;
    periods[row.period]?.push({
      ladder,
      currency: row.currency,
      from: { bucket: row.fromBucket ?? clear, status: statusOf(row.fromStatus, 'status') },
      to: { bucket: row.toBucket ?? clear, status: statusOf(row.toStatus, 'status') },
      loans: row.loans,
      principalMinor: row.principalMinor,
    });
  }
  return periods;
}

function periodsOf<T>(
  snapshots: readonly IsoDate[],
  periods: readonly TransitionGroup[][],
  rate: (g: TransitionGroup[]) => T[],
) {
  return periods.map((groups, index) => ({
    startDate: snapshots[index] as IsoDate,
    endDate: snapshots[index + 1] as IsoDate,
    rows: rate(groups),
  }));
}

/** Each episode's overdue amount when it began: its loan replayed through the step that made it delinquent. */
async function withOverdue(
  queryable: Queryable,
  episodes: Awaited<ReturnType<typeof delinquencyEpisodes>>,
): Promise<DelinquencyEpisode[]> {
  const histories = await loanTransactionsThrough(
    queryable,
    episodes.map((episode) => ({ borrowerId: episode.borrowerId, loanId: episode.loanId, throughSeq: episode.seq })),
  );
  return episodes.map((episode) => {
    const rows = histories.get(throughKey({ loanId: episode.loanId, throughSeq: episode.seq })) ?? [];
    const { opening, transactions } = historyOf(rows);
    const { state } = replay(opening, transactions);
    const summary = loanDaySummary(state);
    return {
      borrowerId: episode.borrowerId,
      loanId: episode.loanId,
      currency: episode.currency,
      startedOn: episode.startedOn,
      overdueMinor: summary.overdueMinor + summary.penaltyMinor,
      payments: episode.payments,
    };
  });
}

export function registerReportsRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/reports/roll-rates',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'Roll rates between snapshot dates: of the loans in each bucket, the share one bucket worse or more',
        description:
          'Month ends by default (the last `months` periods on or before asOf), or `from` and `to`. Definitions and a worked example: docs/reports.md.',
        querystring: snapshotQuerySchema,
        response: {
          200: z.object({
            asOf: z.string(),
            snapshots: z.array(z.string()).describe('the snapshot dates, oldest first'),
            rows: z.array(rollRowSchema),
            periods: periodsSchema(rollRowSchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { asOf, snapshots } = await snapshotsOf(ctx, request.query);
      const periods = await transitionsByPeriod(ctx.db, snapshots);
      return {
        asOf,
        snapshots,
        rows: rollRates(periods.flat()),
        periods: periodsOf(snapshots, periods, rollRates),
      };
    },
  );

  api.get(
    '/reports/cure-rates',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'Cure rates between snapshot dates: of the loans in each delinquent bucket, the share current again',
        description: 'The same snapshot dates as roll rates. Definitions and a worked example: docs/reports.md.',
        querystring: snapshotQuerySchema,
        response: {
          200: z.object({
            asOf: z.string(),
            snapshots: z.array(z.string()),
            rows: z.array(cureRowSchema),
            periods: periodsSchema(cureRowSchema),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { asOf, snapshots } = await snapshotsOf(ctx, request.query);
      const periods = await transitionsByPeriod(ctx.db, snapshots);
      return {
        asOf,
        snapshots,
        rows: cureRates(periods.flat()),
        periods: periodsOf(snapshots, periods, cureRates),
      };
    },
  );

  api.get(
    '/reports/collections-curve',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary:
          'Collections curve: per cohort (month of delinquency), the amount recovered by each day since delinquency over the amount overdue then',
        description: 'Definitions and a worked example: docs/reports.md.',
        querystring: z.object({
          months: z.coerce
            .number()
            .int()
            .min(1)
            .max(CURVE_MONTHS_MAX)
            .default(6)
            .describe(`cohorts: the calendar months up to asOf's, this many (1-${CURVE_MONTHS_MAX})`),
          maxDays: z.coerce
            .number()
            .int()
            .min(0)
            .max(CURVE_MAX_DAYS_MAX)
            .default(180)
            .describe(`the last day since delinquency to report (0-${CURVE_MAX_DAYS_MAX})`),
          step: z.coerce.number().int().min(1).max(90).default(10).describe('days between points (1-90)'),
          asOf: asOfSchema,
        }),
        response: {
          200: z.object({
            asOf: z.string(),
            days: z.array(z.number().int()),
            rows: z.array(
              z.object({
                cohort: z.string().describe('YYYY-MM: the month the loans became delinquent'),
                currency: z.string(),
                day: z.number().int().describe('days since delinquency'),
                loans: z.number().int().describe('delinquency episodes in the cohort'),
                overdue: z.string().describe('overdue (with penalty owed) when they became delinquent'),
                recovered: z.string().describe('payments posted after delinquency through this day, net of reversals'),
                recoveredRate: z.string().nullable().describe('recovered / overdue, four decimals'),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { months, maxDays, step } = request.query;
      const asOf = request.query.asOf ?? (await latestClosedDate(ctx.db)) ?? today(ctx);
      const days = curveDays({ maxDays, step });
      const { year, month } = partsOf(asOf);
      const firstMonth = year * 12 + (month - 1) - (months - 1);
      const from = `${String(Math.floor(firstMonth / 12)).padStart(4, '0')}-${String((firstMonth % 12) + 1).padStart(2, '0')}-01`;
      const episodes = await withOverdue(ctx.db, await delinquencyEpisodes(ctx.db, { from, through: asOf }));
      return { asOf, days, rows: collectionsCurve(episodes, { asOf, days }) };
    },
  );

  // ---- promises, contacts, the book ------------------------------------------------------------------
  const tallySchema = z.object({
    made: z.number().int(),
    kept: z.number().int(),
    partlyKept: z.number().int(),
    broken: z.number().int(),
    open: z.number().int(),
    keptRate: z.string().nullable(),
  });
  api.get(
    '/reports/promises',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'Promise-kept rate overall, per agent who took the promise and per segment (the loan’s bucket)',
        response: {
          200: tallySchema.extend({
            byAgent: z.array(tallySchema.extend({ agent: z.string() })),
            bySegment: z.array(tallySchema.extend({ segment: z.string() })),
          }),
          ...errors,
        },
      },
    },
    async () => {
      const records = await listPromiseRecords(ctx.db);
      return promiseKeptRates(
        records.map((record) => ({
          takenBy: record.takenBy,
          segment: record.bucket,
          status: record.status as PromiseOutcome,
        })),
      );
    },
  );

  api.get(
    '/reports/contacts-by-channel',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'Contacts decided so far, by channel and status (sent or held back by the compliance gate)',
        response: {
          200: z.object({
            rows: z.array(z.object({ channel: z.string(), status: z.string(), count: z.number().int() })),
          }),
          ...errors,
        },
      },
    },
    async () => ({ rows: await countContactsByChannel(ctx.db) }),
  );

  api.get(
    '/reports/suppressions',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'Contacts the compliance gate held back, by the rule that stopped them',
        response: {
          200: z.object({ rows: z.array(z.object({ reason: z.string(), count: z.number().int() })) }),
          ...errors,
        },
      },
    },
    async () => {
      const byRule = new Map<string, number>();
      for (const row of await countSuppressionReasons(ctx.db)) {
        const rule = gateRuleOf(row.reason);
        byRule.set(rule, (byRule.get(rule) ?? 0) + row.count);
      }
      const rows = [...byRule].map(([reason, count]) => ({ reason, count }));
      return { rows: rows.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)) };
    },
  );

  api.get(
    '/reports/book',
    {
      config: reportAccess,
      schema: {
        tags: ['reports'],
        summary: 'The book by currency, delinquency bucket and status',
        response: {
          200: z.object({
            rows: z.array(
              z.object({
                currency: z.string(),
                bucket: z.string(),
                status: z.string(),
                loans: z.number().int(),
                averageDpd: z.string(),
              }),
            ),
            totals: z.object({ loans: z.number().int() }),
          }),
          ...errors,
        },
      },
    },
    async () => {
      const rows = await bookByBucket(ctx.db);
      return {
        rows: rows.map((row) => ({
          currency: row.currency,
          bucket: row.bucket,
          status: row.status,
          loans: row.loans,
          averageDpd: row.loans === 0 ? '0.0' : (row.dpdTotal / row.loans).toFixed(1),
        })),
        totals: { loans: rows.reduce((sum, row) => sum + row.loans, 0) },
      };
    },
  );
}
