//! The floor for `benches/first_frame.rs`: the least work that draws the
//! same first screenful as `dutydesk` starting from its cache. It opens the
//! same SQLite file, asks it for only the rows the first screen shows (the
//! Mediation tab in due order, done by SQLite), and draws them with
//! ratatui; nothing is decoded or built for rows that are not shown.
//!
//! `first-frame-floor STORE_FILE` — a bench tool, not for users; it waits
//! to be killed after the frame.

use std::ffi::{CStr, CString, c_int};
use std::time::Duration;

use libsqlite3_sys as ffi;
use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table};

/// The due order of `src/tui/queue_index.rs`, in SQL: open work first,
/// then due band, green channel first within a band, then due time and id.
const FIRST_SCREEN: &str = "SELECT json_extract(json, '$.title'), due_at FROM cached_items \
     WHERE list = 'mine' AND kind = 'mediation' \
     ORDER BY status IN ('closed', 'no_show', 'cancelled'), \
     CASE WHEN due_at < ?1 THEN 0 WHEN due_at < ?1 + 3600000 THEN 1 \
          WHEN due_at < ?1 + 14400000 THEN 2 WHEN due_at < ?1 + 86400000 THEN 3 ELSE 4 END, \
     green_channel DESC, due_at, id LIMIT ?2";

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: first-frame-floor STORE_FILE");
        std::process::exit(2);
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    let mut terminal = ratatui::init();
    let height = terminal.size().map_or(24, |s| s.height);
    let rows = first_screen(&path, now, i64::from(height)).unwrap_or_default();
    let table = Table::new(
        rows.into_iter().map(|(title, due)| Row::new([title, due])),
        [Constraint::Fill(1), Constraint::Length(14)],
    );
    let _ = terminal.draw(|f| f.render_widget(table, f.area()));
    std::thread::sleep(Duration::from_secs(30));
    ratatui::restore();
}

/// The title and due time of the first `limit` rows, or `None` on any
/// SQLite error (the benchmark then never sees its marker and says so).
fn first_screen(path: &str, now: i64, limit: i64) -> Option<Vec<(String, String)>> {
    let path = CString::new(path).ok()?;
    let sql = CString::new(FIRST_SCREEN).ok()?;
    let mut out = Vec::new();
    // SAFETY: plain use of the SQLite C API: every pointer passed is valid
    // for the call, the statement is finalized and the handle closed
    // before returning, and column text is copied before the next step.
    unsafe {
        let mut db = std::ptr::null_mut();
        // Read-write as dutydesk opens it: a WAL store needs its shared-memory file.
        let flags = ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_NOMUTEX;
        if ffi::sqlite3_open_v2(path.as_ptr(), &mut db, flags, std::ptr::null()) != ffi::SQLITE_OK {
            ffi::sqlite3_close(db);
            return None;
        }
        let mut stmt = std::ptr::null_mut();
        let ok =
            ffi::sqlite3_prepare_v2(db, sql.as_ptr(), -1, &mut stmt, std::ptr::null_mut()) == ffi::SQLITE_OK;
        if ok {
            ffi::sqlite3_bind_int64(stmt, 1, now);
            ffi::sqlite3_bind_int64(stmt, 2, limit);
            while ffi::sqlite3_step(stmt) == ffi::SQLITE_ROW {
                out.push((text(stmt, 0), due_text(ffi::sqlite3_column_int64(stmt, 1), now)));
            }
        }
        ffi::sqlite3_finalize(stmt);
        ffi::sqlite3_close(db);
        ok.then_some(out)
    }
}

/// # Safety
/// `stmt` is a statement positioned on a row.
unsafe fn text(stmt: *mut ffi::sqlite3_stmt, column: c_int) -> String {
    // SAFETY: per the contract above; SQLite returns NUL-terminated UTF-8
    // (or null for NULL), valid until the next step.
    unsafe {
        let p = ffi::sqlite3_column_text(stmt, column);
        if p.is_null() {
            return String::new();
        }
        CStr::from_ptr(p.cast()).to_string_lossy().into_owned()
    }
}

/// Hours left (negative when overdue), as the queue shows a due time.
fn due_text(due_at: i64, now: i64) -> String {
    format!("{}h", (due_at - now) / 3_600_000)
}
