-- smscloud_sms_load (step 006) also returns each account's sealed
-- credentials (step 011), so that a provider with passwords (WebDAV) can be
-- reached by SMS. Step 006's function is kept under its own name and
-- called first; each account's credentials are read after it, once it
-- holds the phone's lock.
ALTER FUNCTION smscloud_sms_load(text, text, integer, text) RENAME TO smscloud_sms_load_006;
CREATE FUNCTION smscloud_sms_load(p_sid text, p_phone text, p_idle integer,
                                  p_lock_wait text)
RETURNS TABLE (replay text, verified boolean, account_ref bigint, folders text,
               listing text, next_index integer, expired boolean, acc_id bigint,
               acc_provider text, acc_account_id text, acc_service text,
               acc_display_name text, acc_credentials text)
LANGUAGE plpgsql AS $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM smscloud_sms_load_006(p_sid, p_phone, p_idle, p_lock_wait) LOOP
        replay := r.replay; verified := r.verified; account_ref := r.account_ref;
        folders := r.folders; listing := r.listing; next_index := r.next_index;
        expired := r.expired; acc_id := r.acc_id; acc_provider := r.acc_provider;
        acc_account_id := r.acc_account_id; acc_service := r.acc_service;
        acc_display_name := r.acc_display_name;
        acc_credentials := (SELECT a.credentials FROM accounts a WHERE a.id = r.acc_id);
        RETURN NEXT;
    END LOOP;
END
$$;
