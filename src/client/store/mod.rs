//! The local store: one SQLite file per profile in the data dir. Rollback
//! journal, not WAL (home dirs on shared servers are often NFS, where WAL
//! breaks), and `synchronous=FULL` so "saved" means on disk.

mod cache;
mod cache_write;
mod identity;
mod outbox;
mod outbox_batch;
mod queue_rows;
mod schema;
mod timer;
mod write_kind;

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use rust_i18n::t;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

pub use cache::{CachedDoc, CachedKey, MINE, POOL, Timer};
pub use cache_write::{CacheRow, DocWrite, ListDelta, SyncWrite};
pub use outbox::{Claim, EntryState, NewEntry, OutboxEntry, host_name};
pub use queue_rows::TabRows;
pub use write_kind::WriteKind;

use super::fsutil;

/// Who opens the store: a command, which checks the whole file first, or
/// the terminal app, which checks it after its first frame and keeps less
/// of it in memory (one connection, a small page cache).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Opening {
    Command,
    App,
}

/// The terminal app's page cache per connection: 512 KiB (negative: KiB).
const APP_PAGE_CACHE: &str = "-512";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", t!("cli.store.io", path = path.display(), error = source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}", t!("cli.store.db", error = .0))]
    Db(#[from] sqlx::Error),
    #[error("{}", t!("cli.store.migrate", error = .0))]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("{}", t!("cli.store.no_entry", id = .0))]
    NoSuchEntry(String),
    #[error("{}", t!("cli.store.not_retryable", id = .0))]
    NotRetryable(String),
    #[error("{}", t!("cli.store.bad_json", error = .0))]
    Json(#[from] serde_json::Error),
}

/// An open store. Cheap to clone (a pool handle).
#[derive(Debug, Clone)]
pub struct LocalStore {
    pool: SqlitePool,
    path: PathBuf,
    /// Who is signed in on this profile: recorded on every entry queued,
    /// and only their entries are sent. `None`: nobody known yet.
    writer: Option<Writer>,
}

/// The lawyer who queued an entry, and the server it was meant for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub user: String,
    pub server: String,
}

/// What opening found, for the caller to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenNotice {
    /// The old file was unreadable and now lives here; a fresh one was made.
    MovedAside(PathBuf),
}

impl LocalStore {
    /// The file of one profile's store inside `data_dir`. A simple name
    /// (`[A-Za-z0-9-]+`) is the file name as it always was; any other gets
    /// a hash of the exact name too, so `a.b` and `a_b` never share a file.
    pub fn path_for(data_dir: &Path, profile: &str) -> PathBuf {
        let simple = !profile.is_empty() && profile.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        if simple {
            return data_dir.join(format!("{profile}.sqlite"));
        }
        let readable: String = profile
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        use sha2::Digest;
        let digest = sha2::Sha256::digest(profile.as_bytes());
        let hash: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
        data_dir.join(format!("{readable}.{hash}.sqlite"))
    }

    /// Opens (creating, upgrading) the store at `path`. A corrupt file is
    /// moved aside, never deleted, and a fresh store made.
    pub async fn open(path: &Path) -> Result<(LocalStore, Option<OpenNotice>), StoreError> {
        Self::open_with(path, Opening::Command).await
    }

    /// Like [`LocalStore::open`] without the integrity check, which reads the
    /// whole file: the terminal app runs it ([`LocalStore::integrity_problem`])
    /// right after its first frame. A file SQLite cannot open or upgrade is
    /// still moved aside here. The terminal app's store: each connection
    /// keeps a small page cache.
    pub async fn open_unchecked(path: &Path) -> Result<(LocalStore, Option<OpenNotice>), StoreError> {
        Self::open_with(path, Opening::App).await
    }

    async fn open_with(
        path: &Path,
        opening: Opening,
    ) -> Result<(LocalStore, Option<OpenNotice>), StoreError> {
        let io = |source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent() {
            fsutil::private_dir(dir).map_err(io)?;
        }
        match Self::open_checked(path, opening).await {
            Ok(store) => Ok((store, None)),
            Err(e) if is_corrupt(&e) => {
                let aside = move_aside_with_journal(path).map_err(io)?;
                tracing::warn!(aside = %aside.display(), "local store was corrupt; moved aside");
                let store = Self::open_checked(path, opening).await?;
                Ok((store, Some(OpenNotice::MovedAside(aside))))
            }
            Err(e) => Err(e),
        }
    }

    async fn open_checked(path: &Path, opening: Opening) -> Result<LocalStore, StoreError> {
        fsutil::touch_private(path).map_err(|source| StoreError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let url = format!("sqlite://{}", path.display());
        let options = SqliteConnectOptions::from_str(&url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Delete)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            // Another SSH session may hold the write lock for a moment.
            .busy_timeout(Duration::from_secs(10));
        // The app lives for hours beside the other programs of a laptop:
        // each connection's page cache (2 MB by default) would stay
        // resident. Its reads are one pass over an index or the rows of a
        // list; pages come back from the OS's cache.
        let (options, connections) = match opening {
            Opening::Command => (options, 2),
            // One connection: sqlx hands a connection back to the pool on a
            // task of its own, so a second one was opened (a thread, the
            // file, its pragmas) by the very next query before the first
            // frame, and kept for the life of the app.
            Opening::App => (options.pragma("cache_size", APP_PAGE_CACHE), 1),
        };
        let pool = SqlitePoolOptions::new()
            .max_connections(connections)
            .connect_with(options)
            .await?;
        let store = LocalStore {
            pool,
            path: path.to_path_buf(),
            writer: None,
        };
        if opening == Opening::Command
            && let Some(problem) = store.integrity_problem().await?
        {
            store.pool.close().await;
            return Err(StoreError::Db(sqlx::Error::Protocol(format!(
                "quick_check: {problem}"
            ))));
        }
        schema::bring_up_to_date(&store.pool).await?;
        Ok(store)
    }

    /// SQLite's quick check of the whole file: `None` when it is sound,
    /// else what it found. Reads every page (milliseconds for a large
    /// cache), so the terminal app runs it after its first frame.
    pub async fn integrity_problem(&self) -> Result<Option<String>, StoreError> {
        let check: Result<String, sqlx::Error> = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_one(&self.pool)
            .await;
        match check {
            Ok(check) if check == "ok" => Ok(None),
            Ok(check) => Ok(Some(check)),
            Err(e) => {
                let e = StoreError::Db(e);
                if is_corrupt(&e) {
                    Ok(Some(e.to_string()))
                } else {
                    Err(e)
                }
            }
        }
    }

    /// Closes this store (every handle of it) and moves its file aside as
    /// [`LocalStore::open`] does with a corrupt one; returns where it went.
    pub async fn close_and_move_aside(self) -> Result<PathBuf, StoreError> {
        self.pool.close().await;
        let aside = move_aside_with_journal(&self.path).map_err(|source| StoreError::Io {
            path: self.path.clone(),
            source,
        })?;
        tracing::warn!(aside = %aside.display(), "local store was corrupt; moved aside");
        Ok(aside)
    }

    /// This handle queues and sends as `writer`.
    pub fn with_writer(mut self, writer: Writer) -> LocalStore {
        self.writer = Some(writer);
        self
    }

    pub fn writer(&self) -> Option<&Writer> {
        self.writer.as_ref()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Moves a corrupt store aside; a journal left beside it belongs to it.
fn move_aside_with_journal(path: &Path) -> std::io::Result<PathBuf> {
    let aside = move_aside(path)?;
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let _ = std::fs::remove_file(PathBuf::from(journal));
    Ok(aside)
}

/// Moves a corrupt store to `<name>.corrupt-<time>`, never over an earlier
/// one: a second corrupt store in the same second (or another process
/// doing the same) gets `-2`, `-3`, ... A hard link fails rather than
/// replace an existing name, so the choice of name and the move are one
/// step; the original name is then unlinked.
fn move_aside(path: &Path) -> std::io::Result<PathBuf> {
    let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S").to_string();
    for n in 1..1000 {
        let mut aside = path.as_os_str().to_owned();
        aside.push(format!(".corrupt-{stamp}"));
        if n > 1 {
            aside.push(format!("-{n}"));
        }
        let aside = PathBuf::from(aside);
        match std::fs::hard_link(path, &aside) {
            Ok(()) => {
                std::fs::remove_file(path)?;
                return Ok(aside);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::new(
        std::io::ErrorKind::AlreadyExists,
        "a thousand corrupt copies from this second already exist",
    ))
}

/// SQLite's "not a database" (26) and "corrupt" (11), in any extended form,
/// or a failed integrity check. Busy or I/O errors are not corruption.
fn is_corrupt(e: &StoreError) -> bool {
    match e {
        StoreError::Db(sqlx::Error::Database(db)) => db
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .is_some_and(|c| matches!(c & 0xff, 11 | 26)),
        StoreError::Db(sqlx::Error::Protocol(m)) => m.starts_with("quick_check"),
        StoreError::Migrate(sqlx::migrate::MigrateError::Execute(sqlx::Error::Database(db))) => db
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .is_some_and(|c| matches!(c & 0xff, 11 | 26)),
        _ => false,
    }
}
