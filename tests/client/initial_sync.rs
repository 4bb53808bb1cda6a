//! The first sync of a few thousand items from the real server into an
//! empty store: every item lands, with the queue's sort keys of its own.

use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::{CachedKey, LocalStore};
use dutydesk::client::sync::Engine;
use dutydesk::domain::{ItemKind, ItemStatus};

use crate::demo_server::{spawn_server, token};
use crate::seed_items::{keys_of, seed_items};
use crate::support::Home;

const SEEDED: i64 = 3_000;

#[tokio::test]
async fn a_first_sync_lands_every_item_with_its_sort_keys() {
    let server = spawn_server().await;
    let first = seed_items(&server.db_path(), SEEDED).await;
    let home = Home::new();
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    let api = Api::new(
        &server.url,
        Some(Token::new(&token(&server.url, "lawyer").await)),
        None,
        Timeouts::default(),
    )
    .unwrap();
    let engine = Engine::new(store.clone(), api);
    let report = engine.pull().await.unwrap();
    assert!(report.items_changed as i64 >= SEEDED, "{report:?}");

    let mut keys = store.cached_keys("mine").await.unwrap();
    keys.sort_by_key(|k| k.id);
    let seeded: Vec<CachedKey> = keys.iter().copied().filter(|k| k.id >= first).collect();
    let expected: Vec<CachedKey> = (1..=SEEDED)
        .map(|k| {
            let (kind, green_channel, due_at, status) = keys_of(k);
            CachedKey {
                id: first + k - 1,
                kind: serde_json::from_value::<ItemKind>(kind.into()).unwrap(),
                green_channel,
                due_at,
                status: ItemStatus::parse(status).unwrap(),
            }
        })
        .collect();
    assert_eq!(seeded.len(), expected.len(), "every seeded item is cached");
    assert!(seeded == expected, "the sort keys match the server's items");

    // The JSON kept is the server's item: it reads back whole, and the
    // keys beside it agree with it.
    let items = store.cached_items("mine").await.unwrap();
    assert_eq!(items.len(), keys.len(), "every cached row decodes");
    for (item, key) in items.iter().zip(&keys) {
        assert_eq!(
            (item.id, item.kind, item.green_channel, item.due_at, item.status),
            (key.id, key.kind, key.green_channel, key.due_at, key.status)
        );
    }
    let sample = &items[items.len() - 1];
    assert_eq!(sample.title.rsplit('#').next(), Some(SEEDED.to_string().as_str()));
}
