-- The leader's lease (issue 22): one row naming the replica that runs the singletons (the
-- watcher and intake, the SLA clock loop, the scheduler), until when, and the epoch of its
-- term. A replica takes the lease when it is free or has expired, and the epoch then goes
-- up by one; renewing keeps it. Every singleton write first reads this row FOR SHARE in its
-- own transaction and goes on only when the epoch is still the one it was given, so a
-- deposed leader cannot write (see src/store/postgres/leader.rs and ARCHITECTURE.md).
--
-- `expires_at` is RFC 3339 text in Baton's stored form, written and compared with times
-- from the replicas' injected clocks, like every other time Baton stores.
CREATE TABLE leader_lease (
    slot       bigint PRIMARY KEY CHECK (slot = 1),
    holder     text COLLATE "C",
    epoch      bigint NOT NULL,
    expires_at text COLLATE "C"
);
INSERT INTO leader_lease (slot, holder, epoch, expires_at) VALUES (1, NULL, 0, NULL);
