//! The parts of the fault soak (`soak.rs`): its database, the server and
//! client processes, and the set-up's direct API calls.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

use crate::soak::{Backend, COMMAND_DEADLINE_MS, REQUEST_DEADLINE_MS, SoakConfig};

/// The database a soak runs on; dropped (PostgreSQL schema) by `cleanup`.
pub(crate) struct Db {
    pub(crate) url: String,
    pub(crate) pg: Option<(String, String)>,
}

impl Db {
    pub(crate) async fn new(cfg: &SoakConfig, dir: &Path) -> anyhow::Result<Db> {
        match cfg.backend {
            Backend::Sqlite => Ok(Db {
                url: dir.join("server.db").to_string_lossy().into_owned(),
                pg: None,
            }),
            Backend::Postgres => {
                let base = cfg
                    .postgres_url
                    .clone()
                    .context("--backend postgres needs DUTYDESK_TEST_POSTGRES_URL")?;
                sqlx::any::install_default_drivers();
                let schema = format!("soak_{}", uuid::Uuid::new_v4().simple());
                let admin = sqlx::AnyPool::connect(&base)
                    .await
                    .context("connecting to PostgreSQL")?;
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(&admin)
                    .await?;
                admin.close().await;
                let sep = if base.contains('?') { '&' } else { '?' };
                Ok(Db {
                    url: format!("{base}{sep}options=-csearch_path%3D{schema}"),
                    pg: Some((base, schema)),
                })
            }
        }
    }

    pub(crate) fn query_url(&self) -> String {
        match &self.pg {
            Some(_) => self.url.clone(),
            None => format!("sqlite://{}", self.url),
        }
    }

    pub(crate) async fn cleanup(&self) {
        if let Some((base, schema)) = &self.pg
            && let Ok(admin) = sqlx::AnyPool::connect(base).await
        {
            let _ = sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                .execute(&admin)
                .await;
            admin.close().await;
        }
    }

    /// How many rows carry each soak note, per record table (an outcome
    /// with minutes also writes a time entry with its note).
    pub(crate) async fn rows_by_note(&self) -> anyhow::Result<HashMap<(&'static str, String), i64>> {
        sqlx::any::install_default_drivers();
        let pool = sqlx::AnyPool::connect(&self.query_url()).await?;
        let mut out = HashMap::new();
        for table in ["time_entries", "outcomes", "activities"] {
            let rows: Vec<(String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT note, COUNT(*) FROM {table} WHERE note LIKE 'soak-%' GROUP BY note"
            )))
            .fetch_all(&pool)
            .await?;
            for (note, n) in rows {
                *out.entry((table, note)).or_default() += n;
            }
        }
        pool.close().await;
        Ok(out)
    }
}

/// The real server as a child process on a fixed loopback port.
pub(crate) struct ServerProc {
    pub(crate) bin: PathBuf,
    pub(crate) db: String,
    pub(crate) port: u16,
    pub(crate) log: PathBuf,
    pub(crate) child: Option<Child>,
}

impl ServerProc {
    /// Starts it on its port or, when that stays taken (a killed server's
    /// port reused by another socket), on a new one.
    pub(crate) async fn start(&mut self, demo: bool) -> anyhow::Result<()> {
        let mut last = Ok(());
        for _ in 0..3 {
            last = self.start_on_port(demo).await;
            if last.is_ok() {
                return last;
            }
            self.port = free_port()?;
        }
        last
    }

    async fn start_on_port(&mut self, demo: bool) -> anyhow::Result<()> {
        let mut last = String::new();
        for _ in 0..20 {
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.log)?;
            let mut c = Command::new(&self.bin);
            c.args([
                "serve",
                "--db",
                &self.db,
                "--listen",
                &format!("127.0.0.1:{}", self.port),
            ]);
            if demo {
                c.arg("--demo");
            }
            c.env("RUST_LOG", "warn")
                .env("DUTYDESK_LANG", "en")
                .stdin(Stdio::null())
                .stdout(Stdio::from(log.try_clone()?))
                .stderr(Stdio::from(log))
                .kill_on_drop(true);
            let mut child = c
                .spawn()
                .with_context(|| format!("starting {}", self.bin.display()))?;
            let health = format!("http://127.0.0.1:{}/healthz", self.port);
            let http = reqwest::Client::new();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(60) {
                if let Some(status) = child.try_wait()? {
                    last = format!("exited with {status}");
                    break;
                }
                if let Ok(r) = http.get(&health).timeout(Duration::from_secs(2)).send().await
                    && r.status().is_success()
                {
                    self.child = Some(child);
                    return Ok(());
                }
                tokio::time::sleep(Duration::from_millis(25)).await;
            }
            let _ = child.kill().await;
            // The port may still be held by the killed one for a moment.
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let tail = std::fs::read_to_string(&self.log).unwrap_or_default();
        let tail: String = tail.lines().rev().take(10).collect::<Vec<_>>().join("\n");
        bail!(
            "the server did not start on port {} ({last}); its log ends:\n{tail}",
            self.port
        )
    }

    pub(crate) async fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill().await;
        }
    }

    /// Whether it ended on its own (a crash).
    pub(crate) fn crashed(&mut self) -> bool {
        match self.child.as_mut().map(|c| c.try_wait()) {
            Some(Ok(Some(_))) => {
                self.child = None;
                true
            }
            _ => false,
        }
    }
}

/// One home for the client: temp XDG dirs, English, short deadlines.
#[derive(Clone)]
pub(crate) struct Client {
    pub(crate) bin: PathBuf,
    pub(crate) home: PathBuf,
}

pub(crate) struct ClientRun {
    pub(crate) code: Option<i32>,
    pub(crate) stdout: String,
    pub(crate) stderr: String,
}

impl Client {
    pub(crate) fn command(&self, args: &[String]) -> Command {
        let mut c = Command::new(&self.bin);
        c.args(args)
            .env_clear()
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join("config"))
            .env("XDG_DATA_HOME", self.home.join("data"))
            .env("XDG_STATE_HOME", self.home.join("state"))
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DUTYDESK_LANG", "en")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
            .env("DUTYDESK_REQUEST_DEADLINE_MS", REQUEST_DEADLINE_MS.to_string())
            .env("DUTYDESK_COMMAND_DEADLINE_MS", COMMAND_DEADLINE_MS.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        c
    }

    /// Runs one command; kill -9 after `kill_after` if it is still running.
    pub(crate) async fn run(
        self,
        args: Vec<String>,
        stdin: Option<String>,
        kill_after: Option<Duration>,
    ) -> anyhow::Result<ClientRun> {
        let mut child = self.command(&args).spawn()?;
        if let Some(mut input) = child.stdin.take() {
            use tokio::io::AsyncWriteExt;
            if let Some(text) = stdin {
                input.write_all(text.as_bytes()).await?;
            }
        }
        let mut out = child.stdout.take().context("stdout")?;
        let mut err = child.stderr.take().context("stderr")?;
        let read_out = tokio::spawn(async move {
            let mut s = Vec::new();
            let _ = out.read_to_end(&mut s).await;
            s
        });
        let read_err = tokio::spawn(async move {
            let mut s = Vec::new();
            let _ = err.read_to_end(&mut s).await;
            s
        });
        let limit = kill_after.unwrap_or(Duration::from_millis(COMMAND_DEADLINE_MS * 3));
        let code = match tokio::time::timeout(limit, child.wait()).await {
            Ok(status) => status?.code(),
            Err(_) => {
                child.kill().await?;
                if kill_after.is_none() {
                    bail!("`dutydesk {}` ran past its own deadline", args.join(" "));
                }
                None
            }
        };
        Ok(ClientRun {
            code,
            stdout: String::from_utf8_lossy(&read_out.await?).into_owned(),
            stderr: String::from_utf8_lossy(&read_err.await?).into_owned(),
        })
    }
}

pub(crate) fn free_port() -> std::io::Result<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(l.local_addr()?.port())
}

pub(crate) fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// Direct API calls for the set-up (not through the proxy).
pub(crate) async fn api_login(http: &reqwest::Client, base: &str, user: &str) -> anyhow::Result<String> {
    let v: serde_json::Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": user, "password": "demo"}))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    Ok(v["token"]
        .as_str()
        .context("login answer without a token")?
        .to_string())
}

/// `n` consultations for the lawyer (one for time entries, the rest each
/// take one outcome), registered at the intake desk.
pub(crate) async fn make_items(base: &str, n: usize) -> anyhow::Result<Vec<i64>> {
    let http = reqwest::Client::new();
    let lawyer = api_login(&http, base, "lawyer").await?;
    let desk = api_login(&http, base, "intake").await?;
    let me: serde_json::Value = http
        .get(format!("{base}/api/v1/me"))
        .bearer_auth(&lawyer)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    let (me_id, unit) = (
        me["id"].as_i64().context("me.id")?,
        me["unit"]["id"].as_i64().context("me.unit.id")?,
    );
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let body = serde_json::json!({
            "kind": "consultation", "title": format!("soak consultation {i}"), "channel": "hotline",
            "category": "wages", "unit_id": unit, "assignee_id": me_id,
            "parties": [{"name": format!("soak applicant {i}"), "role": "applicant"}],
        });
        let v: serde_json::Value = http
            .post(format!("{base}/api/v1/items"))
            .bearer_auth(&desk)
            .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        ids.push(v["item"]["id"].as_i64().context("item.id")?);
    }
    Ok(ids)
}
