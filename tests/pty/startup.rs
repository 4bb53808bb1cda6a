//! `dutydesk` with no subcommand and nobody signed in: a clear message, exit
//! 1, and the terminal never switched to the app's screen.

use super::support::{Home, Pty};

#[test]
fn not_signed_in_says_to_log_in_and_opens_no_tui() {
    let home = Home::new();
    let mut env = home.env("xterm-256color");
    env.push(("DUTYDESK_SERVER".into(), "http://127.0.0.1:9".into()));
    let mut pty = Pty::spawn(&[], &env);
    assert_eq!(pty.wait_exit(), 1);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("dutydesk login"), "tells what to do: {raw:?}");
    assert!(!raw.contains("\x1b[?1049h"), "no alternate screen: {raw:?}");
}

#[test]
fn without_a_terminal_it_says_so_instead_of_panicking() {
    let home = Home::new();
    let server = "http://127.0.0.1:9";
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .env_clear()
        .envs(home.env("dumb"))
        .env("DUTYDESK_SERVER", server)
        .env("DUTYDESK_TOKEN", "some-token")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("needs a terminal"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
