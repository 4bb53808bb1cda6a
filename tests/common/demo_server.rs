//! The reference server with demo data on 127.0.0.1:0 and a SQLite file in a
//! temp dir, and the few API calls tests make to it directly. Shared by the
//! test binaries that drive the real client or binary against it
//! (`#[path = "../common/demo_server.rs"] mod demo_server;`).

#![allow(dead_code)] // each binary uses its own part of it

use dutydesk::api::LoginResponse;
use dutydesk::server::{RunningServer, ServerConfig, start};
use serde::de::DeserializeOwned;

pub struct Server {
    pub running: RunningServer,
    pub url: String,
    _dir: tempfile::TempDir,
}

impl Server {
    /// The server's SQLite file, for `dutydesk admin --db`.
    pub fn db_path(&self) -> std::path::PathBuf {
        self._dir.path().join("server.db")
    }
}

pub async fn spawn_server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let running = start(ServerConfig {
        db: Some(dir.path().join("server.db").to_string_lossy().into_owned()),
        listen: "127.0.0.1:0".into(),
        demo: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let url = format!("http://{}", running.addr);
    Server {
        running,
        url,
        _dir: dir,
    }
}

/// A fresh token for a demo user (password `demo`).
pub async fn token(url: &str, user: &str) -> String {
    let r: LoginResponse = reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": user, "password": "demo"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r.token
}

/// `GET {url}{path}` as the token's user, decoded.
pub async fn get_json<T: DeserializeOwned>(url: &str, token: &str, path: &str) -> T {
    reqwest::Client::new()
        .get(format!("{url}{path}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
