-- mod_smscloud schema, version 1.
-- Apply to an empty database:  psql -v ON_ERROR_STOP=1 -f schema/smscloud.sql
-- Every piece of state lives here, never only in one httpd process, so any
-- number of httpd hosts can serve the same phone.

BEGIN;

CREATE TABLE schema_version (
    version     integer     NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);
INSERT INTO schema_version (version) VALUES (1);

-- A phone number (E.164) known to us. verified_at is set once its owner has
-- proved possession with a one-time code; the SMS interface serves only
-- verified phones.
CREATE TABLE phones (
    phone           text        PRIMARY KEY CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    created_at      timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz,
    -- consecutive failed code checks across codes (NIST 800-63B 5.2.2)
    failed_checks   integer     NOT NULL DEFAULT 0
);

-- Storage accounts connected to a phone. One provider account belongs to
-- one phone only.
CREATE TABLE accounts (
    id              bigserial   PRIMARY KEY,
    phone           text        NOT NULL REFERENCES phones (phone) ON DELETE CASCADE,
    provider        text        NOT NULL,
    account_id      text        NOT NULL,
    service         text        NOT NULL DEFAULT '',
    display_name    text        NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (provider, account_id)
);
CREATE INDEX accounts_phone ON accounts (phone);

-- Per-phone state of the SMS conversation. folders and listing are JSON
-- written and read by the module; version lets an update detect a
-- concurrent writer.
CREATE TABLE sms_state (
    phone           text        PRIMARY KEY REFERENCES phones (phone) ON DELETE CASCADE,
    account_ref     bigint      REFERENCES accounts (id) ON DELETE SET NULL,
    folders         text        NOT NULL DEFAULT '[]',
    listing         text        NOT NULL DEFAULT '[]',
    next_index      integer     NOT NULL DEFAULT 0,
    version         bigint      NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Webhook MessageSids already handled, with the reply given, so that a
-- retried or replayed delivery has its effect once only.
CREATE TABLE processed_messages (
    message_sid     text        PRIMARY KEY,
    phone           text        NOT NULL,
    reply           text,
    processed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX processed_messages_age ON processed_messages (processed_at);

-- One-time login codes. Only a keyed hash of the code is kept; the code is
-- bound to the login attempt (attempt_hash) that asked for it.
CREATE TABLE login_codes (
    attempt_hash    text        PRIMARY KEY,
    phone           text        NOT NULL,
    code_hash       text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    expires_at      timestamptz NOT NULL,
    attempts_left   integer     NOT NULL,
    used_at         timestamptz
);
CREATE INDEX login_codes_phone ON login_codes (phone);
-- lets the cleanup of dead codes that every new code does use an index
CREATE INDEX login_codes_expires ON login_codes (expires_at);

-- Web sessions. Only a hash of the session id is stored.
CREATE TABLE web_sessions (
    id_hash         text        PRIMARY KEY,
    phone           text        NOT NULL REFERENCES phones (phone) ON DELETE CASCADE,
    csrf_token      text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_seen       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX web_sessions_phone ON web_sessions (phone);

-- One-time OAuth state values of the connect flow, bound to a session.
CREATE TABLE oauth_states (
    state_hash      text        PRIMARY KEY,
    session_hash    text        NOT NULL,
    provider        text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    used_at         timestamptz
);
-- each new state clears its session's stale ones by this
CREATE INDEX oauth_states_session ON oauth_states (session_hash);

-- Fixed-window rate-limit counters shared by every httpd host.
CREATE TABLE rate_counters (
    bucket          text        NOT NULL,
    window_start    timestamptz NOT NULL,
    hits            integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, window_start)
);

-- Outbound SMS kept here instead of sent, when SmsCloudSmsTransport is
-- outbox (demo and tests: nothing leaves the machine).
CREATE TABLE outbox (
    id              bigserial   PRIMARY KEY,
    to_phone        text        NOT NULL,
    from_sender     text        NOT NULL,
    body            text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_to ON outbox (to_phone, id);

COMMIT;
