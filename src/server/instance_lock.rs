//! SQLite is served by one instance only: events stay in process (see
//! `bus.rs`). A second `dutydesk serve` on the same file is refused while
//! the first holds an exclusive lock on `<database>.lock`.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::PathBuf;

/// The database file behind a SQLite URL; `None` for PostgreSQL and for an
/// in-memory database.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

/// Takes the instance lock for a SQLite database; held until dropped.
pub fn acquire(url: &str) -> anyhow::Result<Option<File>> {
    let Some(db) = sqlite_path(url) else {
        return Ok(None);
    };
    let mut lock = db.clone().into_os_string();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let mut options = OpenOptions::new();
    options.create(true).truncate(false).write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let file = options
        .open(&lock)
        .map_err(|e| anyhow::anyhow!(rust_i18n::t!("bus.lock_failed", lock = lock.display(), error = e)))?;
    match file.try_lock() {
        Ok(()) => Ok(Some(file)),
        Err(TryLockError::WouldBlock) => Err(anyhow::anyhow!(rust_i18n::t!(
            "bus.sqlite_in_use",
            path = db.display(),
            lock = lock.display()
        ))),
        Err(TryLockError::Error(e)) => Err(anyhow::anyhow!(rust_i18n::t!(
            "bus.lock_failed",
            lock = lock.display(),
            error = e
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_file_of_a_sqlite_url_only() {
        assert_eq!(
            sqlite_path("sqlite:///tmp/a.db?mode=rwc"),
            Some(PathBuf::from("/tmp/a.db"))
        );
        assert_eq!(sqlite_path("sqlite://rel.db"), Some(PathBuf::from("rel.db")));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x@h/db"), None);
    }
}
