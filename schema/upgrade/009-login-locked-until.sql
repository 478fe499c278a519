-- When the wait that a row's failures impose on its client origin ends,
-- written by the module at each wrong code (sc_backoff decides it), so
-- that an operator sees who is waiting and until when
-- (`smscloud-admin phones`) without a second copy of the rule. NULL: no
-- wait, or a row written before this step.
ALTER TABLE login_failures ADD COLUMN locked_until timestamptz;
