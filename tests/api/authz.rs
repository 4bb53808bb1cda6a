//! The authorization matrix: every endpoint, each role, against objects it
//! must not see or change → 401/403/404 with a problem body, never data.

use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item, problem};

/// Everything a caller could try against one item it must not touch.
async fn item_denied(ctx: &Ctx, token: &str, id: i64, version: &Value, expect: u16) {
    let code = if expect == 404 { "not_found" } else { "forbidden" };
    let r = ctx.get(token, &format!("/api/v1/items/{id}")).await;
    if expect == 404 {
        problem(r, 404, code).await;
    } else {
        assert_eq!(r.status(), 200, "this role may read but not change");
    }
    let t = ctx
        .post(
            token,
            &format!("/api/v1/items/{id}/transition"),
            json!({"to": "cancelled", "version": version}),
        )
        .await;
    problem(t, expect, code).await;
    let o = ctx
        .post_idem(
            token,
            &format!("/api/v1/items/{id}/outcomes"),
            "x1",
            json!({"code": "answered"}),
        )
        .await;
    problem(o, expect, code).await;
    let te = json!({"item_id": id, "minutes": 5, "activity": "preparation"});
    problem(
        ctx.post_idem(token, "/api/v1/time-entries", "x2", te).await,
        expect,
        code,
    )
    .await;
}

async fn matrix_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let item = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "accepted"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let v = &item["version"];
    // Same unit, other lawyer; other unit's mediator and operator: 404.
    for who in ["lawyer2", "mediator", "operator"] {
        let t = ctx.login(who).await;
        item_denied(ctx, &t, id, v, 404).await;
        let claim = ctx
            .post(&t, &format!("/api/v1/items/{id}/claim"), json!({}))
            .await;
        assert!(
            matches!(claim.status().as_u16(), 404 | 409),
            "{who} claim of an assigned item"
        );
        let list = json(ctx.get(&t, "/api/v1/items").await, 200).await;
        assert!(
            list["items"].as_array().unwrap().iter().all(|i| i["id"] != id),
            "{who} never lists it"
        );
    }
    // The coordinator of another unit sees nothing; admin may read.
    let coord = ctx.login("coordinator").await;
    item_denied(ctx, &coord, id, v, 404).await;
    let admin = ctx.login("admin").await;
    assert_eq!(
        ctx.get(&admin, &format!("/api/v1/items/{id}")).await.status(),
        200
    );
    // The firm's pool is not another unit's: the mediator cannot claim it.
    let pool = json(ctx.get(&lawyer, "/api/v1/pool").await, 200).await;
    let pool_id = pool["items"][0]["id"].as_i64().unwrap();
    let med = ctx.login("mediator").await;
    problem(
        ctx.post(&med, &format!("/api/v1/items/{pool_id}/claim"), json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    let med_pool = json(ctx.get(&med, "/api/v1/pool").await, 200).await;
    assert!(
        med_pool["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != pool_id)
    );
    let op = ctx.login("operator").await;
    problem(
        ctx.post(&op, &format!("/api/v1/items/{pool_id}/claim"), json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    // Schedule: a lawyer sees the sessions they run, not the rooms' whole day.
    let lawyer_id = json(ctx.get(&lawyer, "/api/v1/me").await, 200).await["id"].clone();
    let day = json(ctx.get(&lawyer, "/api/v1/schedule").await, 200).await;
    for room in day["rooms"].as_array().unwrap() {
        for s in room["sessions"].as_array().unwrap() {
            assert_eq!(s["assignee"]["id"], lawyer_id, "only their own: {}", s["title"]);
        }
    }
    // Someone else's duty shift: 404 for both moves.
    let shifts = json(ctx.get(&med, "/api/v1/duty").await, 200).await;
    let shift = shifts["shifts"][0]["id"].as_i64().unwrap();
    for action in ["check-in", "check-out"] {
        problem(
            ctx.post(&lawyer, &format!("/api/v1/duty/{shift}/{action}"), json!({}))
                .await,
            404,
            "not_found",
        )
        .await;
    }
    // Without a token: 401 everywhere but login, health and the document.
    let anon: [(&str, &str); 15] = [
        ("POST", "/api/v1/auth/logout"),
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/items"),
        ("GET", &format!("/api/v1/items/{id}")),
        ("GET", "/api/v1/pool"),
        ("POST", &format!("/api/v1/items/{pool_id}/claim")),
        ("POST", &format!("/api/v1/items/{id}/transition")),
        ("POST", &format!("/api/v1/items/{id}/outcomes")),
        ("POST", "/api/v1/time-entries"),
        ("POST", "/api/v1/activities"),
        ("GET", "/api/v1/schedule"),
        ("GET", "/api/v1/duty"),
        ("POST", &format!("/api/v1/duty/{shift}/check-in")),
        ("GET", "/api/v1/campaigns"),
        ("GET", "/api/v1/events"),
    ];
    for (method, path) in anon {
        let req = if method == "GET" {
            ctx.http.get(ctx.url(path))
        } else {
            ctx.http.post(ctx.url(path)).json(&json!({}))
        };
        let r = req.send().await.unwrap();
        problem(r, 401, "unauthorized").await;
    }
    // What each role may see, it sees: the operator its rooms' sessions,
    // the coordinator its unit's items, read-only.
    let sched = json(ctx.get(&op, "/api/v1/schedule").await, 200).await;
    let session = sched["rooms"][0]["sessions"][0]["id"]
        .as_i64()
        .expect("a session today");
    let seen = json(ctx.get(&op, &format!("/api/v1/items/{session}")).await, 200).await;
    problem(
        ctx.post(
            &op,
            &format!("/api/v1/items/{session}/transition"),
            json!({"to": "cancelled", "version": seen["version"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Started and ended (the outcome to come from the mediator) are the
    // operator's marks on the room's day.
    let tpath = format!("/api/v1/items/{session}/transition");
    let started = if seen["status"] == "in_progress" {
        seen.clone()
    } else {
        let start = json!({"to": "in_progress", "version": seen["version"]});
        json(ctx.post(&op, &tpath, start).await, 200).await
    };
    let ended = json(
        ctx.post(
            &op,
            &tpath,
            json!({"to": "waiting", "version": started["version"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(ended["status"], "waiting");
    problem(
        ctx.get(&lawyer, &format!("/api/v1/items/{session}")).await,
        404,
        "not_found",
    )
    .await;
    // The assignee still can: the matrix denied others, not everyone.
    let ok = ctx
        .post(
            &lawyer,
            &format!("/api/v1/items/{id}/transition"),
            json!({"to": "in_progress", "version": v}),
        )
        .await;
    assert_eq!(ok.status(), 200);
}
on_all_backends!(authorization_matrix, matrix_case);
