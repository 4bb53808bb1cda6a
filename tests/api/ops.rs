//! Operations: `/readyz`, `/metrics`, the database file's mode, and demo
//! seeding by two instances at once.

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use serde_json::json;

use crate::support::{Ctx, fresh_schema, json, postgres_url, problem, sqlite};

async fn metrics_text(ctx: &Ctx) -> String {
    let r = ctx.http.get(ctx.url("/metrics")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    r.text().await.unwrap()
}

/// The value of one sample line (`name{labels} value`), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series).and_then(|rest| rest.strip_prefix(' ')))
        .map(|v| v.trim().parse().unwrap())
}

/// `/readyz` answers while the database does, and 503 with a problem
/// saying so once it does not (`/healthz`, the process, still answers).
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn readyz_follows_the_database() {
    let ctx = sqlite().await;
    let r = ctx.http.get(ctx.url("/readyz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.text().await.unwrap(), "ready");
    ctx.server.as_ref().unwrap().store.close().await;
    let r = ctx.http.get(ctx.url("/readyz")).send().await.unwrap();
    let body = problem(r, 503, "unavailable").await;
    assert!(body["detail"].as_str().unwrap().contains("database"), "{body}");
    let r = ctx.http.get(ctx.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    ctx.stop().await;
}

/// `/metrics` counts requests and latency by route (the route's pattern,
/// not each item's path), open event streams, events published and
/// delivered, and login refusals by reason.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn metrics_count_requests_streams_events_and_refusals() {
    let ctx = sqlite().await;
    let wrong = ctx
        .http
        .post(ctx.url("/api/v1/auth/login"))
        .json(&json!({"username": "lawyer", "password": "guess"}))
        .send()
        .await
        .unwrap();
    problem(wrong, 401, "unauthorized").await;
    let a = ctx.login("lawyer").await;
    let b = ctx.login("lawyer2").await;
    let events = ctx.get(&b, "/api/v1/events").await;
    assert_eq!(events.status(), 200);
    let mut events = events.bytes_stream().eventsource();
    let pool = json(ctx.get(&a, "/api/v1/pool").await, 200).await;
    let id = pool["items"][0]["id"].as_i64().unwrap();
    let claimed = ctx
        .post(&a, &format!("/api/v1/items/{id}/claim"), json!({}))
        .await;
    assert_eq!(claimed.status(), 200);
    // lawyer2 hears of the pool change.
    loop {
        let ev = tokio::time::timeout(Duration::from_secs(10), events.next())
            .await
            .expect("an event in time")
            .unwrap()
            .unwrap();
        if ev.event != "heartbeat" {
            break;
        }
    }

    let text = metrics_text(&ctx).await;
    let get = |s: &str| sample(&text, s).unwrap_or_else(|| panic!("no `{s}` in:\n{text}"));
    assert_eq!(
        get(r#"dutydesk_http_requests_total{method="POST",route="/api/v1/items/{id}/claim",status="200"}"#),
        1.0
    );
    assert_eq!(
        get(r#"dutydesk_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"}"#),
        2.0
    );
    assert_eq!(
        get(r#"dutydesk_http_request_duration_seconds_count{method="GET",route="/api/v1/pool"}"#),
        1.0
    );
    assert_eq!(get("dutydesk_event_streams_open"), 1.0);
    assert!(get("dutydesk_events_published_total") >= 1.0);
    assert!(get("dutydesk_events_delivered_total") >= 1.0);
    assert_eq!(
        get(r#"dutydesk_login_refusals_total{reason="wrong_password"}"#),
        1.0
    );

    drop(events);
    let mut open = 1.0;
    for _ in 0..100 {
        open = sample(&metrics_text(&ctx).await, "dutydesk_event_streams_open").unwrap();
        if open == 0.0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(open, 0.0, "a closed stream is no longer counted");
    ctx.stop().await;
}

/// The server's SQLite database (and its WAL) is created readable by its
/// owner only: it holds every case and the password hashes.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_database_file_is_created_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let ctx = sqlite().await;
    let path = ctx.sqlite_path.clone().unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "{}", path.display());
    let wal = path.with_extension("db-wal");
    if wal.exists() {
        let mode = std::fs::metadata(&wal).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", wal.display());
    }
    ctx.stop().await;
}

/// Two instances started together with `--demo` on one empty PostgreSQL
/// database both start, and the demo data is there once.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_seed_one_empty_postgres_database_once() {
    use dutydesk::server::{ServerConfig, start};
    let Some(base) = postgres_url() else {
        eprintln!("skipped: no PostgreSQL (DUTYDESK_TEST_POSTGRES_URL)");
        return;
    };
    let (url, schema) = fresh_schema(&base).await;
    let config = ServerConfig {
        db: Some(url),
        listen: "127.0.0.1:0".into(),
        demo: true,
        ..Default::default()
    };
    let (one, two) = tokio::join!(start(config.clone()), start(config));
    let (one, two) = (one.unwrap(), two.unwrap());
    let (users,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM users")
        .fetch_one(&one.store.pool)
        .await
        .unwrap();
    assert_eq!(users, dutydesk::server::demo::DEMO_USERS.len() as i64);
    let (units,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM units")
        .fetch_one(&one.store.pool)
        .await
        .unwrap();
    // The demo tree: the bureau and its five units.
    assert_eq!(units, 6, "one seed, not two");
    one.shutdown().await.unwrap();
    two.shutdown().await.unwrap();
    crate::support::drop_schema(&base, &schema).await;
}
