-- name: ClaimFlush :execrows
-- Records a batch as applied; 0 rows means an earlier attempt of the same
-- batch already committed and the increments must not be added again.
INSERT INTO geo_signin_flushes (batch_id) VALUES (@batch_id)
ON CONFLICT (batch_id) DO NOTHING;

-- name: AddSignIns :exec
-- One upsert for the whole batch. The arrays are parallel and hold each
-- (country, day) once; callers sort them so that concurrent replicas lock
-- rows in the same order and cannot deadlock.
INSERT INTO geo_signin_counters AS c (country, day, signins)
SELECT unnest(@countries::text[]), unnest(@days::date[]), unnest(@sign_ins::bigint[])
ON CONFLICT (country, day) DO UPDATE SET signins = c.signins + EXCLUDED.signins;

-- name: PruneFlushes :exec
-- A batch is retried within seconds of its first attempt; two days of
-- batch ids cover any outage a replica survives with its backlog in memory.
DELETE FROM geo_signin_flushes WHERE flushed_at < now() - interval '2 days';

-- name: CountSignIns :many
SELECT country, day, signins AS sign_ins FROM geo_signin_counters
WHERE day BETWEEN @from_day AND @to_day
ORDER BY day, country;
