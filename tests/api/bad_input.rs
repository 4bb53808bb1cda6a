//! Bad input answers a clear 4xx problem+json, never text/plain or a 500.

use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, my_item, problem};

async fn bad_input_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| i["status"] == "accepted").await;
    let id = item["id"].as_i64().unwrap();
    let path = ctx.url(&format!("/api/v1/items/{id}/transition"));
    let send = |body: String, ctype: &'static str| {
        ctx.http
            .post(&path)
            .bearer_auth(&token)
            .header("content-type", ctype)
            .body(body)
            .send()
    };
    problem(
        send("{\"to\": ".into(), "application/json").await.unwrap(),
        400,
        "invalid_body",
    )
    .await;
    let p = problem(
        send(r#"{"to":"teleported","version":1}"#.into(), "application/json")
            .await
            .unwrap(),
        400,
        "invalid_body",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("teleported"),
        "names the bad value: {p}"
    );
    let p = problem(
        send(r#"{"to":"accepted"}"#.into(), "application/json")
            .await
            .unwrap(),
        400,
        "invalid_body",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("version"),
        "names the missing field: {p}"
    );
    problem(
        send(r#"{"to":"accepted","version":1}"#.into(), "text/plain")
            .await
            .unwrap(),
        415,
        "unsupported_media_type",
    )
    .await;
    let big = format!("{{\"note\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    // Its own client: the server answers 413 before reading the whole body
    // and closes that connection, which must not break the next request.
    let r = reqwest::Client::new()
        .post(ctx.url("/api/v1/activities"))
        .bearer_auth(&token)
        .header("Idempotency-Key", "big")
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    problem(r, 413, "payload_too_large").await;
    problem(
        ctx.get(&token, "/api/v1/items/abc").await,
        400,
        "invalid_parameter",
    )
    .await;
    problem(
        ctx.get(&token, "/api/v1/items/99999999999999999999").await,
        400,
        "invalid_parameter",
    )
    .await;
    problem(ctx.get(&token, "/api/v1/nowhere").await, 404, "not_found").await;
    let r = ctx
        .http
        .delete(ctx.url("/api/v1/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    problem(r, 405, "method_not_allowed").await;
    let r = ctx
        .post_idem(
            &token,
            "/api/v1/time-entries",
            "bad-1",
            json!({"item_id": id, "minutes": 5, "activity": "golf"}),
        )
        .await;
    problem(r, 400, "invalid_body").await;
    let r = ctx
        .post_idem(
            &token,
            "/api/v1/activities",
            "bad-2",
            json!({"indicator": "trainings", "count": 1, "extra": 1}),
        )
        .await;
    problem(r, 400, "invalid_body").await;
    let r = ctx
        .http
        .post(ctx.url("/api/v1/auth/login"))
        .json(&json!({"username": "lawyer"}))
        .send()
        .await
        .unwrap();
    problem(r, 400, "invalid_body").await;
}
on_all_backends!(bad_input_is_a_clear_problem, bad_input_case);
