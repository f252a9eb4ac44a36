//! Watches the database for stage changes made by anyone: Baton, the HTTP API, or another
//! process writing `leads` directly.
//!
//! It wakes on the commit: [`FileWatch`] asks the operating system (inotify on Linux,
//! FSEvents or kqueue elsewhere, through the `notify` crate) to report writes to the
//! database file and its `-wal`. It watches the folder, not the files, so a `-wal` that
//! is deleted and created again (a checkpoint with truncation, the last connection
//! closing, a `journal_mode` change) is still seen. On a wake it reads SQLite's
//! `PRAGMA data_version` on its own connection, which changes only when some other
//! connection commits, together with whether any event waits after the intake's cursor;
//! only then does it run [`intake::run_once`]. Baton's own commits (the dispatcher marking
//! a message sent) also touch the `-wal`: they change the version but leave nothing to do,
//! and cost that one read.
//!
//! A write is reported a moment before its commit is visible (SQLite writes the frames,
//! then publishes the commit in the `-shm` index, which raises no event; on a loaded
//! machine the writer can be descheduled in between), and an outside transaction can
//! write thousands of pages before it commits. So a wake that found nothing to do looks
//! again [`SETTLE`] later, then after twice as long each time up to [`SETTLE_MAX`], and
//! while writes keep coming it looks once per [`SETTLE`]: a storm of writes costs a few
//! cheap reads and one intake pass. Past its first [`SETTLE`], a write ends such a wait,
//! so a commit made while the series runs is not left waiting for its next step.
//!
//! The poll stays as the safety net: without a notification it reads the version anyway.
//! Where the watch cannot start, or the database lies on a network file system (whose
//! other clients' writes raise no event here), it looks every `[watch] poll_ms`; with a
//! working watch on a local disk, where a lost notification is the only risk, once per
//! [`SAFETY_POLL`] (or `poll_ms`, if longer), which keeps an idle Baton nearly asleep.
//! Idle, a look costs one read on an open connection.
//! It records in `ctx.progress` when it last knew that nothing waited, which `/healthz`
//! turns into the watcher's lag.

use std::ffi::OsString;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use notify::{EventKind, RecursiveMode, Watcher};
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tracing::{error, info, trace, warn};

use super::{Ctx, intake};
use crate::store::events;

/// How long after a write that showed nothing to do the watcher looks again; each look
/// that still shows nothing (and no new write) doubles the wait, up to [`SETTLE_MAX`].
pub const SETTLE: Duration = Duration::from_millis(2);
/// The longest of those waits; after it the watcher waits for the next write or the poll.
pub const SETTLE_MAX: Duration = Duration::from_millis(256);
/// The safety poll of a working file watch on a local disk: writes are reported, so the
/// poll only covers a lost notification.
pub const SAFETY_POLL: Duration = Duration::from_secs(1);
/// The first wait after the database could not be read or the intake failed (doubling up
/// to 5 s); not longer than `poll_ms`.
const RETRY_FIRST: Duration = Duration::from_millis(100);

/// Reports writes to a database file and its `-wal`.
pub struct FileWatch {
    /// Keeps the operating system's watch alive.
    _watcher: notify::RecommendedWatcher,
    /// Holds one permit however many writes were reported: a storm wakes a waiter once.
    changed: Arc<Notify>,
    /// Set by every reported write, cleared by [`FileWatch::take`].
    dirty: Arc<AtomicBool>,
}

impl FileWatch {
    /// Watches the folder of `db` for writes to `db` and `db-wal`.
    pub fn start(db: &Path) -> anyhow::Result<FileWatch> {
        let name = db
            .file_name()
            .with_context(|| format!("the database path {} names no file", db.display()))?
            .to_os_string();
        let mut wal = name.clone();
        wal.push("-wal");
        let folder = match db.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => Path::new(".").to_path_buf(),
        };
        let changed = Arc::new(Notify::new());
        let dirty = Arc::new(AtomicBool::new(false));
        let mut watcher = {
            let changed = changed.clone();
            let dirty = dirty.clone();
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                if concerns(&event, &name, &wal) {
                    dirty.store(true, Ordering::Release);
                    changed.notify_one();
                }
            })
            .context("cannot start watching the database files")?
        };
        watcher
            .watch(&folder, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch the folder {}", folder.display()))?;
        Ok(FileWatch {
            _watcher: watcher,
            changed,
            dirty,
        })
    }

    /// Waits until a write is reported (at once if one was reported since the last wait).
    pub async fn changed(&self) {
        self.changed.notified().await
    }

    /// Whether a write was reported since the last call; forgets it.
    pub fn take(&self) -> bool {
        self.dirty.swap(false, Ordering::AcqRel)
    }
}

/// Whether a file-system event may mean a commit: a change (not a mere open or read) of
/// the database or its `-wal`, or an event that names no file (the watch overflowed) or
/// an error, where looking is the safe answer.
fn concerns(event: &notify::Result<notify::Event>, name: &OsString, wal: &OsString) -> bool {
    let Ok(event) = event else {
        return true;
    };
    if matches!(event.kind, EventKind::Access(_)) {
        return false;
    }
    event.paths.is_empty()
        || event
            .paths
            .iter()
            .any(|p| p.file_name().is_some_and(|f| f == name || f == wal))
}

/// Why the watcher looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Wake {
    Start,
    /// The database files were written.
    File,
    /// [`SETTLE`] after a write that showed nothing to do.
    Settle,
    /// `ctx.leads_changed`: Baton itself wrote leads.
    Asked,
    /// The safety poll.
    Poll,
}

pub async fn run(ctx: Ctx) -> anyhow::Result<()> {
    let poll_ms = Duration::from_millis(ctx.config.settings.watch.poll_ms);
    let path = &ctx.config.database_path;
    let files = match FileWatch::start(path) {
        Ok(files) => Some(files),
        Err(e) => {
            warn!(error = %format!("{e:#}"), "cannot watch the database files; relying on [watch] poll_ms alone");
            None
        }
    };
    let network = network_file_system(path);
    if let Some(kind) = &network {
        warn!(
            file_system = %kind,
            "the database is on a network file system: writes from other machines are seen by [watch] poll_ms alone"
        );
    }
    let poll = safety_poll(poll_ms, files.is_some(), network.is_some());
    let mut conn = ctx.db.pool.acquire().await?;
    let mut seen_version = None;
    let first_retry = poll_ms.min(RETRY_FIRST);
    let mut backoff = first_retry;
    let mut wake = Wake::Start;
    let mut settle = SETTLE;
    info!(
        poll_ms = poll_ms.as_millis() as u64,
        looks_every_ms = poll.as_millis() as u64,
        file_watch = files.is_some(),
        "watching lead_events"
    );
    ctx.progress.watcher_caught_up(ctx.clock.now());
    loop {
        let started = ctx.clock.now();
        trace!(?wake, "the watcher looks");
        let mut worked = false;
        let mut failed = false;
        match events::watch_state(&mut conn, intake::CURSOR).await {
            Err(e) => {
                error!(error = %format!("{e:#}"), "cannot poll the database; retrying");
                failed = true;
            }
            Ok((version, _)) if seen_version == Some(version) => {
                // No other connection committed since the last complete pass: nothing waits.
                ctx.progress.watcher_caught_up(ctx.clock.now());
            }
            Ok((version, false)) => {
                // Some connection committed, but nothing for the intake (Baton's own writes).
                ctx.progress.watcher_caught_up(started);
                seen_version = Some(version);
            }
            Ok((version, true)) => match intake::run_once(&ctx).await {
                Ok(done) => {
                    // Every event committed before the pass began was processed or parked.
                    ctx.progress.watcher_caught_up(started);
                    seen_version = Some(version);
                    worked = true;
                    if done.events > 0 {
                        info!(
                            events = done.events,
                            opened = done.opened,
                            closed = done.closed,
                            "stage changes processed"
                        );
                    }
                }
                Err(e) => {
                    error!(error = %format!("{e:#}"), "cannot process stage changes; will retry");
                    failed = true;
                }
            },
        }
        let look_again = match (wake, &files) {
            _ if worked || failed => None,
            (Wake::File, _) => Some(SETTLE),
            // New writes meanwhile start the series again; else each wait doubles.
            (Wake::Settle, Some(files)) if files.take() => Some(SETTLE),
            (Wake::Settle, _) => Some(settle * 2).filter(|d| *d <= SETTLE_MAX),
            _ => None,
        };
        if let Some(wait) = look_again {
            settle = wait;
            // At most one look per SETTLE, however many writes a long transaction makes.
            let first = SETTLE.min(wait);
            tokio::select! {
                _ = ctx.shutdown.cancelled() => return Ok(()),
                _ = tokio::time::sleep(first) => {}
            }
            if files.as_ref().is_some_and(FileWatch::take) {
                wake = Wake::File;
                continue;
            }
            // After that a write ends the wait: an outside commit made while Baton's own
            // writes keep the series going is looked at now, not up to SETTLE_MAX later.
            match pause(
                &ctx.shutdown,
                &ctx.leads_changed,
                files.as_ref(),
                wait - first,
                Wake::Settle,
            )
            .await
            {
                Some(next) => wake = next,
                None => return Ok(()),
            }
            continue;
        }
        let wait = if failed {
            let wait = backoff;
            backoff = (backoff * 2).min(Duration::from_secs(5));
            wait
        } else {
            backoff = first_retry;
            poll
        };
        match pause(
            &ctx.shutdown,
            &ctx.leads_changed,
            files.as_ref().filter(|_| !failed),
            wait,
            Wake::Poll,
        )
        .await
        {
            Some(next) => wake = next,
            None => return Ok(()),
        }
    }
}

/// How long the watcher waits for a write before it looks anyway: `poll_ms`, unless the
/// file watch works on a local disk, where [`SAFETY_POLL`] is enough (or `poll_ms`, if
/// longer).
fn safety_poll(poll_ms: Duration, watched: bool, network: bool) -> Duration {
    if watched && !network {
        poll_ms.max(SAFETY_POLL)
    } else {
        poll_ms
    }
}

/// The file system type of the mount holding `db`'s folder, when it is a network one
/// (NFS, SMB, 9p, sshfs and the like): its other clients' writes raise no notification
/// here. Read from `/proc/self/mounts`; elsewhere than Linux, `None`.
fn network_file_system(db: &Path) -> Option<String> {
    let folder = db.parent().filter(|d| !d.as_os_str().is_empty())?;
    let folder = std::fs::canonicalize(folder).ok()?;
    let mounts = std::fs::read_to_string("/proc/self/mounts").ok()?;
    let kind = mount_type(&mounts, &folder)?;
    is_network(kind).then(|| kind.to_string())
}

/// The type of the longest mount point in `mounts` (the format of `/proc/self/mounts`:
/// device, mount point with spaces as `\040`, type, …) that holds `path`.
fn mount_type<'m>(mounts: &'m str, path: &Path) -> Option<&'m str> {
    mounts
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let (_device, point, kind) = (fields.next()?, fields.next()?, fields.next()?);
            let point = point
                .replace("\\040", " ")
                .replace("\\011", "\t")
                .replace("\\134", "\\");
            path.starts_with(&point).then_some((point.len(), kind))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, kind)| kind)
}

/// Whether a file system type names a network or remote one.
fn is_network(kind: &str) -> bool {
    const NETWORK: [&str; 14] = [
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "9p",
        "afs",
        "ceph",
        "glusterfs",
        "lustre",
        "davfs",
        "ncpfs",
        "gpfs",
        "virtiofs",
    ];
    NETWORK.contains(&kind) || kind.starts_with("fuse.sshfs") || kind == "fuse.s3fs"
}

/// Waits `wait`, answering `timer` when it ends; a reported write of the database files
/// (`File`), Baton's own lead writes (`Asked`) end it sooner. `None` on shutdown. A wake-up
/// left over from writes an earlier look already covered does not end it.
async fn pause(
    shutdown: &CancellationToken,
    asked: &Notify,
    files: Option<&FileWatch>,
    wait: Duration,
    timer: Wake,
) -> Option<Wake> {
    let sleep = tokio::time::sleep(wait);
    tokio::pin!(sleep);
    loop {
        let written = async {
            match files {
                Some(files) => files.changed().await,
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            _ = shutdown.cancelled() => return None,
            _ = asked.notified() => return Some(Wake::Asked),
            _ = written => {
                if files.is_some_and(FileWatch::take) {
                    return Some(Wake::File);
                }
            }
            _ = &mut sleep => return Some(timer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Longer than any test runs: a pause that ends was ended by what the test did.
    const LONG: Duration = Duration::from_secs(600);
    const PATIENCE: Duration = Duration::from_secs(20);

    async fn paused(files: Option<&FileWatch>, asked: &Notify, wait: Duration) -> Option<Wake> {
        let shutdown = CancellationToken::new();
        tokio::time::timeout(PATIENCE, pause(&shutdown, asked, files, wait, Wake::Settle))
            .await
            .expect("the pause did not end")
    }

    #[tokio::test]
    async fn a_write_ends_a_settling_pause_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("baton.db");
        let files = FileWatch::start(&db).unwrap();
        let asked = Notify::new();
        let write = async {
            tokio::task::yield_now().await;
            std::fs::write(dir.path().join("baton.db-wal"), b"frames").unwrap();
            std::future::pending::<()>().await
        };
        let woke = tokio::select! {
            woke = paused(Some(&files), &asked, LONG) => woke,
            _ = write => unreachable!(),
        };
        assert_eq!(woke, Some(Wake::File));
    }

    /// A short pause that nothing should end: it must run out.
    async fn runs_out(files: &FileWatch) {
        let asked = Notify::new();
        let short = Duration::from_millis(300);
        assert_eq!(paused(Some(files), &asked, short).await, Some(Wake::Settle));
    }

    #[tokio::test]
    async fn a_write_to_another_file_does_not_end_it() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileWatch::start(&dir.path().join("baton.db")).unwrap();
        std::fs::write(dir.path().join("notes.txt"), b"other").unwrap();
        runs_out(&files).await;
    }

    #[tokio::test]
    async fn a_wake_up_whose_write_was_taken_does_not_end_it() {
        let dir = tempfile::tempdir().unwrap();
        let files = FileWatch::start(&dir.path().join("baton.db")).unwrap();
        // The state a look leaves when it covered a write reported meanwhile: the
        // wake-up's permit is there, the write is not.
        files.changed.notify_one();
        assert!(!files.take());
        runs_out(&files).await;
    }

    #[test]
    fn a_working_watch_on_a_local_disk_polls_once_a_second_else_every_poll_ms() {
        let ms = Duration::from_millis;
        assert_eq!(safety_poll(ms(100), true, false), SAFETY_POLL);
        assert_eq!(safety_poll(ms(5_000), true, false), ms(5_000));
        assert_eq!(safety_poll(ms(100), false, false), ms(100));
        assert_eq!(safety_poll(ms(100), true, true), ms(100));
    }

    #[test]
    fn the_mount_holding_a_path_is_the_longest_that_contains_it() {
        let mounts = "/dev/sda1 / ext4 rw,relatime 0 0\n\
                      server:/export /mnt/crm nfs4 rw,vers=4.2 0 0\n\
                      tmpfs /mnt/crm/local\\040disk tmpfs rw 0 0\n\
                      //nas/share /srv/sh cifs rw 0 0\n";
        let kind = |p: &str| mount_type(mounts, Path::new(p));
        assert_eq!(kind("/var/lib/baton"), Some("ext4"));
        assert_eq!(kind("/mnt/crm/baton"), Some("nfs4"));
        assert_eq!(kind("/mnt/crm/local disk/x"), Some("tmpfs"));
        // A prefix of a name is not its folder.
        assert_eq!(kind("/mnt/crmx"), Some("ext4"));
        assert_eq!(kind("/srv/sh"), Some("cifs"));
        assert!(is_network("nfs4") && is_network("cifs") && is_network("fuse.sshfs"));
        assert!(!is_network("ext4") && !is_network("tmpfs") && !is_network("overlay"));
    }

    #[test]
    fn a_temporary_folder_is_not_a_network_file_system() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_file_system(&dir.path().join("baton.db")), None);
    }

    #[tokio::test]
    async fn baton_writing_leads_ends_it_and_shutdown_stops_it() {
        let asked = Notify::new();
        asked.notify_one();
        assert_eq!(paused(None, &asked, LONG).await, Some(Wake::Asked));
        let shutdown = CancellationToken::new();
        shutdown.cancel();
        assert_eq!(pause(&shutdown, &asked, None, LONG, Wake::Poll).await, None);
    }
}
