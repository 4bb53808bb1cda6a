//! `dutydesk serve` and `dutydesk admin` as a user runs them.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;

fn dutydesk() -> Command {
    let mut c = Command::cargo_bin("dutydesk").unwrap();
    c.env("DUTYDESK_LANG", "en").env("LANG", "C");
    c
}

#[test]
fn admin_commands_manage_users_and_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("admin.db");
    let db = db.to_str().unwrap();
    let out = dutydesk()
        .args(["admin", "seed", "--demo", "--db", db])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("lawyer2"));
    let out = dutydesk()
        .args([
            "admin", "user", "add", "wangwu", "--name", "王五", "--unit", "1", "--db", db,
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let password = text.trim().rsplit(' ').next().unwrap().to_string();
    assert_eq!(password.len(), 16, "a one-time password is printed: {text}");
    let out = dutydesk()
        .args(["admin", "user", "add", "wangwu", "--unit", "1", "--db", db])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = dutydesk()
        .args([
            "admin", "user", "add", "x", "--unit", "1", "--role", "boss", "--db", db,
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown role boss"));
    let out = dutydesk()
        .args(["admin", "user", "list", "--db", db])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        list.contains("wangwu\t王五") && list.contains("张明律师"),
        "{list}"
    );
    let out = dutydesk()
        .args(["admin", "token", "revoke", "--user", "lawyer", "--db", db])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("Revoked 0"));
}

#[test]
fn serve_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = dutydesk()
        .args([
            "serve",
            "--demo",
            "--listen",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    assert!(
        first.contains("http://127.0.0.1:"),
        "logs the bound address: {first}"
    );
    let addr = first.rsplit("http://").next().unwrap().to_string();
    let body = reqwest::blocking_get(&format!("http://{addr}/healthz"));
    assert_eq!(body, "ok");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}

mod reqwest {
    /// A tiny blocking GET on a throwaway runtime (the test is sync).
    pub fn blocking_get(url: &str) -> String {
        let rt = tokio::runtime::Runtime::new().unwrap();
        rt.block_on(async { ::reqwest::get(url).await.unwrap().text().await.unwrap() })
    }
}
