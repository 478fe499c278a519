-- The gate (AuthType SmsCloud): the local path a login attempt goes back to
-- after /verify. It is kept with the attempt, not in the browser, so that
-- nothing the browser sends later can change where it is sent.
ALTER TABLE login_codes ADD COLUMN return_to text
    CHECK (return_to IS NULL OR (length(return_to) <= 1024 AND return_to LIKE '/%'));
