-- smscloud_sms_load in one function again. Step 012 wrapped step 006's
-- load to add each account's sealed credentials, so every message ran two
-- PL/pgSQL functions and copied each row from one to the other: 2000
-- loads in one session took 1.3-1.6 times as long through the wrapper as
-- through this function (bench/RESULTS.md, 2026-12-02). Same arguments,
-- columns, locking and order as step 012.
CREATE OR REPLACE FUNCTION smscloud_sms_load(p_sid text, p_phone text, p_idle integer,
                                             p_lock_wait text)
RETURNS TABLE (replay text, verified boolean, account_ref bigint, folders text,
               listing text, next_index integer, expired boolean, acc_id bigint,
               acc_provider text, acc_account_id text, acc_service text,
               acc_display_name text, acc_credentials text)
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
            acc_credentials := a.credentials;
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

-- nothing calls step 006's load by its own name any more
DROP FUNCTION smscloud_sms_load_006(text, text, integer, text);
