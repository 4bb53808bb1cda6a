//! An outcome corrected by a coordinator over the item's unit, with a
//! reason: the form changes by exactly the correction (a counter-record
//! and the corrected record, so `admin stats rebuild` changes nothing), the
//! item's history says who corrected what and why, a lawyer and a sibling
//! unit's coordinator are refused (403), and a handed-in period is locked
//! (409 `period_locked`). Clock at 12 April 2026.

use dutydesk::server::stats_admin::rebuild_all;
use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{APRIL_12, Ctx, json as body, my_item, problem};

const FORM1: &str = "/api/v1/campaigns/form1-enterprise-service/stats?period=2026-04-01..2026-04-15";

/// Every indicator's total (value1, value2) of a form, by code.
fn totals(form: &Value) -> Vec<(String, i64, i64)> {
    form["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["indicator"].as_str().unwrap().to_string(),
                r["total"]["value1"].as_i64().unwrap(),
                r["total"]["value2"].as_i64().unwrap_or(0),
            )
        })
        .collect()
}

/// What changed between two forms: (indicator, Δvalue1) where non-zero.
fn diff(before: &Value, after: &Value) -> Vec<(String, i64)> {
    totals(before)
        .into_iter()
        .zip(totals(after))
        .filter(|(b, a)| b.1 != a.1 || b.2 != a.2)
        .map(|(b, a)| (b.0, a.1 - b.1))
        .collect()
}

async fn unit_form(ctx: &Ctx, token: &str) -> Value {
    body(ctx.get(token, &format!("{FORM1}&unit=1")).await, 200).await
}

async fn correction_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await; // unit 1, under the bureau
    let bureau = ctx.login("bureau").await;
    let sibling = ctx.login("coordinator").await; // unit 2
    let admin = ctx.login("admin").await;
    let item = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let logged = ctx
        .post_idem(
            &lawyer,
            &format!("/api/v1/items/{id}/outcomes"),
            "k-outcome",
            json!({"code": "answered"}),
        )
        .await;
    assert_eq!(logged.status(), 201, "[{}]", ctx.backend);
    let before = unit_form(ctx, &bureau).await;
    let detail = body(ctx.get(&bureau, &format!("/api/v1/items/{id}")).await, 200).await;
    let version = detail["version"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/outcome-corrections");
    let req = |v: i64| json!({"code": "case_accepted", "reason": "当事人已委托代理，非仅解答", "version": v});

    // The assignee and a sibling unit's coordinator may not; nothing changes.
    problem(ctx.post(&lawyer, &path, req(version)).await, 403, "forbidden").await;
    problem(ctx.post(&sibling, &path, req(version)).await, 403, "forbidden").await;
    problem(
        ctx.post(
            &bureau,
            &path,
            json!({"code": "case_accepted", "reason": " ", "version": version}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    problem(
        ctx.post(&bureau, &path, req(version - 1)).await,
        409,
        "version_conflict",
    )
    .await;
    assert!(diff(&before, &unit_form(ctx, &bureau).await).is_empty());

    // The bureau (above the item's unit) corrects it.
    let done = body(ctx.post(&bureau, &path, req(version)).await, 201).await;
    assert_eq!(done["replaced"]["code"], "answered");
    assert_eq!(done["outcome"]["code"], "case_accepted");
    let after = unit_form(ctx, &bureau).await;
    assert_eq!(
        diff(&before, &after),
        vec![("cases_represented".to_string(), 1)],
        "[{}] the form changes by exactly the correction",
        ctx.backend
    );
    let report = rebuild_all(&ctx.server.as_ref().unwrap().store).await.unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] {:?}",
        ctx.backend,
        report.changes
    );

    // The history says who corrected what and why; one standing outcome.
    let detail = body(ctx.get(&lawyer, &format!("/api/v1/items/{id}")).await, 200).await;
    let last = detail["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["action"], "outcome_corrected", "{last}");
    assert_eq!(last["actor"]["username"], "bureau");
    let note = last["note"].as_str().unwrap();
    assert!(
        note.contains("answered") && note.contains("case_accepted"),
        "{note}"
    );
    assert!(note.contains("当事人已委托代理"), "{note}");
    let outcomes = detail["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 1, "{outcomes:?}");
    assert_eq!(outcomes[0]["code"], "case_accepted");
    assert_eq!(detail["version"].as_i64().unwrap(), version + 1);

    // The unit hands the period's form in (the firm has no coordinator of
    // its own: an admin does): the outcome is locked with it.
    let subs = "/api/v1/campaigns/form1-enterprise-service/periods/2026-04-01..2026-04-15/submissions";
    body(
        ctx.post_idem(
            &admin,
            subs,
            "k-submit",
            json!({"unit": 1, "filled_by": "管理员", "phone": "029-1"}),
        )
        .await,
        201,
    )
    .await;
    let locked = problem(
        ctx.post(
            &admin,
            &path,
            json!({"code": "referred_other", "reason": "再次更正", "version": version + 1}),
        )
        .await,
        409,
        "period_locked",
    )
    .await;
    assert!(locked["detail"].as_str().unwrap().contains("reopen"), "{locked}");
    assert!(diff(&after, &unit_form(ctx, &bureau).await).is_empty());
}

on_all_backends_at!(
    a_coordinator_corrects_an_outcome_with_a_reason,
    correction_case,
    APRIL_12
);
