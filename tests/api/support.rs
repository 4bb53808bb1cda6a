//! A real server on 127.0.0.1:0 with demo data, on SQLite in a temp dir and,
//! where DUTYDESK_TEST_POSTGRES_URL is set, on PostgreSQL in a fresh schema.

use dutydesk::server::{RunningServer, ServerConfig, ServerTuning, start_tuned};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub struct Ctx {
    pub server: Option<RunningServer>,
    pub base: String,
    pub http: Client,
    pub backend: &'static str,
    /// The SQLite file, for tests that read the bytes on disk.
    pub sqlite_path: Option<std::path::PathBuf>,
    _dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
}

use crate::pg_schema::schema_url;
pub use crate::pg_schema::{drop_schema, fresh_schema, postgres_url};

pub async fn sqlite() -> Ctx {
    sqlite_tuned(ServerTuning::default()).await
}

pub async fn sqlite_tuned(tuning: ServerTuning) -> Ctx {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("server.db");
    let server = start_tuned(
        ServerConfig {
            db: Some(path.to_string_lossy().into_owned()),
            listen: "127.0.0.1:0".into(),
            demo: true,
            ..Default::default()
        },
        tuning,
    )
    .await
    .unwrap();
    ctx(server, "sqlite", Some(path), Some(dir), None)
}

pub async fn postgres(base_url: &str) -> Ctx {
    postgres_tuned(base_url, ServerTuning::default()).await
}

pub async fn postgres_tuned(base_url: &str, tuning: ServerTuning) -> Ctx {
    let (url, schema) = fresh_schema(base_url).await;
    let server = start_tuned(
        ServerConfig {
            db: Some(url),
            listen: "127.0.0.1:0".into(),
            demo: true,
            ..Default::default()
        },
        tuning,
    )
    .await
    .unwrap();
    ctx(
        server,
        "postgres",
        None,
        None,
        Some((base_url.to_string(), schema)),
    )
}

fn ctx(
    server: RunningServer,
    backend: &'static str,
    sqlite_path: Option<std::path::PathBuf>,
    dir: Option<tempfile::TempDir>,
    schema: Option<(String, String)>,
) -> Ctx {
    let base = format!("http://{}", server.addr);
    Ctx {
        server: Some(server),
        base,
        http: Client::new(),
        backend,
        sqlite_path,
        _dir: dir,
        schema,
    }
}

impl Ctx {
    /// The database the server runs on, for `dutydesk admin ... --db`.
    pub fn db_url(&self) -> String {
        match (&self.sqlite_path, &self.schema) {
            (Some(path), _) => path.to_string_lossy().into_owned(),
            (None, Some((base, schema))) => schema_url(base, schema),
            (None, None) => unreachable!("every test server has a database"),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn login(&self, username: &str) -> String {
        let r = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": "demo", "device": uuid::Uuid::new_v4().to_string()}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200, "[{}] login {username}", self.backend);
        r.json::<Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string()
    }

    pub async fn get(&self, token: &str, path: &str) -> Response {
        self.http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn post(&self, token: &str, path: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn post_idem(&self, token: &str, path: &str, key: &str, body: Value) -> Response {
        self.http
            .post(self.url(path))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn stop(mut self) {
        if let Some(s) = self.server.take() {
            s.shutdown().await.unwrap();
        }
        if let Some((base, schema)) = self.schema.take() {
            drop_schema(&base, &schema).await;
        }
    }
}

/// Asserts a problem+json answer with this status and code; returns it.
pub async fn problem(r: Response, status: u16, code: &str) -> Value {
    let got = r.status();
    let ctype = r
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = r.text().await.unwrap();
    assert_eq!(got, StatusCode::from_u16(status).unwrap(), "body: {body}");
    assert_eq!(ctype, "application/problem+json", "body: {body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["code"], code, "body: {body}");
    assert!(
        !v["detail"].as_str().unwrap_or("").is_empty(),
        "a problem says what to do: {body}"
    );
    v
}

pub async fn json(r: Response, status: u16) -> Value {
    let got = r.status();
    let body = r.text().await.unwrap();
    assert_eq!(got.as_u16(), status, "body: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Runs one async test body on every configured backend.
#[macro_export]
macro_rules! on_all_backends {
    ($name:ident, $body:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            let ctx = $crate::support::sqlite().await;
            $body(&ctx).await;
            ctx.stop().await;
            if let Some(url) = $crate::support::postgres_url() {
                let ctx = $crate::support::postgres(&url).await;
                $body(&ctx).await;
                ctx.stop().await;
            }
        }
    };
}

/// 2026-04-12 10:00 in Beijing: April's first half is still open (due on
/// the 16th), March's form-1 periods are closed, March of form 2 is open
/// until the 23rd.
pub const APRIL_12: i64 = 1_775_959_200_000;

/// A server whose clock stands at `at` (see `dutydesk::server::clock`).
pub fn at(at: i64) -> dutydesk::server::ServerTuning {
    dutydesk::server::ServerTuning {
        clock: dutydesk::server::clock::Clock::fixed(at),
        ..Default::default()
    }
}

/// Runs one async test body on every configured backend, the server's
/// clock standing at `$at` (epoch ms).
#[macro_export]
macro_rules! on_all_backends_at {
    ($name:ident, $body:ident, $at:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            let ctx = $crate::support::sqlite_tuned($crate::support::at($at)).await;
            $body(&ctx).await;
            ctx.stop().await;
            if let Some(url) = $crate::support::postgres_url() {
                let ctx = $crate::support::postgres_tuned(&url, $crate::support::at($at)).await;
                $body(&ctx).await;
                ctx.stop().await;
            }
        }
    };
}

/// The first of the caller's items matching `pred`.
pub async fn my_item(ctx: &Ctx, token: &str, pred: impl Fn(&Value) -> bool) -> Value {
    let list = json(ctx.get(token, "/api/v1/items").await, 200).await;
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| pred(i))
        .cloned()
        .expect("a matching demo item")
}

/// Two instances on one fresh PostgreSQL schema (demo data seeded by the
/// first). Stop the second first: the first drops the schema.
pub async fn postgres_pair(base_url: &str, tuning: ServerTuning) -> (Ctx, Ctx) {
    let (url, schema) = fresh_schema(base_url).await;
    let mut servers = Vec::new();
    for demo in [true, false] {
        let config = ServerConfig {
            db: Some(url.clone()),
            listen: "127.0.0.1:0".into(),
            demo,
            ..Default::default()
        };
        servers.push(start_tuned(config, tuning.clone()).await.unwrap());
    }
    let second = servers.pop().unwrap();
    let first = servers.pop().unwrap();
    let schema = Some((base_url.to_string(), schema));
    (
        ctx(first, "postgres", None, None, schema),
        ctx(second, "postgres", None, None, None),
    )
}
