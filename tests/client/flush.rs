//! The outbox flusher against a loopback peer with injected faults.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use dutydesk::client::store::{EntryState, LocalStore};
use dutydesk::client::sync::{Engine, RetryPolicy};

use crate::loopback::{self, Reply, ok_created};
use crate::support::{Home, activity_entry, dead_server, loopback_engine_with};

fn fast() -> RetryPolicy {
    RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_times: 5,
        max_retry_after: Duration::from_secs(2),
    }
}

async fn engine(home: &Home, url: &str) -> Engine {
    loopback_engine_with(home, url, fast()).await
}

#[tokio::test]
async fn a_503_a_hang_and_a_dropped_answer_are_retried_with_the_same_key() {
    let home = Home::new();
    let peer = loopback::start(vec![
        Reply::Json(
            503,
            vec![("Retry-After", "0".into())],
            r#"{"title":"x","status":503,"code":"unavailable"}"#.into(),
        ),
        Reply::Hang,
        Reply::DropMidBody,
        ok_created(),
    ])
    .await;
    let e = engine(&home, &peer.url).await;
    let id = e.store().enqueue(activity_entry(1)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    assert_eq!(report.sent.len(), 1, "{report:?}");
    assert_eq!(report.waiting, 0);
    let seen = peer.seen();
    assert_eq!(seen.len(), 4);
    assert!(
        seen.iter().all(|s| s.key.as_deref() == Some(id.as_str())),
        "same Idempotency-Key every time"
    );
    assert_eq!(seen[0].authorization.as_deref(), Some("Bearer tok-xyz"));
    assert_eq!(seen[0].path, "/api/v1/activities");
    assert!(e.store().outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn retry_after_is_honoured() {
    let home = Home::new();
    let peer = loopback::start(vec![
        Reply::Json(
            429,
            vec![("Retry-After", "1".into())],
            r#"{"title":"x","status":429,"code":"rate_limited"}"#.into(),
        ),
        ok_created(),
    ])
    .await;
    let e = engine(&home, &peer.url).await;
    e.store().enqueue(activity_entry(1)).await.unwrap();
    let started = Instant::now();
    let report = e.flush_once().await.unwrap();
    assert_eq!(report.sent.len(), 1);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "waited {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn a_422_marks_the_entry_failed_with_the_servers_words_and_the_rest_go_on() {
    let home = Home::new();
    let problem = r#"{"title":"validation failed","status":422,"code":"validation_failed","detail":"count must be at most 1000"}"#;
    let peer = loopback::start(vec![Reply::Json(422, vec![], problem.into()), ok_created()]).await;
    let e = engine(&home, &peer.url).await;
    let bad = e.store().enqueue(activity_entry(5000)).await.unwrap();
    e.store().enqueue(activity_entry(1)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    assert_eq!(report.failed.len(), 1);
    assert_eq!(report.failed[0].2, "count must be at most 1000");
    assert_eq!(report.sent.len(), 1);
    let left = e.store().outbox().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].id.as_str(), left[0].state),
        (bad.as_str(), EntryState::Failed)
    );
    assert_eq!(left[0].last_error.as_deref(), Some("count must be at most 1000"));
    // Not resent until the user says so.
    e.flush_once().await.unwrap();
    assert_eq!(peer.seen().len(), 2);
}

#[tokio::test]
async fn offline_keeps_the_entry_pending_and_says_why() {
    let home = Home::new();
    let e = engine(&home, &dead_server()).await;
    e.store().enqueue(activity_entry(1)).await.unwrap();
    e.store().enqueue(activity_entry(2)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    assert_eq!(report.waiting, 2);
    let why = report.offline.unwrap();
    assert!(why.contains("cannot reach") && why.contains("127.0.0.1"), "{why}");
    assert!(!why.contains("tok-xyz"));
    let left = e.store().outbox().await.unwrap();
    assert_eq!(left[0].state, EntryState::Pending);
    assert!(left[0].attempts >= 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_flushing_the_same_store_send_each_entry_once() {
    let home = Home::new();
    let peer = loopback::start(vec![ok_created()]).await;
    let a = engine(&home, &peer.url).await;
    let b = engine(&home, &peer.url).await;
    for n in 0..20 {
        a.store().enqueue(activity_entry(n)).await.unwrap();
    }
    let (ra, rb) = tokio::join!(a.flush_once(), b.flush_once());
    let sent = ra.unwrap().sent.len() + rb.unwrap().sent.len();
    // One of them may stop early while the other holds the head of the
    // line; a last flush picks up anything left.
    a.flush_once().await.unwrap();
    let mut per_key: HashMap<String, usize> = HashMap::new();
    for s in peer.seen() {
        *per_key.entry(s.key.unwrap()).or_default() += 1;
    }
    assert_eq!(per_key.len(), 20, "every entry sent (first round sent {sent})");
    assert!(per_key.values().all(|n| *n == 1), "none sent twice: {per_key:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_cli_exits_4_when_the_server_refuses() {
    let home = Home::new();
    let problem = r#"{"title":"validation failed","status":422,"code":"validation_failed","detail":"unknown indicator\u001b[2J"}"#;
    let peer = loopback::start(vec![Reply::Json(422, vec![], problem.into())]).await;
    home.write_config(&format!("[profiles.default]\nserver = \"{}\"\n", peer.url));
    let mut cmd = home.cmd();
    cmd.args(["activity", "--indicator", "nonsense", "--count", "1"])
        .env("DUTYDESK_TOKEN", "t");
    // The binary blocks; the peer needs this runtime's other thread meanwhile.
    let out = tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("unknown indicator") && stderr.contains("outbox retry"),
        "{stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "the server's escape sequence must not reach the terminal"
    );
    let store = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap()
        .0;
    let left = store.outbox().await.unwrap();
    assert_eq!(left[0].state, EntryState::Failed);
}
