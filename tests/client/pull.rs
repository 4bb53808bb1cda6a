//! Pulls with cursors and ETags, and the event stream, against a loopback peer.

use std::time::Duration;

use dutydesk::api::ChangeKind;
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::LocalStore;
use dutydesk::client::sync::{Engine, SyncEvent, run_events};

use crate::loopback::{self, Reply};
use crate::support::{Home, item};

const ME: &str = r#"{"id":3,"username":"zhang.wei","display_name":"张伟","role":"lawyer","profession":"lawyer","unit":{"id":1,"name":"所"}}"#;

fn assigned(id: i64, user: i64) -> serde_json::Value {
    let mut v = serde_json::to_value(item(id, "consultation", "咨询")).unwrap();
    v["assignee"] = serde_json::json!({"id": user, "username": "u", "display_name": "U"});
    v
}

#[tokio::test]
async fn pull_sends_the_cursor_and_etag_and_drops_items_that_left_me() {
    let home = Home::new();
    let list = serde_json::json!({"items": [assigned(1, 3), assigned(2, 8)], "cursor": "c 1"});
    let forbidden = r#"{"title":"forbidden","status":403,"code":"forbidden","detail":"no pool for you"}"#;
    let peer = loopback::start(vec![
        Reply::Json(200, vec![("ETag", "\"e1\"".into())], list.to_string()),
        Reply::Json(403, vec![], forbidden.into()),
        Reply::Json(200, vec![], r#"{"shifts":[]}"#.into()),
        Reply::Json(304, vec![], String::new()),
        Reply::Json(403, vec![], forbidden.into()),
        Reply::Json(200, vec![], r#"{"shifts":[]}"#.into()),
    ])
    .await;
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    store.put_doc("me", ME, None).await.unwrap();
    store
        .upsert_items("mine", &[item(2, "consultation", "was mine")])
        .await
        .unwrap();
    let api = Api::new(&peer.url, Some(Token::new("t")), None, Timeouts::default()).unwrap();
    let engine = Engine::new(store.clone(), api);
    let report = engine.pull().await.unwrap();
    assert_eq!(report.items_changed, 2);
    let mine: Vec<i64> = store
        .cached_items("mine")
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(mine, vec![1], "item 2 went to someone else");
    // The next pull asks for changes since the cursor, with the ETag.
    engine.pull().await.unwrap();
    let seen = peer.seen();
    assert_eq!(seen[0].path, "/api/v1/items");
    assert_eq!(seen[3].path, "/api/v1/items?since=c%201");
    assert_eq!(seen[3].if_none_match.as_deref(), Some("\"e1\""));
    assert_eq!(
        store.cached_items("mine").await.unwrap().len(),
        1,
        "304 keeps the cache"
    );
}

#[tokio::test]
async fn events_arrive_and_a_dropped_stream_falls_back_to_polling() {
    let body = "event: assigned\ndata: {\"kind\":\"assigned\",\"item_id\":5,\"at\":1}\n\n\
                event: heartbeat\ndata: {\"kind\":\"heartbeat\",\"at\":2}\n\n";
    let peer = loopback::start(vec![Reply::Sse(body.into())]).await;
    let api = Api::new(&peer.url, Some(Token::new("t")), None, Timeouts::default()).unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(16);
    let task = tokio::spawn(run_events(api, tx, Duration::from_millis(100)));
    let mut got = vec![];
    while got.len() < 5 {
        match tokio::time::timeout(Duration::from_secs(5), rx.recv()).await {
            Ok(Some(ev)) => got.push(ev),
            _ => break,
        }
    }
    task.abort();
    assert!(matches!(got[0], SyncEvent::Connected), "{got:?}");
    assert!(
        matches!(&got[1], SyncEvent::Change(c) if c.kind == ChangeKind::Assigned && c.item_id == Some(5)),
        "{got:?}"
    );
    assert!(
        matches!(&got[2], SyncEvent::Change(c) if c.kind == ChangeKind::Heartbeat),
        "{got:?}"
    );
    assert!(matches!(got[3], SyncEvent::StreamLost(_)), "{got:?}");
    assert!(
        got[4..]
            .iter()
            .any(|e| matches!(e, SyncEvent::PollDue | SyncEvent::Connected)),
        "{got:?}"
    );
    assert_eq!(peer.seen()[0].path, "/api/v1/events");
}

#[tokio::test]
async fn items_back_in_the_pool_leave_mine_even_when_me_was_never_cached() {
    let home = Home::new();
    // Signed in through DUTYDESK_TOKEN: `login` never cached who I am.
    let list =
        serde_json::json!({"items": [assigned(1, 3), item(2, "consultation", "released")], "cursor": "c2"});
    let peer = loopback::start(vec![
        Reply::Json(200, vec![], list.to_string()),
        Reply::Json(200, vec![], ME.into()),
        Reply::Json(200, vec![], r#"{"items":[]}"#.into()),
        Reply::Json(200, vec![], r#"{"shifts":[]}"#.into()),
    ])
    .await;
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    store
        .upsert_items("mine", &[item(2, "consultation", "was mine")])
        .await
        .unwrap();
    let api = Api::new(&peer.url, Some(Token::new("t")), None, Timeouts::default()).unwrap();
    Engine::new(store.clone(), api).pull().await.unwrap();
    let mine: Vec<i64> = store
        .cached_items("mine")
        .await
        .unwrap()
        .iter()
        .map(|i| i.id)
        .collect();
    assert_eq!(mine, vec![1], "item 2 went back to the pool");
    assert_eq!(peer.seen()[1].path, "/api/v1/me");
}
