//! A middlebox that answers `200 application/json {"status":"ok"}` without
//! forwarding must not settle an outbox entry: only the server's own answer
//! (its record, naming the entry's `Idempotency-Key`) does.

use crate::loopback::{self, Reply};
use crate::support::Home;
use crate::with_server::{login, open_consultation, outcomes_on_server, run, spawn_server, text};

fn use_server(home: &Home, url: &str) {
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{url}\"\nuser = \"lawyer\"\n"
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_middleboxs_canned_ok_leaves_the_entry_pending_until_the_server_answers() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;

    let middlebox = loopback::start(vec![Reply::NoEcho(200, r#"{"status":"ok"}"#.into())]).await;
    use_server(&home, &middlebox.url);
    let mut c = home.cmd();
    c.args(["log", &id.to_string(), "--outcome", "answered", "--minutes", "5"]);
    let out = run(c).await;
    assert_eq!(
        out.status.code(),
        Some(3),
        "saved, not sent: {}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("Sent"), "{}", text(&out.stdout));
    assert!(
        middlebox.seen().iter().any(|s| s.key.is_some()),
        "the middlebox took the request"
    );

    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["state"], "pending");
    let why = left[0]["last_error"].as_str().unwrap_or_default();
    assert!(why.contains("Idempotency-Key"), "outbox says why: {why}");
    let mut c = home.cmd();
    c.arg("outbox");
    let listed = text(&run(c).await.stdout);
    assert!(listed.contains("Idempotency-Key"), "{listed}");

    use_server(&home, &server.url);
    let mut c = home.cmd();
    c.arg("sync");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.arg("sync");
    run(c).await;
    assert_eq!(outcomes_on_server(&home, id).await, 1, "delivered exactly once");
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert!(left.is_empty(), "{left:?}");
}
