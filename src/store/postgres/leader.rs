//! The leader's lease (`leader_lease`, migration postgres/0004): which replica runs the
//! singletons, and the fence that stops a deposed one from writing.
//!
//! A [`Leader`] takes the lease when it is free or has expired (the epoch goes up by one)
//! and renews it while it holds it (the epoch stays), every [`Leader::renew_every`]. Taking
//! it gives a [`Fence`]: every singleton write transaction calls [`Fence::check`] first,
//! which reads the lease row `FOR SHARE` and fails unless this replica still holds it, in
//! the same epoch, unexpired. The share lock is held until the transaction ends, so a
//! takeover (an `UPDATE` of that row) waits for the writes already checked, and every
//! write checked after it sees the new epoch: there is no moment when two leaders write.
//!
//! Times: the lease's expiry is written and compared with times from the injected
//! [`Clock`] of the replica that acts (SPEC's one clock; manual in tests), in Baton's
//! stored text form. Safety does not depend on the replicas' clocks agreeing: the epoch
//! alone fences writes. Their agreement (NTP, well within the lease) decides only how soon
//! after a leader's death another replica takes over.

use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use sqlx::PgConnection;

use super::PgDb;
use crate::clock::Clock;
use crate::store::{parse_ts, ts};

/// How long a lease lasts unless renewed.
pub const DEFAULT_LEASE: Duration = Duration::from_secs(5);

/// One replica's claim on the lease.
#[derive(Debug)]
pub struct Leader {
    db: PgDb,
    clock: Clock,
    replica: String,
    lease: Duration,
    /// The epoch of the term this replica holds, if it holds one.
    held: Option<i64>,
}

/// Who holds the lease, as read from its row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    pub holder: String,
    pub epoch: i64,
    pub expires_at: DateTime<Utc>,
}

/// The right to write as the leader in one epoch.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fence {
    holder: String,
    epoch: i64,
}

/// Why a [`Fence::check`] refused a write.
#[derive(Debug, thiserror::Error)]
pub enum FenceError {
    #[error("this replica ({holder}) is no longer the leader: the lease is in epoch {current} (held by {current_holder}), not {epoch}", current_holder = .current_holder.as_deref().unwrap_or("nobody"))]
    Deposed {
        holder: String,
        epoch: i64,
        current: i64,
        current_holder: Option<String>,
    },
    #[error("this replica's lease (epoch {epoch}) expired at {expired_at} without being renewed")]
    Expired { epoch: i64, expired_at: String },
    #[error("cannot read the leader's lease")]
    Db(#[source] anyhow::Error),
}

impl Leader {
    /// A replica named `replica` (unique per process: a restarted process is a new
    /// replica, and waits for its predecessor's lease to expire), with the default lease.
    pub fn new(db: &PgDb, clock: Clock, replica: impl Into<String>) -> Leader {
        Leader {
            db: db.clone(),
            clock,
            replica: replica.into(),
            lease: DEFAULT_LEASE,
            held: None,
        }
    }

    /// The same with a lease of `lease`.
    pub fn with_lease(mut self, lease: Duration) -> Leader {
        self.lease = lease;
        self
    }

    pub fn replica(&self) -> &str {
        &self.replica
    }

    /// How often a leader renews: three times per lease, so one slow renewal does not
    /// lose it.
    pub fn renew_every(&self) -> Duration {
        self.lease / 3
    }

    /// Takes the lease if it is free or expired, or renews it if this replica holds it.
    /// `Some(fence)` while this replica leads; `None` while another replica does.
    pub async fn acquire(&mut self) -> anyhow::Result<Option<Fence>> {
        let now = self.clock.now();
        let lease = chrono::Duration::from_std(self.lease).context("the lease is too long")?;
        let epoch: Option<i64> = sqlx::query_scalar(
            "UPDATE leader_lease SET
                 epoch = CASE WHEN holder = $1 AND epoch = $2 AND expires_at > $3
                              THEN epoch ELSE epoch + 1 END,
                 holder = $1,
                 expires_at = $4
             WHERE slot = 1
               AND ((holder = $1 AND epoch = $2) OR holder IS NULL
                    OR expires_at IS NULL OR expires_at <= $3)
             RETURNING epoch",
        )
        .bind(&self.replica)
        .bind(self.held)
        .bind(ts(now))
        .bind(ts(now + lease))
        .fetch_optional(&self.db.pool)
        .await
        .context("cannot take or renew the leader's lease")?;
        self.held = epoch;
        Ok(epoch.map(|epoch| Fence {
            holder: self.replica.clone(),
            epoch,
        }))
    }

    /// Gives the lease up (at shutdown), so another replica takes over at once.
    pub async fn release(&mut self) -> anyhow::Result<()> {
        if let Some(epoch) = self.held.take() {
            sqlx::query(
                "UPDATE leader_lease SET holder = NULL, expires_at = NULL
                 WHERE slot = 1 AND holder = $1 AND epoch = $2",
            )
            .bind(&self.replica)
            .bind(epoch)
            .execute(&self.db.pool)
            .await
            .context("cannot release the leader's lease")?;
        }
        Ok(())
    }

    /// The replica that leads at `now`, if any lease is in force.
    pub async fn current(db: &PgDb, now: DateTime<Utc>) -> anyhow::Result<Option<Lease>> {
        let row: Option<(Option<String>, i64, Option<String>)> =
            sqlx::query_as("SELECT holder, epoch, expires_at FROM leader_lease WHERE slot = 1")
                .fetch_optional(&db.pool)
                .await
                .context("cannot read the leader's lease")?;
        let Some((Some(holder), epoch, Some(expires_at))) = row else {
            return Ok(None);
        };
        let expires_at = parse_ts(&expires_at)?;
        Ok((expires_at > now).then_some(Lease {
            holder,
            epoch,
            expires_at,
        }))
    }
}

impl Fence {
    pub fn epoch(&self) -> i64 {
        self.epoch
    }

    /// Call first in every singleton write transaction (on `&mut *tx`): locks the lease row
    /// for share until the transaction ends and fails unless this replica still holds the
    /// lease in this fence's epoch and it has not expired at `now` (the replica's clock).
    /// Outside a transaction the lock would end with the statement and fence nothing.
    pub async fn check(
        &self,
        conn: &mut PgConnection,
        now: DateTime<Utc>,
    ) -> Result<(), FenceError> {
        let (holder, epoch, expires_at): (Option<String>, i64, Option<String>) = sqlx::query_as(
            "SELECT holder, epoch, expires_at FROM leader_lease WHERE slot = 1 FOR SHARE",
        )
        .fetch_one(conn)
        .await
        .map_err(|e| FenceError::Db(e.into()))?;
        if epoch != self.epoch || holder.as_deref() != Some(self.holder.as_str()) {
            return Err(FenceError::Deposed {
                holder: self.holder.clone(),
                epoch: self.epoch,
                current: epoch,
                current_holder: holder,
            });
        }
        let expired_at = expires_at.unwrap_or_default();
        let expired = parse_ts(&expired_at).map_err(FenceError::Db)? <= now;
        if expired {
            return Err(FenceError::Expired { epoch, expired_at });
        }
        Ok(())
    }
}
