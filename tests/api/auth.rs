//! Health, the OpenAPI document, login/logout/me, token storage, campaigns.

use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, json, problem};

async fn health_and_openapi_case(ctx: &Ctx) {
    let r = ctx.http.get(ctx.url("/healthz")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let served = ctx
        .http
        .get(ctx.url("/api/v1/openapi.json"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/openapi.json");
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(&file, &served).unwrap();
    }
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    assert!(
        committed == served,
        "docs/openapi.json differs from the served document; regenerate it with \
         `UPDATE_OPENAPI=1 cargo test --all-features --test api openapi` and commit it"
    );
    let doc: serde_json::Value = serde_json::from_str(&served).unwrap();
    for p in [
        "/healthz",
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/me",
        "/api/v1/items",
        "/api/v1/items/{id}",
        "/api/v1/items/{id}/claim",
        "/api/v1/items/{id}/transition",
        "/api/v1/items/{id}/outcomes",
        "/api/v1/pool",
        "/api/v1/time-entries",
        "/api/v1/activities",
        "/api/v1/schedule",
        "/api/v1/duty",
        "/api/v1/duty/{id}/check-in",
        "/api/v1/duty/{id}/check-out",
        "/api/v1/campaigns",
        "/api/v1/events",
        "/api/v1/openapi.json",
    ] {
        assert!(doc["paths"].get(p).is_some(), "the document lacks {p}");
    }
}
on_all_backends!(openapi_file_matches_the_served_document, health_and_openapi_case);

async fn login_case(ctx: &Ctx) {
    let r = ctx
        .http
        .post(ctx.url("/api/v1/auth/login"))
        .json(&json!({"username": "lawyer", "password": "wrong"}))
        .send()
        .await
        .unwrap();
    problem(r, 401, "unauthorized").await;
    let token = ctx.login("lawyer").await;
    let me = json(ctx.get(&token, "/api/v1/me").await, 200).await;
    assert_eq!(me["username"], "lawyer");
    assert_eq!(me["role"], "lawyer");
    assert_eq!(me["unit"]["name"], "明德律师事务所");
    // A second device keeps its own token; logging one out leaves the other.
    let other = ctx.login("lawyer").await;
    let r = ctx
        .http
        .post(ctx.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    problem(ctx.get(&token, "/api/v1/me").await, 401, "unauthorized").await;
    assert_eq!(ctx.get(&other, "/api/v1/me").await.status(), 200);
    problem(ctx.get("nonsense", "/api/v1/me").await, 401, "unauthorized").await;
    // Signing in again from one device replaces that device's token.
    let login = |device: &'static str| {
        ctx.http
            .post(ctx.url("/api/v1/auth/login"))
            .json(&json!({"username": "lawyer2", "password": "demo", "device": device}))
            .send()
    };
    let first = json(login("ssh:duty-server").await.unwrap(), 200).await;
    let first = first["token"].as_str().unwrap();
    // In use (so this server holds it in its token cache) when replaced.
    assert_eq!(ctx.get(first, "/api/v1/me").await.status(), 200);
    let second = json(login("ssh:duty-server").await.unwrap(), 200).await;
    assert_ne!(first, second["token"].as_str().unwrap());
    problem(ctx.get(first, "/api/v1/me").await, 401, "unauthorized").await;
    assert_eq!(
        ctx.get(second["token"].as_str().unwrap(), "/api/v1/me")
            .await
            .status(),
        200
    );
    let r = ctx.http.get(ctx.url("/api/v1/me")).send().await.unwrap();
    problem(r, 401, "unauthorized").await;
}
on_all_backends!(login_me_logout, login_case);

#[tokio::test]
async fn tokens_are_stored_only_hashed() {
    let ctx = crate::support::sqlite().await;
    let token = ctx.login("lawyer").await;
    assert_eq!(ctx.get(&token, "/api/v1/me").await.status(), 200);
    let path = ctx.sqlite_path.clone().unwrap();
    let mut bytes = std::fs::read(&path).unwrap();
    bytes.extend(std::fs::read(path.with_extension("db-wal")).unwrap_or_default());
    let hay = String::from_utf8_lossy(&bytes);
    assert!(!hay.contains(&token), "the raw token is in the database file");
    assert!(
        hay.contains("argon2"),
        "sanity: passwords are argon2 hashes in this file"
    );
    ctx.stop().await;
}

async fn campaigns_case(ctx: &Ctx) {
    let token = ctx.login("coordinator").await;
    let v = json(ctx.get(&token, "/api/v1/campaigns").await, 200).await;
    let list = v["campaigns"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    let form1 = list.iter().find(|c| c["cadence"] == "half-monthly").unwrap();
    assert_eq!(form1["indicators"].as_array().unwrap().len(), 16);
    let trainings = form1["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["code"] == "trainings")
        .unwrap();
    // As in the shipped campaigns/form1-enterprise-service.toml (attendances).
    assert_eq!(trainings["unit2_zh"], "人次");
    let form2 = list.iter().find(|c| c["cadence"] == "monthly").unwrap();
    assert_eq!(form2["deadline_day"], 23);
}
on_all_backends!(campaigns_list_both_forms, campaigns_case);

/// Five wrong passwords for one username lock it for the rest of fifteen
/// minutes, right password or not (429 with Retry-After); other names,
/// known or not, are counted apart, and a right password before the limit
/// clears the count.
async fn password_guessing_case(ctx: &Ctx) {
    let attempt = |user: &'static str, password: &'static str| {
        ctx.http
            .post(ctx.url("/api/v1/auth/login"))
            .json(&json!({"username": user, "password": password}))
            .send()
    };
    // Four wrong, then right: the count starts over.
    for _ in 0..4 {
        problem(attempt("lawyer2", "guess").await.unwrap(), 401, "unauthorized").await;
    }
    assert_eq!(attempt("lawyer2", "demo").await.unwrap().status(), 200);
    for _ in 0..4 {
        problem(attempt("lawyer2", "guess").await.unwrap(), 401, "unauthorized").await;
    }
    assert_eq!(attempt("lawyer2", "demo").await.unwrap().status(), 200);

    for _ in 0..5 {
        problem(attempt("lawyer", "guess").await.unwrap(), 401, "unauthorized").await;
    }
    let locked = attempt("lawyer", "demo").await.unwrap();
    let retry: u64 = locked.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((14 * 60..=15 * 60).contains(&retry), "Retry-After: {retry}");
    let body = problem(locked, 429, "rate_limited").await;
    assert!(
        body["detail"].as_str().unwrap().contains("try again in 15 min"),
        "{body}"
    );
    // Unknown names are counted the same way, apart.
    for _ in 0..5 {
        problem(attempt("nobody", "guess").await.unwrap(), 401, "unauthorized").await;
    }
    problem(attempt("nobody", "guess").await.unwrap(), 429, "rate_limited").await;
    assert_eq!(attempt("operator", "demo").await.unwrap().status(), 200);
}
on_all_backends!(password_guessing_is_stopped_per_username, password_guessing_case);

/// A token unused for 90 days stops working (401: sign in again); one in
/// use stays live, and its use is recorded at most once an hour.
async fn idle_token_case(ctx: &Ctx) {
    use dutydesk::server::storage::sql::users::TOKEN_IDLE_DAYS;
    let pool = &ctx.server.as_ref().expect("in-process server").store.pool;
    let token = ctx.login("lawyer").await;
    let hash = dutydesk::server::auth::token_hash(&token);
    let now = dutydesk::domain::clock::now_ms();
    let day = 24 * 3_600_000i64;
    let set_last_use = |at: i64| {
        sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE token_hash = $2")
            .bind(at)
            .bind(hash.clone())
            .execute(pool)
    };
    // The database edited behind the server's back: seen once the server's
    // token cache lets go of what it read (`read_cache::FRESH_FOR`).
    let settle = || tokio::time::sleep(dutydesk::server::read_cache::FRESH_FOR);
    let last_use = || async {
        let (at,): (i64,) = sqlx::query_as("SELECT last_used_at FROM tokens WHERE token_hash = $1")
            .bind(hash.clone())
            .fetch_one(pool)
            .await
            .unwrap();
        at
    };

    // Used 30 minutes ago: used again, not written again.
    set_last_use(now - 30 * 60_000).await.unwrap();
    assert_eq!(ctx.get(&token, "/api/v1/me").await.status(), 200);
    assert_eq!(last_use().await, now - 30 * 60_000);
    // Idle a day short of the limit: still live, and now in use again.
    set_last_use(now - (TOKEN_IDLE_DAYS - 1) * day).await.unwrap();
    settle().await;
    assert_eq!(ctx.get(&token, "/api/v1/me").await.status(), 200);
    assert!(last_use().await >= now, "its use is recorded");
    // Idle past the limit: refused as any dead token is.
    set_last_use(now - (TOKEN_IDLE_DAYS + 1) * day).await.unwrap();
    settle().await;
    problem(ctx.get(&token, "/api/v1/me").await, 401, "unauthorized").await;
    // Signing in again gives a live one.
    let fresh = ctx.login("lawyer").await;
    assert_eq!(ctx.get(&fresh, "/api/v1/me").await.status(), 200);
}
on_all_backends!(a_token_idle_for_ninety_days_stops_working, idle_token_case);
