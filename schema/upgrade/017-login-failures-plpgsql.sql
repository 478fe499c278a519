-- smscloud_failures_of (step 016) as PL/pgSQL: the same query and answer.
-- A LANGUAGE sql function called in FROM is not inlined (it returns no
-- set), so PostgreSQL parsed, analysed and planned its body again on every
-- call, twice a web login (smscloud_code_issue and smscloud_code_check):
-- 18% of the backends' samples in the login benchmark. PL/pgSQL keeps the
-- plan of its statement for the session.
CREATE OR REPLACE FUNCTION smscloud_failures_of(p_phone text, p_origin text, p_memory integer,
                                                OUT own integer, OUT others integer,
                                                OUT since bigint)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    SELECT CAST(coalesce(sum(f.failures) FILTER (WHERE f.origin = p_origin), 0) AS integer),
           CAST(coalesce(sum(f.failures) FILTER (WHERE f.origin <> p_origin), 0) AS integer),
           coalesce(CAST(extract(epoch FROM now() - max(f.last_failed_at)) AS bigint), 0)
      INTO own, others, since
      FROM login_failures f
     WHERE f.phone = p_phone
       AND f.last_failed_at >= now() - make_interval(secs => p_memory);
END
$$;
