//! The server's store: one `sqlx::AnyPool` over SQLite or PostgreSQL with
//! portable SQL (`$N` placeholders, BIGINT/TEXT only), and the embedded
//! migrations.

use std::sync::Arc;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyConnection, AnyPool, Executor, Transaction};
use tokio::sync::{Mutex, MutexGuard};

use crate::domain::EpochMs;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/server");

/// A write transaction, plus the SQLite writer lock held until it ends.
pub struct WriteTx<'a> {
    pub tx: Transaction<'static, Any>,
    pub guard: Option<MutexGuard<'a, ()>>,
}

#[derive(Clone)]
pub struct Store {
    pub pool: AnyPool,
    /// SQLite allows one writer; a deferred transaction that upgrades to a
    /// writer while another writes fails with SQLITE_BUSY. Serializing write
    /// transactions here keeps concurrent requests deterministic.
    sqlite_writer: Option<Arc<Mutex<()>>>,
}

/// Turns `--db` into a URL: a plain path becomes a SQLite file URL.
pub fn database_url(db: Option<&str>) -> anyhow::Result<String> {
    let raw = match db {
        Some(s) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            let dirs = directories::ProjectDirs::from("", "", "dutydesk")
                .ok_or_else(|| anyhow::anyhow!("no home directory; pass --db PATH"))?;
            let dir = dirs.data_dir();
            std::fs::create_dir_all(dir)?;
            // The database holds password and token hashes: owner only.
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
            }
            dir.join("server.db").to_string_lossy().into_owned()
        }
    };
    if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
        return Ok(raw);
    }
    if let Some(rest) = raw.strip_prefix("sqlite:") {
        let path = rest.trim_start_matches("//");
        let path = path.split('?').next().unwrap_or(path);
        // Only where SQLite was told to create it (`mode=rwc`).
        if raw.contains("mode=rwc") && !path.is_empty() && !path.starts_with(":memory:") {
            create_owner_only(std::path::Path::new(path))?;
        }
        return Ok(raw);
    }
    create_owner_only(std::path::Path::new(&raw))?;
    Ok(format!("sqlite://{raw}?mode=rwc"))
}

/// Creates a missing SQLite file 0600 before SQLite does (it would use the
/// umask, 0644 as a rule): it holds every case, and password and token
/// hashes. SQLite gives its -wal and -shm files the database file's mode.
/// An existing file is left as its owner set it.
fn create_owner_only(path: &std::path::Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        // A missing directory and the like: SQLite's own error says it better.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(anyhow::anyhow!(rust_i18n::t!(
            "ops.db_file_mode",
            path = path.display(),
            error = e
        ))),
    }
}

impl Store {
    /// Connects, sets SQLite's pragmas per connection, and migrates.
    pub async fn connect(url: &str) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let sqlite = url.starts_with("sqlite:");
        let options: AnyConnectOptions = url.parse()?;
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            // A SQLite connection is a file in this process: it cannot go
            // stale the way a network connection can, and the ping before
            // each use cost a round trip to its worker thread (one per
            // group commit, one per request).
            .test_before_acquire(!sqlite)
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
                        conn.execute("PRAGMA journal_mode=WAL").await?;
                        conn.execute("PRAGMA synchronous=FULL").await?;
                        conn.execute("PRAGMA busy_timeout=10000").await?;
                        conn.execute("PRAGMA foreign_keys=ON").await?;
                        conn.execute("PRAGMA temp_store=MEMORY").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Store {
            pool,
            sqlite_writer: sqlite.then(|| Arc::new(Mutex::new(()))),
        })
    }

    pub async fn begin_write(&self) -> Result<WriteTx<'_>, sqlx::Error> {
        let guard = self.write_lock().await;
        let tx = self.pool.begin().await?;
        Ok(WriteTx { tx, guard })
    }

    /// The SQLite writer lock (None on PostgreSQL), for a writer that runs
    /// its transactions on a connection of its own.
    pub async fn write_lock(&self) -> Option<MutexGuard<'_, ()>> {
        match &self.sqlite_writer {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }

    /// A connection of the pool's kind (pragmas set, migrated) that is no
    /// longer the pool's: its owner begins and ends its transactions, and
    /// when it is dropped it closes (rolling back whatever was open).
    pub async fn own_connection(&self) -> Result<AnyConnection, sqlx::Error> {
        Ok(self.pool.acquire().await?.detach())
    }

    /// PostgreSQL (several instances may share it) rather than SQLite.
    pub fn is_postgres(&self) -> bool {
        self.sqlite_writer.is_none()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Allocates the next value of a named counter inside the transaction.
pub async fn next_id(tx: &mut Transaction<'static, Any>, name: &str) -> Result<i64, sqlx::Error> {
    let (v,): (i64,) =
        sqlx::query_as("UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value")
            .bind(name)
            .fetch_one(&mut **tx)
            .await?;
    Ok(v)
}

/// Records an administrative action (no acting user: the command line) in
/// the audit log, inside the transaction that does it.
pub async fn audit(
    tx: &mut Transaction<'static, Any>,
    at: EpochMs,
    action: &str,
    detail: &str,
) -> Result<(), sqlx::Error> {
    audit_row(
        tx,
        AuditRow {
            at,
            actor_id: None,
            action,
            detail,
            item_id: None,
        },
    )
    .await
}

/// One entry of the audit log: when, who (`None`: the admin command line),
/// what, and about which item if any.
pub struct AuditRow<'a> {
    pub at: EpochMs,
    pub actor_id: Option<i64>,
    pub action: &'a str,
    pub detail: &'a str,
    pub item_id: Option<i64>,
}

pub async fn audit_row(tx: &mut Transaction<'static, Any>, row: AuditRow<'_>) -> Result<(), sqlx::Error> {
    let id = next_id(tx, "audit").await?;
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_id, action, detail, item_id) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(id)
    .bind(row.at)
    .bind(row.actor_id)
    .bind(row.action)
    .bind(row.detail)
    .bind(row.item_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
