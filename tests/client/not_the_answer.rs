//! Answers that are not the dutydesk server's (a captive portal, a proxy)
//! never settle an entry.

use dutydesk::client::store::EntryState;
use dutydesk::client::writes;

use crate::loopback::{self, Reply};
use crate::support::{Home, loopback_engine};

const PORTAL: &str = "<html><body>Please sign in to the guest Wi-Fi</body></html>";

/// Flushes one claim against `script`; returns the report's offline
/// message and what is left in the outbox.
async fn flush_claim_against(script: Vec<Reply>) -> (Option<String>, usize, Vec<EntryState>) {
    let home = Home::new();
    let peer = loopback::start(script).await;
    let e = loopback_engine(&home, &peer.url).await;
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
