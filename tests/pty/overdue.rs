//! Overdue work at start against the real server: the backend sends the
//! coordinator's unit's open items past their due time (and the user's own).

use dutydesk::api::User;
use dutydesk::api::intake::UnitItemPage;
use dutydesk::tui::run::Backend;
use dutydesk::tui::{Command, Message};
use tokio::sync::mpsc;

use super::backend::{backend, until};
use super::support::{get_json, spawn_server, token};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_sends_the_units_overdue_items_to_its_coordinator() {
    let server = spawn_server().await;
    let coordinator = token(&server.url, "coordinator").await;
    let me: User = get_json(&server.url, &coordinator, "/api/v1/me").await;
    let path = format!("/api/v1/units/{}/items?status=overdue", me.unit.id);
    let late: UnitItemPage = get_json(&server.url, &coordinator, &path).await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, coordinator).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Start, tx);
    let seen = until(&mut rx, |m| matches!(m, Message::OverdueLoaded(_))).await;
    let Some(Message::OverdueLoaded(items)) = seen.last() else {
        panic!("{seen:?}");
    };
    assert!(!late.items.is_empty(), "the demo's office has overdue work");
    for item in &late.items {
        assert!(
            items.iter().any(|i| i.id == item.id),
            "#{} missing: {items:?}",
            item.id
        );
    }
    b.stop();
}
