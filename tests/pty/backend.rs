//! The TUI's backend over the real client core and server, without a
//! terminal: a lost race for a pool item, and a write made offline that is
//! "saved" at once and "sent" by the next refresh.

use std::time::Duration;

use dutydesk::api::{NewOutcome, PoolList};
use dutydesk::cli::GlobalArgs;
use dutydesk::client::config::{Config, Dirs};
use dutydesk::client::session;
use dutydesk::domain::OutcomeCode;
use dutydesk::tui::backend::ClientBackend;
use dutydesk::tui::run::Backend;
use dutydesk::tui::{Command, Message};
use tokio::sync::mpsc;

use super::support::{get_json, outcomes_of, spawn_server, token};

/// One of the demo lawyer's open consultations.
async fn open_consultation(url: &str, token: &str) -> dutydesk::api::WorkItem {
    let list: dutydesk::api::ItemList = get_json(url, token, "/api/v1/items").await;
    list.items
        .into_iter()
        .find(|i| i.kind == dutydesk::domain::ItemKind::Consultation && i.status.accepts_outcome())
        .expect("the demo lawyer has an open consultation")
}

/// A backend for `user` whose requests go to `server_url`.
pub(super) async fn backend(home: &tempfile::TempDir, server_url: &str, token: String) -> ClientBackend {
    let args = GlobalArgs {
        config: None,
        profile: None,
        server: Some(server_url.to_string()),
        lang: None,
        verbose: 0,
    };
    let dirs = Dirs {
        config: home.path().join("config"),
        data: home.path().join("data"),
        state: home.path().join("state"),
    };
    let config = Config::load(&args, dirs, |_| None).unwrap();
    let s = session::open(&config, Some(token)).await.unwrap();
    ClientBackend::new(s.engine, tokio::runtime::Handle::current())
}

/// Collects messages until `done` holds for one (which is returned last).
pub(super) async fn until(rx: &mut mpsc::Receiver<Message>, done: impl Fn(&Message) -> bool) -> Vec<Message> {
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(20), rx.recv()).await {
            Ok(Some(m)) => {
                let stop = done(&m);
                seen.push(m);
                if stop {
                    return seen;
                }
            }
            other => panic!("no matching message ({other:?}); seen: {seen:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_someone_else_won_says_who_has_it() {
    let server = spawn_server().await;
    let other = token(&server.url, "lawyer2").await;
    let http = reqwest::Client::new();
    let pool: PoolList = get_json(&server.url, &other, "/api/v1/pool").await;
    let id = pool.items.first().expect("the demo pool has items").id;
    let r = http
        .post(format!("{}/api/v1/items/{id}/claim", server.url))
        .bearer_auth(&other)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "lawyer2 claims first: {}", r.status());

    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, token(&server.url, "lawyer").await).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Claim(id), tx);
    let seen = until(&mut rx, |m| matches!(m, Message::ClaimConflict { .. })).await;
    let Some(Message::ClaimConflict { item_id, taken_by }) = seen.last() else {
        unreachable!()
    };
    assert_eq!(*item_id, id);
    assert!(
        !taken_by.is_empty() && taken_by != "someone else",
        "names the holder: {taken_by}"
    );
    assert!(
        !seen.iter().any(|m| matches!(m, Message::Failed { .. })),
        "a lost race is not an error: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_saved_offline_is_sent_by_the_next_refresh() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let item = open_consultation(&server.url, &lawyer).await;
    // The discard port: nothing listens there, so connecting is refused.
    let dead = "http://127.0.0.1:9".to_string();
    let home = tempfile::tempdir().unwrap();
    let offline = backend(&home, &dead, lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    let outcome = NewOutcome {
        code: OutcomeCode::Answered,
        minutes: Some(29),
        settled_amount: None,
        fee_waived: None,
        note: Some("offline".into()),
        occurred_at: None,
    };
    offline.run(
        Command::SaveOutcome {
            request: 7,
            item_id: item.id,
            outcome,
        },
        tx,
    );
    let seen = until(&mut rx, |m| matches!(m, Message::Online(false))).await;
    assert!(
        matches!(seen[0], Message::Saved { request: 7 }),
        "saved first: {seen:?}"
    );
    assert!(
        !seen
            .iter()
            .any(|m| matches!(m, Message::Sent { .. } | Message::Failed { .. })),
        "nothing sent or refused while the server is away: {seen:?}"
    );
    assert!(
        outcomes_of(&server.url, "lawyer")
            .await
            .iter()
            .all(|o| o.minutes != Some(29))
    );

    // A new sign-in (outcomes_of above) replaced the first token.
    let online = backend(&home, &server.url, token(&server.url, "lawyer").await).await;
    let (tx, mut rx) = mpsc::channel(256);
    online.run(Command::Refresh, tx);
    until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    let sent: Vec<_> = outcomes_of(&server.url, "lawyer")
        .await
        .into_iter()
        .filter(|o| o.minutes == Some(29))
        .collect();
    assert_eq!(sent.len(), 1, "sent once: {sent:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn another_lawyers_claim_arrives_as_a_push() {
    let server = spawn_server().await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, token(&server.url, "lawyer").await).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.start(tx);
    until(&mut rx, |m| matches!(m, Message::Online(true))).await;

    let other = token(&server.url, "lawyer2").await;
    let http = reqwest::Client::new();
    let pool: PoolList = get_json(&server.url, &other, "/api/v1/pool").await;
    let id = pool.items.first().expect("the demo pool has items").id;
    http.post(format!("{}/api/v1/items/{id}/claim", server.url))
        .bearer_auth(&other)
        .json(&serde_json::json!({}))
        .send()
        .await
        .unwrap();
    until(
        &mut rx,
        |m| matches!(m, Message::Pushed(e) if e.kind == dutydesk::api::ChangeKind::PoolChanged),
    )
    .await;
    b.stop();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_opened_once_opens_offline_from_the_cache() {
    let server = spawn_server().await;
    let home = tempfile::tempdir().unwrap();
    let lawyer = token(&server.url, "lawyer").await;
    let online = backend(&home, &server.url, lawyer.clone()).await;
    let (tx, mut rx) = mpsc::channel(256);
    online.run(Command::Refresh, tx.clone());
    let seen = until(
        &mut rx,
        |m| matches!(m, Message::ItemsLoaded(items) if !items.is_empty()),
    )
    .await;
    let Some(Message::ItemsLoaded(items)) = seen.last() else {
        unreachable!()
    };
    let id = items[0].id;
    online.run(Command::FetchDetail(id), tx);
    until(
        &mut rx,
        |m| matches!(m, Message::ItemDetailLoaded(d) if d.item.id == id),
    )
    .await;

    let offline = backend(&home, "http://127.0.0.1:9", lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    offline.run(Command::FetchDetail(id), tx);
    let seen = until(
        &mut rx,
        |m| matches!(m, Message::ItemDetailLoaded(d) if d.item.id == id),
    )
    .await;
    assert!(
        seen.iter().any(|m| matches!(m, Message::Online(false))),
        "the status bar learns it is offline: {seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_timer_becomes_a_time_entry_on_the_server() {
    let server = spawn_server().await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, token(&server.url, "lawyer").await).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Refresh, tx.clone());
    let seen = until(
        &mut rx,
        |m| matches!(m, Message::ItemsLoaded(items) if !items.is_empty()),
    )
    .await;
    let Some(Message::ItemsLoaded(items)) = seen.last() else {
        unreachable!()
    };
    let id = items[0].id;
    b.run(Command::StartTimer(id), tx.clone());
    until(
        &mut rx,
        |m| matches!(m, Message::TimerChanged(Some(t)) if t.item_id == id),
    )
    .await;
    b.run(Command::StopTimer, tx);
    let seen = until(
        &mut rx,
        |m| matches!(m, Message::OutboxChanged(s) if s.entries.is_empty()),
    )
    .await;
    assert!(
        seen.iter().any(|m| matches!(m, Message::TimerChanged(None))),
        "the timer stopped: {seen:?}"
    );
    let lawyer = token(&server.url, "lawyer").await;
    let detail: dutydesk::api::ItemDetail =
        get_json(&server.url, &lawyer, &format!("/api/v1/items/{id}")).await;
    let fresh: Vec<_> = detail.time_entries.iter().filter(|e| e.minutes == 1).collect();
    assert_eq!(
        fresh.len(),
        1,
        "one minute, rounded up: {:?}",
        detail.time_entries
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_stats_screen_gets_the_form_what_waits_to_be_sent_and_an_export() {
    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let item = open_consultation(&server.url, &lawyer).await;
    let home = tempfile::tempdir().unwrap();
    let exports = tempfile::tempdir().unwrap();
    // The online backend caches the item; an offline one on the same store
    // then saves an outcome that stays in the outbox.
    let online = backend(&home, &server.url, lawyer.clone())
        .await
        .with_export_dir(exports.path());
    let (tx, mut rx) = mpsc::channel(256);
    online.run(Command::Refresh, tx);
    until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    let offline = backend(&home, "http://127.0.0.1:9", lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    let outcome = NewOutcome {
        code: OutcomeCode::Answered,
        minutes: None,
        settled_amount: None,
        fee_waived: None,
        note: None,
        occurred_at: None,
    };
    offline.run(
        Command::SaveOutcome {
            request: 1,
            item_id: item.id,
            outcome,
        },
        tx,
    );
    until(&mut rx, |m| matches!(m, Message::Saved { .. })).await;

    let (tx, mut rx) = mpsc::channel(256);
    online.run(Command::FetchCampaigns, tx);
    let seen = until(&mut rx, |m| matches!(m, Message::CampaignsLoaded(_))).await;
    let Some(Message::CampaignsLoaded(campaigns)) = seen.last() else {
        unreachable!()
    };
    assert_eq!(campaigns.campaigns.len(), 2, "both shipped forms");

    let (tx, mut rx) = mpsc::channel(256);
    online.run(
        Command::FetchStats {
            campaign_id: "form1-enterprise-service".into(),
            period: None,
            scope: dutydesk::api::StatsScope::Me,
            unit: None,
            by_unit: false,
        },
        tx,
    );
    let seen = until(&mut rx, |m| matches!(m, Message::StatsPending(_))).await;
    let (form, days) = seen
        .iter()
        .find_map(|m| match m {
            Message::StatsLoaded {
                form, hours_by_day, ..
            } => Some((form.clone(), hours_by_day.len())),
            _ => None,
        })
        .expect("the form came before what is pending");
    assert!(
        (13..=16).contains(&days),
        "a sparkline day for each day of a half-month: {days}"
    );
    assert_eq!(form.rows.len(), 16, "form 1 has 16 rows");
    let Some(Message::StatsPending(pending)) = seen.last() else {
        unreachable!()
    };
    assert_eq!(pending.records, 1, "the unsent outcome: {pending:?}");
    assert_eq!(pending.by_indicator["consultations"].value1, 1);

    let (tx, mut rx) = mpsc::channel(256);
    online.run(
        Command::ExportStats {
            format: dutydesk::report::Format::Csv,
            form: form.clone(),
        },
        tx,
    );
    let seen = until(&mut rx, |m| {
        matches!(m, Message::ExportDone { .. } | Message::ExportFailed { .. })
    })
    .await;
    let Some(Message::ExportDone { path }) = seen.last() else {
        panic!("{seen:?}")
    };
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "CSV with a BOM");
    assert!(path.starts_with(exports.path().to_str().unwrap()));
    // A unit's statistics on a shared server: for this account only, as
    // `dutydesk report --output` writes them.
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    // The file name is built from the server's words: never a path.
    let mut hostile = form.clone();
    hostile.campaign_id = "../../escape/x\x1b[2J".into();
    hostile.period.start = "2026/11\n16".into();
    let (tx, mut rx) = mpsc::channel(256);
    online.run(
        Command::ExportStats {
            format: dutydesk::report::Format::Json,
            form: hostile,
        },
        tx,
    );
    let seen = until(&mut rx, |m| {
        matches!(m, Message::ExportDone { .. } | Message::ExportFailed { .. })
    })
    .await;
    let Some(Message::ExportDone { path }) = seen.last() else {
        panic!("{seen:?}")
    };
    let path = std::path::Path::new(path);
    assert_eq!(path.parent(), Some(exports.path()), "{path:?}");
    let name = path.file_name().unwrap().to_str().unwrap();
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
        "{name}"
    );
}

/// After the first frame (a screenful read from the cache), `Start` sends
/// the whole cached lists, then refreshes: offline, the lists still come.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_sends_the_whole_cache_then_refreshes() {
    let server = spawn_server().await;
    let home = tempfile::tempdir().unwrap();
    let lawyer = token(&server.url, "lawyer").await;
    let online = backend(&home, &server.url, lawyer.clone()).await;
    let (tx, mut rx) = mpsc::channel(256);
    online.run(Command::Refresh, tx);
    let seen = until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    let count = |seen: &[Message], pool: bool| {
        seen.iter()
            .find_map(|m| match m {
                Message::ItemsLoaded(items) if !pool => Some(items.len()),
                Message::PoolLoaded(items) if pool => Some(items.len()),
                _ => None,
            })
            .expect("the lists were sent")
    };
    let (mine, pool) = (count(&seen, false), count(&seen, true));
    assert!(mine > 0 && pool > 0, "the demo has both: {mine}, {pool}");

    let offline = backend(&home, "http://127.0.0.1:9", lawyer).await;
    let (tx, mut rx) = mpsc::channel(256);
    offline.run(Command::Start, tx);
    let seen = until(&mut rx, |m| matches!(m, Message::Online(false))).await;
    assert_eq!(
        (count(&seen, false), count(&seen, true)),
        (mine, pool),
        "{seen:?}"
    );
}

/// A refresh in which nothing changed sends no list again: re-decoding and
/// re-sorting thousands of items on every push is work for nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refresh_with_nothing_new_sends_no_list() {
    let server = spawn_server().await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, token(&server.url, "lawyer").await).await;
    let (tx, mut rx) = mpsc::channel(256);
    b.run(Command::Refresh, tx.clone());
    let first = until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    assert!(
        first.iter().any(|m| matches!(m, Message::ItemsLoaded(_))),
        "{first:?}"
    );
    assert!(
        first.iter().any(|m| matches!(m, Message::PoolLoaded(_))),
        "{first:?}"
    );
    b.run(Command::Refresh, tx);
    let again = until(&mut rx, |m| matches!(m, Message::Synced(_))).await;
    assert!(
        !again
            .iter()
            .any(|m| matches!(m, Message::ItemsLoaded(_) | Message::PoolLoaded(_))),
        "{again:?}"
    );
}
