//! The floor for the durable writes of `scripts/bench-read-path`: the least
//! work that stores the same rows as durably. One SQLite file in WAL mode
//! with `synchronous=FULL` (as the server opens it), one bare prepared
//! INSERT of a time-entry-sized row per write, one commit (one fsync) per
//! batch of BATCH writes on average (a fraction alternates sizes), for
//! SECONDS. The server's group commit reaches some average batch size;
//! this says what the disk allows at that size.
//!
//! `write_floor DIR SECONDS BATCH` prints `rows/s`. A bench tool only: it
//! writes `DIR/floor.db` and nothing else.

use std::ffi::{CString, c_int};
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, secs, batch] = args.as_slice() else {
        anyhow::bail!("usage: write_floor DIR SECONDS BATCH");
    };
    let path = std::path::Path::new(dir).join("floor.db");
    let secs: f64 = secs.parse()?;
    let batch: f64 = batch.parse()?;
    anyhow::ensure!(batch >= 1.0, "BATCH is at least 1");
    let db = Db::open(&path.to_string_lossy())?;
    db.exec("PRAGMA journal_mode=WAL")?;
    db.exec("PRAGMA synchronous=FULL")?;
    db.exec(
        "CREATE TABLE IF NOT EXISTS time_entries (id TEXT PRIMARY KEY, item_id BIGINT NOT NULL, \
         user_id BIGINT NOT NULL, minutes BIGINT NOT NULL, activity TEXT NOT NULL, note TEXT NOT NULL, \
         occurred_at BIGINT NOT NULL, created_at BIGINT NOT NULL)",
    )?;
    let insert = db.prepare(
        "INSERT INTO time_entries (id, item_id, user_id, minutes, activity, note, occurred_at, created_at) \
         VALUES (?1, 1, 1, 1, 'session', ?2, ?3, ?3)",
    )?;
    let started = Instant::now();
    let until = Duration::from_secs_f64(secs);
    let mut rows = 0_u64;
    let mut commits = 0_u64;
    while started.elapsed() < until {
        commits += 1;
        // Rounded cumulative sizes: the average is `batch` exactly.
        let size = (batch * commits as f64).round() as u64 - (batch * (commits - 1) as f64).round() as u64;
        db.exec("BEGIN")?;
        for _ in 0..size {
            rows += 1;
            insert.row(
                &uuid::Uuid::now_v7().to_string(),
                &format!("bench {rows}"),
                rows as i64,
            )?;
        }
        db.exec("COMMIT")?;
    }
    let per_sec = rows as f64 / started.elapsed().as_secs_f64();
    println!("{per_sec:.0}");
    Ok(())
}

/// An open SQLite handle, closed on drop.
struct Db(*mut ffi::sqlite3);

/// A prepared statement of `Db`, finalized on drop (before the handle: it
/// borrows it).
struct Stmt<'a> {
    raw: *mut ffi::sqlite3_stmt,
    db: &'a Db,
}

impl Db {
    fn open(path: &str) -> anyhow::Result<Db> {
        let path = CString::new(path)?;
        let mut raw = std::ptr::null_mut();
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE | ffi::SQLITE_OPEN_NOMUTEX;
        // SAFETY: a valid NUL-terminated path and an out-pointer; the
        // handle is owned by the returned `Db` (closed even on failure).
        let rc = unsafe { ffi::sqlite3_open_v2(path.as_ptr(), &mut raw, flags, std::ptr::null()) };
        let db = Db(raw);
        db.check(rc)?;
        Ok(db)
    }

    fn check(&self, rc: c_int) -> anyhow::Result<()> {
        if rc == ffi::SQLITE_OK || rc == ffi::SQLITE_DONE || rc == ffi::SQLITE_ROW {
            return Ok(());
        }
        // SAFETY: the handle is open; the message is NUL-terminated and
        // copied before any other call.
        let msg = unsafe { std::ffi::CStr::from_ptr(ffi::sqlite3_errmsg(self.0)) };
        anyhow::bail!("sqlite error {rc}: {}", msg.to_string_lossy())
    }

    fn exec(&self, sql: &str) -> anyhow::Result<()> {
        let sql = CString::new(sql)?;
        // SAFETY: an open handle and NUL-terminated SQL; no callback.
        let rc = unsafe {
            ffi::sqlite3_exec(
                self.0,
                sql.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            )
        };
        self.check(rc)
    }

    fn prepare(&self, sql: &str) -> anyhow::Result<Stmt<'_>> {
        let sql = CString::new(sql)?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: an open handle, NUL-terminated SQL, an out-pointer owned
        // by the returned `Stmt`.
        let rc = unsafe { ffi::sqlite3_prepare_v2(self.0, sql.as_ptr(), -1, &mut raw, std::ptr::null_mut()) };
        let stmt = Stmt { raw, db: self };
        self.check(rc)?;
        Ok(stmt)
    }
}

impl Stmt<'_> {
    /// Binds id, note and time, runs the INSERT once and resets it.
    fn row(&self, id: &str, note: &str, at: i64) -> anyhow::Result<()> {
        // SAFETY: a prepared statement; SQLITE_TRANSIENT makes SQLite copy
        // the text before the call returns, so the borrows may end.
        let rc = unsafe {
            ffi::sqlite3_bind_text(
                self.raw,
                1,
                id.as_ptr().cast(),
                id.len() as c_int,
                ffi::SQLITE_TRANSIENT(),
            );
            ffi::sqlite3_bind_text(
                self.raw,
                2,
                note.as_ptr().cast(),
                note.len() as c_int,
                ffi::SQLITE_TRANSIENT(),
            );
            ffi::sqlite3_bind_int64(self.raw, 3, at);
            let rc = ffi::sqlite3_step(self.raw);
            ffi::sqlite3_reset(self.raw);
            rc
        };
        self.db.check(rc)
    }
}

impl Drop for Stmt<'_> {
    fn drop(&mut self) {
        // SAFETY: finalized once, before its handle closes (it borrows it).
        unsafe { ffi::sqlite3_finalize(self.raw) };
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        // SAFETY: closed once; every statement was finalized (they borrow it).
        unsafe { ffi::sqlite3_close(self.0) };
    }
}
