//! The bureau's roll-up: a bureau coordinator reads every unit below it and
//! the parts sum to the whole (randomized records in several units and
//! periods), a unit's coordinator cannot read a sibling, and the hand-in of
//! a period's form: submit → locked → returned → resubmitted → approved →
//! reopened → resubmitted, each step in the audit log, the figures frozen.
//! The server's clock stands at 12 April 2026 (Beijing).

use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{APRIL_12, Ctx, json as body, problem};

const FORM1: &str = "form1-enterprise-service";
const FORM2: &str = "form2-legal-aid";
const ACTIVITIES: &str = "/api/v1/activities";
const MIN: i64 = 60_000;
/// 2026-04-01 00:00 in Beijing.
const APRIL_1: i64 = APRIL_12 - (11 * 24 * 60 + 10 * 60) * MIN;
const BUREAU: i64 = 4;
/// The units under the bureau, as the demo seeds them.
const CHILDREN: [i64; 5] = [1, 2, 3, 5, 6];

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

async fn post(ctx: &Ctx, token: &str, path: &str, req: Value) -> reqwest::Response {
    ctx.post_idem(token, path, &uuid::Uuid::new_v4().to_string(), req)
        .await
}

async fn stats(ctx: &Ctx, token: &str, campaign: &str, query: &str) -> Value {
    body(
        ctx.get(token, &format!("/api/v1/campaigns/{campaign}/stats?{query}"))
            .await,
        200,
    )
    .await
}

/// Every cell of a row set, in order: (value1, value2) per column, then the total.
fn cells(rows: &Value) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for row in rows.as_array().unwrap() {
        for c in row["cells"].as_array().unwrap().iter().chain([&row["total"]]) {
            out.push((c["value1"].as_i64().unwrap(), c["value2"].as_i64().unwrap_or(0)));
        }
    }
    out
}

fn add(sum: &mut Vec<(i64, i64)>, more: &[(i64, i64)]) {
    if sum.is_empty() {
        sum.resize(more.len(), (0, 0));
    }
    for (s, m) in sum.iter_mut().zip(more) {
        s.0 += m.0;
        s.1 += m.1;
    }
}

async fn parts_sum_to_the_whole_case(ctx: &Ctx) {
    let workers = ["lawyer", "lawyer2", "lawyer3", "notary", "worker", "mediator"];
    let mut tokens = Vec::new();
    for w in workers {
        tokens.push(ctx.login(w).await);
    }
    let mut rng = Lcg(20_261_126);
    let indicators = [
        "enterprises_visited",
        "trainings",
        "outreach_events",
        "petition_reception",
    ];
    let mut stored = 0;
    for _ in 0..40 {
        let who = &tokens[rng.next(tokens.len() as u64) as usize];
        let at = APRIL_1 + rng.next((APRIL_12 - APRIL_1 - 60 * MIN) as u64) as i64;
        let indicator = indicators[rng.next(indicators.len() as u64) as usize];
        let count = 1 + rng.next(4) as i64;
        let mut req = json!({"indicator": indicator, "count": count, "occurred_at": at});
        if matches!(indicator, "trainings" | "petition_reception") {
            req["count2"] = json!(count * 10);
        }
        let r = post(ctx, who, ACTIVITIES, req).await;
        assert_eq!(r.status(), 201, "[{}] {}", ctx.backend, r.text().await.unwrap());
        stored += 1;
    }
    assert_eq!(stored, 40);

    let bureau = ctx.login("bureau").await;
    let admin = ctx.login("admin").await;
    for (campaign, period) in [
        (FORM1, "2026-04-01..2026-04-15"),
        (FORM1, "2026-03-16..2026-03-31"),
        (FORM2, "2026-04-01..2026-04-30"),
        (FORM2, "2026-03-01..2026-03-31"),
    ] {
        let whole = stats(ctx, &bureau, campaign, &format!("period={period}&by=unit")).await;
        assert_eq!(
            whole["unit"]["id"], BUREAU,
            "a bureau coordinator's form is the bureau's"
        );
        let total = cells(&whole["rows"]);
        // Each child unit's own form, read one by one, sums to the bureau's.
        let mut sum = Vec::new();
        for unit in CHILDREN {
            let part = stats(ctx, &bureau, campaign, &format!("period={period}&unit={unit}")).await;
            let part_cells = cells(&part["rows"]);
            add(&mut sum, &part_cells);
            let row_set = whole["units"]
                .as_array()
                .unwrap()
                .iter()
                .find(|u| u["unit"]["id"] == unit)
                .unwrap_or_else(|| panic!("[{}] no row set for unit {unit}", ctx.backend));
            assert_eq!(
                cells(&row_set["rows"]),
                part_cells,
                "[{}] by=unit row set of {unit}",
                ctx.backend
            );
        }
        assert_eq!(
            sum, total,
            "[{}] {campaign} {period}: the units sum to the bureau",
            ctx.backend
        );
        // The by=unit row sets sum to the total, too (the bureau logs nothing itself).
        let mut by_unit = Vec::new();
        for u in whole["units"].as_array().unwrap() {
            add(&mut by_unit, &cells(&u["rows"]));
        }
        assert_eq!(
            by_unit, total,
            "[{}] {campaign} {period}: by=unit sums",
            ctx.backend
        );
        // Every unit lies under the bureau, so the admin's whole equals it.
        let all = stats(ctx, &admin, campaign, &format!("period={period}&scope=all")).await;
        assert_eq!(
            cells(&all["rows"]),
            total,
            "[{}] {campaign} {period}",
            ctx.backend
        );
        if campaign == FORM1 && period.starts_with("2026-04") {
            assert!(total.iter().any(|c| c.0 > 0), "an empty form proves nothing");
        }
    }
}

async fn siblings_case(ctx: &Ctx) {
    // The grassroots office's coordinator: its own unit, not a sibling or the parent.
    let coordinator = ctx.login("coordinator").await;
    let p = "period=2026-04-01..2026-04-15";
    for unit in [1, 5, BUREAU] {
        let r = ctx
            .get(
                &coordinator,
                &format!("/api/v1/campaigns/{FORM1}/stats?{p}&unit={unit}"),
            )
            .await;
        problem(r, 403, "forbidden").await;
    }
    stats(ctx, &coordinator, FORM1, &format!("{p}&unit=2")).await;
    let bureau = ctx.login("bureau").await;
    for unit in CHILDREN {
        stats(ctx, &bureau, FORM1, &format!("{p}&unit={unit}")).await;
    }
    // A lawyer asks for a break-down of someone's work: only of a unit.
    let lawyer = ctx.login("lawyer").await;
    let r = ctx
        .get(
            &lawyer,
            &format!("/api/v1/campaigns/{FORM1}/stats?{p}&scope=me&by=unit"),
        )
        .await;
    problem(r, 400, "invalid_parameter").await;
}

on_all_backends_at!(
    bureau_reads_every_unit_below_it,
    parts_sum_to_the_whole_case,
    APRIL_12
);
on_all_backends_at!(a_coordinator_cannot_read_a_sibling, siblings_case, APRIL_12);

const PERIOD: &str = "2026-04-01..2026-04-15";

fn subs(unit: Option<i64>) -> String {
    match unit {
        Some(u) => format!("/api/v1/campaigns/{FORM1}/periods/{PERIOD}/submissions/{u}"),
        None => format!("/api/v1/campaigns/{FORM1}/periods/{PERIOD}/submissions"),
    }
}

async fn visited(ctx: &Ctx, form: &Value) -> i64 {
    let _ = ctx;
    form.as_array()
        .or_else(|| form["rows"].as_array())
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "enterprises_visited")
        .unwrap()["total"]["value1"]
        .as_i64()
        .unwrap()
}

async fn hand_in_case(ctx: &Ctx) {
    let office = ctx.login("coordinator").await; // unit 2
    let worker = ctx.login("worker").await; // unit 2
    let bureau = ctx.login("bureau").await;
    let lawyer = ctx.login("lawyer").await; // unit 1
    let activity = |count: i64| json!({"indicator": "enterprises_visited", "count": count, "occurred_at": APRIL_12 - 60 * MIN});
    assert_eq!(post(ctx, &worker, ACTIVITIES, activity(2)).await.status(), 201);

    // Nothing handed in yet: pending.
    let list = body(ctx.get(&bureau, &subs(None)).await, 200).await;
    let office_row = list["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == 2)
        .unwrap()
        .clone();
    assert_eq!(office_row["hand_in"], "pending", "{list}");

    // Only the unit's own coordinator hands its form in; 填报人 and 联系电话 are required.
    problem(
        post(
            ctx,
            &bureau,
            &subs(None),
            json!({"unit": 1, "filled_by": "吴刚", "phone": "1"}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    problem(
        post(
            ctx,
            &office,
            &subs(None),
            json!({"filled_by": " ", "phone": "029-1"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let s = body(
        post(
            ctx,
            &office,
            &subs(None),
            json!({"filled_by": "陈静", "phone": "029-87654321"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(s["status"], "submitted");
    let frozen = visited(ctx, &s["rows"]).await;
    assert!(frozen >= 2, "{s}");

    // Locked: the unit's new records in the period are refused, naming who can reopen.
    let p = problem(
        post(ctx, &worker, ACTIVITIES, activity(1)).await,
        409,
        "period_locked",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("钟楼区司法局"), "{p}");
    // Another unit is not locked, and the frozen figures stay as handed in.
    let other = post(ctx, &lawyer, ACTIVITIES, activity(3)).await;
    let status = other.status();
    assert_eq!(status, 201, "{}", other.text().await.unwrap_or_default());
    let form = stats(ctx, &office, FORM1, &format!("period={PERIOD}")).await;
    assert_eq!(form["submission"]["filled_by"], "陈静");
    assert_eq!(form["submission"]["phone"], "029-87654321");
    assert_eq!(visited(ctx, &form["submission"]["rows"]).await, frozen);

    // The office cannot approve its own form; the bureau returns it with a reason.
    problem(
        post(ctx, &office, &subs(Some(2)), json!({"action": "approve"})).await,
        403,
        "forbidden",
    )
    .await;
    problem(
        post(ctx, &bureau, &subs(Some(2)), json!({"action": "return"})).await,
        422,
        "validation_failed",
    )
    .await;
    let s = body(
        post(
            ctx,
            &bureau,
            &subs(Some(2)),
            json!({"action": "return", "reason": "培训次数有误"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(s["status"], "returned");
    assert_eq!(s["reason"], "培训次数有误");
    // Open again: the record lands, and the form goes in again.
    assert_eq!(post(ctx, &worker, ACTIVITIES, activity(1)).await.status(), 201);
    let s = body(
        post(
            ctx,
            &office,
            &subs(None),
            json!({"filled_by": "陈静", "phone": "029-87654321"}),
        )
        .await,
        201,
    )
    .await;
    assert_eq!(visited(ctx, &s["rows"]).await, frozen + 1);
    problem(
        post(ctx, &bureau, &subs(Some(2)), json!({"action": "reopen"})).await,
        422,
        "validation_failed",
    )
    .await;
    body(
        post(ctx, &bureau, &subs(Some(2)), json!({"action": "approve"})).await,
        200,
    )
    .await;
    problem(
        post(ctx, &worker, ACTIVITIES, activity(1)).await,
        409,
        "period_locked",
    )
    .await;
    let s = body(
        post(
            ctx,
            &bureau,
            &subs(Some(2)),
            json!({"action": "reopen", "reason": "补报一次培训"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(s["status"], "reopened");
    problem(
        post(ctx, &bureau, &subs(Some(2)), json!({"action": "approve"})).await,
        409,
        "submission_conflict",
    )
    .await;
    assert_eq!(post(ctx, &worker, ACTIVITIES, activity(1)).await.status(), 201);
    body(
        post(
            ctx,
            &office,
            &subs(None),
            json!({"filled_by": "陈静", "phone": "029-87654321"}),
        )
        .await,
        201,
    )
    .await;
    let list = body(ctx.get(&bureau, &subs(None)).await, 200).await;
    let office_row = list["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == 2)
        .unwrap()
        .clone();
    assert_eq!(office_row["hand_in"], "on_time", "{list}");
    assert_eq!(office_row["status"], "submitted");

    // The bureau hands in its own form; a later record in a unit below and
    // one in the next period change the live form, never the frozen one.
    let b = body(
        post(
            ctx,
            &bureau,
            &subs(None),
            json!({"filled_by": "吴刚", "phone": "029-1234"}),
        )
        .await,
        201,
    )
    .await;
    let bureau_frozen = visited(ctx, &b["rows"]).await;
    assert_eq!(post(ctx, &lawyer, ACTIVITIES, activity(4)).await.status(), 201);
    let server = ctx.server.as_ref().unwrap();
    server.state.clock.set(APRIL_12 + 6 * 24 * 60 * MIN);
    let next =
        json!({"indicator": "enterprises_visited", "count": 5, "occurred_at": APRIL_12 + 5 * 24 * 60 * MIN});
    assert_eq!(post(ctx, &lawyer, ACTIVITIES, next).await.status(), 201);
    let live = stats(ctx, &bureau, FORM1, &format!("period={PERIOD}")).await;
    assert_eq!(visited(ctx, &live).await, bureau_frozen + 4);
    assert_eq!(visited(ctx, &live["submission"]["rows"]).await, bureau_frozen);
    server.state.clock.set(APRIL_12);

    // Each step is in the audit log, in order.
    let steps: Vec<(String,)> = sqlx::query_as(
        "SELECT action FROM audit_log WHERE action LIKE 'submission.%' AND detail LIKE '% unit 2:%' ORDER BY id",
    )
    .fetch_all(&server.store.pool)
    .await
    .unwrap();
    let steps: Vec<&str> = steps.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(
        steps,
        [
            "submission.submit",
            "submission.return",
            "submission.submit",
            "submission.approve",
            "submission.reopen",
            "submission.submit"
        ],
        "[{}]",
        ctx.backend
    );
}

on_all_backends_at!(hand_in_locks_returns_and_reopens, hand_in_case, APRIL_12);
