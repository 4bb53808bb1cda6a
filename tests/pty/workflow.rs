//! The TUI's backend over the one client workflow, against the real
//! server: `t` moves the item to in progress as `dutydesk start` does, a
//! timer stopped elsewhere on the same store reaches the running app, and
//! a screen refused to the role is said as such, not as an error.

use dutydesk::api::{CampaignList, ItemList, StatsScope, WorkItem};
use dutydesk::client::store::LocalStore;
use dutydesk::domain::{ItemKind, ItemStatus};
use dutydesk::tui::run::Backend;
use dutydesk::tui::{Command, Message, Screen};
use tokio::sync::mpsc;

use super::backend::{backend, until};
use super::support::{get_json, spawn_server, token};

async fn item(url: &str, token: &str, id: i64) -> WorkItem {
    get_json(url, token, &format!("/api/v1/items/{id}")).await
}

/// One of the demo lawyer's consultations that is new or accepted.
async fn not_started(url: &str, token: &str) -> WorkItem {
    let list: ItemList = get_json(url, token, "/api/v1/items").await;
    list.items
        .into_iter()
        .find(|i| {
            i.kind == ItemKind::Consultation && matches!(i.status, ItemStatus::New | ItemStatus::Accepted)
        })
        .expect("the demo lawyer has a consultation not started")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t_moves_the_item_to_in_progress_as_dutydesk_start_does() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let target = not_started(&server.url, &lawyer).await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer.clone()).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::StartTimer(target.id), tx);
    let seen = until(
        &mut rx,
        |m| matches!(m, Message::ItemWritten(id) if *id == target.id),
    )
    .await;
    assert!(
        seen.iter()
            .any(|m| matches!(m, Message::TimerChanged(Some(t)) if t.item_id == target.id)),
        "{seen:?}"
    );
    assert!(
        seen.iter().any(
            |m| matches!(m, Message::ItemChanged(i) if i.id == target.id && i.status == ItemStatus::InProgress)
        ),
        "shown in progress at once: {seen:?}"
    );
    // The server has it in progress once every move is sent.
    let mut status = item(&server.url, &lawyer, target.id).await.status;
    for _ in 0..40 {
        if status == ItemStatus::InProgress {
            break;
        }
        let _ = tokio::time::timeout(std::time::Duration::from_millis(250), rx.recv()).await;
        status = item(&server.url, &lawyer, target.id).await.status;
    }
    assert_eq!(status, ItemStatus::InProgress);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_timer_stopped_by_another_session_on_the_store_reaches_the_app() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let target = not_started(&server.url, &lawyer).await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::StartTimer(target.id), tx.clone());
    until(&mut rx, |m| matches!(m, Message::TimerChanged(Some(_)))).await;
    // `dutydesk stop` in another shell: its own handle on the same file,
    // before the app's watch first looks (the app was told "running").
    let path = LocalStore::path_for(&home.path().join("data"), "default");
    let (other, _) = LocalStore::open(&path).await.unwrap();
    let stopped = dutydesk::client::workflow::stop(&other).await.unwrap();
    assert!(stopped.is_some(), "the other session logged the time");
    b.start(tx);
    // A generous bound: the server's heartbeats keep `until` waiting
    // otherwise, and a missed change must fail, not hang.
    let reached = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        until(&mut rx, |m| matches!(m, Message::TimerChanged(None))),
    )
    .await;
    assert!(reached.is_ok(), "the stop elsewhere never reached the app");
    // `dutydesk start` elsewhere while the app runs.
    let started = dutydesk::client::workflow::start(&other, None, target.id + 1000, 1).await;
    assert!(started.is_ok());
    let reached = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        until(
            &mut rx,
            |m| matches!(m, Message::TimerChanged(Some(t)) if t.item_id == target.id + 1000),
        ),
    )
    .await;
    assert!(reached.is_ok(), "the start elsewhere never reached the app");
    other.close().await;
    b.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statistics_refused_to_a_room_operator_are_not_for_the_role_not_an_error() {
    let server = spawn_server().await;
    let operator = token(&server.url, "operator").await;
    let campaigns: CampaignList = get_json(&server.url, &operator, "/api/v1/campaigns").await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, operator).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(
        Command::FetchStats {
            campaign_id: campaigns.campaigns[0].id.clone(),
            period: None,
            scope: StatsScope::Unit,
            unit: None,
            by_unit: false,
        },
        tx.clone(),
    );
    let seen = until(&mut rx, |m| matches!(m, Message::NotForRole(Screen::Stats))).await;
    assert!(
        !seen.iter().any(|m| matches!(m, Message::Error(_))),
        "not an error in the status bar: {seen:?}"
    );
    // A lawyer's schedule is theirs, not refused.
    let lawyer = token(&server.url, "lawyer").await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer).await;
    b.run(Command::FetchSchedule("2026-11-24".into()), tx);
    let seen = until(&mut rx, |m| {
        matches!(
            m,
            Message::ScheduleLoaded(_) | Message::NotForRole(_) | Message::Error(_)
        )
    })
    .await;
    assert!(
        matches!(seen.last(), Some(Message::ScheduleLoaded(_))),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_the_server_refused_is_not_counted_as_pending() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let pool: dutydesk::api::PoolList = get_json(&server.url, &lawyer, "/api/v1/pool").await;
    let nobodys = pool
        .items
        .iter()
        .find(|i| i.kind == ItemKind::Consultation)
        .expect("a consultation in the demo pool")
        .clone();
    let campaigns: CampaignList = get_json(&server.url, &lawyer, "/api/v1/campaigns").await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Refresh, tx.clone());
    until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    // An outcome on a pool item: the server refuses it (not mine).
    let outcome = dutydesk::api::NewOutcome {
        code: dutydesk::domain::OutcomeCode::Answered,
        minutes: Some(20),
        settled_amount: None,
        fee_waived: None,
        note: None,
        occurred_at: None,
    };
    b.run(
        Command::SaveOutcome {
            request: 5,
            item_id: nobodys.id,
            outcome,
        },
        tx.clone(),
    );
    until(&mut rx, |m| matches!(m, Message::Failed { request: 5, .. })).await;
    for c in &campaigns.campaigns {
        b.run(
            Command::FetchStats {
                campaign_id: c.id.clone(),
                period: None,
                scope: StatsScope::Me,
                unit: None,
                by_unit: false,
            },
            tx.clone(),
        );
        let seen = until(&mut rx, |m| matches!(m, Message::StatsPending(_))).await;
        let Some(Message::StatsPending(p)) = seen.last() else {
            unreachable!()
        };
        assert_eq!(p.records, 0, "{}: a refused record adds nothing: {p:?}", c.id);
    }
}
