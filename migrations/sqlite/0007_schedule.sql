-- Timed jobs (the weekly digest, the reps' morning summaries). `last_at` is the latest
-- time a job was due and ran, or when Baton first saw the job: after any downtime the
-- scheduler runs a job once, for the latest time it was due after `last_at`. It moves in
-- the same transaction as the job's outbox rows.
CREATE TABLE schedule_runs (
    job     TEXT PRIMARY KEY,
    last_at TEXT NOT NULL
);

