//! `dutydesk demo`: its own server and sign-in, the queue on screen, a clean
//! quit, and nothing left behind in the temp dir.

use super::support::{Home, Pty};

#[test]
fn the_demo_shows_the_queue_and_cleans_up() {
    let home = Home::new();
    let mut pty = Pty::spawn(&["demo", "--lang", "en"], &home.env("xterm-256color"));
    pty.wait_for("synced");
    pty.wait_for("Mediate");
    assert!(
        pty.screen().contains("online"),
        "the demo server answers:\n{}",
        pty.screen()
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let left: Vec<_> = std::fs::read_dir(home.temp_dir()).unwrap().flatten().collect();
    assert!(left.is_empty(), "the demo's temp dir is removed: {left:?}");
    assert!(
        !home.tmp.path().join("config").exists(),
        "the user's own config dir is untouched"
    );
}

/// The room operator starts on the day's schedule, in Chinese.
#[test]
fn the_demo_speaks_chinese_as_the_room_operator() {
    let home = Home::new();
    let args = ["demo", "--as", "operator", "--lang", "zh-CN"];
    let mut pty = Pty::spawn(&args, &home.env("xterm-256color"));
    pty.wait_for("同步于");
    pty.wait_for("在线");
    pty.wait_for("调解安排");
    pty.wait_for("律师调解室一号");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// The coordinator starts on the statistics of their unit (a coordinator
/// logs no work of their own, so "me" would be refused).
#[test]
fn the_coordinator_starts_on_the_units_statistics() {
    let home = Home::new();
    let args = ["demo", "--as", "coordinator", "--lang", "en"];
    let mut pty = Pty::spawn(&args, &home.env("xterm-256color"));
    pty.wait_for("synced");
    pty.wait_for("Enterprises visited");
    let screen = pty.screen();
    assert!(screen.contains("│ My unit │"), "the unit's form: {screen}");
    assert!(!screen.contains("403") && !screen.contains("refused"), "{screen}");
    let visits = screen
        .lines()
        .find(|l| l.contains("Enterprises visited"))
        .unwrap_or_default();
    assert!(
        visits.split_whitespace().any(|w| w == "3"),
        "the office's visits: {visits}"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}

/// `dutydesk demo` logs a little recent work through the server's write
/// path before the TUI opens: the lawyer's form counts it, and each closed
/// item carries its outcome.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_starts_with_recent_work_counted_in_the_statistics() {
    let server = super::support::spawn_server().await;
    let now = dutydesk::server::db::now_ms();
    dutydesk::server::demo_work::log_recent_work(&server.running.state, now)
        .await
        .unwrap();
    let token = super::support::token(&server.url, "lawyer").await;
    let path = "/api/v1/campaigns/form1-enterprise-service/stats";
    let form: dutydesk::api::StatsForm = super::support::get_json(&server.url, &token, path).await;
    let total = |code: &str| {
        form.rows
            .iter()
            .find(|r| r.indicator == code)
            .map(|r| r.total.value1)
            .unwrap_or_else(|| panic!("no row {code}"))
    };
    assert_eq!(
        total("consultations"),
        2,
        "two consultations answered or taken on"
    );
    assert_eq!(total("enterprises_visited"), 2);
    assert_eq!(total("losses_recovered"), 3_800_000, "38,000 yuan, in fen");
    assert!(form.hours.total_minutes >= 25 + 60 + 90 + 120 + 40);

    let outcomes = super::support::outcomes_of(&server.url, "lawyer").await;
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
}
