//! The outbox flush: 1,000 notes queued offline, sent by `Engine::flush_once`
//! to the real server on loopback (SQLite in a temp dir, in this process),
//! against the floor: the same 1,000 POSTs (same paths, bodies, fresh
//! Idempotency-Keys) sent by a bare reqwest loop with the same concurrency.
//! Target: the flush ≤ 1 s.
//!
//!     cargo bench --bench flush                      # 3 runs of each
//!     DUTYDESK_BENCH_RUNS=1 cargo bench --bench flush

use std::time::{Duration, Instant};

use dutydesk::api::{ItemList, LoginResponse, paths};
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::{LocalStore, NewEntry};
use dutydesk::client::sync::Engine;
use dutydesk::server::{ServerConfig, start};
use futures_util::StreamExt;

const ENTRIES: usize = 1_000;
/// The flush's own concurrency (`src/client/sync/flush.rs`).
const CONCURRENCY: usize = 16;

fn main() {
    let runs = std::env::var("DUTYDESK_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3usize);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = start(ServerConfig {
            db: Some(dir.path().join("server.db").to_string_lossy().into_owned()),
            listen: "127.0.0.1:0".into(),
            demo: true,
            ..Default::default()
        })
        .await
        .expect("server");
        let url = format!("http://{}", server.addr);
        let token = login(&url).await;
        let list: ItemList = reqwest::Client::new()
            .get(format!("{url}{}", paths::ITEMS))
            .bearer_auth(&token)
            .send()
            .await
            .expect("items")
            .json()
            .await
            .expect("item list");
        let items: Vec<i64> = list.items.iter().map(|i| i.id).collect();
        let (mut ours, mut floor) = (Vec::new(), Vec::new());
        for run in 0..runs {
            // Alternate which goes first.
            for is_ours in [run % 2 == 0, run % 2 == 1] {
                if is_ours {
                    ours.push(flush_run(&dir, run, &url, &token, &items).await);
                } else {
                    floor.push(floor_run(&url, &token, &items, run).await);
                }
            }
        }
        let (m_ours, m_floor) = (median(&mut ours), median(&mut floor));
        println!(
            "outbox flush of {ENTRIES} notes over {} items to the real server on loopback, {runs} runs, median:",
            items.len()
        );
        println!(
            "  floor (bare reqwest, {CONCURRENCY} at once): {:>8.1} ms",
            m_floor.as_secs_f64() * 1e3
        );
        println!(
            "  dutydesk flush_once:              {:>8.1} ms (target <= 1000 ms)",
            m_ours.as_secs_f64() * 1e3
        );
        println!(
            "  ratio:                            {:>8.2}x",
            m_ours.as_secs_f64() / m_floor.as_secs_f64()
        );
    });
}

async fn login(url: &str) -> String {
    let r: LoginResponse = reqwest::Client::new()
        .post(format!("{url}{}", paths::LOGIN))
        .json(&serde_json::json!({"username": "lawyer", "password": "demo"}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("token");
    r.token
}

fn note(items: &[i64], run: usize, n: usize) -> (String, serde_json::Value) {
    (
        paths::with_id(paths::ITEM_NOTES, items[n % items.len()]),
        serde_json::json!({ "text": format!("bench run {run} note {n}") }),
    )
}

/// Queues 1,000 notes in a fresh store (not timed), then times the flush.
async fn flush_run(dir: &tempfile::TempDir, run: usize, url: &str, token: &str, items: &[i64]) -> Duration {
    let path = dir.path().join(format!("client-{run}.db"));
    let (store, _) = LocalStore::open(&path).await.expect("store");
    for n in 0..ENTRIES {
        let (path, body) = note(items, run, n);
        store
            .enqueue(NewEntry {
                kind: dutydesk::client::store::WriteKind::Note,
                method: "POST".into(),
                path,
                body,
                summary: format!("note {n}"),
            })
            .await
            .expect("enqueue");
    }
    let api = Api::new(url, Some(Token::new(token)), None, Timeouts::default()).expect("api");
    let engine = Engine::new(store.clone(), api);
    let start = Instant::now();
    let report = engine.flush_once().await.expect("flush");
    let took = start.elapsed();
    assert_eq!(
        (report.sent.len(), report.waiting),
        (ENTRIES, 0),
        "every entry sent: {:?}",
        report.offline
    );
    store.close().await;
    took
}

/// The same POSTs by the least code: one client, `CONCURRENCY` in flight.
async fn floor_run(url: &str, token: &str, items: &[i64], run: usize) -> Duration {
    let client = reqwest::Client::new();
    let run = run + 1_000;
    let start = Instant::now();
    let ok = futures_util::stream::iter(0..ENTRIES)
        .map(|n| {
            let (path, body) = note(items, run, n);
            let request = client
                .post(format!("{url}{path}"))
                .bearer_auth(token)
                .header("Idempotency-Key", uuid::Uuid::now_v7().to_string())
                .json(&body);
            async move {
                let Ok(response) = request.send().await else {
                    return false;
                };
                // Read the answer, as the flush does, so the connection is reused.
                response.status().is_success() && response.bytes().await.is_ok()
            }
        })
        .buffer_unordered(CONCURRENCY)
        .filter(|ok| std::future::ready(*ok))
        .count()
        .await;
    let took = start.elapsed();
    assert_eq!(ok, ENTRIES, "every floor POST answered 2xx");
    took
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
