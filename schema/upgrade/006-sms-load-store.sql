-- One round trip to load what a text message needs and one to store what
-- it did, instead of a transaction of eight statements around it.
--
-- A phone's messages are serialised by a session advisory lock taken by
-- smscloud_sms_load and given back by smscloud_sms_store, so no
-- transaction stays open while storage providers and Twilio are called.
-- The lock dies with the connection: a child that dies mid-message stored
-- nothing, and Twilio's retry is handled in full.
--
-- Session locks are given back at once, before the storing statement
-- commits. The next holder must not read the state before that commit, so
-- the store always holds the phone's state row, and the load waits for
-- that row (FOR UPDATE) before it reads anything.
--
-- The stored listing gets a compact form and ids are stored
-- percent-encoded (see sc_sms_state.h). Where each phone is stays as it
-- was; its last listing, in the old form, is forgotten (its next number
-- asks for an LS first). Only a folder id with a % in it would read
-- differently now: those few phones start again from the top.

CREATE FUNCTION smscloud_sms_lock_key(p_phone text) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
    -- 'SMSC' in the high half keeps clear of anyone else's advisory locks
    SELECT (x'534d5343'::bigint << 32) | (hashtext(p_phone)::bigint & x'ffffffff'::bigint)
$$;

-- The first row carries replay, verified and the state; every row with an
-- acc_id is one of the phone's accounts, oldest first. replay is not NULL
-- when the MessageSid was handled before: the lock is then given back
-- already, and replay is the reply to give again ('' also when the earlier
-- delivery came from another phone).
CREATE FUNCTION smscloud_sms_load(p_sid text, p_phone text, p_idle integer,
                                  p_lock_wait text)
RETURNS TABLE (replay text, verified boolean, account_ref bigint, folders text,
               listing text, next_index integer, expired boolean, acc_id bigint,
               acc_provider text, acc_account_id text, acc_service text,
               acc_display_name text)
LANGUAGE plpgsql AS $$
DECLARE
    st sms_state%ROWTYPE;
    seen processed_messages%ROWTYPE;
    first boolean := true;
    a accounts%ROWTYPE;
BEGIN
    PERFORM set_config('lock_timeout', p_lock_wait, true);
    PERFORM pg_advisory_lock(smscloud_sms_lock_key(p_phone));
    SELECT * INTO st FROM sms_state s WHERE s.phone = p_phone FOR UPDATE;
    SELECT * INTO seen FROM processed_messages m WHERE m.message_sid = p_sid;
    IF FOUND THEN
        PERFORM pg_advisory_unlock(smscloud_sms_lock_key(p_phone));
        replay := CASE WHEN seen.phone = p_phone THEN coalesce(seen.reply, '') ELSE '' END;
        RETURN NEXT;
        RETURN;
    END IF;
    verified := EXISTS (SELECT 1 FROM phones p
                        WHERE p.phone = p_phone AND p.verified_at IS NOT NULL);
    -- a state row only for those who can use it: a verified phone with an
    -- account
    IF verified AND st.phone IS NULL
       AND EXISTS (SELECT 1 FROM accounts x WHERE x.phone = p_phone) THEN
        INSERT INTO sms_state (phone) VALUES (p_phone) ON CONFLICT DO NOTHING;
        SELECT * INTO st FROM sms_state s WHERE s.phone = p_phone;
    END IF;
    IF verified THEN
        account_ref := st.account_ref;
        folders := st.folders;
        listing := st.listing;
        next_index := st.next_index;
        expired := st.updated_at < now() - make_interval(secs => p_idle);
        FOR a IN SELECT * FROM accounts x WHERE x.phone = p_phone ORDER BY x.id LOOP
            acc_id := a.id;
            acc_provider := a.provider;
            acc_account_id := a.account_id;
            acc_service := a.service;
            acc_display_name := a.display_name;
            RETURN NEXT;
            IF first THEN
                first := false;
                account_ref := NULL; folders := NULL; listing := NULL;
                next_index := NULL; expired := NULL; verified := NULL;
            END IF;
        END LOOP;
        IF NOT first THEN
            RETURN;
        END IF;
    END IF;
    RETURN NEXT;
END
$$;

-- p_write false leaves the state as it was. p_listing NULL keeps the stored
-- listing: most messages leave it unchanged, and not writing it again
-- spares compressing and storing a large value. p_prune_after > 0 also
-- forgets a bounded batch of replay records older than that many seconds
-- (SKIP LOCKED: two pruning messages never wait on each other).
CREATE FUNCTION smscloud_sms_store(p_sid text, p_phone text, p_reply text,
                                   p_write boolean, p_account_ref bigint,
                                   p_folders text, p_listing text,
                                   p_next_index integer, p_prune_after integer)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    IF p_write THEN
        UPDATE sms_state SET account_ref = p_account_ref, folders = p_folders,
               listing = coalesce(p_listing, listing), next_index = p_next_index,
               version = version + 1, updated_at = now()
         WHERE phone = p_phone;
    ELSE
        PERFORM 1 FROM sms_state WHERE phone = p_phone FOR UPDATE;
    END IF;
    INSERT INTO processed_messages (message_sid, phone, reply)
    VALUES (p_sid, p_phone, p_reply) ON CONFLICT (message_sid) DO NOTHING;
    IF p_prune_after > 0 THEN
        DELETE FROM processed_messages WHERE message_sid IN (
            SELECT message_sid FROM processed_messages
             WHERE processed_at < now() - make_interval(secs => p_prune_after)
             ORDER BY processed_at LIMIT 100 FOR UPDATE SKIP LOCKED);
    END IF;
    RETURN pg_advisory_unlock(smscloud_sms_lock_key(p_phone));
END
$$;

-- After a failure between load and store: give the lock back.
CREATE FUNCTION smscloud_sms_unlock(p_phone text) RETURNS boolean
LANGUAGE sql AS $$
    SELECT pg_advisory_unlock(smscloud_sms_lock_key(p_phone))
$$;

UPDATE sms_state SET listing = '[]', next_index = 0 WHERE listing <> '[]';
UPDATE sms_state SET account_ref = NULL, folders = '[]' WHERE strpos(folders, '%') > 0;
