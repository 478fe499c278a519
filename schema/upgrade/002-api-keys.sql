-- Credentials of the applications that call the OTP APIs (the Twilio Verify
-- and flowroute wire formats). A key is a public id (the HTTP Basic user
-- name) and a secret (the Basic password) of which only the SHA-256 is kept.
-- Secrets are random (32 bytes from the admin tool or `openssl rand`), so an
-- unkeyed digest cannot be reversed by guessing, and keys can be managed with
-- SQL alone, without the server's SmsCloudSecret. Changes apply to the next
-- request, with no restart:
--
--   add:    INSERT INTO api_keys (key_id, secret_sha256, description)
--           VALUES ('shop', encode(sha256(convert_to('THE-SECRET', 'UTF8')), 'hex'), 'web shop');
--   revoke: UPDATE api_keys SET revoked_at = now() WHERE key_id = 'shop';
--
-- Each key has its own limits: at most send_limit codes sent and check_limit
-- codes checked per limit_window seconds, whatever the phone or service.
-- message_template, when set, replaces the service's SMS text for this key
-- ({code}, {minutes}, {service} are filled in).
CREATE TABLE api_keys (
    key_id           text        PRIMARY KEY CHECK (key_id ~ '^[A-Za-z0-9_.-]{1,64}$'),
    secret_sha256    text        NOT NULL CHECK (secret_sha256 ~ '^[0-9a-f]{64}$'),
    description      text        NOT NULL DEFAULT '',
    send_limit       integer     NOT NULL DEFAULT 100 CHECK (send_limit >= 0),
    check_limit      integer     NOT NULL DEFAULT 500 CHECK (check_limit >= 0),
    limit_window     integer     NOT NULL DEFAULT 3600 CHECK (limit_window > 0),
    message_template text        CHECK (length(message_template) <= 320),
    created_at       timestamptz NOT NULL DEFAULT now(),
    revoked_at       timestamptz
);
