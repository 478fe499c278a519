-- Background maintenance: what has outlived its use is removed in small
-- batches by httpd's maintenance task (SmsCloudMaintenanceInterval) or by
-- `smscloud-admin prune`; both call smscloud_prune().

-- The removals below search by these.
CREATE INDEX web_sessions_created ON web_sessions (created_at);
CREATE INDEX oauth_states_created ON oauth_states (created_at);
CREATE INDEX rate_counters_window ON rate_counters (window_start);
CREATE INDEX outbox_created ON outbox (created_at);

-- The lifetimes and retention periods (seconds) the servers run with,
-- written by each maintenance pass from their directives, so that a
-- prune from the admin tool removes exactly what the servers would; and
-- what the last batch did.
CREATE TABLE maintenance (
    id                  boolean     PRIMARY KEY DEFAULT true CHECK (id),
    session_idle        integer     NOT NULL,
    session_max         integer     NOT NULL,
    replay_lifetime     integer     NOT NULL,
    rate_window         integer     NOT NULL,
    expired_retention   integer     NOT NULL,
    outbox_retention    integer     NOT NULL,
    failure_memory      integer     NOT NULL,
    updated_at          timestamptz NOT NULL DEFAULT now(),
    last_pruned_at      timestamptz,
    last_removed        bigint      NOT NULL DEFAULT 0
);

CREATE FUNCTION smscloud_prune_settings(p_session_idle integer, p_session_max integer,
                                        p_replay_lifetime integer, p_rate_window integer,
                                        p_expired_retention integer,
                                        p_outbox_retention integer,
                                        p_failure_memory integer)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO maintenance (session_idle, session_max, replay_lifetime, rate_window,
                             expired_retention, outbox_retention, failure_memory)
    VALUES (p_session_idle, p_session_max, p_replay_lifetime, p_rate_window,
            p_expired_retention, p_outbox_retention, p_failure_memory)
    ON CONFLICT (id) DO UPDATE SET
        session_idle = EXCLUDED.session_idle, session_max = EXCLUDED.session_max,
        replay_lifetime = EXCLUDED.replay_lifetime, rate_window = EXCLUDED.rate_window,
        expired_retention = EXCLUDED.expired_retention,
        outbox_retention = EXCLUDED.outbox_retention,
        failure_memory = EXCLUDED.failure_memory, updated_at = now()
$$;

-- One batch: at most p_batch rows of each table, in the caller's (short)
-- transaction. One host at a time: a host that finds another one's batch
-- running gets a single row ('busy', 0) and tries again next time. The
-- caller repeats while anything was removed.
CREATE FUNCTION smscloud_prune(p_batch integer)
RETURNS TABLE (what text, removed integer) LANGUAGE plpgsql AS $$
DECLARE
    m maintenance%ROWTYPE;
    total bigint := 0;
BEGIN
    -- 0x5343 'SC', 1: the maintenance lock
    IF NOT pg_try_advisory_xact_lock(21315, 1) THEN
        what := 'busy'; removed := 0; RETURN NEXT; RETURN;
    END IF;
    SELECT * INTO m FROM maintenance;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'smscloud_prune: no settings yet; httpd stores them at '
                        'its first maintenance pass (SmsCloudMaintenanceInterval)';
    END IF;

    what := 'web_sessions';
    DELETE FROM web_sessions WHERE id_hash IN (
        SELECT id_hash FROM web_sessions
        WHERE created_at < now() - make_interval(secs => m.session_idle + m.expired_retention)
          AND (last_seen < now() - make_interval(secs => m.session_idle + m.expired_retention)
               OR created_at < now() - make_interval(secs => m.session_max + m.expired_retention))
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    what := 'login_codes';
    DELETE FROM login_codes WHERE attempt_hash IN (
        SELECT attempt_hash FROM login_codes
        WHERE expires_at < now() - make_interval(secs => m.expired_retention)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    -- states live 300 s (mod_smscloud_dbd_session.c)
    what := 'oauth_states';
    DELETE FROM oauth_states WHERE state_hash IN (
        SELECT state_hash FROM oauth_states
        WHERE created_at < now() - make_interval(secs => 300 + m.expired_retention)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    what := 'processed_messages';
    DELETE FROM processed_messages WHERE message_sid IN (
        SELECT message_sid FROM processed_messages
        WHERE processed_at < now() - make_interval(secs => m.replay_lifetime)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    -- a window is over once it is older than the longest rate window
    what := 'rate_counters';
    DELETE FROM rate_counters WHERE (bucket, window_start) IN (
        SELECT bucket, window_start FROM rate_counters
        WHERE window_start < now() - make_interval(secs => m.rate_window)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    what := 'outbox';
    DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE created_at < now() - make_interval(secs => m.outbox_retention)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    -- OTP API verifications past their end (schema 5)
    what := 'otp_verifications';
    DELETE FROM otp_verifications WHERE sid IN (
        SELECT sid FROM otp_verifications
        WHERE expires_at < now() - make_interval(secs => m.expired_retention)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    -- wrong codes no longer counted (schema 4, SC_BACKOFF_MEMORY_SECS)
    what := 'login_failures';
    DELETE FROM login_failures WHERE (phone, origin) IN (
        SELECT phone, origin FROM login_failures
        WHERE last_failed_at < now() - make_interval(secs => m.failure_memory)
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT; total := total + removed; RETURN NEXT;

    UPDATE maintenance SET last_pruned_at = now(), last_removed = total;
END
$$;
