// Champion/challenger outcomes as counts: a strategy's decided contacts (sent or suppressed; planned,
// deferred, in-flight and failed ones are not decided yet) per arm, and whether the borrower paid on one
// of the contact's loans within a window after its business date. Invariants: a payment counts only when
// posted (declined and pending debits do not), on its value date (received_at is the value date at
// midnight UTC), from the contact's business date through business date + windowDays; the outcome is
// known only when that window ends on or before `knownThrough` (the last completed close), so a window
// still open is never counted as "did not pay". Aggregated in the database: one row per arm, status and
// outcome, never one per contact.
import { sql } from 'drizzle-orm';
import type { IsoDate } from '../calendar/index.ts';
import { invariant } from '../errors/index.ts';
import { queryRows, type Queryable } from './db.ts';
import { toInteger, toText } from './rows.ts';

/** The longest window after a contact a payment is looked for. */
export const EXPERIMENT_WINDOW_DAYS_MAX = 90;
/** The longest span of business dates one comparison covers. */
export const EXPERIMENT_SPAN_DAYS_MAX = 366;

export interface ArmOutcomeCount {
  arm: 'champion' | 'challenger';
  status: 'sent' | 'suppressed';
  /** null: the window has not ended by knownThrough; else whether the borrower paid within it. */
  paid: boolean | null;
  count: number;
}

export async function countArmOutcomes(
  queryable: Queryable,
  options: {
    strategyName: string;
    from: IsoDate;
    through: IsoDate;
    windowDays: number;
    /** The last business date whose payments are all in (the last completed close); null: none. */
    knownThrough: IsoDate | null;
  },
): Promise<ArmOutcomeCount[]> {
  const { windowDays } = options;
  invariant(
    Number.isInteger(windowDays) && windowDays >= 0 && windowDays <= EXPERIMENT_WINDOW_DAYS_MAX,
    `window 0…${EXPERIMENT_WINDOW_DAYS_MAX} days`,
  );
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT o.arm, o.status, o.paid, count(*) AS count FROM (
          SELECT c.intent->'strategy'->>'arm' AS arm, c.status,
                 CASE
                   WHEN ${options.knownThrough}::date IS NULL
                     OR c.business_date + ${windowDays}::int > ${options.knownThrough}::date THEN NULL
                   ELSE EXISTS (
                     -- One probe of payments_loan_idx (borrower, loan, received_at) per loan of the contact.
                     SELECT 1 FROM jsonb_array_elements_text(c.loan_ids) AS l(loan_id)
                     JOIN payments p ON p.borrower_id = c.borrower_id AND p.loan_id = l.loan_id
                     WHERE p.status = 'posted'
                       AND p.received_at >= c.business_date::timestamp AT TIME ZONE 'UTC'
                       AND p.received_at < (c.business_date + ${windowDays}::int + 1)::timestamp AT TIME ZONE 'UTC')
                 END AS paid
          FROM contacts c
          WHERE c.intent->'strategy'->>'name' = ${options.strategyName}
            AND c.intent->'strategy'->>'arm' IN ('champion', 'challenger')
            AND c.status IN ('sent', 'suppressed')
            AND c.business_date BETWEEN ${options.from}::date AND ${options.through}::date
        ) AS o
        GROUP BY o.arm, o.status, o.paid
        ORDER BY o.arm, o.status, o.paid`,
  );
  return rows.map((row) => ({
    arm: toText(row.arm) as ArmOutcomeCount['arm'],
    status: toText(row.status) as ArmOutcomeCount['status'],
    paid: row.paid === null || row.paid === undefined ? null : row.paid === true || row.paid === 't',
    count: toInteger(row.count),
  }));
}
