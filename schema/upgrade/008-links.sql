-- The module's own download links (sc_link.h). A link's token is random and
-- says nothing; this row says what it serves, under HMAC(link key, token),
-- so that a copy of this table gives no working links. A link ends when it
-- expires, when its account is removed (the cascade), and when its phone
-- logs out everywhere. Expired rows are kept for the maintenance's
-- expired_retention (to tell "expired" from "unknown"), then removed by
-- smscloud_prune. To end every link of a phone by hand:
--
--   DELETE FROM links WHERE phone = '+15551234567';
CREATE TABLE links (
    id_hash         text        PRIMARY KEY,
    account_ref     bigint      NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    phone           text        NOT NULL REFERENCES phones (phone) ON DELETE CASCADE,
    file_id         text        NOT NULL,   -- percent-encoded (sc_storage_id_store)
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX links_phone ON links (phone);
CREATE INDEX links_account ON links (account_ref);
CREATE INDEX links_expires ON links (expires_at);

-- smscloud_prune (step 007) also removes expired links: the step's
-- function is kept under its own name and called first, so that each step
-- adds its own table without copying the others.
ALTER FUNCTION smscloud_prune(integer) RENAME TO smscloud_prune_007;
CREATE FUNCTION smscloud_prune(p_batch integer)
RETURNS TABLE (what text, removed integer) LANGUAGE plpgsql AS $$
DECLARE
    busy boolean := false;
BEGIN
    FOR what, removed IN SELECT * FROM smscloud_prune_007(p_batch) LOOP
        busy := busy OR what = 'busy';
        RETURN NEXT;
    END LOOP;
    IF busy THEN
        RETURN;
    END IF;
    what := 'links';
    DELETE FROM links WHERE id_hash IN (
        SELECT id_hash FROM links
        WHERE expires_at < now() - make_interval(secs => (SELECT expired_retention
                                                         FROM maintenance))
        LIMIT p_batch);
    GET DIAGNOSTICS removed = ROW_COUNT;
    UPDATE maintenance SET last_removed = last_removed + removed;
    RETURN NEXT;
END
$$;
