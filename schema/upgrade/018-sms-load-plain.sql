-- A message's load in plainer statements: the same arguments, columns and
-- answers as step 015's.
--
-- Step 015 read the replay record, the phone and its state in one
-- statement of three joins, and the accounts through a window function
-- and two lateral joins so that only the first row carried the state.
-- PostgreSQL set up those plans' nodes again on every call (executor
-- start-up was a fifth of its time in the 20-entry `ls` benchmark). Here
-- each read is one index lookup, and every row carries the state (the
-- module reads it from the first). PostgreSQL's CPU per `ls` message fell
-- by about a seventh (bench/RESULTS.md, 2026-12-02 16:20).
CREATE OR REPLACE FUNCTION smscloud_sms_load(p_sid text, p_phone text, p_idle integer,
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
    unused text;
BEGIN
    unused := set_config('lock_timeout', p_lock_wait, true);
    PERFORM pg_advisory_lock(lock_key);
    SELECT m.phone, m.reply INTO seen_phone, seen_reply
      FROM processed_messages m WHERE m.message_sid = p_sid;
    IF FOUND THEN
        PERFORM pg_advisory_unlock(lock_key);
        replay := CASE WHEN seen_phone = p_phone THEN coalesce(seen_reply, '') ELSE '' END;
        RETURN NEXT;
        RETURN;
    END IF;
    -- no phone row leaves them all NULL; folders is NULL only without a
    -- state row (the column is NOT NULL)
    SELECT p.verified_at IS NOT NULL, s.account_ref, s.folders, s.listing, s.next_index,
           s.updated_at < now() - make_interval(secs => p_idle)
      INTO verified, account_ref, folders, listing, next_index, expired
      FROM phones p LEFT JOIN sms_state s ON s.phone = p.phone
     WHERE p.phone = p_phone;
    refused := CASE WHEN p_buckets = '' THEN 0
                    ELSE smscloud_rate_hits(p_buckets, p_windows, p_counts) END;
    IF verified IS NOT TRUE THEN
        verified := false;
        account_ref := NULL;
        folders := NULL;
        listing := NULL;
        next_index := NULL;
        expired := NULL;
        RETURN NEXT;
        RETURN;
    END IF;
    FOR acc_id, acc_provider, acc_account_id, acc_service, acc_display_name, acc_credentials IN
        SELECT a.id, a.provider, a.account_id, a.service, a.display_name, a.credentials
          FROM accounts a WHERE a.phone = p_phone ORDER BY a.id
    LOOP
        -- a state row only for those who can use it: a verified phone
        -- with an account
        IF folders IS NULL THEN
            INSERT INTO sms_state (phone) VALUES (p_phone) ON CONFLICT DO NOTHING;
            SELECT s.account_ref, s.folders, s.listing, s.next_index, false
              INTO account_ref, folders, listing, next_index, expired
              FROM sms_state s WHERE s.phone = p_phone;
        END IF;
        RETURN NEXT;
    END LOOP;
    -- a phone without accounts: one row, its account columns NULL
    IF NOT FOUND THEN
        RETURN NEXT;
    END IF;
END
$$;
