//! The store's integrity check runs right after the first frame (it reads
//! the whole file): a store that opens and draws but is damaged further in
//! is then moved aside, never deleted, and the app goes on with a fresh
//! one, saying where the old one went.

use dutydesk::client::store::{LocalStore, MINE};

use super::support::{Home, Pty};

/// `n` cached items; the first few are due soonest (the first screen).
fn items(n: i64) -> Vec<dutydesk::api::WorkItem> {
    (1..=n)
        .map(|id| {
            serde_json::from_value(serde_json::json!({
                "id": id, "kind": "consultation", "title": format!("Unpaid wages #{id}"),
                "description": "The applicant says the employer has not paid three months of wages.",
                "channel": "walk_in", "category": "wages", "green_channel": false,
                "fee_waiver_eligible": false, "status": "accepted", "unit_id": 1,
                "parties": [{"name": "Li", "role": "applicant", "contact": "138****5678"}],
                "due_at": 1_900_000_000_000_i64 + id * 60_000, "created_at": 1, "updated_at": 1,
                "version": 1
            }))
            .unwrap()
        })
        .collect()
}

#[test]
fn a_store_damaged_past_the_first_screen_is_moved_aside_after_the_first_frame() {
    let home = Home::new();
    let data = home.tmp.path().join("data").join("dutydesk");
    let path = LocalStore::path_for(&data, "default");
    let rt = tokio::runtime::Runtime::new().unwrap();
    let last_leaf: i64 = rt.block_on(async {
        let (store, _) = LocalStore::open(&path).await.unwrap();
        store.upsert_items(MINE, &items(2_000)).await.unwrap();
        store.close().await;
        // The table's last leaf page holds the items due last: nothing the
        // first screen reads.
        let conn = sqlx::sqlite::SqlitePoolOptions::new()
            .connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        let page = sqlx::query_scalar(
            "SELECT max(pageno) FROM dbstat WHERE name = 'cached_items' AND pagetype = 'leaf'",
        )
        .fetch_one(&conn)
        .await
        .unwrap();
        conn.close().await;
        page
    });
    // An invalid b-tree page type on that page: SQLite opens the file,
    // upgrades it and reads the first screen; its quick check fails.
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[(last_leaf as usize - 1) * 4096] = 0;
    std::fs::write(&path, &bytes).unwrap();

    let mut env = home.env("xterm-256color");
    env.push(("DUTYDESK_SERVER".into(), "http://127.0.0.1:9".into()));
    env.push(("DUTYDESK_TOKEN".into(), "some-token".into()));
    let mut pty = Pty::spawn(&[], &env);
    pty.wait_for("the local store was damaged");
    let aside: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains(".corrupt-"))
        .collect();
    assert_eq!(aside.len(), 1, "the damaged store is kept aside");
    assert_eq!(std::fs::read(aside[0].path()).unwrap(), bytes, "as it was");
    // The app goes on, on a fresh (empty) store.
    assert!(!pty.screen().contains("Unpaid wages"), "{}", pty.screen());
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}
