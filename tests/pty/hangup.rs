//! (b) An SSH drop (SIGHUP) with text in the outcome form: the terminal is
//! given back in a usable state and the next start offers the form again.

use super::support::{Home, Pty, has_flag, spawn_server};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hangup_keeps_the_form_and_restores_the_terminal() {
    let server = spawn_server().await;
    let home = Home::new();
    let url = server.url.clone();
    tokio::task::spawn_blocking(move || {
        home.login(&url, "lawyer");
        let env = home.env("xterm-256color");
        let mut pty = Pty::spawn(&[], &env);
        pty.wait_for("synced");
        pty.wait_for("Mediate");
        pty.send("\r");
        pty.wait_for("History");
        pty.send("o");
        pty.wait_for("Log outcome");
        pty.send("\t");
        pty.send("83");
        pty.wait_until("the minutes typed", |s| s.contains("83"));
        let status = std::process::Command::new("kill")
            .args(["-HUP", &pty.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        pty.wait_exit();
        let raw = pty.raw();
        let tail = &raw[raw.len().saturating_sub(256)..];
        let has = |seq: &[u8]| tail.windows(seq.len()).any(|w| w == seq);
        assert!(has(b"\x1b[?1049l"), "the alternate screen was left: {tail:?}");
        assert!(has(b"\x1b[?25h"), "the cursor was shown again: {tail:?}");
        let flags = pty.local_flags().expect("a unix pty has termios");
        assert!(has_flag(&flags, "ICANON"), "raw mode is off (canonical): {flags}");
        assert!(has_flag(&flags, "ECHO"), "echo is back on: {flags}");

        let mut again = Pty::spawn(&[], &env);
        again.wait_for("An unsaved form was restored");
        again.wait_for("Log outcome");
        again.wait_for("83");
        again.send("\x1b");
        again.wait_until("the form closed", |s| !s.contains("Log outcome"));
        again.send("q");
        assert_eq!(again.wait_exit(), 0);
    })
    .await
    .unwrap();
    server.running.shutdown().await.unwrap();
}
