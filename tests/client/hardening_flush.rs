//! Answers that are not the dutydesk server's (a captive portal, a proxy)
//! never settle an entry; a resent move that already went through is done.

use std::time::Duration;

use dutydesk::api::TransitionRequest;
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::{EntryState, LocalStore};
use dutydesk::client::sync::{Engine, RetryPolicy};
use dutydesk::client::writes;
use dutydesk::domain::ItemStatus;

use crate::loopback::{self, Reply};
use crate::support::Home;

async fn engine(home: &Home, url: &str) -> Engine {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let timeouts = Timeouts {
        connect: Duration::from_millis(500),
        read: Duration::from_millis(300),
        ..Timeouts::default()
    };
    let api = Api::new(url, Some(Token::new("tok-xyz")), None, timeouts).unwrap();
    Engine::new(store, api).with_policy(RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_times: 3,
        max_retry_after: Duration::from_secs(1),
    })
}

const PORTAL: &str = "<html><body>Please sign in to the guest Wi-Fi</body></html>";

/// Flushes one claim against `script`; returns the report's offline
/// message and what is left in the outbox.
async fn flush_claim_against(script: Vec<Reply>) -> (Option<String>, usize, Vec<EntryState>) {
    let home = Home::new();
    let peer = loopback::start(script).await;
    let e = engine(&home, &peer.url).await;
    e.store().enqueue(writes::claim(7)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    let left: Vec<EntryState> = e
        .store()
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|x| x.state)
        .collect();
    (report.offline, report.sent.len(), left)
}

#[tokio::test]
async fn a_redirect_to_a_login_page_leaves_the_entry_pending() {
    let (offline, sent, left) = flush_claim_against(vec![
        Reply::Json(302, vec![("Location", "/portal/login".into())], String::new()),
        Reply::Other(200, "text/html", PORTAL.into()),
    ])
    .await;
    assert_eq!(sent, 0);
    assert_eq!(left, vec![EntryState::Pending]);
    let offline = offline.unwrap();
    assert!(
        offline.contains("did not come from a dutydesk server"),
        "{offline}"
    );
}

#[tokio::test]
async fn a_200_html_page_is_not_the_servers_answer() {
    let (offline, sent, left) =
        flush_claim_against(vec![Reply::Other(200, "text/html", PORTAL.into())]).await;
    assert_eq!(sent, 0);
    assert_eq!(left, vec![EntryState::Pending]);
    assert!(offline.unwrap().contains("HTTP 200"));
}

#[tokio::test]
async fn a_proxys_403_page_does_not_mark_the_entry_failed() {
    let page = "<h1>403 Forbidden</h1> blocked by the bureau proxy".to_string();
    let (offline, sent, left) = flush_claim_against(vec![Reply::Other(403, "text/html", page)]).await;
    assert_eq!(sent, 0);
    assert_eq!(left, vec![EntryState::Pending]);
    assert!(offline.unwrap().contains("proxy"));
}

fn detail_with_status(status: &str) -> String {
    let mut v = serde_json::to_value(crate::support::item(7, "consultation", "工资")).unwrap();
    v["status"] = serde_json::json!(status);
    v["version"] = serde_json::json!(2);
    v["history"] = serde_json::json!([]);
    v["outcomes"] = serde_json::json!([]);
    v["time_entries"] = serde_json::json!([]);
    v.to_string()
}

const CONFLICT: &str =
    r#"{"title":"version conflict","status":409,"code":"version_conflict","detail":"the item changed"}"#;

async fn resent_move(now: &str) -> (usize, usize) {
    let home = Home::new();
    let peer = loopback::start(vec![
        // The first send went through but its answer was lost.
        Reply::DropMidBody,
        Reply::Json(409, vec![], CONFLICT.into()),
        Reply::Json(200, vec![], detail_with_status(now)),
    ])
    .await;
    let e = engine(&home, &peer.url).await;
    let body = TransitionRequest {
        to: ItemStatus::InProgress,
        version: 1,
    };
    e.store().enqueue(writes::transition(7, &body)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    (report.sent.len(), report.failed.len())
}

#[tokio::test]
async fn a_move_resent_after_its_answer_was_lost_is_done_not_failed() {
    assert_eq!(resent_move("in_progress").await, (1, 0));
    // Someone else moved it elsewhere: a real conflict stays failed.
    assert_eq!(resent_move("closed").await, (0, 1));
}
