// Reservations of portal payments (table portal_payment_reservations, migration 0009): one row per
// portal payment key, holding the amount against the loan from before the debit until the money is
// posted, refunded or known not to have moved. Only SQL lives here; the rules are in
// src/app/portal-payments.ts. Invariants: a key has one reservation forever (unique payment_key); a status
// only moves forward along reserved → debited → posted | refund_due → refunded, or reserved → released
// (each update names the statuses it may leave, so a late writer cannot move a row back); amounts are
// bigint minor units.
import { sql } from 'drizzle-orm';
import { executeStatement, queryRows, type Queryable } from './db.ts';

export const reservationStatuses = ['reserved', 'debited', 'posted', 'refund_due', 'refunded', 'released'] as const;
export type ReservationStatus = (typeof reservationStatuses)[number];

/** Statuses whose amount still counts against the loan: money about to move or moved and not yet posted. */
export const ACTIVE_RESERVATION_STATUSES: readonly ReservationStatus[] = ['reserved', 'debited'];

export interface PortalReservation {
  paymentKey: string;
  loanId: string;
  borrowerId: string;
  amountMinor: bigint;
  currency: string;
  onDate: string;
  status: ReservationStatus;
  providerRef: string | null;
  refundRef: string | null;
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export type NewPortalReservation = Pick<
  PortalReservation,
  'paymentKey' | 'loanId' | 'borrowerId' | 'amountMinor' | 'currency' | 'onDate'
>;

const columns = sql.raw(
  `payment_key, loan_id, borrower_id, amount_minor::text AS amount_minor, currency, on_date::text AS on_date,
   status, provider_ref, refund_ref, reason, created_at, updated_at`,
);

function toReservation(row: Record<string, unknown>): PortalReservation {
  const instant = (value: unknown) => (value instanceof Date ? value.toISOString() : String(value));
  return {
    paymentKey: String(row.payment_key),
    loanId: String(row.loan_id),
    borrowerId: String(row.borrower_id),
    amountMinor: BigInt(String(row.amount_minor)),
    currency: String(row.currency),
    onDate: String(row.on_date).slice(0, 10),
    status: String(row.status) as ReservationStatus,
    providerRef: row.provider_ref === null ? null : String(row.provider_ref),
    refundRef: row.refund_ref === null ? null : String(row.refund_ref),
    reason: row.reason === null ? null : String(row.reason),
    createdAt: instant(row.created_at),
    updatedAt: instant(row.updated_at),
  };
}

function statusList(statuses: readonly ReservationStatus[]) {
  return sql.join(
    statuses.map((status) => sql`${status}`),
    sql`, `,
  );
}

export async function getPortalReservation(
  queryable: Queryable,
  paymentKey: string,
): Promise<PortalReservation | undefined> {
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${columns} FROM portal_payment_reservations WHERE payment_key = ${paymentKey}`,
  );
  return rows[0] ? toReservation(rows[0]) : undefined;
}

/**
 * Money on its way to a loan, which a new debit must leave room for: its active portal reservations and
 * its presented, still unanswered auto-debit attempts — leaving out one key's own (a retry must not count
 * itself). Run it under the loan's row lock.
 */
export async function moneyInFlightMinor(
  queryable: Queryable,
  options: { loanId: string; excludingKey: string },
): Promise<bigint> {
  const rows = await queryRows<{ total: string }>(
    queryable,
    sql`SELECT (
          (SELECT COALESCE(SUM(amount_minor), 0) FROM portal_payment_reservations
           WHERE loan_id = ${options.loanId} AND payment_key <> ${options.excludingKey}
             AND status IN (${statusList(ACTIVE_RESERVATION_STATUSES)}))
          + (SELECT COALESCE(SUM(amount_minor), 0) FROM auto_debit_attempts
             WHERE loan_id = ${options.loanId} AND idempotency_key <> ${options.excludingKey}
               AND status IN ('pending', 'unknown') AND presented_at IS NOT NULL)
        )::text AS total`,
  );
  return BigInt(rows[0]?.total ?? '0');
}

/** Inserts a reservation as `reserved`; run it in the transaction holding the loan's row lock. */
export async function insertPortalReservation(queryable: Queryable, reservation: NewPortalReservation): Promise<void> {
  await executeStatement(
    queryable,
    sql`INSERT INTO portal_payment_reservations (payment_key, loan_id, borrower_id, amount_minor, currency, on_date, status)
        VALUES (${reservation.paymentKey}, ${reservation.loanId}, ${reservation.borrowerId},
                ${reservation.amountMinor.toString()}::bigint, ${reservation.currency}, ${reservation.onDate}::date, 'reserved')`,
  );
}

/**
 * Moves a reservation to `status` if it is still in one of `from`; the fields given are set too. Answers
 * whether it moved (false: another writer moved it first, or it was never in `from`).
 */
export async function movePortalReservation(
  queryable: Queryable,
  paymentKey: string,
  change: {
    from: readonly ReservationStatus[];
    status: ReservationStatus;
    providerRef?: string;
    refundRef?: string;
    reason?: string;
  },
): Promise<boolean> {
  const count = await executeStatement(
    queryable,
    sql`UPDATE portal_payment_reservations
        SET status = ${change.status},
            provider_ref = COALESCE(${change.providerRef ?? null}, provider_ref),
            refund_ref = COALESCE(${change.refundRef ?? null}, refund_ref),
            reason = COALESCE(${change.reason ?? null}, reason),
            updated_at = now()
        WHERE payment_key = ${paymentKey} AND status IN (${statusList(change.from)})`,
  );
  return count === 1;
}

/** Reservations in the given statuses, oldest change first; `olderThanSeconds` keeps those untouched that long. */
export async function listPortalReservations(
  queryable: Queryable,
  options: { statuses: readonly ReservationStatus[]; olderThanSeconds?: number; limit: number },
): Promise<PortalReservation[]> {
  const age =
    options.olderThanSeconds === undefined
      ? sql``
      : sql`AND updated_at <= now() - make_interval(secs => ${options.olderThanSeconds})`;
  const rows = await queryRows<Record<string, unknown>>(
    queryable,
    sql`SELECT ${columns} FROM portal_payment_reservations
        WHERE status IN (${statusList(options.statuses)}) ${age}
        ORDER BY updated_at, payment_key LIMIT ${options.limit}`,
  );
  return rows.map(toReservation);
}
