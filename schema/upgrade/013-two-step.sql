-- Two-step login (SmsCloudAuthProvider): a password first, then a code.
-- A login attempt and the session it opens carry the username the
-- password proved (NULL for a login by phone alone). A user without a
-- phone from SmsCloudUserPhoneQuery enrols one, once: the row is written
-- only when the first code sent to that phone is entered, and is never
-- replaced from the web (an operator deletes it to allow a new one).
ALTER TABLE login_codes ADD COLUMN username text
    CHECK (username IS NULL OR length(username) BETWEEN 1 AND 256);
ALTER TABLE login_codes ADD COLUMN enrol boolean NOT NULL DEFAULT false;
ALTER TABLE web_sessions ADD COLUMN username text;

CREATE TABLE user_phones (
    username    text        PRIMARY KEY CHECK (length(username) BETWEEN 1 AND 256),
    phone       text        NOT NULL CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    enrolled_at timestamptz NOT NULL DEFAULT now()
);
