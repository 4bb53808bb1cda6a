//! The login guard cannot be switched off, used to exhaust memory, or
//! turned against a user; it holds across instances on one database.

use std::net::IpAddr;

use dutydesk::server::ServerTuning;
use dutydesk::server::login_guard::{PER_NAME, PRUNE_EVERY};
use futures_util::StreamExt;
use reqwest::Client;
use serde_json::json;

use crate::support::{Ctx, fresh_schema, postgres_tuned, postgres_url, problem, sqlite, sqlite_tuned};

/// A client whose connections come from `ip` (a loopback address such as
/// 127.0.0.2), so the server sees another client address.
fn from(ip: &str) -> Client {
    Client::builder()
        .local_address(ip.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn sign_in(ctx: &Ctx, http: &Client, user: &str, password: &str) -> reqwest::Response {
    http.post(ctx.url("/api/v1/auth/login"))
        .json(&json!({"username": user, "password": password}))
        .send()
        .await
        .unwrap()
}

fn resident_bytes() -> u64 {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: u64 = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

/// 300 sign-ins with a 1 MB username are refused as bad input, cost no
/// lasting memory and leave nothing in the guard's table. (Before, each
/// name was kept whole: 300 MB and more.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_megabyte_username_is_refused_without_growth() {
    let ctx = sqlite().await;
    let name = "x".repeat(1_000_000);
    // Warm up allocator and connections with a few, then measure.
    for _ in 0..8 {
        let r = sign_in(&ctx, &ctx.http, &name, "guess").await;
        problem(r, 422, "validation_failed").await;
    }
    let before = resident_bytes();
    let attempts = futures_util::stream::iter(0..300)
        .map(|_| async {
            let r = sign_in(&ctx, &ctx.http, &name, "guess").await;
            let body = problem(r, 422, "validation_failed").await;
            assert!(
                body["detail"].as_str().unwrap().contains("at most 64 characters"),
                "{body}"
            );
        })
        .buffer_unordered(8);
    attempts.collect::<Vec<()>>().await;
    let grown = resident_bytes().saturating_sub(before);
    eprintln!(
        "300 refused 1 MB names: resident memory grew by {} KB",
        grown / 1024
    );
    assert!(
        grown < 150 * 1024 * 1024,
        "300 refused 1 MB names grew the process by {} MB",
        grown / (1024 * 1024)
    );
    let guard = &ctx.server.as_ref().unwrap().state.login_guard;
    assert_eq!(guard.rows().await.unwrap(), 0, "nothing stored for them");
    // A name of exactly 64 characters is an ordinary (wrong) name.
    let r = sign_in(&ctx, &ctx.http, &"y".repeat(64), "guess").await;
    problem(r, 401, "unauthorized").await;
    ctx.stop().await;
}

/// 20,000 made-up names from 200 addresses against a guard capped at 2,000
/// rows: the table stays within its cap, and a real name is still counted
/// and locked after five wrong passwords (before, a full table left new
/// names uncounted: unlimited guessing). The flood goes to the guard
/// itself: over HTTP each would cost an argon2 check, minutes in all. On
/// PostgreSQL, where one answers, a smaller flood over a smaller cap.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_flood_of_junk_names_leaves_the_guard_working() {
    let tuning = |cap| ServerTuning {
        login_guard_rows: cap,
        ..Default::default()
    };
    let ctx = sqlite_tuned(tuning(2_000)).await;
    flood_case(&ctx, 2_000, 20_000).await;
    ctx.stop().await;
    if let Some(url) = postgres_url() {
        let ctx = postgres_tuned(&url, tuning(200)).await;
        flood_case(&ctx, 200, 2_000).await;
        ctx.stop().await;
    }
}

async fn flood_case(ctx: &Ctx, cap: i64, names: u32) {
    let guard = &ctx.server.as_ref().unwrap().state.login_guard;
    let now = dutydesk::domain::clock::now_ms();
    for i in 0..names {
        let client = format!("10.0.{}.{}", i % 200 / 100, i % 100);
        let refused = guard.attempt(&format!("junk-{i}"), &client, now).await.unwrap();
        assert!(
            refused.is_none(),
            "100 junk names per address are within its limit"
        );
    }
    let rows = guard.rows().await.unwrap();
    eprintln!(
        "[{}] after {names} junk names: {rows} rows (cap {cap})",
        ctx.backend
    );
    assert!(
        rows <= cap + 3 * PRUNE_EVERY as i64,
        "[{}] {rows} rows kept, cap {cap}",
        ctx.backend
    );
    for _ in 0..5 {
        problem(
            sign_in(ctx, &ctx.http, "lawyer", "guess").await,
            401,
            "unauthorized",
        )
        .await;
    }
    problem(
        sign_in(ctx, &ctx.http, "lawyer", "demo").await,
        429,
        "rate_limited",
    )
    .await;
    // The flood's addresses are not this one: others sign in here.
    assert_eq!(sign_in(ctx, &ctx.http, "lawyer2", "demo").await.status(), 200);
}

/// Five wrong passwords from 127.0.0.2 lock `lawyer` there, right password
/// or not; the lawyer at 127.0.0.3 signs in. Past the slower global limit
/// an address that has failed this name is refused, but a fresh one still
/// gets its try.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lock_from_one_address_leaves_the_owner_signing_in_from_another() {
    let ctx = sqlite().await;
    let attacker = from("127.0.0.2");
    for _ in 0..5 {
        problem(
            sign_in(&ctx, &attacker, "lawyer", "guess").await,
            401,
            "unauthorized",
        )
        .await;
    }
    let started = std::time::Instant::now();
    let locked = sign_in(&ctx, &attacker, "lawyer", "demo").await;
    // Refused without checking the password, yet no faster than a check.
    let guard = &ctx.server.as_ref().unwrap().state.login_guard;
    assert!(started.elapsed() >= guard.typical_verify().mul_f64(0.9));
    assert!(locked.headers().contains_key("retry-after"));
    problem(locked, 429, "rate_limited").await;
    assert_eq!(
        sign_in(&ctx, &from("127.0.0.3"), "lawyer", "demo").await.status(),
        200
    );

    // One wrong try from 127.0.0.4, then guesses from many addresses past
    // the global limit for the name.
    let once = from("127.0.0.4");
    problem(sign_in(&ctx, &once, "lawyer", "guess").await, 401, "unauthorized").await;
    // 5 from .2 and 1 from .4 so far (.3's right password is taken back).
    let mut failed = 6;
    let mut host = 10;
    while failed < PER_NAME.max {
        let http = from(&format!("127.0.0.{host}"));
        for _ in 0..5.min(PER_NAME.max - failed) {
            problem(sign_in(&ctx, &http, "lawyer", "guess").await, 401, "unauthorized").await;
            failed += 1;
        }
        host += 1;
    }
    // Past the limit a fresh address still gets its one try...
    let fresh = from("127.0.0.200");
    problem(
        sign_in(&ctx, &fresh, "lawyer", "guess").await,
        401,
        "unauthorized",
    )
    .await;
    // ...but no second, and one that failed before is refused.
    problem(
        sign_in(&ctx, &fresh, "lawyer", "guess").await,
        429,
        "rate_limited",
    )
    .await;
    let refused = problem(sign_in(&ctx, &once, "lawyer", "demo").await, 429, "rate_limited").await;
    assert!(
        refused["detail"].as_str().unwrap().contains("60 min"),
        "the global window: {refused}"
    );
    assert_eq!(
        sign_in(&ctx, &from("127.0.0.5"), "lawyer", "demo").await.status(),
        200
    );
    ctx.stop().await;
}

/// Two instances on one database count the same guesses: three wrong
/// through one and two through the other lock the name on both. On
/// PostgreSQL where one answers (both instances also seed the empty
/// database at once), else two instances on one SQLite file.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_limit_holds_across_two_instances() {
    use dutydesk::server::{ServerConfig, start};
    let dir = tempfile::tempdir().unwrap();
    let (db, schema) = match postgres_url() {
        Some(base) => {
            let (url, schema) = fresh_schema(&base).await;
            (url, Some((base, schema)))
        }
        None => (dir.path().join("server.db").to_string_lossy().into_owned(), None),
    };
    let config = ServerConfig {
        db: Some(db),
        listen: "127.0.0.1:0".into(),
        demo: true,
        ..Default::default()
    };
    let (one, two) = tokio::join!(start(config.clone()), start(config));
    let (one, two) = (one.unwrap(), two.unwrap());
    let http = Client::new();
    let attempt = |addr: std::net::SocketAddr, password: &'static str| {
        http.post(format!("http://{addr}/api/v1/auth/login"))
            .json(&json!({"username": "lawyer", "password": password}))
            .send()
    };
    for addr in [one.addr, two.addr, one.addr, two.addr, one.addr] {
        problem(attempt(addr, "guess").await.unwrap(), 401, "unauthorized").await;
    }
    problem(attempt(two.addr, "demo").await.unwrap(), 429, "rate_limited").await;
    problem(attempt(one.addr, "demo").await.unwrap(), 429, "rate_limited").await;
    one.shutdown().await.unwrap();
    two.shutdown().await.unwrap();
    if let Some((base, schema)) = schema {
        crate::support::drop_schema(&base, &schema).await;
    }
}

/// Behind a trusted proxy each client is counted by the address the proxy
/// saw (the last `X-Forwarded-For` entry); from anyone else the header is
/// ignored, so a guesser cannot pick a fresh address per request.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_trusted_proxy_names_the_client_and_others_cannot() {
    use dutydesk::server::{ServerConfig, start};
    let dir = tempfile::tempdir().unwrap();
    let server = start(ServerConfig {
        db: Some(dir.path().join("server.db").to_string_lossy().into_owned()),
        listen: "127.0.0.1:0".into(),
        demo: true,
        trusted_proxies: vec!["127.0.0.1".parse().unwrap()],
        ..Default::default()
    })
    .await
    .unwrap();
    let url = format!("http://{}/api/v1/auth/login", server.addr);
    let attempt = |http: &Client, forwarded: &str, password: &str| {
        http.post(&url)
            .header("X-Forwarded-For", forwarded)
            .json(&json!({"username": "lawyer", "password": password}))
            .send()
    };
    let proxy = from("127.0.0.1");
    for _ in 0..5 {
        let r = attempt(&proxy, "10.9.9.9, 203.0.113.7", "guess").await.unwrap();
        problem(r, 401, "unauthorized").await;
    }
    let r = attempt(&proxy, "203.0.113.7", "demo").await.unwrap();
    problem(r, 429, "rate_limited").await;
    let r = attempt(&proxy, "203.0.113.7, 203.0.113.8", "demo").await.unwrap();
    assert_eq!(r.status(), 200, "another client behind the proxy signs in");

    let guesser = from("127.0.0.2");
    for i in 0..5 {
        let r = attempt(&guesser, &format!("198.51.100.{i}"), "guess")
            .await
            .unwrap();
        problem(r, 401, "unauthorized").await;
    }
    let r = attempt(&guesser, "198.51.100.99", "demo").await.unwrap();
    problem(r, 429, "rate_limited").await;
    server.shutdown().await.unwrap();
}

#[test]
fn client_addresses_are_counted_by_host() {
    use dutydesk::server::login_guard::client_key;
    let headers = reqwest::header::HeaderMap::new();
    let key = |s: &str| client_key(Some(s.parse().unwrap()), &headers, &[]);
    assert_eq!(key("127.0.0.2:5000"), "127.0.0.2");
    assert_eq!(
        key("[::ffff:192.0.2.1]:5000"),
        "192.0.2.1",
        "IPv4 over IPv6 is IPv4"
    );
    assert_eq!(
        key("[2001:db8:1:2:aaaa::1]:5000"),
        key("[2001:db8:1:2:bbbb::2]:5000"),
        "one /64, one host"
    );
    assert_ne!(key("[2001:db8:1:2::1]:5000"), key("[2001:db8:1:3::1]:5000"));
    assert_eq!(client_key(None, &headers, &[]), "unknown");
}
