//! Load simulation (issue 13), bounded in time and count, loopback only:
//! K `dutydesk serve` instances on one PostgreSQL database, N lawyers each
//! holding an event stream (spread over the instances and over C client
//! processes, since a process here may hold 20,000 descriptors), and W
//! writes per second, each through the instance the lawyer is NOT on, so
//! every push crosses instances. Reports streams held, push latency (from
//! the change's server time stamp, taken inside the write transaction,
//! before its commit, to the client reading it), server RSS per stream, and
//! errors (failed writes, pushes that never came, streams lost). The client
//! processes start one after another, the servers' RSS read after each: the
//! cost of a stream is the slope between those steps, in one run.
//!
//! cargo build --release --all-features --bin dutydesk --example load_sim
//! target/release/examples/load_sim run --pg postgres://postgres@127.0.0.1:5432/test \
//!     --instances 2 --streams 20000 --writes 50 --secs 60 --clients 4

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use clap::Parser;
use rand::seq::SliceRandom;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

/// Users, tokens and items of the simulation start at this id.
const BASE: i64 = 1_000_000;

#[derive(Parser)]
enum Cli {
    /// Runs the whole simulation.
    Run(RunArgs),
    /// One client process (started by `run`): holds streams for lawyers
    /// [from, to) until its stdin closes, then prints its results.
    Client {
        #[arg(long)]
        ports: String,
        #[arg(long)]
        from: i64,
        #[arg(long)]
        to: i64,
    },
}

#[derive(clap::Args)]
struct RunArgs {
    /// PostgreSQL on loopback; a fresh schema is made and dropped.
    #[arg(long)]
    pg: String,
    #[arg(long, default_value_t = 2)]
    instances: usize,
    #[arg(long, default_value_t = 20_000)]
    streams: i64,
    /// Writes per second.
    #[arg(long, default_value_t = 50)]
    writes: u64,
    /// How long the writes run, in seconds (at most 600).
    #[arg(long, default_value_t = 60)]
    secs: u64,
    /// Client processes holding the streams.
    #[arg(long, default_value_t = 4)]
    clients: i64,
    /// The server binary.
    #[arg(long, default_value = "target/release/dutydesk")]
    bin: String,
}

fn main() -> anyhow::Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    match Cli::parse() {
        Cli::Run(args) => rt.block_on(run(args)),
        Cli::Client { ports, from, to } => rt.block_on(client(ports, from, to)),
    }
}

fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|v| v.parse().ok()))
        })
        .unwrap_or(0)
}

struct Servers {
    children: Vec<Child>,
    ports: Vec<u16>,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for c in &mut self.children {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

async fn wait_healthy(http: &reqwest::Client, port: u16) -> anyhow::Result<()> {
    for _ in 0..300 {
        if let Ok(r) = http.get(format!("http://127.0.0.1:{port}/healthz")).send().await
            && r.status().is_success()
        {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    bail!("the instance on port {port} did not answer /healthz")
}

async fn seed(url: &str, n: i64) -> anyhow::Result<()> {
    let pool = sqlx::PgPool::connect(url).await?;
    let now = now_ms();
    sqlx::query("INSERT INTO units (id, name, kind) VALUES ($1, 'sim', 'law_firm')")
        .bind(BASE)
        .execute(&pool)
        .await?;
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, profession, unit_id, password_hash, created_at) \
         SELECT $1 + g, 'sim' || g, 'Sim ' || g, 'lawyer', 'lawyer', $1, 'none', $2 FROM generate_series(0, $3 - 1) g",
    )
    .bind(BASE)
    .bind(now)
    .bind(n)
    .execute(&pool)
    .await?;
    sqlx::query(
        "INSERT INTO tokens (id, user_id, token_hash, device, created_at) \
         SELECT $1 + g, $1 + g, encode(sha256(convert_to('simtoken-' || g, 'UTF8')), 'hex'), 'sim', $2 \
         FROM generate_series(0, $3 - 1) g",
    )
    .bind(BASE)
    .bind(now)
    .bind(n)
    .execute(&pool)
    .await?;
    sqlx::query(
        "INSERT INTO items (id, kind, title, description, channel, category, green_channel, frontline_group, \
         fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, typical_case, \
         version, change_seq) \
         SELECT $1 + g, 'consultation', '咨询 ' || g, '劳动合同纠纷咨询', 'walk_in', 'labour_contract', 0, NULL, 0, \
         'accepted', $1 + g, $1, '[]', $2, $2, $2, 0, 1, 1 FROM generate_series(0, $3 - 1) g",
    )
    .bind(BASE)
    .bind(now)
    .bind(n)
    .execute(&pool)
    .await?;
    pool.close().await;
    Ok(())
}

/// The host of a `postgres://user@host:port/db` URL.
fn pg_host(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if host_port.starts_with('[') {
        return host_port
            .split_once(']')
            .map_or(host_port, |(h, _)| h)
            .trim_start_matches('[');
    }
    host_port.split(':').next().unwrap_or_default()
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn run(args: RunArgs) -> anyhow::Result<()> {
    let host = pg_host(&args.pg);
    ensure!(
        matches!(host, "127.0.0.1" | "localhost" | "::1"),
        "loopback only: --pg must be on 127.0.0.1, not {host}"
    );
    ensure!(
        args.secs <= 600 && args.streams <= 50_000 && args.writes <= 1_000,
        "bounded: --secs ≤ 600, --streams ≤ 50000, --writes ≤ 1000"
    );
    ensure!(args.instances >= 1 && args.clients >= 1);

    // A fresh schema, dropped at the end.
    let schema = format!("sim_{}", uuid::Uuid::new_v4().simple());
    let admin = sqlx::PgPool::connect(&args.pg).await?;
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
        .execute(&admin)
        .await?;
    let sep = if args.pg.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}options=-csearch_path%3D{schema}", args.pg);
    let result = simulate(&args, &url).await;
    sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
        .execute(&admin)
        .await?;
    admin.close().await;
    result
}

async fn simulate(args: &RunArgs, url: &str) -> anyhow::Result<()> {
    let http = reqwest::Client::new();
    let mut servers = Servers {
        children: Vec::new(),
        ports: Vec::new(),
    };
    for i in 0..args.instances {
        let port = free_port()?;
        let mut cmd = Command::new(&args.bin);
        cmd.args(["serve", "--db", url, "--listen", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        if i == 0 {
            cmd.arg("--demo");
        }
        servers
            .children
            .push(cmd.spawn().with_context(|| format!("starting {}", args.bin))?);
        servers.ports.push(port);
        wait_healthy(&http, port).await?;
    }
    seed(url, args.streams).await?;
    let rss_before: Vec<u64> = servers.children.iter().map(|c| rss_kb(c.id())).collect();

    // The client processes, each with its share of lawyers.
    let exe = std::env::current_exe()?;
    let ports = servers
        .ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let per = (args.streams + args.clients - 1) / args.clients;
    let mut clients = Vec::new();
    let (lines_tx, mut lines_rx) = tokio::sync::mpsc::unbounded_channel::<(usize, String)>();
    let opening = Instant::now();
    let mut settling = Duration::ZERO;
    let mut held = vec![0i64; args.clients as usize];
    // RSS per instance after each client process holds its streams: the
    // cost of a stream is the slope, measured in this one run.
    let mut steps: Vec<(i64, Vec<u64>)> = vec![(0, rss_before.clone())];
    for c in 0..args.clients {
        let (from, to) = (c * per, ((c + 1) * per).min(args.streams));
        let mut child = Command::new(&exe)
            .args([
                "client",
                "--ports",
                &ports,
                "--from",
                &from.to_string(),
                "--to",
                &to.to_string(),
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let stdout = child.stdout.take().context("client stdout")?;
        let tx = lines_tx.clone();
        let index = clients.len();
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send((index, line));
            }
        });
        clients.push(child);
        loop {
            let (i, line) = tokio::time::timeout(Duration::from_secs(300), lines_rx.recv())
                .await
                .context("a client did not open its streams within 300 s")?
                .context("a client ended")?;
            if let Some(n) = line.strip_prefix("HELD ") {
                held[i] = n.trim().parse()?;
                break;
            }
        }
        // Let the servers settle (allocators, task queues) before measuring.
        tokio::time::sleep(Duration::from_secs(2)).await;
        settling += Duration::from_secs(2);
        let rss: Vec<u64> = servers.children.iter().map(|c| rss_kb(c.id())).collect();
        steps.push((held.iter().sum(), rss));
    }
    let opened_in = opening.elapsed().saturating_sub(settling);
    let held_total: i64 = held.iter().sum();
    let rss_held = steps.last().map(|(_, rss)| rss.clone()).unwrap_or_default();

    // The writes: each lawyer at most once (no version races), through the
    // instance their stream is not on.
    let mut order: Vec<i64> = (0..args.streams).collect();
    order.shuffle(&mut rand::rng());
    let total = (args.writes * args.secs).min(args.streams as u64) as usize;
    let ok = Arc::new(AtomicU64::new(0));
    let failed = Arc::new(AtomicU64::new(0));
    let mut tick = tokio::time::interval(Duration::from_secs_f64(1.0 / args.writes as f64));
    let mut tasks = Vec::new();
    let writing = Instant::now();
    for &g in order.iter().take(total) {
        tick.tick().await;
        let port = servers.ports[((g + 1) as usize) % servers.ports.len()];
        let (http, ok, failed) = (http.clone(), ok.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            let r = http
                .post(format!(
                    "http://127.0.0.1:{port}/api/v1/items/{}/typical",
                    BASE + g
                ))
                .bearer_auth(format!("simtoken-{g}"))
                .json(&serde_json::json!({"typical": true, "version": 1}))
                .send()
                .await;
            match r {
                Ok(r) if r.status().is_success() => ok.fetch_add(1, Ordering::Relaxed),
                _ => failed.fetch_add(1, Ordering::Relaxed),
            };
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let wrote_in = writing.elapsed();
    let rss_end: Vec<u64> = servers.children.iter().map(|c| rss_kb(c.id())).collect();
    tokio::time::sleep(Duration::from_secs(3)).await;

    // Closing stdin asks each client for its results.
    for c in &mut clients {
        drop(c.stdin.take());
    }
    let mut latencies: Vec<u32> = Vec::new();
    let (mut lost, mut bad, mut done) = (0u64, 0u64, 0);
    while done < clients.len() {
        let (_, line) = tokio::time::timeout(Duration::from_secs(120), lines_rx.recv())
            .await
            .context("clients did not report within 120 s")?
            .context("a client ended without reporting")?;
        if let Some(json) = line.strip_prefix("RESULT ") {
            let r: serde_json::Value = serde_json::from_str(json)?;
            lost += r["lost"].as_u64().unwrap_or(0);
            bad += r["bad"].as_u64().unwrap_or(0);
            latencies.extend(
                r["latencies"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|v| v.as_u64())
                    .map(|v| v as u32),
            );
            done += 1;
        }
    }
    for c in &mut clients {
        let _ = c.wait();
    }
    latencies.sort_unstable();
    let writes_ok = ok.load(Ordering::Relaxed);
    let writes_failed = failed.load(Ordering::Relaxed);
    let missing = writes_ok.saturating_sub(latencies.len() as u64);
    let errors = writes_failed + missing + lost + bad + (args.streams - held_total) as u64;

    println!(
        "instances: {}, client processes: {}",
        args.instances, args.clients
    );
    println!(
        "streams held: {held_total} of {} (opened in {:.1} s)",
        args.streams,
        opened_in.as_secs_f64()
    );
    println!(
        "writes: {writes_ok} ok, {writes_failed} failed, over {:.1} s ({:.1}/s)",
        wrote_in.as_secs_f64(),
        writes_ok as f64 / wrote_in.as_secs_f64()
    );
    println!(
        "pushes received: {} (missing {missing}); latency from the change to the client: p50 {} ms, p95 {} ms, p99 {} ms, max {} ms",
        latencies.len(),
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(0)
    );
    for (i, port) in servers.ports.iter().enumerate() {
        let streams = held_total / args.instances as i64;
        let per_stream = (rss_held[i].saturating_sub(rss_before[i])) as f64 * 1024.0 / streams.max(1) as f64;
        println!(
            "instance {i} (port {port}): RSS {} MB before, {} MB holding ~{streams} streams, {} MB after the writes: {:.1} KB per stream",
            rss_before[i] / 1024,
            rss_held[i] / 1024,
            rss_end[i] / 1024,
            per_stream / 1024.0
        );
    }
    let total_mb = |rss: &[u64]| rss.iter().sum::<u64>() as f64 / 1024.0;
    let series: Vec<String> = steps
        .iter()
        .map(|(n, rss)| format!("{n} → {:.1} MB", total_mb(rss)))
        .collect();
    println!(
        "server RSS, all instances, by streams held: {}",
        series.join(", ")
    );
    if let (Some((n0, r0)), Some((n1, r1))) = (steps.get(1), steps.last())
        && n1 > n0
    {
        let slope = (total_mb(r1) - total_mb(r0)) * 1024.0 / (n1 - n0) as f64;
        println!("per stream from {n0} to {n1} streams: {slope:.1} KB");
    }
    println!("streams lost: {lost}, unreadable events: {bad}");
    println!("errors: {errors}");
    Ok(())
}

/// A client process: one raw HTTP/1.1 connection per lawyer, reading
/// server-sent events line by line (small buffers: 5,000 of them here).
async fn client(ports: String, from: i64, to: i64) -> anyhow::Result<()> {
    let ports: Vec<u16> = ports.split(',').map(str::parse).collect::<Result<_, _>>()?;
    let latencies = Arc::new(std::sync::Mutex::new(Vec::<u32>::new()));
    let lost = Arc::new(AtomicU64::new(0));
    let bad = Arc::new(AtomicU64::new(0));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let opened = Arc::new(tokio::sync::Semaphore::new(0));
    let limit = Arc::new(tokio::sync::Semaphore::new(200));
    let mut held: HashMap<i64, ()> = HashMap::new();
    for g in from..to {
        let port = ports[(g as usize) % ports.len()];
        let (latencies, lost, bad, opened, limit) = (
            latencies.clone(),
            lost.clone(),
            bad.clone(),
            opened.clone(),
            limit.clone(),
        );
        let mut stop = stop_rx.clone();
        held.insert(g, ());
        tokio::spawn(async move {
            let permit = limit.acquire_owned().await;
            let stream = async {
                let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
                let req = format!(
                    "GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer simtoken-{g}\r\nAccept: text/event-stream\r\n\r\n"
                );
                s.write_all(req.as_bytes()).await?;
                let mut r = BufReader::with_capacity(1024, s);
                let mut line = String::new();
                r.read_line(&mut line).await?;
                anyhow::ensure!(line.starts_with("HTTP/1.1 200"), "answered {line:?}");
                anyhow::Ok(r)
            };
            let mut r = match stream.await {
                Ok(r) => r,
                Err(_) => {
                    lost.fetch_add(1, Ordering::Relaxed);
                    opened.add_permits(1);
                    return;
                }
            };
            drop(permit);
            opened.add_permits(1);
            let mut line = String::new();
            loop {
                line.clear();
                let read = tokio::select! {
                    n = r.read_line(&mut line) => n,
                    _ = stop.wait_for(|s| *s) => return,
                };
                match read {
                    Ok(0) | Err(_) => {
                        lost.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                    Ok(_) => {}
                }
                let Some(data) = line.trim_end().strip_prefix("data:") else {
                    continue;
                };
                match serde_json::from_str::<serde_json::Value>(data.trim()) {
                    Ok(v) if v["kind"] == "heartbeat" => {}
                    Ok(v) => {
                        if let Some(at) = v["at"].as_i64()
                            && v["item_id"].is_i64()
                        {
                            let ms = (now_ms() - at).max(0) as u32;
                            latencies.lock().unwrap_or_else(|e| e.into_inner()).push(ms);
                        }
                    }
                    Err(_) => {
                        bad.fetch_add(1, Ordering::Relaxed);
                    }
                }
            }
        });
    }
    let n = held.len() as u32;
    let _all = opened.acquire_many(n).await?;
    let mut out = std::io::stdout();
    writeln!(out, "HELD {}", i64::from(n) - lost.load(Ordering::Relaxed) as i64)?;
    out.flush()?;
    // Holds until the parent closes stdin.
    tokio::task::spawn_blocking(|| {
        let mut sink = String::new();
        while std::io::stdin()
            .read_line(&mut sink)
            .map(|n| n > 0)
            .unwrap_or(false)
        {}
    })
    .await?;
    let _ = stop_tx.send(true);
    tokio::time::sleep(Duration::from_millis(200)).await;
    let latencies = latencies.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let result = serde_json::json!({
        "latencies": latencies,
        "lost": lost.load(Ordering::Relaxed),
        "bad": bad.load(Ordering::Relaxed),
    });
    writeln!(out, "RESULT {result}")?;
    out.flush()?;
    Ok(())
}
