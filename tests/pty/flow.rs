//! (a) and (c): open an item, log an outcome through the form, see it sent,
//! quit, and find exactly that outcome on the server — in a plain xterm,
//! with NO_COLOR, and under screen-256color.

use super::support::{Home, Pty, outcomes_of, spawn_server};

/// An unusual number of minutes marks the outcome this test logs.
const MINUTES: &str = "47";

/// Queue → first item → outcome form → minutes → save → "sent" → quit.
pub fn log_outcome(pty: &mut Pty) {
    // The first frame comes from the (empty) cache; the rows arrive with
    // the background refresh.
    pty.wait_for("synced");
    pty.wait_for("Mediate");
    pty.send("\r");
    pty.wait_for("History");
    pty.send("o");
    pty.wait_for("Log outcome");
    pty.send("\t");
    pty.send(MINUTES);
    pty.wait_until("the minutes typed", |s| s.contains(MINUTES));
    pty.send("\r");
    pty.wait_for("Sent: the server has it.");
    pty.send("\r");
    pty.wait_until("the form closed", |s| !s.contains("Log outcome"));
    pty.send("q");
    assert_eq!(
        pty.wait_exit(),
        0,
        "quitting exits 0; the screen:\n{}",
        pty.screen()
    );
}

/// Runs the flow; every byte the app wrote.
async fn flow(extra_env: &[(&str, &str)], term: &str) -> Vec<u8> {
    let server = spawn_server().await;
    let home = Home::new();
    let url = server.url.clone();
    let mut env = home.env(term);
    env.extend(extra_env.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let (_home, raw) = tokio::task::spawn_blocking(move || {
        home.login(&url, "lawyer");
        let mut pty = Pty::spawn(&[], &env);
        log_outcome(&mut pty);
        let raw = pty.raw();
        (home, raw)
    })
    .await
    .unwrap();
    let mine: Vec<_> = outcomes_of(&server.url, "lawyer")
        .await
        .into_iter()
        .filter(|o| o.minutes == Some(47))
        .collect();
    assert_eq!(
        mine.len(),
        1,
        "exactly the one outcome logged in the TUI: {mine:?}"
    );
    assert_eq!(mine[0].code.as_str(), "agreement");
    server.running.shutdown().await.unwrap();
    raw
}

/// A foreground or background colour: SGR 38/48, first or later in the
/// parameter list (crossterm writes every colour this way). A cursor move
/// to row 38 or 48 cannot happen on a 24-row screen.
fn has_colour(raw: &[u8]) -> bool {
    raw.windows(4)
        .any(|w| [b"[38;", b"[48;", b";38;", b";48;"].contains(&w.try_into().unwrap_or(b"    ")))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outcome_logged_in_the_tui_reaches_the_server_once() {
    let raw = flow(&[], "xterm-256color").await;
    assert!(has_colour(&raw), "the default theme is in colour");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_works_without_colour() {
    let raw = flow(&[("NO_COLOR", "1")], "xterm-256color").await;
    assert!(!has_colour(&raw), "NO_COLOR: not one colour on screen");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_works_under_screen() {
    flow(&[], "screen-256color").await;
}
