-- A new login code deletes only its phone's older codes, and a right one
-- only its phone's wrong-code counts.
--
-- Step 016's smscloud_code_issue also deleted every code a day past its
-- expiry, in the same statement (phone = ... OR expires_at < now() - ...).
-- PostgreSQL cannot tell how many rows such an OR finds before the table has
-- been analysed, so on a young database it planned a sequential scan of
-- login_codes, and PL/pgSQL kept that plan for the session: every login read
-- the whole table (in bench/run's set-up, 30 million rows read for 7,800
-- logins before autovacuum's first ANALYZE). The phone's index alone is
-- planned as an index scan however young the table. Expired codes are removed where
-- README "Bounded tables" says: by the maintenance task (smscloud_prune,
-- step 007), off the request's path.
CREATE OR REPLACE FUNCTION smscloud_code_issue(p_phone text, p_attempt text, p_code_hash text,
                                               p_lifetime integer, p_attempts integer,
                                               p_return_to text, p_username text, p_enrol boolean,
                                               p_origin text, p_memory integer, p_buckets text,
                                               p_windows text, p_counts text)
RETURNS TABLE (refused integer, own integer, others integer, since bigint)
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO phones (phone) VALUES (p_phone) ON CONFLICT DO NOTHING;
        DELETE FROM login_codes c WHERE c.phone = p_phone;
        INSERT INTO login_codes (attempt_hash, phone, code_hash, expires_at, attempts_left,
                                 return_to, username, enrol)
        VALUES (p_attempt, p_phone, p_code_hash, now() + make_interval(secs => p_lifetime),
                p_attempts, nullif(p_return_to, ''), nullif(p_username, ''), p_enrol);
        SELECT * INTO own, others, since FROM smscloud_failures_of(p_phone, p_origin, p_memory);
        refused := CASE WHEN p_buckets = '' THEN 0
                        ELSE smscloud_rate_hits(p_buckets, p_windows, p_counts) END;
        IF refused > 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'SC429';
        END IF;
    EXCEPTION WHEN SQLSTATE 'SC429' THEN
        -- the counts went with the rest: count again, outside the block
        PERFORM smscloud_rate_hits(p_buckets, p_windows, p_counts);
    END;
    RETURN NEXT;
END
$$;

-- The same for step 016's smscloud_code_right, which also forgot every
-- phone's failures older than p_memory (phone = ... OR last_failed_at <
-- ...). smscloud_prune forgets those past the same memory; p_memory stays in the
-- signature for the module's call and is no longer used.
CREATE OR REPLACE FUNCTION smscloud_code_right(p_attempt text, p_memory integer,
                                               p_session text, p_csrf text,
                                               p_idle integer, p_max integer)
RETURNS TABLE (logged_in boolean, enrolled boolean)
LANGUAGE plpgsql AS $$
DECLARE
    code_phone text;
    code_user text;
    code_enrol boolean;
BEGIN
    UPDATE login_codes c SET used_at = now()
     WHERE c.attempt_hash = p_attempt AND c.used_at IS NULL
    RETURNING c.phone, c.username, c.enrol INTO code_phone, code_user, code_enrol;
    -- the row is locked by this transaction, so it must still be unused
    IF NOT FOUND THEN
        RAISE EXCEPTION 'smscloud_code_right: the attempt has no unused code';
    END IF;
    DELETE FROM login_failures f WHERE f.phone = code_phone;
    logged_in := false;
    enrolled := false;
    IF code_enrol AND code_user IS NOT NULL THEN
        -- once: an enrolled phone is never replaced from the web
        INSERT INTO user_phones (username, phone) VALUES (code_user, code_phone)
        ON CONFLICT DO NOTHING;
        IF NOT FOUND THEN
            RETURN NEXT;
            RETURN;
        END IF;
        enrolled := true;
    END IF;
    INSERT INTO phones (phone, verified_at) VALUES (code_phone, now())
    ON CONFLICT (phone) DO UPDATE SET verified_at = now(), failed_checks = 0;
    DELETE FROM web_sessions s
     WHERE s.phone = code_phone
       AND (s.last_seen <= now() - make_interval(secs => p_idle)
            OR s.created_at <= now() - make_interval(secs => p_max));
    INSERT INTO web_sessions (id_hash, phone, username, csrf_token)
    VALUES (p_session, code_phone, code_user, p_csrf);
    logged_in := true;
    RETURN NEXT;
END
$$;
