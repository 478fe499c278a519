-- Several rate limits counted in one round trip: the buckets, windows
-- (seconds) and counts are newline-separated lists of the same length (a
-- bucket is a limit's name ":" a key, never with a newline). They are
-- counted in order up to the first one over its count, which is counted
-- too (an attempt is an attempt) while the later ones are not, so that a
-- refused phone does not use up the service's shared limits. Returns the
-- 1-based position of that limit, or 0 when every one was within.
-- Old windows are removed by smscloud_prune (step 007).
CREATE FUNCTION smscloud_rate_hits(p_buckets text, p_windows text, p_counts text)
RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    buckets text[] := string_to_array(p_buckets, E'\n');
    windows integer[] := CAST(string_to_array(p_windows, E'\n') AS integer[]);
    counts integer[] := CAST(string_to_array(p_counts, E'\n') AS integer[]);
    n integer;
BEGIN
    FOR i IN 1 .. coalesce(array_length(buckets, 1), 0) LOOP
        INSERT INTO rate_counters (bucket, window_start, hits)
        VALUES (buckets[i],
                to_timestamp(floor(extract(epoch FROM now()) / windows[i]) * windows[i]), 1)
        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rate_counters.hits + 1
        RETURNING hits INTO n;
        IF n > counts[i] THEN
            RETURN i;
        END IF;
    END LOOP;
    RETURN 0;
END
$$;
