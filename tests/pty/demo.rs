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
    let now = dutydesk::domain::clock::now_ms();
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

/// A demo killed with SIGKILL cannot remove its temp dir (server database,
/// token); the next demo removes it, and nothing that is not a killed
/// demo's own.
#[test]
fn the_next_demo_removes_a_killed_demos_temp_dir() {
    let home = Home::new();
    let env = home.env("xterm-256color");
    let mut pty = Pty::spawn(&["demo", "--lang", "en"], &env);
    pty.wait_for("synced");
    let killed = std::process::Command::new("kill")
        .args(["-KILL", &pty.pid().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    pty.wait_exit();
    let left: Vec<_> = std::fs::read_dir(home.temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(left.len(), 1, "the killed demo left its dir: {left:?}");
    // Not a demo's mark: a look-alike name is someone else's business.
    let unmarked = home.temp_dir().join("dutydesk-demo-not-ours");
    std::fs::create_dir(&unmarked).unwrap();

    let mut pty = Pty::spawn(&["demo", "--lang", "en"], &env);
    pty.wait_for("synced");
    assert!(
        !left[0].exists(),
        "the killed demo's dir is gone while the next runs"
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let now: Vec<_> = std::fs::read_dir(home.temp_dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(now, vec![unmarked]);
}

/// `dutydesk --config F demo` speaks F's language and draws F's borders.
#[test]
fn the_demo_honours_the_config_files_language_and_borders() {
    let home = Home::new();
    let file = home.tmp.path().join("room.toml");
    std::fs::write(&file, "language = \"zh-CN\"\nborders = \"ascii\"\n").unwrap();
    // The environment says English; the file says Chinese, and wins.
    let mut env: Vec<_> = home
        .env("xterm-256color")
        .into_iter()
        .filter(|(k, _)| k != "DUTYDESK_LANG")
        .collect();
    env.push(("LANG".into(), "en_US.UTF-8".into()));
    let mut pty = Pty::spawn(&["--config", file.to_str().unwrap(), "demo"], &env);
    pty.wait_for("同步于");
    let screen = pty.screen();
    assert!(
        !screen.contains('│') && !screen.contains('─'),
        "ASCII borders:\n{screen}"
    );
    assert!(screen.contains('|'), "{screen}");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}
