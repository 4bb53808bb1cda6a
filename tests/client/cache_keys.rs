//! The queue's sort keys kept beside each cached item: written with every
//! upsert, filled in from the JSON for a store cached by an older version,
//! and the drafts offered at start only for items still cached.

use dutydesk::client::store::{CachedKey, LocalStore};
use dutydesk::domain::{ItemKind, ItemStatus};

use crate::store::open;
use crate::support::{Home, item};

fn key(id: i64, kind: ItemKind, green_channel: bool, due_at: i64) -> CachedKey {
    CachedKey {
        id,
        kind,
        green_channel,
        due_at,
        status: ItemStatus::InProgress,
    }
}

#[tokio::test]
async fn every_upsert_keeps_the_queue_keys_of_the_item() {
    let home = Home::new();
    let store = open(&home).await;
    let mut a = item(1, "mediation", "劳动争议调解");
    let mut b = item(2, "consultation", "工资");
    b.green_channel = true;
    b.due_at = 1_790_000_100_000;
    store.upsert_items("mine", &[a.clone(), b.clone()]).await.unwrap();
    let mut keys = store.cached_keys("mine").await.unwrap();
    keys.sort_by_key(|k| k.id);
    assert_eq!(
        keys,
        vec![
            key(1, ItemKind::Mediation, false, a.due_at),
            key(2, ItemKind::Consultation, true, b.due_at)
        ]
    );

    // A delta changes them; the other list keeps its own.
    a.due_at += 3_600_000;
    a.kind = ItemKind::ProBono;
    a.green_channel = true;
    a.status = ItemStatus::Closed;
    store.upsert_items("mine", &[a.clone()]).await.unwrap();
    store
        .replace_list("pool", &[item(3, "consultation", "租房")])
        .await
        .unwrap();
    let mut keys = store.cached_keys("mine").await.unwrap();
    keys.sort_by_key(|k| k.id);
    let closed = CachedKey {
        status: ItemStatus::Closed,
        ..key(1, ItemKind::ProBono, true, a.due_at)
    };
    assert_eq!(keys[0], closed);
    assert_eq!(store.cached_keys("pool").await.unwrap().len(), 1);

    store.forget_items(&[2]).await.unwrap();
    assert_eq!(store.cached_keys("mine").await.unwrap().len(), 1);
    let read = store.cached_items_by_id(&[1, 3, 99]).await.unwrap();
    let mut ids: Vec<i64> = read.iter().map(|i| i.id).collect();
    ids.sort();
    assert_eq!(ids, vec![1, 3], "only what is cached");
    assert!(store.cached_items_by_id(&[]).await.unwrap().is_empty());
}

/// A store written before the keys existed: its cached rows get them from
/// their JSON when it is opened, so an offline start still shows them.
#[tokio::test]
async fn a_store_cached_by_an_older_version_gets_its_keys_from_the_json() {
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    // The migrations as they were before the keys.
    let pool = crate::support::store_before(&path, "0004").await;
    let mut green = item(7, "pro_bono", "欠薪");
    green.green_channel = true;
    for it in [item(5, "consultation", "工资"), green.clone()] {
        sqlx::query("INSERT INTO cached_items (id, list, json, updated_at) VALUES (?, 'mine', ?, 0)")
            .bind(it.id)
            .bind(serde_json::to_string(&it).unwrap())
            .execute(&pool)
            .await
            .unwrap();
    }
    pool.close().await;

    let store = open(&home).await;
    let mut keys = store.cached_keys("mine").await.unwrap();
    keys.sort_by_key(|k| k.id);
    assert_eq!(
        keys,
        vec![
            key(5, ItemKind::Consultation, false, green.due_at),
            key(7, ItemKind::ProBono, true, green.due_at)
        ]
    );
}

#[tokio::test]
async fn only_drafts_of_items_still_cached_are_offered() {
    let home = Home::new();
    let store = open(&home).await;
    store
        .upsert_items("mine", &[item(5, "consultation", "工资")])
        .await
        .unwrap();
    store
        .upsert_items("pool", &[item(6, "consultation", "租房")])
        .await
        .unwrap();
    for form in ["outcome:5", "outcome:6", "outcome:7", "outcome:5x", "time:5"] {
        store.save_draft(form, &format!("\"{form}\"")).await.unwrap();
    }
    let mut offered: Vec<String> = store
        .drafts_of_cached_items("outcome:")
        .await
        .unwrap()
        .into_iter()
        .map(|(form, _)| form)
        .collect();
    offered.sort();
    assert_eq!(offered, vec!["outcome:5", "outcome:6"]);
}
