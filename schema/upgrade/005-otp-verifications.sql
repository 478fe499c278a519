-- Pending verifications of the OTP API (the Twilio Verify wire format): one
-- row per (API key, service, recipient) while a code may still be checked.
-- Only a keyed hash of the code is kept. A right code, a cancel or an
-- approval deletes the row, so a code works once; an expired row is dead
-- and goes at the next new verification.
CREATE TABLE otp_verifications (
    sid          text          PRIMARY KEY,
    api_key      text          NOT NULL REFERENCES api_keys (key_id) ON DELETE CASCADE,
    service      text          NOT NULL,
    lookup       text          NOT NULL,
    phone        text          NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    channel      text          NOT NULL DEFAULT 'sms',
    code_hash    text          NOT NULL,
    checks_left  integer       NOT NULL,
    sent_at      timestamptz[] NOT NULL DEFAULT ARRAY[now()],
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    expires_at   timestamptz   NOT NULL,
    UNIQUE (api_key, service, lookup)
);
CREATE INDEX otp_verifications_expires ON otp_verifications (expires_at);
