//! The randomized fault soak (issue 14): random writes (time entries,
//! outcomes, activities, and `sync`) through the real `dutydesk` binary
//! against the real `dutydesk serve` behind a fault-injecting proxy
//! (`fault_proxy.rs`), with random kill -9 of the client and of the server
//! (restarted on the same database). A ledger keeps every entry the client
//! said it saved ("Saved: ..." on its standard output); at the end the link
//! is healed, the client flushes, and each ledger entry is looked up among
//! the server's rows by its note: lost = saved but not there, doubled =
//! there more than once. `dutydesk admin stats rebuild` must change 0 cells.
//!
//! Loopback only; bounded: each client command has a deadline, each run
//! at most one command, and everything lives in one temp dir (or a fresh
//! PostgreSQL schema) removed at the end. Used by `examples/fault_soak.rs`
//! and `tests/fault_soak.rs` (which include `fault_proxy.rs` as
//! `crate::fault_proxy`).

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::process::Command;

use crate::fault_proxy::FaultProxy;
use crate::soak_parts::{Client, Db, ServerProc, free_port, make_items, s};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Debug, Clone)]
pub struct SoakConfig {
    pub seed: u64,
    pub runs: u32,
    pub backend: Backend,
    /// The `dutydesk` binary (client and server).
    pub bin: PathBuf,
    /// PostgreSQL base URL (a fresh schema is made in it and dropped).
    pub postgres_url: Option<String>,
    /// The chance that one request meets a fault.
    pub fault_rate: f64,
    /// The chance that a run kills the client (kill -9) at a random moment.
    pub client_kill_rate: f64,
    /// The chance that a run kills the server (kill -9) at a random moment.
    pub server_kill_rate: f64,
    /// Prints one line per run.
    pub verbose: bool,
}

impl SoakConfig {
    pub fn new(bin: PathBuf, backend: Backend, seed: u64, runs: u32) -> SoakConfig {
        SoakConfig {
            seed,
            runs,
            backend,
            bin,
            postgres_url: None,
            fault_rate: 0.35,
            client_kill_rate: 0.15,
            server_kill_rate: 0.04,
            verbose: false,
        }
    }
}

/// The client's per-request deadline in the soak, and the proxy's stall
/// (past it).
pub(crate) const REQUEST_DEADLINE_MS: u64 = 700;
const STALL: Duration = Duration::from_millis(1_000);
pub(crate) const COMMAND_DEADLINE_MS: u64 = 8_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum WriteKind {
    Time,
    Outcome,
    Activity,
    Sync,
}

impl WriteKind {
    /// The server's table its record lands in.
    pub(crate) fn table(self) -> &'static str {
        match self {
            WriteKind::Time | WriteKind::Sync => "time_entries",
            WriteKind::Outcome => "outcomes",
            WriteKind::Activity => "activities",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Time => "time",
            WriteKind::Outcome => "outcome",
            WriteKind::Activity => "activity",
            WriteKind::Sync => "sync",
        }
    }
}

#[derive(Debug, Default)]
pub struct SoakReport {
    pub backend: String,
    pub seed: u64,
    pub runs: u32,
    pub faults: BTreeMap<String, u64>,
    pub client_kills: u32,
    pub server_kills: u32,
    /// The server process ended without being killed (a crash).
    pub server_crashes: u32,
    /// Entries the client said it saved, by kind.
    pub saved: BTreeMap<String, u32>,
    /// Exit codes of the client commands that ran to the end.
    pub exits: BTreeMap<String, u32>,
    /// Rows on the server whose entry the client never said it saved (a
    /// client killed between its commit and "Saved"): allowed, counted.
    pub unreported_delivered: u32,
    pub lost: Vec<String>,
    pub doubled: Vec<String>,
    /// Outbox entries left at the end (after the healed flush).
    pub left_in_outbox: Vec<String>,
    pub rebuild_changed: Option<u64>,
    pub rebuild_line: String,
    pub wall: Duration,
}

impl SoakReport {
    pub fn saved_total(&self) -> u32 {
        self.saved.values().sum()
    }

    /// 0 lost, 0 doubled, nothing left unsent, 0 aggregate cells changed.
    pub fn ok(&self) -> bool {
        self.lost.is_empty()
            && self.doubled.is_empty()
            && self.left_in_outbox.is_empty()
            && self.rebuild_changed == Some(0)
            && self.server_crashes == 0
    }
}

impl std::fmt::Display for SoakReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let join = |m: &BTreeMap<String, u64>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let faults_total: u64 = self
            .faults
            .iter()
            .filter(|(k, _)| k.as_str() != "upstream_down")
            .map(|(_, v)| v)
            .sum();
        writeln!(f, "fault soak: backend {}, seed {}", self.backend, self.seed)?;
        writeln!(f, "runs: {}", self.runs)?;
        writeln!(f, "faults: {faults_total} ({})", join(&self.faults))?;
        writeln!(
            f,
            "kill -9: client {}, server {}; server crashes: {}",
            self.client_kills, self.server_kills, self.server_crashes
        )?;
        let saved: BTreeMap<String, u64> = self
            .saved
            .iter()
            .map(|(k, v)| (k.clone(), u64::from(*v)))
            .collect();
        writeln!(f, "saved: {} ({})", self.saved_total(), join(&saved))?;
        let exits: BTreeMap<String, u64> = self
            .exits
            .iter()
            .map(|(k, v)| (k.clone(), u64::from(*v)))
            .collect();
        writeln!(f, "client exits: {}", join(&exits))?;
        writeln!(
            f,
            "delivered without a \"Saved\" (client killed before it printed): {}",
            self.unreported_delivered
        )?;
        writeln!(f, "lost: {}{}", self.lost.len(), list(&self.lost))?;
        writeln!(f, "doubled: {}{}", self.doubled.len(), list(&self.doubled))?;
        writeln!(
            f,
            "left in the outbox: {}{}",
            self.left_in_outbox.len(),
            list(&self.left_in_outbox)
        )?;
        writeln!(f, "stats rebuild: {}", self.rebuild_line.trim())?;
        write!(f, "wall time: {:.1} s", self.wall.as_secs_f64())
    }
}

fn list(v: &[String]) -> String {
    if v.is_empty() {
        String::new()
    } else {
        let shown: Vec<_> = v.iter().take(20).cloned().collect();
        format!(
            " ({}{})",
            shown.join(", "),
            if v.len() > 20 { ", ..." } else { "" }
        )
    }
}

/// Runs one soak; `Err` only when the soak itself could not run.
pub async fn soak(cfg: &SoakConfig) -> anyhow::Result<SoakReport> {
    let started = Instant::now();
    let dir = tempfile::tempdir()?;
    let db = Db::new(cfg, dir.path()).await?;
    let result = soak_in(cfg, dir.path(), &db).await;
    db.cleanup().await;
    let mut report = result?;
    report.wall = started.elapsed();
    Ok(report)
}

async fn soak_in(cfg: &SoakConfig, dir: &Path, db: &Db) -> anyhow::Result<SoakReport> {
    let mut rng = StdRng::seed_from_u64(cfg.seed);
    let mut report = SoakReport {
        backend: match cfg.backend {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        seed: cfg.seed,
        runs: cfg.runs,
        ..Default::default()
    };
    // The plan: each run's kind, drawn first so the items can be made.
    let plan: Vec<WriteKind> = (0..cfg.runs)
        .map(|_| match rng.random_range(0..100) {
            0..40 => WriteKind::Time,
            40..65 => WriteKind::Outcome,
            65..90 => WriteKind::Activity,
            _ => WriteKind::Sync,
        })
        .collect();
    let outcomes = plan.iter().filter(|k| **k == WriteKind::Outcome).count();

    let port = free_port()?;
    let mut server = ServerProc {
        bin: cfg.bin.clone(),
        db: db.url.clone(),
        port,
        log: dir.join("server.log"),
        child: None,
    };
    server.start(true).await?;
    let direct = format!("http://127.0.0.1:{}", server.port);
    let items = make_items(&direct, outcomes + 1).await?;
    let proxy = FaultProxy::start(
        format!("127.0.0.1:{}", server.port),
        cfg.seed ^ 0x5eed,
        cfg.fault_rate,
        STALL,
    )
    .await?;

    let client = Client {
        bin: cfg.bin.clone(),
        home: dir.join("home"),
    };
    let config_dir = client.home.join("config").join("dutydesk");
    std::fs::create_dir_all(&config_dir)?;
    std::fs::write(
        config_dir.join("config.toml"),
        format!(
            "[profiles.default]\nserver = \"{}\"\nuser = \"lawyer\"\n",
            proxy.url
        ),
    )?;
    // Signed in and the items cached over the healed link.
    for args in [s(&["login", "--password-stdin"]), s(&["list", "--json"])] {
        let r = client
            .clone()
            .run(args.clone(), Some("demo\n".into()), None)
            .await?;
        if r.code != Some(0) {
            bail!(
                "set-up `dutydesk {}` failed ({:?}): {}",
                args.join(" "),
                r.code,
                r.stderr
            );
        }
    }
    proxy.break_link();

    let time_item = items[0].to_string();
    let mut next_outcome = 1usize;
    let mut ledger: Vec<(String, WriteKind)> = Vec::new();
    for (i, kind) in plan.iter().enumerate() {
        let tag = format!("soak-{i}");
        let args: Vec<String> = match kind {
            WriteKind::Time => {
                let activity =
                    ["preparation", "session", "follow_up", "travel", "duty"][rng.random_range(0..5)];
                // Small: a day's logged time stays under 24 hours.
                let minutes = rng.random_range(1..=2).to_string();
                s(&[
                    "time",
                    &time_item,
                    "--minutes",
                    &minutes,
                    "--activity",
                    activity,
                    "--note",
                    &tag,
                ])
            }
            WriteKind::Outcome => {
                let id = items[next_outcome].to_string();
                next_outcome += 1;
                s(&["log", &id, "--outcome", "answered", "--note", &tag])
            }
            WriteKind::Activity => {
                let indicator = ["contact_cards", "enterprises_visited"][rng.random_range(0..2)];
                let count = rng.random_range(1..=20).to_string();
                s(&[
                    "activity",
                    "--indicator",
                    indicator,
                    "--count",
                    &count,
                    "--note",
                    &tag,
                ])
            }
            WriteKind::Sync => s(&["sync"]),
        };
        let kill_client = rng
            .random_bool(cfg.client_kill_rate)
            .then(|| Duration::from_millis(rng.random_range(0..1_500)));
        let kill_server = rng
            .random_bool(cfg.server_kill_rate)
            .then(|| Duration::from_millis(rng.random_range(0..800)));
        let task = tokio::spawn(client.clone().run(args.clone(), None, kill_client));
        if let Some(after) = kill_server {
            tokio::time::sleep(after).await;
            server.kill().await;
            report.server_kills += 1;
        }
        let r = task.await??;
        match r.code {
            Some(c) => *report.exits.entry(c.to_string()).or_default() += 1,
            None => report.client_kills += 1,
        }
        let said_saved = r.stdout.lines().any(|l| l.starts_with("Saved: "));
        if said_saved && *kind != WriteKind::Sync {
            ledger.push((tag.clone(), *kind));
            *report.saved.entry(kind.name().to_string()).or_default() += 1;
        }
        if cfg.verbose {
            println!(
                "run {i}: {} -> {} {}",
                args.join(" "),
                r.code.map_or("killed".to_string(), |c| c.to_string()),
                r.stderr.lines().next().unwrap_or_default()
            );
        }
        if server.crashed() {
            report.server_crashes += 1;
            eprintln!(
                "run {i}: the server ended on its own; see {}",
                server.log.display()
            );
        }
        if server.child.is_none() {
            server.start(false).await?;
            proxy.set_upstream(format!("127.0.0.1:{}", server.port));
        }
    }

    // Healed: the client flushes what waits.
    proxy.heal();
    if server.child.is_none() {
        server.start(false).await?;
        proxy.set_upstream(format!("127.0.0.1:{}", server.port));
    }
    for _ in 0..10 {
        let r = client.clone().run(s(&["sync"]), None, None).await?;
        if r.code == Some(0) {
            break;
        }
    }
    let r = client.clone().run(s(&["outbox", "--json"]), None, None).await?;
    let left: Vec<serde_json::Value> =
        serde_json::from_str(&r.stdout).with_context(|| format!("outbox --json: {}", r.stderr))?;
    report.left_in_outbox = left
        .iter()
        .map(|e| {
            format!(
                "{} {} {}",
                e["state"].as_str().unwrap_or("?"),
                e["body"]["note"].as_str().unwrap_or("?"),
                e["last_error"].as_str().unwrap_or_default()
            )
        })
        .collect();
    server.kill().await;

    let rows = db.rows_by_note().await?;
    for (tag, kind) in &ledger {
        if rows.get(&(kind.table(), tag.clone())).copied().unwrap_or(0) == 0 {
            report.lost.push(format!("{tag} ({})", kind.name()));
        }
    }
    let mut doubled: Vec<_> = rows
        .iter()
        .filter(|(_, n)| **n > 1)
        .map(|((table, t), n)| format!("{t} {table}×{n}"))
        .collect();
    doubled.sort();
    report.doubled = doubled;
    let in_ledger: std::collections::HashSet<&str> = ledger.iter().map(|(t, _)| t.as_str()).collect();
    let unreported: std::collections::HashSet<&str> = rows
        .keys()
        .map(|(_, t)| t.as_str())
        .filter(|t| !in_ledger.contains(t))
        .collect();
    report.unreported_delivered = unreported.len() as u32;
    report.faults = proxy
        .counts()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();

    let out = Command::new(&cfg.bin)
        .args(["admin", "stats", "rebuild", "--db", &db.url])
        .env("DUTYDESK_LANG", "en")
        .env("LANG", "C")
        .env("RUST_LOG", "warn")
        .output()
        .await?;
    report.rebuild_line = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    if !out.status.success() {
        report.rebuild_line = format!("failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    report.rebuild_changed = report
        .rebuild_line
        .split(", ")
        .find_map(|part| part.strip_suffix(" changed.").and_then(|n| n.trim().parse().ok()));
    Ok(report)
}
