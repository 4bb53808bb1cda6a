//! Withdrawing a wrong time entry or activity: a counter-record, so the
//! form drops by exactly the withdrawn amount and `admin stats rebuild`
//! finds nothing to change; only the writer withdraws, once, and only
//! while the period is open and not handed in. Clock at 12 April 2026.

use dutydesk::server::stats_admin::rebuild_all;
use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{APRIL_12, Ctx, json as body, my_item, problem};

const FORM1: &str = "/api/v1/campaigns/form1-enterprise-service/stats?period=2026-04-01..2026-04-15";

async fn post(ctx: &Ctx, token: &str, path: &str, req: Value) -> reqwest::Response {
    ctx.post_idem(token, path, &uuid::Uuid::new_v4().to_string(), req)
        .await
}

async fn form(ctx: &Ctx, token: &str) -> Value {
    body(ctx.get(token, &format!("{FORM1}&scope=me")).await, 200).await
}

fn visited(form: &Value) -> i64 {
    form["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "enterprises_visited")
        .unwrap()["total"]["value1"]
        .as_i64()
        .unwrap()
}

async fn withdraw_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let item = my_item(ctx, &lawyer, |i| i["status"] == "in_progress").await;
    let at = APRIL_12 - 3_600_000;
    let entry = body(
        post(
            ctx,
            &lawyer,
            "/api/v1/time-entries",
            json!({"item_id": item["id"], "minutes": 45, "activity": "session", "occurred_at": at}),
        )
        .await,
        201,
    )
    .await;
    let act = body(
        post(
            ctx,
            &lawyer,
            "/api/v1/activities",
            json!({"indicator": "enterprises_visited", "count": 4, "occurred_at": at}),
        )
        .await,
        201,
    )
    .await;
    let before = form(ctx, &lawyer).await;

    // Someone else cannot withdraw it: as if it were not there.
    let other = ctx.login("lawyer2").await;
    let path = format!("/api/v1/time-entries/{}/withdraw", entry["id"].as_str().unwrap());
    problem(ctx.post(&other, &path, json!({})).await, 404, "not_found").await;

    let counter = body(ctx.post(&lawyer, &path, json!({})).await, 201).await;
    assert_eq!(counter["minutes"], -45);
    problem(
        ctx.post(&lawyer, &path, json!({})).await,
        409,
        "already_withdrawn",
    )
    .await;
    let apath = format!("/api/v1/activities/{}/withdraw", act["id"].as_str().unwrap());
    body(ctx.post(&lawyer, &apath, json!({})).await, 201).await;

    let after = form(ctx, &lawyer).await;
    assert_eq!(
        after["hours"]["total_minutes"].as_i64().unwrap(),
        before["hours"]["total_minutes"].as_i64().unwrap() - 45,
        "[{}] exactly its minutes",
        ctx.backend
    );
    assert_eq!(visited(&after), visited(&before) - 4);
    let report = rebuild_all(&ctx.server.as_ref().unwrap().store).await.unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] {:?}",
        ctx.backend,
        report.changes
    );

    // A closed period takes no withdrawal: 1 March's entry stays.
    let march = APRIL_12 - 40 * 24 * 3_600_000;
    let server = ctx.server.as_ref().unwrap();
    server.state.clock.set(march + 3_600_000);
    let old = body(
        post(
            ctx,
            &lawyer,
            "/api/v1/activities",
            json!({"indicator": "enterprises_visited", "count": 1, "occurred_at": march}),
        )
        .await,
        201,
    )
    .await;
    server.state.clock.set(APRIL_12);
    let opath = format!("/api/v1/activities/{}/withdraw", old["id"].as_str().unwrap());
    problem(ctx.post(&lawyer, &opath, json!({})).await, 409, "period_closed").await;
}

on_all_backends_at!(
    withdrawing_lowers_the_form_by_exactly_the_record,
    withdraw_case,
    APRIL_12
);
