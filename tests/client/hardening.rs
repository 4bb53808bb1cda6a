//! Fixes from the client code review: the timer logged once, retries that
//! cannot re-key an entry in flight, ASCII glyphs in CLI text.

use dutydesk::client::store::{LocalStore, NewEntry, StoreError};

use crate::support::{Home, dead_server, item};

fn offline_home() -> Home {
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        dead_server()
    ));
    home
}

async fn open(home: &Home) -> LocalStore {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    LocalStore::open(&path).await.unwrap().0
}

fn activity(n: i64) -> NewEntry {
    NewEntry {
        kind: dutydesk::client::store::WriteKind::Activity,
        method: "POST".into(),
        path: "/api/v1/activities".into(),
        body: serde_json::json!({ "indicator": "trainings", "count": n }),
        summary: format!("activity {n}"),
    }
}

fn time_entries(store_entries: &[dutydesk::client::store::OutboxEntry]) -> usize {
    store_entries.iter().filter(|e| e.path.contains("time")).count()
}

#[tokio::test]
async fn two_sessions_stopping_the_timer_at_once_log_its_time_once() {
    let home = offline_home();
    for round in 1..=4 {
        home.cmd().args(["start", "7"]).assert().success();
        // Two SSH sessions type `stop` at the same moment.
        let outputs: Vec<std::process::Output> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        home.cmd()
                            .arg("stop")
                            .env("DUTYDESK_TOKEN", "t")
                            .output()
                            .unwrap()
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let saved = outputs
            .iter()
            .filter(|o| String::from_utf8_lossy(&o.stdout).contains("on #7"))
            .count();
        assert_eq!(saved, 1, "round {round}: {outputs:?}");
        let store = open(&home).await;
        assert_eq!(time_entries(&store.outbox().await.unwrap()), round);
        assert_eq!(store.timer().await.unwrap(), None);
        store.close().await;
    }
}

#[tokio::test]
async fn concurrent_stops_in_one_store_queue_one_entry_and_start_logs_the_old_timer() {
    let home = offline_home();
    let a = open(&home).await;
    let b = open(&home).await;
    a.start_timer_logged(7, 1_000, |_| activity(0)).await.unwrap();
    let (x, y) = tokio::join!(
        a.stop_timer_logged(|_| activity(1)),
        b.stop_timer_logged(|_| activity(2))
    );
    let stopped = [x.unwrap(), y.unwrap()].into_iter().flatten().count();
    assert_eq!(stopped, 1);
    assert_eq!(a.outbox().await.unwrap().len(), 1);
    // Starting over a running timer logs the old one: its time is not lost.
    b.start_timer_logged(8, 2_000, |_| activity(3)).await.unwrap();
    let logged = a
        .start_timer_logged(9, 3_000, |t| activity(t.item_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(logged.1.body["count"], 8);
    assert_eq!(a.timer().await.unwrap().map(|t| t.item_id), Some(9));
    assert_eq!(a.outbox().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_entry_being_sent_cannot_be_retried_or_edited_and_its_sender_still_settles_it() {
    let home = Home::new();
    let store = open(&home).await;
    let id = store.enqueue(activity(1)).await.unwrap();
    let claim = store.claim_next("host:1:a", 60_000).await.unwrap().unwrap();
    let edited = serde_json::json!({ "indicator": "trainings", "count": 2 });
    let err = store.retry_entry(&id, Some(edited)).await.unwrap_err();
    assert!(matches!(err, StoreError::NotRetryable(_)), "{err}");
    assert!(err.to_string().contains("no sync is sending it"), "{err}");
    // The sender's answer still finds its entry: it leaves the outbox once.
    store.mark_sent(&claim).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_sender_whose_lease_was_taken_over_does_not_settle_the_entry() {
    let home = Home::new();
    let store = open(&home).await;
    store.enqueue(activity(1)).await.unwrap();
    // The first lease has already run out; another process takes it over.
    let stale = store.claim_next("host:1:a", -1).await.unwrap().unwrap();
    let current = store.claim_next("host:2:b", 60_000).await.unwrap().unwrap();
    store.mark_failed(&stale, "refused").await.unwrap();
    store.mark_sent(&stale).await.unwrap();
    let left = store.outbox().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].state, dutydesk::client::store::EntryState::Pending);
    store.mark_sent(&current).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn cli_lists_use_ascii_marks_not_ambiguous_width_glyphs() {
    let home = offline_home();
    let mut green = item(
        7,
        "mediation",
        "劳动合同纠纷调解，涉及多名外来务工人员的工资拖欠和社会保险补缴问题",
    );
    green.green_channel = true;
    let store = open(&home).await;
    store.upsert_items("mine", &[green]).await.unwrap();
    store.close().await;
    let out = home
        .cmd()
        .arg("list")
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("* 劳动"), "{stdout}");
    assert!(stdout.contains("..."), "{stdout}");
    assert!(!stdout.contains(['★', '…', '–']), "{stdout}");
}

const HOSTILE: &str = "工资\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{202e}exe.txt\u{9b}31m";

fn assert_terminal_safe(out: &str) {
    assert!(
        !out.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}']),
        "{out:?}"
    );
    assert!(!out.contains("52;c;"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_server_text_never_reaches_the_terminal_raw() {
    // A title from the server with a screen clear, an OSC 52 clipboard
    // write, a right-to-left override and a C1 CSI.
    let home = Home::new();
    let store = open(&home).await;
    store
        .upsert_items("mine", &[item(7, "mediation", HOSTILE)])
        .await
        .unwrap();
    store.close().await;
    // A proxy or a broken server answers 503 with the same bytes in its body.
    let peer = crate::loopback::start(vec![crate::loopback::Reply::Other(
        503,
        "text/html",
        HOSTILE.into(),
    )])
    .await;
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        peer.url
    ));
    // The peer runs on this runtime: the binary runs off it.
    let run = |mut c: assert_cmd::Command| tokio::task::spawn_blocking(move || c.output().unwrap());
    let mut c = home.cmd();
    c.arg("list").env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(stdout.contains("工资"), "{stdout}");
    assert!(stderr.contains("503"), "{stderr}");
    assert_terminal_safe(&stdout);
    assert_terminal_safe(&stderr);
    let mut c = home.cmd();
    c.args(["show", "7"]).env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    assert_terminal_safe(&String::from_utf8_lossy(&out.stdout));
    assert_terminal_safe(&String::from_utf8_lossy(&out.stderr));
}
