-- 0006_access_audit — who may use the API and what they did: staff accounts, server-side sessions,
-- borrowers' one-time sign-in codes, borrowers' identity numbers (personal data kept apart from the
-- contact document), and the append-only, hash-chained audit log. See docs/access.md.
--
-- Note: migrations only go forward; never edit this file once released (add 0007_….sql instead).
--
-- Layout (the rules of 0001 hold): borrower-owned tables (borrower_sign_in_codes, borrower_identities)
-- have borrower_id first in their primary key. sessions and audit_log are not borrower-owned: a session
-- is found by its token alone, and the audit log is one chain across everything, so they name the
-- person they are about in subject_id / subject_borrower_id instead. Instants are written by the
-- caller's clock (timestamptz), never now(), so expiry decisions follow the API's clock.

CREATE TABLE staff_accounts (
  username text COLLATE "C" PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'collector', 'compliance', 'viewer')),
  -- argon2id, in the PHC string format ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
  password_hash text NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One row per signed-in session. The client holds an opaque random token; only its SHA-256 is stored,
-- so reading this table does not let anyone sign in. A session ends at expires_at or when revoked.
CREATE TABLE sessions (
  token_hash text COLLATE "C" PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  subject_kind text NOT NULL CHECK (subject_kind IN ('staff', 'borrower')),
  -- The staff username or the borrower id. A staff member's role is read from staff_accounts on every
  -- request, so a changed role or a disabled account takes effect at once.
  subject_id text COLLATE "C" NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  CHECK (expires_at > created_at)
);

CREATE INDEX sessions_subject_idx ON sessions (subject_kind, subject_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

-- One-time sign-in codes for the borrower portal: six digits, stored as SHA-256(code_id:code), valid
-- until expires_at, at most attempts_max wrong tries, used once (consumed_at).
CREATE TABLE borrower_sign_in_codes (
  borrower_id text COLLATE "C" NOT NULL REFERENCES borrowers (borrower_id),
  code_id text COLLATE "C" NOT NULL,
  code_hash text NOT NULL CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  attempts_max integer NOT NULL CHECK (attempts_max >= 1),
  consumed_at timestamptz,
  PRIMARY KEY (borrower_id, code_id),
  CHECK (expires_at > created_at)
);

CREATE INDEX borrower_sign_in_codes_recent_idx ON borrower_sign_in_codes (borrower_id, created_at);

-- A borrower's identity document number (national ID, passport): personal data the console masks for
-- roles without pii:read. Kept out of borrowers.contacts, which channels read.
CREATE TABLE borrower_identities (
  borrower_id text COLLATE "C" PRIMARY KEY REFERENCES borrowers (borrower_id),
  id_type text NOT NULL CHECK (id_type IN ('national_id', 'passport', 'other')),
  id_number text NOT NULL CHECK (length(id_number) BETWEEN 1 AND 64),
  updated_at timestamptz NOT NULL
);

-- Borrowers sign in to the portal by phone number: find them by their SMS number without a scan.
CREATE INDEX borrowers_sms_idx ON borrowers ((contacts->>'sms')) WHERE contacts ? 'sms';

-- The audit log: one row per staff action and per read of borrower personal data, in one chain.
-- hash = SHA-256(prev_hash || "\n" || canonical JSON of the row's content), prev_hash being the hash of
-- row seq − 1 (64 zeros for row 1); audit_head holds the last row's seq and hash, so a removed tail is
-- noticed too. Appenders lock the head row, so rows are numbered without gaps in commit order.
CREATE TABLE audit_log (
  seq bigint PRIMARY KEY CHECK (seq >= 1),
  at timestamptz NOT NULL,
  actor_kind text NOT NULL CHECK (actor_kind IN ('staff', 'borrower', 'anonymous', 'system')),
  actor_id text NOT NULL,
  action text NOT NULL,
  resource text NOT NULL,
  -- The borrower whose data the row is about, if any (not a key: the log is one chain for everyone).
  subject_borrower_id text COLLATE "C",
  -- The HTTP status the action ended with (or 0 for a non-HTTP action).
  outcome integer NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(detail) = 'object'),
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX audit_log_subject_idx ON audit_log (subject_borrower_id, seq) WHERE subject_borrower_id IS NOT NULL;
CREATE INDEX audit_log_actor_idx ON audit_log (actor_kind, actor_id, seq);

CREATE TABLE audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL CHECK (seq >= 0),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$')
);

INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Append-only: the database refuses to change or remove an audit row (a superuser can still disable
-- the trigger; the hash chain is what makes such an edit visible to `kuan audit verify`).
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
