//! The store itself on both backends: migrations, id allocation under
//! concurrency, portable aggregates, and deterministic demo data.

use dutydesk::server::Store;
use dutydesk::server::db::next_id;
use dutydesk::server::demo::seed_if_empty;

struct Fresh {
    store: Store,
    _dir: Option<tempfile::TempDir>,
    drop_schema: Option<(String, String)>,
}

async fn fresh_stores() -> Vec<Fresh> {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("s.db").display());
    let mut out = vec![Fresh {
        store: Store::connect(&url).await.unwrap(),
        _dir: Some(dir),
        drop_schema: None,
    }];
    if let Some(base) = crate::support::postgres_url() {
        let (url, schema) = crate::pg_schema::fresh_schema(&base).await;
        out.push(Fresh {
            store: Store::connect(&url).await.unwrap(),
            _dir: None,
            drop_schema: Some((base, schema)),
        });
    }
    out
}

async fn cleanup(f: Fresh) {
    f.store.close().await;
    if let Some((base, schema)) = f.drop_schema {
        crate::pg_schema::drop_schema(&base, &schema).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_id_allocation_never_repeats() {
    for f in fresh_stores().await {
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let store = f.store.clone();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                for _ in 0..10 {
                    let mut w = store.begin_write().await.unwrap();
                    got.push(next_id(&mut w.tx, "item").await.unwrap());
                    w.tx.commit().await.unwrap();
                }
                got
            }));
        }
        let mut all = Vec::new();
        for t in tasks {
            all.extend(t.await.unwrap());
        }
        all.sort();
        assert_eq!(all, (1..=80).collect::<Vec<i64>>());
        cleanup(f).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_data_is_deterministic_and_aggregates_decode() {
    let now = 1_795_000_000_000;
    let mut snapshots = Vec::new();
    for f in fresh_stores().await {
        assert!(seed_if_empty(&f.store, now).await.unwrap());
        assert!(
            !seed_if_empty(&f.store, now).await.unwrap(),
            "seeds only an empty database"
        );
        let rows: Vec<(i64, String, String, Option<i64>)> =
            sqlx::query_as("SELECT id, title, status, assignee_id FROM items ORDER BY id")
                .fetch_all(&f.store.pool)
                .await
                .unwrap();
        assert!(
            (55..=70).contains(&rows.len()),
            "about 60 items, got {}",
            rows.len()
        );
        let (green,): (i64,) = sqlx::query_as("SELECT CAST(SUM(green_channel) AS BIGINT) FROM items")
            .fetch_one(&f.store.pool)
            .await
            .unwrap();
        assert!(
            (10..=16).contains(&green),
            "about a dozen green-channel items, got {green}"
        );
        assert!(
            rows.iter()
                .all(|r| r.1.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))),
            "titles in Chinese"
        );
        snapshots.push(rows);
        cleanup(f).await;
    }
    if snapshots.len() == 2 {
        assert_eq!(snapshots[0], snapshots[1], "the same data on both backends");
    }
}

/// The storage as the handlers hold it (any `S: Storage`), on both
/// backends: concurrent claims have one winner, and a repeated outcome key
/// answers what it stored.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn storage_trait_claims_once_and_replays_outcomes() {
    use std::sync::Arc;

    use dutydesk::server::SqlStorage;

    let now = 1_795_000_000_000;
    for f in fresh_stores().await {
        assert!(seed_if_empty(&f.store, now).await.unwrap());
        claims_once_and_replays(Arc::new(SqlStorage::new(f.store.clone())), now).await;
        cleanup(f).await;
    }
}

/// Only through the `Storage` bound, as a handler sees it.
async fn claims_once_and_replays<S: dutydesk::server::storage::Storage>(
    storage: std::sync::Arc<S>,
    now: i64,
) {
    use dutydesk::api::{NewOutcome, TransitionRequest, User};
    use dutydesk::domain::{ItemStatus, OutcomeCode};
    use dutydesk::server::storage::{ClaimResult, IdemRequest};

    let user = |name: &'static str| {
        let storage = storage.clone();
        async move { storage.user_for_login(name).await.unwrap().unwrap().0 }
    };
    let (a, b): (User, User) = (user("lawyer").await, user("lawyer2").await);
    let pool = storage.pool(a.unit.id).await.unwrap();
    let item = pool
        .iter()
        .find(|i| !i.status.is_finished())
        .expect("a pool item")
        .id;
    let claims = [a.clone(), b.clone()].map(|u| {
        let storage = storage.clone();
        tokio::spawn(async move { storage.claim(&u, item, now).await.unwrap() })
    });
    let mut winners = Vec::new();
    for c in claims {
        if let ClaimResult::Claimed(row) = c.await.unwrap() {
            winners.push(row.item.assignee.unwrap().username);
        }
    }
    assert_eq!(winners.len(), 1, "exactly one claim wins: {winners:?}");
    let winner = if winners[0] == "lawyer" { &a } else { &b };
    let held = storage.item(item).await.unwrap().unwrap().item;
    let moved = storage
        .transition(
            winner,
            item,
            TransitionRequest {
                to: ItemStatus::InProgress,
                version: held.version,
            },
            now,
        )
        .await
        .unwrap();
    assert_eq!(moved.before.item.version + 1, moved.after.item.version);
    let code = match held.kind {
        dutydesk::domain::ItemKind::Consultation => OutcomeCode::Answered,
        dutydesk::domain::ItemKind::Mediation => OutcomeCode::Withdrawn,
        dutydesk::domain::ItemKind::ProBono => OutcomeCode::Declined,
    };
    let req: NewOutcome = serde_json::from_value(serde_json::json!({"code": code})).unwrap();
    let idem = IdemRequest {
        user_id: winner.id,
        key: "k-1".into(),
        hash: "h-1".into(),
    };
    let first = storage.log_outcome(winner, item, &idem, &req, now).await.unwrap();
    assert_eq!(first.response.status, 201);
    assert!(first.closed.is_some(), "the first one closed the item");
    let again = storage.log_outcome(winner, item, &idem, &req, now).await.unwrap();
    assert_eq!(again.response, first.response, "the same answer");
    assert!(again.closed.is_none(), "and nothing new happened");
    let detail = storage.item_detail(winner, item).await.unwrap().unwrap();
    assert_eq!(detail.outcomes.len(), 1);
}
