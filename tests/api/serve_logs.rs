//! `dutydesk serve` with its log going to a file or a pipe (systemd, a
//! `2>server.log`): plain lines, no colour escape codes.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[test]
fn logs_into_a_pipe_carry_no_colour_codes() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("server.db"))
        .env_remove("NO_COLOR")
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut seen = Vec::new();
    // The server logs at info when it listens; EOF (it died) ends the wait.
    for line in lines.by_ref() {
        let line = line.unwrap();
        let done = line.contains("listening");
        seen.push(line);
        if done {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let log = seen.join("\n");
    assert!(log.contains("listening"), "{log}");
    assert!(!log.contains('\x1b'), "escape codes in a piped log: {log:?}");
}
