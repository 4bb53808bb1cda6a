//! The first sync of 10,000 items into an empty client store, from the real
//! server on loopback (SQLite in a temp dir, in this process): `Engine::pull`
//! against the floor, the same list fetched by one reqwest GET and its raw
//! items put into a SQLite file with the same durability settings by one
//! bare `INSERT ... SELECT FROM json_each` in one transaction. Each run
//! waits out the server's read cache first, so both read the list from the
//! database (a cache miss, as a first sync is). Target: the sync <= 0.3 s.
//!
//!     cargo bench --bench initial_sync                      # 3 runs of each
//!     DUTYDESK_BENCH_RUNS=1 cargo bench --bench initial_sync

#[path = "support/seed_items.rs"]
mod seed_items;

use std::str::FromStr;
use std::time::{Duration, Instant};

use dutydesk::api::{LoginResponse, paths};
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::LocalStore;
use dutydesk::client::sync::Engine;
use dutydesk::server::read_cache::FRESH_FOR;
use dutydesk::server::{ServerConfig, start};
use sqlx::ConnectOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};

const ITEMS: i64 = 10_000;

fn main() {
    let runs = std::env::var("DUTYDESK_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3usize);
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("server.db");
        let server = start(ServerConfig {
            db: Some(db.to_string_lossy().into_owned()),
            listen: "127.0.0.1:0".into(),
            demo: true,
            ..Default::default()
        })
        .await
        .expect("server");
        seed_items::seed_items(&db, ITEMS).await;
        let url = format!("http://{}", server.addr);
        let token = login(&url).await;
        let (mut ours, mut floor) = (Vec::new(), Vec::new());
        let mut cached = 0;
        for run in 0..runs {
            // Alternate which goes first.
            for is_ours in [run % 2 == 0, run % 2 == 1] {
                // A first sync meets a list the server has not answered
                // lately: both read it from the database, neither gets the
                // body the other's GET left in the read cache.
                tokio::time::sleep(FRESH_FOR + Duration::from_millis(100)).await;
                if is_ours {
                    let (took, n) = sync_run(&dir, run, &url, &token).await;
                    ours.push(took);
                    cached = n;
                } else {
                    floor.push(floor_run(&dir, run, &url, &token).await);
                }
            }
        }
        let (m_ours, m_floor) = (median(&mut ours), median(&mut floor));
        println!(
            "first sync of {cached} items into an empty store, real server on loopback, {runs} runs, median:"
        );
        println!(
            "  floor (one GET, one bare INSERT of the raw items): {:>8.1} ms",
            m_floor.as_secs_f64() * 1e3
        );
        println!(
            "  dutydesk Engine::pull:                            {:>8.1} ms (target <= 300 ms)",
            m_ours.as_secs_f64() * 1e3
        );
        println!(
            "  ratio:                                            {:>8.2}x",
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

/// A fresh store (not timed), then the whole first pull: the items, the
/// signed-in user, the pool and duty.
async fn sync_run(dir: &tempfile::TempDir, run: usize, url: &str, token: &str) -> (Duration, usize) {
    let (store, _) = LocalStore::open(&dir.path().join(format!("client-{run}.db")))
        .await
        .expect("store");
    let api = Api::new(url, Some(Token::new(token)), None, Timeouts::default()).expect("api");
    let engine = Engine::new(store.clone(), api);
    let start = Instant::now();
    engine.pull().await.expect("pull");
    let took = start.elapsed();
    let cached = store.cached_keys("mine").await.expect("keys").len();
    assert!(cached as i64 >= ITEMS, "every item cached: {cached}");
    store.close().await;
    (took, cached)
}

/// The same bytes fetched and stored by the least code.
async fn floor_run(dir: &tempfile::TempDir, run: usize, url: &str, token: &str) -> Duration {
    let path = dir.path().join(format!("floor-{run}.db"));
    let mut conn = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
        .expect("sqlite url")
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(SqliteSynchronous::Full)
        .connect()
        .await
        .expect("floor db");
    sqlx::query("CREATE TABLE items (id INTEGER PRIMARY KEY, json TEXT NOT NULL)")
        .execute(&mut conn)
        .await
        .expect("table");
    let start = Instant::now();
    let body = reqwest::Client::new()
        .get(format!("{url}{}", paths::ITEMS))
        .bearer_auth(token)
        .send()
        .await
        .expect("items")
        .text()
        .await
        .expect("body");
    let inserted = sqlx::query(
        "INSERT INTO items (id, json) SELECT value ->> 'id', value FROM json_each(?1, '$.items')",
    )
    .bind(&body)
    .execute(&mut conn)
    .await
    .expect("insert")
    .rows_affected();
    let took = start.elapsed();
    assert!(inserted as i64 >= ITEMS, "every item stored: {inserted}");
    took
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}
