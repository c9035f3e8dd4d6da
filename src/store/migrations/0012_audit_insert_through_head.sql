-- 0012_audit_insert_through_head — an audit row goes in only through the chain's head. appendAudit moves
-- audit_head to its last row in the statement that inserts its rows, so every row it inserts has a seq at
-- or below the head it just set (the trigger runs after that move: a VOLATILE trigger function's query
-- sees the statement's earlier changes). A row written past the head by hand was on no chain the head
-- vouches for, blocked every later append at its seq (a primary key clash) and was left out of
-- `kuan audit verify`; now the database refuses it. Someone who can also move audit_head can still forge
-- a tail: the hash chain shows edits, not a rewrite of the end together with its head.
CREATE FUNCTION audit_log_insert_through_head() RETURNS trigger LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head_seq bigint;
BEGIN
  SELECT seq INTO head_seq FROM audit_head WHERE id = 1;
  IF NEW.seq > head_seq THEN
    RAISE EXCEPTION 'audit_log row % is past the chain head (row %): append through audit_head', NEW.seq, head_seq;
  END IF;
  RETURN NEW;
END;
$$;

CREATE TRIGGER audit_log_insert_through_head BEFORE INSERT ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_insert_through_head();
