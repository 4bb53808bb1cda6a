//! Each outbox entry carries what it asks the server to do (its kind):
//! stored as it is queued, and, for entries queued before kinds were
//! stored (migration 0006), read from their path once.

use dutydesk::client::store::{LocalStore, WriteKind};
use dutydesk::client::writes;

use crate::support::Home;

#[tokio::test]
async fn entries_queued_before_kinds_were_stored_get_the_kind_of_their_path() {
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    // The store as the version before kinds left it: migrations up to 0005.
    let pool = crate::support::store_before(&path, "0006").await;
    let rows = [
        ("/api/v1/items/7/outcomes", WriteKind::Outcome),
        ("/api/v1/time-entries", WriteKind::TimeEntry),
        ("/api/v1/activities", WriteKind::Activity),
        ("/api/v1/items/7/claim", WriteKind::Claim),
        ("/api/v1/items/7/transition", WriteKind::Transition),
        ("/api/v1/items/7/notes", WriteKind::Note),
        ("/api/v1/items/7/typical", WriteKind::Typical),
        ("/api/v1/duty/3/check-in", WriteKind::CheckIn),
        ("/api/v1/duty/3/check-out", WriteKind::CheckOut),
        ("/api/v1/items", WriteKind::NewItem),
        ("/api/v1/items/7/conflicts/ack", WriteKind::ConflictAck),
        ("/api/v1/something-newer", WriteKind::Other),
    ];
    for (n, (path, _)) in rows.iter().enumerate() {
        sqlx::query(
            "INSERT INTO outbox (id, method, path, body, summary, created_at) VALUES (?, 'POST', ?, '{}', ?, 1)",
        )
        .bind(format!("old-{n:02}"))
        .bind(path)
        .bind(format!("entry {n}"))
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let (store, notice) = LocalStore::open(&path).await.unwrap();
    assert_eq!(notice, None, "upgraded in place");
    let kinds: Vec<(String, WriteKind)> = store
        .outbox()
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.path, e.kind))
        .collect();
    let expected: Vec<(String, WriteKind)> = rows.iter().map(|(p, k)| (p.to_string(), *k)).collect();
    assert_eq!(kinds, expected);
}

#[tokio::test]
async fn an_entry_keeps_the_kind_it_was_queued_with() {
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    store.enqueue(writes::claim(7)).await.unwrap();
    store.enqueue(writes::check_out(3)).await.unwrap();
    let kinds: Vec<WriteKind> = store.outbox().await.unwrap().iter().map(|e| e.kind).collect();
    assert_eq!(kinds, [WriteKind::Claim, WriteKind::CheckOut]);
}
