//! A resent typical-case flag whose first answer was lost: the server says
//! 409 (the version moved on); the entry is done when the item already
//! carries the flag it asked for, failed when it does not.

use std::time::Duration;

use dutydesk::api::TypicalCaseRequest;
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::LocalStore;
use dutydesk::client::sync::{Engine, RetryPolicy};
use dutydesk::client::writes;

use crate::loopback::{self, Reply};
use crate::support::Home;

const CONFLICT: &str =
    r#"{"title":"version conflict","status":409,"code":"version_conflict","detail":"the item changed"}"#;

fn detail_flagged(typical: bool) -> String {
    let mut v = serde_json::to_value(crate::support::item(7, "consultation", "工资")).unwrap();
    v["typical_case"] = serde_json::json!(typical);
    v["version"] = serde_json::json!(2);
    v["history"] = serde_json::json!([]);
    v["outcomes"] = serde_json::json!([]);
    v["time_entries"] = serde_json::json!([]);
    v.to_string()
}

async fn resent_flag(on_server: bool) -> (usize, usize) {
    let home = Home::new();
    let peer = loopback::start(vec![
        Reply::DropMidBody,
        Reply::Json(409, vec![], CONFLICT.into()),
        Reply::Json(200, vec![], detail_flagged(on_server)),
    ])
    .await;
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_millis(500),
        read: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let api = Api::new(&peer.url, Some(Token::new("tok-xyz")), None, timeouts).unwrap();
    let e = Engine::new(store, api).with_policy(RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_times: 3,
        max_retry_after: Duration::from_secs(1),
    });
    let body = TypicalCaseRequest {
        typical: true,
        version: 1,
    };
    e.store().enqueue(writes::typical(7, &body)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    (report.sent.len(), report.failed.len())
}

#[tokio::test]
async fn a_flag_resent_after_its_answer_was_lost_is_done_not_failed() {
    assert_eq!(resent_flag(true).await, (1, 0));
    // Someone cleared it meanwhile: a real conflict stays failed.
    assert_eq!(resent_flag(false).await, (0, 1));
}
