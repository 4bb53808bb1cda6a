use std::collections::HashSet;
use std::os::unix::fs::PermissionsExt;

use dutydesk::client::store::{EntryState, LocalStore, OpenNotice};

use crate::support::{Home, activity_entry, item};

pub(crate) async fn open(home: &Home) -> LocalStore {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    LocalStore::open(&path).await.unwrap().0
}

#[tokio::test]
async fn a_new_store_is_private_and_migrated() {
    let home = Home::new();
    let store = open(&home).await;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(store.path()), 0o600);
    assert_eq!(mode(store.path().parent().unwrap()), 0o700);
    assert!(store.outbox().await.unwrap().is_empty());
    // Rollback journal, never WAL (NFS home dirs).
    let wal = store.path().with_extension("sqlite-wal");
    assert!(!wal.exists());
}

#[tokio::test]
async fn entries_are_claimed_in_the_order_they_were_saved() {
    let home = Home::new();
    let store = open(&home).await;
    let ids: Vec<String> = {
        let mut v = vec![];
        for n in 1..=3 {
            v.push(store.enqueue(activity_entry(n)).await.unwrap());
        }
        v
    };
    for id in &ids {
        let c = store.claim_next("me", 60_000).await.unwrap().unwrap();
        assert_eq!(&c.entry.id, id);
        assert_eq!(c.entry.id.len(), 36, "a UUID");
        store.mark_sent(&c).await.unwrap();
    }
    assert!(store.claim_next("me", 60_000).await.unwrap().is_none());
}

#[tokio::test]
async fn a_held_lease_keeps_others_out_until_it_expires() {
    let home = Home::new();
    let a = open(&home).await;
    let b = open(&home).await;
    a.enqueue(activity_entry(1)).await.unwrap();
    let held = a.claim_next("a", 60_000).await.unwrap().unwrap();
    assert!(b.claim_next("b", 60_000).await.unwrap().is_none(), "a holds it");
    // A crashed holder's lease runs out; then another may send it (the
    // server's idempotency makes that resend harmless).
    a.release(&held, "offline").await.unwrap();
    let c = b.claim_next("b", 60_000).await.unwrap().unwrap();
    assert_eq!(c.entry.id, held.entry.id);
    let expired = b.claim_next("b", -1).await.unwrap().unwrap();
    assert!(
        a.claim_next("a", 60_000).await.unwrap().is_some(),
        "expired lease is free: {expired:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_flushing_at_once_never_take_the_same_entry() {
    let home = Home::new();
    let setup = open(&home).await;
    for n in 0..40 {
        setup.enqueue(activity_entry(n)).await.unwrap();
    }
    let mut tasks = vec![];
    for owner in ["ssh-1", "ssh-2"] {
        // Each "process" has its own pool on the same file.
        let store = open(&home).await;
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            let mut idle = 0;
            while idle < 50 {
                match store.claim_next(owner, 60_000).await.unwrap() {
                    Some(c) => {
                        got.push(c.entry.id.clone());
                        store.mark_sent(&c).await.unwrap();
                        idle = 0;
                    }
                    None if store.pending_count().await.unwrap() == 0 => break,
                    None => {
                        idle += 1;
                        tokio::task::yield_now().await;
                    }
                }
            }
            got
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let unique: HashSet<_> = all.iter().collect();
    assert_eq!(all.len(), 40, "every entry taken");
    assert_eq!(unique.len(), 40, "none taken twice");
}

#[tokio::test]
async fn failed_entries_stay_until_retried_or_discarded() {
    let home = Home::new();
    let store = open(&home).await;
    let id = store.enqueue(activity_entry(1)).await.unwrap();
    let c = store.claim_next("me", 60_000).await.unwrap().unwrap();
    store.mark_failed(&c, "count must be at most 1000").await.unwrap();
    assert!(
        store.claim_next("me", 60_000).await.unwrap().is_none(),
        "failed is not resent by itself"
    );
    let list = store.outbox().await.unwrap();
    assert_eq!(list[0].state, EntryState::Failed);
    assert_eq!(list[0].last_error.as_deref(), Some("count must be at most 1000"));
    // Retry by the short tail `outbox` shows; same body keeps the same key.
    store.retry_entry(&id[id.len() - 8..], None).await.unwrap();
    let c = store.claim_next("me", 60_000).await.unwrap().unwrap();
    assert_eq!(c.entry.id, id);
    store.mark_failed(&c, "again").await.unwrap();
    // An edited body is a new request: a new key.
    store
        .retry_entry(
            &id,
            Some(serde_json::json!({"indicator": "trainings", "count": 2})),
        )
        .await
        .unwrap();
    let list = store.outbox().await.unwrap();
    assert_ne!(list[0].id, id);
    assert_eq!(list[0].state, EntryState::Pending);
    let gone = store.discard_entry(&list[0].id).await.unwrap();
    assert_eq!(gone.summary, "activity 1");
    assert!(store.outbox().await.unwrap().is_empty());
    assert!(
        store
            .discard_entry("nope")
            .await
            .unwrap_err()
            .to_string()
            .contains("nope")
    );
}

#[tokio::test]
async fn a_corrupt_store_is_moved_aside_not_deleted() {
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let junk = "this is not a database ".repeat(200);
    std::fs::write(&path, &junk).unwrap();
    let (store, notice) = LocalStore::open(&path).await.unwrap();
    let Some(OpenNotice::MovedAside(aside)) = notice else {
        panic!("expected a notice")
    };
    assert!(aside.to_string_lossy().contains(".corrupt-"));
    assert_eq!(
        std::fs::read_to_string(&aside).unwrap(),
        junk,
        "the old file is kept as it was"
    );
    store.enqueue(activity_entry(1)).await.unwrap();
    assert_eq!(store.pending_count().await.unwrap(), 1);
    store.close().await;

    // A second corrupt store within the same second keeps its own copy.
    let again = "still not a database ".repeat(200);
    std::fs::write(&path, &again).unwrap();
    let (_, notice) = LocalStore::open(&path).await.unwrap();
    let Some(OpenNotice::MovedAside(second)) = notice else {
        panic!("expected a notice")
    };
    assert_ne!(second, aside);
    assert_eq!(
        std::fs::read_to_string(&aside).unwrap(),
        junk,
        "the first copy is intact"
    );
    assert_eq!(std::fs::read_to_string(&second).unwrap(), again);
}

#[tokio::test]
async fn the_timer_and_drafts_survive_a_restart() {
    let home = Home::new();
    let store = open(&home).await;
    let replaced = store
        .start_timer_logged(7, 1_000, |_| activity_entry(0))
        .await
        .unwrap();
    assert!(replaced.is_none());
    store
        .save_draft("outcome:7", r#"{"note":"调解中"}"#)
        .await
        .unwrap();
    store.close().await;
    let store = open(&home).await;
    let t = store.timer().await.unwrap().unwrap();
    assert_eq!((t.item_id, t.started_at), (7, 1_000));
    assert_eq!(
        store.draft("outcome:7").await.unwrap().as_deref(),
        Some(r#"{"note":"调解中"}"#)
    );
    // Stopping enqueues the time and clears the timer together.
    store.stop_timer_logged(|_| activity_entry(5)).await.unwrap();
    assert_eq!(store.timer().await.unwrap(), None);
    assert_eq!(store.pending_count().await.unwrap(), 1);
    store.delete_draft("outcome:7").await.unwrap();
    assert_eq!(store.draft("outcome:7").await.unwrap(), None);
}

#[tokio::test]
async fn the_cache_keeps_items_by_list() {
    let home = Home::new();
    let store = open(&home).await;
    store
        .upsert_items("mine", &[item(1, "mediation", "劳动争议调解")])
        .await
        .unwrap();
    store
        .replace_list("pool", &[item(2, "consultation", "工资")])
        .await
        .unwrap();
    store
        .replace_list("pool", &[item(3, "consultation", "租房")])
        .await
        .unwrap();
    assert_eq!(store.cached_items("mine").await.unwrap()[0].title, "劳动争议调解");
    let pool = store.cached_items("pool").await.unwrap();
    assert_eq!(pool.iter().map(|i| i.id).collect::<Vec<_>>(), vec![3]);
    store
        .set_sync_state("items", Some("c1"), Some("\"e1\""))
        .await
        .unwrap();
    assert_eq!(
        store.sync_state("items").await.unwrap(),
        (Some("c1".into()), Some("\"e1\"".into()))
    );
}

#[tokio::test]
async fn a_lease_of_a_dead_process_on_this_host_is_free_at_once() {
    let home = Home::new();
    let store = open(&home).await;
    store.enqueue(activity_entry(1)).await.unwrap();
    let host = dutydesk::client::store::host_name();
    // A pid far above any pid_max in use: that process does not run.
    let dead = format!("{host}:4194999:x");
    store.claim_next(&dead, 600_000).await.unwrap().unwrap();
    assert!(
        store
            .claim_next("other-host:1:y", 600_000)
            .await
            .unwrap()
            .is_some()
    );
    // A live process's lease (ours) keeps others out.
    let alive = format!("{host}:{}:z", std::process::id());
    let store2 = open(&home).await;
    store2.enqueue(activity_entry(2)).await.unwrap();
    let c = store2
        .claim_next("other-host:1:y", 600_000)
        .await
        .unwrap()
        .unwrap();
    store2.mark_sent(&c).await.unwrap();
    store2.claim_next(&alive, 600_000).await.unwrap().unwrap();
    assert!(
        store2
            .claim_next(&format!("{host}:4194998:w"), 600_000)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn a_store_of_the_first_version_is_upgraded_and_keeps_its_outbox() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    // The store as the first release made it: migration 0001 alone.
    let pool = crate::support::store_before(&path, "0002").await;
    let options = SqliteConnectOptions::new().filename(&path);
    sqlx::query(
        "INSERT INTO outbox (id, method, path, body, summary, state, last_error, created_at) \
         VALUES ('old-1', 'POST', '/api/v1/activities', '{\"indicator\":\"trainings\",\"count\":3}', \
         'activity 3', 'failed', 'refused', 1)",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query("INSERT INTO timer (slot, item_id, started_at) VALUES (1, 9, 5)")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;

    let (store, notice) = LocalStore::open(&path).await.unwrap();
    assert_eq!(notice, None, "upgraded in place, not moved aside");
    // The running timer survives, and the next to sign in gets it (0005).
    let signed_in = store.clone().with_writer(dutydesk::client::store::Writer {
        user: "lawyer".into(),
        server: "https://s".into(),
    });
    signed_in.adopt_unowned().await.unwrap();
    assert_eq!(signed_in.timer().await.unwrap().map(|t| t.item_id), Some(9));
    let outbox = store.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1);
    assert_eq!(
        (outbox[0].id.as_str(), outbox[0].state, outbox[0].summary.as_str()),
        ("old-1", EntryState::Failed, "activity 3")
    );
    // New writes still go in after it.
    store.enqueue(activity_entry(4)).await.unwrap();
    store.retry_entry("old-1", None).await.unwrap();
    assert_eq!(
        store.claim_next("me", 60_000).await.unwrap().unwrap().entry.id,
        "old-1"
    );
    store.close().await;

    let pool = SqlitePool::connect_with(options).await.unwrap();
    let versions: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations ORDER BY version")
        .fetch_all(&pool)
        .await
        .unwrap();
    assert_eq!(versions, vec![1, 2, 3, 4, 5, 6]);
    let index: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = 'outbox_state_seq'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(index, 1, "migration 0002 ran");
}

/// A store already up to date opens on one look at the migrations table;
/// one whose applied migration differs from this version's (changed since,
/// or failed half way) still goes through sqlx's checks and is refused.
#[tokio::test]
async fn a_changed_or_failed_migration_is_still_refused() {
    use sqlx::sqlite::{SqliteConnectOptions, SqlitePool};
    for tamper in [
        "UPDATE _sqlx_migrations SET checksum = x'00' WHERE version = 1",
        "UPDATE _sqlx_migrations SET success = 0 WHERE version = 6",
    ] {
        let home = Home::new();
        let store = open(&home).await;
        let path = store.path().to_path_buf();
        store.close().await;
        let pool = SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path))
            .await
            .unwrap();
        sqlx::query(tamper).execute(&pool).await.unwrap();
        pool.close().await;
        assert!(LocalStore::open(&path).await.is_err(), "{tamper}");
        assert!(LocalStore::open_unchecked(&path).await.is_err(), "{tamper}");
    }
    // Untouched, it opens again and again.
    let home = Home::new();
    open(&home).await.close().await;
    open(&home).await.close().await;
}
