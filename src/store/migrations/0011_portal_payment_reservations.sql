-- Reservations of portal payments: a borrower's payment from the portal holds its amount against the
-- loan before the bound account is debited, so concurrent payments can never debit more than the loan
-- owes (the check "outstanding − active reservations ≥ amount" runs under the loan's row lock). The row
-- then follows the money: reserved (nothing known to have moved) → debited (the provider took it, with
-- its reference) → posted, or refund_due → refunded when the loan could not take it, or released when
-- nothing moved (declined). A row left reserved or debited by a crash is finished by
-- `kuan payments reconcile`; refund_due and refunded rows are the unapplied-money report.
CREATE TABLE portal_payment_reservations (
  borrower_id text COLLATE "C" NOT NULL,
  payment_key text COLLATE "C" NOT NULL,
  loan_id text COLLATE "C" NOT NULL,
  amount_minor bigint NOT NULL CHECK (amount_minor > 0),
  currency text NOT NULL,
  on_date date NOT NULL,
  status text NOT NULL CHECK (status IN ('reserved', 'debited', 'posted', 'refund_due', 'refunded', 'released')),
  provider_ref text,
  refund_ref text,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (borrower_id, payment_key),
  UNIQUE (payment_key)
);
-- Active reservations of one loan are summed under its lock on every portal payment.
CREATE INDEX portal_payment_reservations_active ON portal_payment_reservations (loan_id)
  WHERE status IN ('reserved', 'debited');
CREATE INDEX portal_payment_reservations_unapplied ON portal_payment_reservations (status, updated_at)
  WHERE status IN ('refund_due', 'refunded');
