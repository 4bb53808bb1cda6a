//! Exit codes as the README documents them, per command, and output into a
//! closed pipe ending quietly.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::support::Home;
use crate::with_server::{login, run, spawn_server, text};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_that_nothing_keeps_exit_5_and_outbox_refusals_4() {
    let server = spawn_server().await;
    let home = Home::new();
    home.write_config(&format!("[profiles.default]\nserver = \"{}\"\n", server.url));
    let mut c = home.cmd();
    c.args(["login", "--user", "lawyer", "--password-stdin"])
        .write_stdin("wrong\n");
    let out = run(c).await;
    assert_eq!(
        out.status.code(),
        Some(5),
        "a wrong password: {}",
        text(&out.stderr)
    );

    login(&home, &server.url, "lawyer").await;
    let mut c = home.cmd();
    c.args(["show", "9999"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(5), "no such item: {}", text(&out.stderr));

    let mut c = home.cmd();
    c.args(["outbox", "discard", "nosuchentry"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(2), "no such entry: {}", text(&out.stderr));

    // A write the server refuses stays in the outbox: 4 (a second outcome
    // on an item the first one closed).
    let id = crate::with_server::open_consultation(&home).await.to_string();
    for want in [0, 4] {
        let mut c = home.cmd();
        c.args(["log", &id, "--outcome", "answered", "--minutes", "5"]);
        let out = run(c).await;
        assert_eq!(out.status.code(), Some(want), "{}", text(&out.stderr));
    }
}

/// Runs `args` with standard output a pipe whose reading end is already
/// closed; what it wrote to standard error, and how it ended.
fn into_closed_pipe(home: &Home, args: &[&str]) -> (String, std::process::ExitStatus) {
    let p = |n: &str| home.tmp.path().join(n);
    let mut child = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .env_clear()
        .env("HOME", home.tmp.path())
        .env("XDG_CONFIG_HOME", p("config"))
        .env("XDG_DATA_HOME", p("data"))
        .env("XDG_STATE_HOME", p("state"))
        .env("DUTYDESK_LANG", "en")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut err = String::new();
    child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
    (err, child.wait().unwrap())
}

#[test]
fn a_closed_pipe_ends_output_quietly() {
    let home = Home::new();
    for args in [&["completions", "bash"][..], &["--help"], &["outbox"], &["man"]] {
        let (err, status) = into_closed_pipe(&home, args);
        assert!(
            !err.contains("panicked") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
        assert!(status.code().is_none_or(|c| c == 0), "{args:?}: {status:?} {err}");
    }
}
