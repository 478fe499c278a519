-- A web login's steps in as few round trips as they can take, as step 006
-- did for /sms.
--
-- POST /login ran about nine statements (its rate limits, the back-off
-- counts, a transaction adding the phone, killing its older codes and
-- storing the new one, then the gate's return path or the two-step user);
-- now smscloud_code_issue does all of it. POST /verify ran about ten in its
-- transaction; now it is smscloud_code_check, which locks the code and
-- reads what the module decides by, then one write: smscloud_code_wrong or
-- smscloud_code_right. What the counts mean (a wait, a refusal) is still
-- the module's to decide (sc_backoff, sc_login): these functions only
-- count, store and read.

-- A phone's recent wrong codes as a client origin sees them: its own,
-- everyone else's, and seconds since the last one (step 004's rows; a
-- failure older than p_memory seconds counts no more).
CREATE FUNCTION smscloud_failures_of(p_phone text, p_origin text, p_memory integer,
                                     OUT own integer, OUT others integer, OUT since bigint)
LANGUAGE sql STABLE AS $$
    SELECT CAST(coalesce(sum(f.failures) FILTER (WHERE f.origin = p_origin), 0) AS integer),
           CAST(coalesce(sum(f.failures) FILTER (WHERE f.origin <> p_origin), 0) AS integer),
           coalesce(CAST(extract(epoch FROM now() - max(f.last_failed_at)) AS bigint), 0)
      FROM login_failures f
     WHERE f.phone = p_phone
       AND f.last_failed_at >= now() - make_interval(secs => p_memory)
$$;

-- A new code for a login attempt: the phone gets a row if it has none
-- (known and unknown numbers take the same path), its older codes go (and
-- long-dead codes of any phone with them), and the new one is stored with
-- what the attempt carries (the gate's return path, the two-step username
-- and enrolment; '' for none). Returns the phone's failures as p_origin
-- sees them, and refused: the answer of smscloud_rate_hits for p_buckets,
-- p_windows and p_counts (step 010), 0 when there are none.
--
-- The limits are counted last, so that a login holds its counter rows
-- (the client's address is a hot one) only for its commit. When one is over,
-- the code's work is undone (the block's subtransaction) but the count
-- stands: an attempt is an attempt.
CREATE FUNCTION smscloud_code_issue(p_phone text, p_attempt text, p_code_hash text,
                                    p_lifetime integer, p_attempts integer,
                                    p_return_to text, p_username text, p_enrol boolean,
                                    p_origin text, p_memory integer, p_buckets text,
                                    p_windows text, p_counts text)
RETURNS TABLE (refused integer, own integer, others integer, since bigint)
LANGUAGE plpgsql AS $$
BEGIN
    BEGIN
        INSERT INTO phones (phone) VALUES (p_phone) ON CONFLICT DO NOTHING;
        DELETE FROM login_codes c
         WHERE c.phone = p_phone OR c.expires_at < now() - interval '1 day';
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

-- The code of a login attempt, locked FOR UPDATE with its phone's row until
-- the transaction ends, so that concurrent checks of one code (and of one
-- phone's codes) queue here and only one sees it unused; what the attempt
-- carries; and the phone's failures as p_origin sees them, read once the
-- lock is held (a check that queued sees the failure of the one before).
-- No row when the attempt has no code.
CREATE FUNCTION smscloud_code_check(p_attempt text, p_origin text, p_memory integer)
RETURNS TABLE (phone text, code_hash text, used boolean, expired boolean,
               attempts_left integer, return_to text, username text, enrol boolean,
               own integer, others integer, since bigint)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT c.phone, c.code_hash, c.used_at IS NOT NULL, c.expires_at <= now(),
           c.attempts_left, c.return_to, c.username, c.enrol
      INTO phone, code_hash, used, expired, attempts_left, return_to, username, enrol
      FROM login_codes c JOIN phones p ON p.phone = c.phone
     WHERE c.attempt_hash = p_attempt
       FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    SELECT * INTO own, others, since FROM smscloud_failures_of(phone, p_origin, p_memory);
    RETURN NEXT;
END
$$;

-- A wrong code, in the transaction of its smscloud_code_check: one attempt
-- fewer, one more failure for the phone from p_origin (a failure a day old
-- starts the count afresh), and the wait it imposes, p_wait seconds as the
-- module decided (step 009: what an operator sees; 0 for none).
CREATE FUNCTION smscloud_code_wrong(p_attempt text, p_origin text, p_memory integer,
                                    p_wait integer)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    code_phone text;
    lock_until timestamptz := CASE WHEN p_wait > 0
                                   THEN now() + make_interval(secs => p_wait) END;
BEGIN
    UPDATE login_codes c SET attempts_left = c.attempts_left - 1
     WHERE c.attempt_hash = p_attempt
    RETURNING c.phone INTO code_phone;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'smscloud_code_wrong: the attempt has no code';
    END IF;
    INSERT INTO login_failures AS f (phone, origin, failures, locked_until)
    VALUES (code_phone, p_origin, 1, lock_until)
    ON CONFLICT (phone, origin) DO UPDATE
       SET last_failed_at = now(), locked_until = lock_until,
           failures = CASE WHEN f.last_failed_at < now() - make_interval(secs => p_memory)
                           THEN 1 ELSE f.failures + 1 END;
END
$$;

-- The right code, in the transaction of its smscloud_code_check: the code
-- is used up and the phone's failures from every origin forgotten (and
-- every phone's older than p_memory seconds). A two-step enrolment makes
-- the phone the user's, unless another login enrolled one first: then
-- logged_in is false and nothing more happens. Else the phone is verified
-- and gets the session p_session (the keyed hash of its id), its stale
-- sessions going first (idle p_idle or older than p_max seconds).
-- enrolled: this login enrolled the phone.
CREATE FUNCTION smscloud_code_right(p_attempt text, p_memory integer, p_session text,
                                    p_csrf text, p_idle integer, p_max integer)
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
    DELETE FROM login_failures f
     WHERE f.phone = code_phone
        OR f.last_failed_at < now() - make_interval(secs => p_memory);
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
