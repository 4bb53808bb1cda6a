//! Gives the demo lawyer `n` more items on the real server, straight into
//! its SQLite file (the API would take minutes for 10,000): copies of one
//! of the lawyer's items whose sort keys vary by number (kind, green
//! channel, due time, status), with fresh ids and change sequence numbers,
//! and the server's counters moved past them. Shared by
//! `benches/initial_sync.rs` and `tests/client/initial_sync.rs`.
#![allow(dead_code)]

use std::path::Path;

use sqlx::Connection;

pub const KINDS: [&str; 3] = ["mediation", "consultation", "pro_bono"];
pub const STATUSES: [&str; 3] = ["accepted", "in_progress", "waiting"];
pub const DUE_BASE: i64 = 1_790_000_000_000;

/// The sort keys item number `k` (1-based) gets.
pub fn keys_of(k: i64) -> (&'static str, bool, i64, &'static str) {
    (
        KINDS[(k % 3) as usize],
        k % 5 == 0,
        DUE_BASE + (k % 97) * 3_600_000,
        STATUSES[(k % 7 % 3) as usize],
    )
}

/// Adds the items; returns the id of the first (the rest follow in order).
pub async fn seed_items(server_db: &Path, n: i64) -> i64 {
    let url = format!("sqlite://{}", server_db.display());
    let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("server db");
    let mut tx = conn.begin().await.expect("tx");
    let (first,): (i64,) = sqlx::query_as("SELECT max(id) + 1 FROM items")
        .fetch_one(&mut *tx)
        .await
        .expect("max id");
    sqlx::query(
        "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < ?1) \
         INSERT INTO items (id, kind, title, description, channel, category, green_channel, frontline_group, \
           fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, \
           typical_case, version, change_seq, enterprise_party, parties_shown) \
         SELECT ?2 + k - 1, \
           CASE k % 3 WHEN 0 THEN 'mediation' WHEN 1 THEN 'consultation' ELSE 'pro_bono' END, \
           t.title || ' #' || k, t.description, t.channel, t.category, k % 5 = 0, t.frontline_group, \
           t.fee_waiver_eligible, \
           CASE k % 7 % 3 WHEN 0 THEN 'accepted' WHEN 1 THEN 'in_progress' ELSE 'waiting' END, \
           t.assignee_id, t.unit_id, t.parties, ?3 + (k % 97) * 3600000, t.created_at, t.updated_at, \
           0, 1, (SELECT max(change_seq) FROM items) + k, t.enterprise_party, t.parties_shown \
         FROM n, (SELECT * FROM items WHERE assignee_id = (SELECT id FROM users WHERE username = 'lawyer') \
                  AND scheduled_start IS NULL ORDER BY id LIMIT 1) t",
    )
    .bind(n)
    .bind(first)
    .bind(DUE_BASE)
    .execute(&mut *tx)
    .await
    .expect("seed items");
    sqlx::query(
        "UPDATE counters SET value = CASE name WHEN 'item' THEN (SELECT max(id) FROM items) \
         ELSE (SELECT max(change_seq) FROM items) END WHERE name IN ('item', 'change_seq')",
    )
    .execute(&mut *tx)
    .await
    .expect("counters");
    tx.commit().await.expect("commit");
    first
}
