-- Wrong one-time codes, counted per phone and per client origin (an IPv4
-- address, or an IPv6 /64), for the back-off after wrong codes. They
-- replace phones.failed_checks, which no longer locks a phone for good
-- (it is kept, unused, so that older rows stay valid).
--
-- A row's failures impose a wait that ends by itself; rows whose last
-- failure is a day old count no more, and a successful login removes the
-- phone's rows. The operator unlocks a phone at once with:
--
--   DELETE FROM login_failures WHERE phone = '+15551234567';
CREATE TABLE login_failures (
    phone           text        NOT NULL,
    origin          text        NOT NULL,
    failures        integer     NOT NULL DEFAULT 0,
    last_failed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (phone, origin)
);
CREATE INDEX login_failures_age ON login_failures (last_failed_at);
