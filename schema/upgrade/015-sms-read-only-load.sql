-- A message's load writes nothing, and runs fewer statements.
--
-- Until now the load waited for the previous holder's store to commit by
-- locking the phone's state row (FOR UPDATE), and the store held that row
-- even when it left the state as it was. A row lock is a write: every load
-- took a transaction id, wrote WAL and flushed it at commit. Now the store
-- takes the phone's lock once more for its own transaction
-- (pg_advisory_xact_lock: the session already holds it) before it gives
-- the session lock back, so the next holder's pg_advisory_lock returns
-- only once the store has committed, and the load reads plain rows. What
-- step 006 guarantees stays: one phone's messages in order across every
-- host, one effect per MessageSid, and a dead connection's lock gone
-- with it.
--
-- The load also counts the message's rate limits itself (the module wrapped
-- it in a query of two CTEs for that) and reads the replay record, the
-- phone and the state in one statement. In pgbench, with the statements as
-- the module sends them, PostgreSQL spent about a fifth less CPU a message
-- in most runs (bench/RESULTS.md, 2026-12-02 08:00). The store no longer prunes: replay
-- records are pruned by smscloud_prune (step 007), and the module passed 0
-- since then.

-- The columns of step 014, and refused: the answer of smscloud_rate_hits
-- for p_buckets, p_windows and p_counts (step 010), 0 when there are none,
-- NULL for a replay (which counts nothing).
CREATE FUNCTION smscloud_sms_load(p_sid text, p_phone text, p_idle integer,
                                  p_lock_wait text, p_buckets text, p_windows text,
                                  p_counts text)
RETURNS TABLE (replay text, verified boolean, account_ref bigint, folders text,
               listing text, next_index integer, expired boolean, acc_id bigint,
               acc_provider text, acc_account_id text, acc_service text,
               acc_display_name text, acc_credentials text, refused integer)
LANGUAGE plpgsql AS $$
DECLARE
    lock_key bigint := smscloud_sms_lock_key(p_phone);
    seen_phone text;
    seen_reply text;
    has_state boolean;
    unused text;
BEGIN
    -- an assignment, not a PERFORM: PL/pgSQL evaluates it without the
    -- executor
    unused := set_config('lock_timeout', p_lock_wait, true);
    PERFORM pg_advisory_lock(lock_key);
    SELECT m.phone, m.reply, p.verified_at IS NOT NULL, s.phone IS NOT NULL
      INTO seen_phone, seen_reply, verified, has_state
      FROM (SELECT) one
      LEFT JOIN processed_messages m ON m.message_sid = p_sid
      LEFT JOIN phones p ON p.phone = p_phone
      LEFT JOIN sms_state s ON s.phone = p_phone;
    IF seen_phone IS NOT NULL THEN
        PERFORM pg_advisory_unlock(lock_key);
        replay := CASE WHEN seen_phone = p_phone THEN coalesce(seen_reply, '') ELSE '' END;
        verified := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    refused := CASE WHEN p_buckets = '' THEN 0
                    ELSE smscloud_rate_hits(p_buckets, p_windows, p_counts) END;
    IF NOT verified THEN
        RETURN NEXT;
        RETURN;
    END IF;
    -- a state row only for those who can use it: a verified phone with an
    -- account
    IF NOT has_state AND EXISTS (SELECT 1 FROM accounts x WHERE x.phone = p_phone) THEN
        INSERT INTO sms_state (phone) VALUES (p_phone) ON CONFLICT DO NOTHING;
    END IF;
    -- the first row carries the state, every row an account (oldest first)
    -- or, for a phone without one, none
    RETURN QUERY
        SELECT NULL::text,
               CASE WHEN first THEN true END,
               CASE WHEN first THEN s.account_ref END,
               CASE WHEN first THEN s.folders END,
               CASE WHEN first THEN s.listing END,
               CASE WHEN first THEN s.next_index END,
               CASE WHEN first THEN s.updated_at < now() - make_interval(secs => p_idle) END,
               a.id, a.provider, a.account_id, a.service, a.display_name, a.credentials,
               CASE WHEN first THEN refused END
          FROM (SELECT) one
          LEFT JOIN sms_state s ON s.phone = p_phone
          LEFT JOIN LATERAL (SELECT x.*, row_number() OVER (ORDER BY x.id) AS n
                               FROM accounts x WHERE x.phone = p_phone) a ON true
          CROSS JOIN LATERAL (SELECT coalesce(a.n, 1) = 1 AS first) f
         ORDER BY a.n;
END
$$;

DROP FUNCTION smscloud_sms_load(text, text, integer, text);

-- p_write false leaves the state as it was; p_listing NULL keeps the stored
-- listing (step 006).
CREATE FUNCTION smscloud_sms_store(p_sid text, p_phone text, p_reply text,
                                   p_write boolean, p_account_ref bigint,
                                   p_folders text, p_listing text,
                                   p_next_index integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    lock_key bigint := smscloud_sms_lock_key(p_phone);
BEGIN
    -- held until this transaction ends: the next load waits for the commit
    PERFORM pg_advisory_xact_lock(lock_key);
    IF p_write THEN
        UPDATE sms_state SET account_ref = p_account_ref, folders = p_folders,
               listing = coalesce(p_listing, listing), next_index = p_next_index,
               version = version + 1, updated_at = now()
         WHERE phone = p_phone;
    END IF;
    INSERT INTO processed_messages (message_sid, phone, reply)
    VALUES (p_sid, p_phone, p_reply) ON CONFLICT (message_sid) DO NOTHING;
    RETURN pg_advisory_unlock(lock_key);
END
$$;

DROP FUNCTION smscloud_sms_store(text, text, text, boolean, bigint, text, text, integer,
                                 integer);
