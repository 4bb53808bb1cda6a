//! Item notes (once per key) and the typical-case flag (version-checked).

use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item, problem};

fn notes_in(detail: &serde_json::Value) -> Vec<String> {
    detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "note")
        .map(|h| h["note"].as_str().unwrap().to_string())
        .collect()
}

async fn note_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| i["status"] == "in_progress").await;
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/notes");
    let cursor = json(ctx.get(&token, "/api/v1/items").await, 200).await["cursor"]
        .as_str()
        .unwrap()
        .to_string();
    let body = json!({"text": "当事人补充了劳动合同复印件"});
    problem(
        ctx.post(&token, &path, body.clone()).await,
        400,
        "idempotency_key_required",
    )
    .await;
    let blank = ctx
        .post_idem(&token, &path, "n-blank", json!({"text": "  \n "}))
        .await;
    let p = problem(blank, 422, "validation_failed").await;
    assert!(p["detail"].as_str().unwrap().contains("empty"), "{p}");
    let long = "字".repeat(4001);
    let p = problem(
        ctx.post_idem(&token, &path, "n-long", json!({"text": long}))
            .await,
        422,
        "note_too_long",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("4000"), "{p}");
    problem(
        ctx.post_idem(&token, &path, "n-extra", json!({"text": "x", "pinned": true}))
            .await,
        400,
        "invalid_body",
    )
    .await;

    let first = ctx.post_idem(&token, &path, "n-1", body.clone()).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let entry: serde_json::Value = serde_json::from_str(&first).unwrap();
    assert_eq!(entry["action"], "note");
    assert_eq!(entry["note"], "当事人补充了劳动合同复印件");
    assert_eq!(entry["actor"]["username"], "lawyer");
    let again = ctx.post_idem(&token, &path, "n-1", body).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again.text().await.unwrap(),
        first,
        "a repeat answers the identical body"
    );
    problem(
        ctx.post_idem(&token, &path, "n-1", json!({"text": "另一条"}))
            .await,
        422,
        "idempotency_key_reused",
    )
    .await;

    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(
        notes_in(&detail),
        vec!["当事人补充了劳动合同复印件"],
        "one note, not two"
    );
    assert_eq!(detail["version"], item["version"].as_i64().unwrap() + 1);
    let delta = json(
        ctx.get(&token, &format!("/api/v1/items?since={cursor}")).await,
        200,
    )
    .await;
    assert!(
        delta["items"].as_array().unwrap().iter().any(|i| i["id"] == id),
        "delta sync brings the noted item: {delta}"
    );

    // Another lawyer of the same unit neither sees nor notes it.
    let other = ctx.login("lawyer2").await;
    problem(
        ctx.post_idem(&other, &path, "n-other", json!({"text": "x"}))
            .await,
        404,
        "not_found",
    )
    .await;
    problem(
        ctx.post_idem(
            &token,
            "/api/v1/items/999999/notes",
            "n-none",
            json!({"text": "x"}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
}
on_all_backends!(note_once_per_key, note_case);

async fn typical_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| i["typical_case"] == false).await;
    let id = item["id"].as_i64().unwrap();
    let v = item["version"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/typical");
    let set = json(
        ctx.post(&token, &path, json!({"typical": true, "version": v}))
            .await,
        200,
    )
    .await;
    assert_eq!(set["typical_case"], true);
    assert_eq!(set["version"], v + 1);
    // The same request again carries a stale version now.
    let p = problem(
        ctx.post(&token, &path, json!({"typical": false, "version": v}))
            .await,
        409,
        "version_conflict",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("reload"), "{p}");
    let cleared = json(
        ctx.post(&token, &path, json!({"typical": false, "version": v + 1}))
            .await,
        200,
    )
    .await;
    assert_eq!(cleared["typical_case"], false);
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(detail["typical_case"], false);
    assert_eq!(detail["version"], v + 2);
    let flags = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "typical_case")
        .count();
    assert_eq!(flags, 2, "set and cleared: two history rows");
    let other = ctx.login("lawyer2").await;
    problem(
        ctx.post(&other, &path, json!({"typical": true, "version": v + 2}))
            .await,
        404,
        "not_found",
    )
    .await;
    problem(
        ctx.post(&token, &path, json!({"typical": "yes", "version": v + 2}))
            .await,
        400,
        "invalid_body",
    )
    .await;
}
on_all_backends!(typical_flag_versioned, typical_case);
