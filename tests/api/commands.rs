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

/// `admin token revoke --id` ends that one token, live, and no other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn admin_revokes_one_token_by_id() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let server = dutydesk::server::start(dutydesk::server::ServerConfig {
        db: Some(path.to_string_lossy().into_owned()),
        listen: "127.0.0.1:0".into(),
        demo: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let base = format!("http://{}", server.addr);
    let http = ::reqwest::Client::new();
    let login = async |device: &str| -> String {
        let r = http
            .post(format!("{base}/api/v1/auth/login"))
            .json(&serde_json::json!({"username": "lawyer", "password": "demo", "device": device}))
            .send()
            .await
            .unwrap();
        r.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let laptop = login("laptop").await;
    let server_box = login("jump-host").await;
    let hash = hex::encode(sha2::Sha256::digest(laptop.as_bytes()));
    let (id,): (i64,) = sqlx::query_as("SELECT id FROM tokens WHERE token_hash = $1")
        .bind(&hash)
        .fetch_one(&server.store.pool)
        .await
        .unwrap();
    let db = path.to_str().unwrap().to_string();
    let revoke = move |id: i64| {
        let db = db.clone();
        async move {
            tokio::task::spawn_blocking(move || {
                dutydesk()
                    .args(["admin", "token", "revoke", "--id", &id.to_string(), "--db", &db])
                    .output()
                    .unwrap()
            })
            .await
            .unwrap()
        }
    };
    let out = revoke(id).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Revoked 1 token"));
    let me = async |token: &str| {
        http.get(format!("{base}/api/v1/me"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(me(&laptop).await, 401, "the revoked token no longer signs in");
    assert_eq!(me(&server_box).await, 200, "the other device keeps its token");
    let out = revoke(id).await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Revoked 0"),
        "only once"
    );
    let out = revoke(987_654).await;
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("Revoked 0"),
        "no such token"
    );
    server.shutdown().await.unwrap();
}

/// `dutydesk serve --db postgres://...` through the real binary, on a fresh
/// schema: health, a demo login, then a clean exit on SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_runs_on_postgres() {
    let Some(base) = crate::support::postgres_url() else {
        return;
    };
    let (url, schema) = crate::support::fresh_schema(&base).await;
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let mut child = dutydesk()
        .args(["serve", "--demo", "--listen", &listen, "--db", &url])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    // Keep reading all it prints, so its stdout never closes under it.
    let (tx, rx) = tokio::sync::oneshot::channel();
    let reader = tokio::task::spawn_blocking(move || {
        let mut lines = BufReader::new(stdout).lines();
        let _ = tx.send(lines.next());
        lines.count()
    });
    let first = rx.await.unwrap().expect("serve says where it listens").unwrap();
    assert!(first.contains(&format!("http://{listen}")), "{first}");
    let http = ::reqwest::Client::new();
    let health = http.get(format!("http://{listen}/healthz")).send().await.unwrap();
    assert_eq!(health.text().await.unwrap(), "ok");
    let login = http
        .post(format!("http://{listen}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "lawyer", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    let body: serde_json::Value = login.json().await.unwrap();
    assert_eq!(body["user"]["username"], "lawyer");
    // The data went to PostgreSQL, into this schema.
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    let (tokens,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM tokens")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(tokens, 1);
    pool.close().await;
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait().unwrap())
        .await
        .unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
    reader.await.unwrap();
    crate::support::drop_schema(&base, &schema).await;
}

/// Whoever reads `serve`'s output may go away (a pipe into `head`); the
/// server keeps serving and still stops cleanly.
#[test]
fn serve_outlives_a_closed_stdout() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("serve.db");
    let mut child = dutydesk()
        .args(["serve", "--listen", "127.0.0.1:0", "--db", db.to_str().unwrap()])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let first = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .next()
        .unwrap()
        .unwrap();
    // The reader is gone now: the next line the server prints hits a closed pipe.
    let addr = first.rsplit("http://").next().unwrap().to_string();
    assert_eq!(reqwest::blocking_get(&format!("http://{addr}/healthz")), "ok");
    let killed = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert!(status.success(), "exit status after SIGTERM: {status}");
}
