//! The client against the real reference server (issue 2) on 127.0.0.1:0
//! with a real SQLite file and demo data (users `lawyer`, `lawyer2`, ...,
//! password `demo`).

use crate::support::Home;

pub use crate::demo_server::spawn_server;

pub async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

pub async fn login(home: &Home, url: &str, user: &str) {
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{url}\"\nuser = \"{user}\"\n"
    ));
    let mut c = home.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("demo\n");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

/// `dutydesk ARGS` as this home's user, which must succeed.
pub async fn ok(home: &Home, args: &[&str]) -> std::process::Output {
    let mut c = home.cmd();
    c.args(args);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", text(&out.stderr));
    out
}

/// The shipped campaigns run through 2026; after that no period is open
/// and no row takes activities.
pub fn campaigns_running() -> bool {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    tz.to_datetime(jiff::Timestamp::now()).date() <= jiff::civil::date(2026, 12, 31)
}

/// An open consultation of the signed-in lawyer, from `list --json`.
pub async fn open_consultation(home: &Home) -> i64 {
    let mut c = home.cmd();
    c.args(["list", "--json", "--kind", "consultation"]);
    let out = run(c).await;
    let list: dutydesk::api::ItemList = serde_json::from_slice(&out.stdout).unwrap();
    list.items
        .iter()
        .find(|i| i.status.accepts_outcome())
        .map(|i| i.id)
        .expect("the demo data gives the lawyer an open consultation")
}

pub async fn outcomes_on_server(home: &Home, id: i64) -> usize {
    let mut c = home.cmd();
    c.args(["show", &id.to_string(), "--json"]);
    let out = run(c).await;
    let d: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    d.outcomes.len()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logged_while_the_server_is_down_is_sent_once_by_sync() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;
    // The server cannot be reached: the outcome is saved, not sent.
    let dead = crate::support::dead_server();
    home.write_config(&format!("[profiles.default]\nserver = \"{dead}\"\n"));
    let mut c = home.cmd();
    c.args(["log", &id.to_string(), "--outcome", "answered", "--minutes", "20"]);
    assert_eq!(run(c).await.status.code(), Some(3));
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let pending: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!(
        (pending.len(), pending[0]["state"].as_str()),
        (1, Some("pending"))
    );
    // Reachable again: sync sends it, once.
    home.write_config(&format!("[profiles.default]\nserver = \"{}\"\n", server.url));
    for _ in 0..2 {
        let mut c = home.cmd();
        c.arg("sync");
        let out = run(c).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    }
    assert_eq!(outcomes_on_server(&home, id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_syncing_at_once_send_each_entry_once() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;
    // Saved while "offline" (a dead address), then both sync at once.
    let dead = crate::support::dead_server();
    home.write_config(&format!("[profiles.default]\nserver = \"{dead}\"\n"));
    for minutes in 1..=6 {
        let mut c = home.cmd();
        c.args([
            "time",
            &id.to_string(),
            "--minutes",
            &minutes.to_string(),
            "--activity",
            "preparation",
        ]);
        assert_eq!(run(c).await.status.code(), Some(3));
    }
    home.write_config(&format!("[profiles.default]\nserver = \"{}\"\n", server.url));
    let mut a = home.cmd();
    a.arg("sync");
    let mut b = home.cmd();
    b.arg("sync");
    let (ra, rb) = tokio::join!(run(a), run(b));
    assert!(
        ra.status.success() && rb.status.success(),
        "{}{}",
        text(&ra.stderr),
        text(&rb.stderr)
    );
    let mut c = home.cmd();
    c.arg("sync");
    run(c).await;
    let mut c = home.cmd();
    c.args(["show", &id.to_string(), "--json"]);
    let d: dutydesk::api::ItemDetail = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let mut minutes: Vec<i64> = d
        .time_entries
        .iter()
        .map(|t| t.minutes)
        .filter(|m| *m <= 6)
        .collect();
    minutes.sort();
    assert_eq!(minutes, vec![1, 2, 3, 4, 5, 6], "each entry exactly once");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_reaches_the_server_once_and_a_422_stays_failed() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;
    let mut c = home.cmd();
    c.args(["log", &id.to_string(), "--outcome", "answered"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(outcomes_on_server(&home, id).await, 1);
    // A second outcome on the now closed item: the server refuses it.
    let mut c = home.cmd();
    c.args([
        "time",
        &id.to_string(),
        "--minutes",
        "5000",
        "--activity",
        "session",
    ]);
    assert_eq!(run(c).await.status.code(), Some(2), "caught before saving");
    let mut c = home.cmd();
    c.args(["log", &id.to_string(), "--outcome", "answered"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0]["state"], "failed");
    assert!(!left[0]["last_error"].as_str().unwrap().is_empty());
    assert_eq!(outcomes_on_server(&home, id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_revokes_the_token_on_the_server() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let file = home.dirs().config.join("credentials");
    let token = std::fs::read_to_string(&file).unwrap();
    let token = token.split('"').nth(1).unwrap().to_string();
    let mut c = home.cmd();
    c.arg("logout");
    assert!(run(c).await.status.success());
    assert!(!std::fs::read_to_string(&file).unwrap().contains(&token));
    // The old token no longer works, even given directly.
    let mut c = home.cmd();
    c.arg("whoami").env("DUTYDESK_TOKEN", &token);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("dutydesk login"),
        "{}",
        text(&out.stderr)
    );
    assert!(!home.all_logs().contains(&token));
}

/// After five wrong passwords the server locks the name for a while; the
/// CLI says so and for how long, instead of "the server is in trouble".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_after_too_many_wrong_passwords_says_how_long_to_wait() {
    let server = spawn_server().await;
    let home = Home::new();
    home.write_config(&format!(
        "language = \"en\"\n[profiles.default]\nserver = \"{}\"\nuser = \"lawyer\"\n",
        server.url
    ));
    let attempt = |password: &'static str| {
        let mut c = home.cmd();
        c.args(["login", "--password-stdin"])
            .write_stdin(format!("{password}\n"));
        run(c)
    };
    for _ in 0..5 {
        let out = attempt("guess").await;
        assert!(
            text(&out.stderr).contains("did not accept"),
            "{}",
            text(&out.stderr)
        );
    }
    let out = attempt("demo").await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "refused, nothing kept: {stderr}");
    assert!(
        stderr.contains("too many wrong passwords") && stderr.contains("15 more min"),
        "{stderr}"
    );
    assert!(!stderr.contains("trouble"), "{stderr}");
}
