//! A one-time password at first sign-in, in the real binary's terminal,
//! in both languages: `admin user reset-password` prints it, `dutydesk
//! login` takes it and asks for a new password twice; afterwards the
//! one-time password is refused and the new one works. The terminal app,
//! still holding the token the reset ended, says what to run.

use std::io::Write;

use super::support::{Home, Pty, spawn_server};

fn env_for(home: &Home, lang: &str) -> Vec<(String, String)> {
    let mut env = home.env("xterm-256color");
    for (k, v) in &mut env {
        if k == "DUTYDESK_LANG" {
            *v = lang.to_string();
        }
    }
    env
}

/// `dutydesk login --password-stdin` with `password`; its exit code.
fn login_with(home: &Home, password: &str) -> Option<i32> {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"));
    cmd.env_clear()
        .envs(home.env("dumb"))
        .args(["login", "--password-stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{password}\n").as_bytes())
        .unwrap();
    child.wait_with_output().unwrap().status.code()
}

/// What the terminal app says when the reset ended its sign-in.
fn signed_out_title(lang: &str) -> &'static str {
    if lang == "en" {
        "Signed out"
    } else {
        "登录已失效"
    }
}

async fn first_sign_in(lang: &'static str, asked: &'static str, again: &'static str, done: &'static str) {
    let server = spawn_server().await;
    let home = Home::new();
    let url = server.url.clone();
    // Signed in before the reset, with the terminal app's cache.
    let home = tokio::task::spawn_blocking(move || {
        home.login(&url, "lawyer4");
        home
    })
    .await
    .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args(["admin", "user", "reset-password", "lawyer4", "--db"])
        .arg(server.db_path())
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).into_owned();
    let otp = said
        .split_whitespace()
        .map(|w| w.trim_end_matches([';', '.']))
        .find(|w| w.len() == 16)
        .unwrap_or_else(|| panic!("a one-time password in: {said}"))
        .to_string();
    tokio::task::spawn_blocking(move || {
        // The app with the old token says what to do, in a dialog.
        let mut pty = Pty::spawn(&[], &env_for(&home, lang));
        pty.wait_for(signed_out_title(lang));
        pty.wait_for("dutydesk");
        pty.send("\r");
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
        let mut pty = Pty::spawn(&["login"], &env_for(&home, lang));
        pty.wait_for("lawyer4");
        pty.send(&format!("{otp}\r"));
        pty.wait_for(asked);
        pty.send("新的密码2026abc\r");
        pty.wait_for(again);
        pty.send("新的密码2026abc\r");
        pty.wait_for(done);
        assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
        // The one-time password no longer works; the new one does.
        assert_eq!(login_with(&home, &otp), Some(5));
        assert_eq!(login_with(&home, "新的密码2026abc"), Some(0));
    })
    .await
    .unwrap();
    server.running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_time_password_is_replaced_at_first_sign_in_in_english() {
    first_sign_in(
        "en",
        "one-time password: choose your own",
        "new password again",
        "password changed",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_one_time_password_is_replaced_at_first_sign_in_in_chinese() {
    first_sign_in("zh-CN", "一次性密码", "再次输入新密码", "密码已修改").await;
}
