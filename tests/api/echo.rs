//! The server names the `Idempotency-Key` it answers, first answers and
//! replays alike: the client settles an outbox row only on that echo.

use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, my_item};

fn echoed(r: &reqwest::Response) -> Option<String> {
    r.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

async fn echo_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "consultation" && i["status"] == "in_progress"
    })
    .await;
    let path = format!("/api/v1/items/{}/outcomes", item["id"]);
    let body = json!({"code": "answered", "minutes": 10});
    let first = ctx.post_idem(&token, &path, "echo-1", body.clone()).await;
    assert_eq!(first.status(), 201);
    assert_eq!(echoed(&first).as_deref(), Some("echo-1"));
    let replay = ctx.post_idem(&token, &path, "echo-1", body).await;
    assert_eq!(replay.status(), 201);
    assert_eq!(
        echoed(&replay).as_deref(),
        Some("echo-1"),
        "a replay names its key too"
    );
    let refused = ctx
        .post_idem(&token, &path, "echo-2", json!({"code": "agreement"}))
        .await;
    assert!(refused.status().is_client_error());
    assert_eq!(echoed(&refused).as_deref(), Some("echo-2"));
    // Without a key there is nothing to echo.
    let plain = ctx.get(&token, "/api/v1/items").await;
    assert_eq!(echoed(&plain), None);
}
on_all_backends!(every_keyed_answer_echoes_its_key, echo_case);
