//! Counting you can trust: every refusal of a record, with its status, its
//! problem code and a message that names the fix; who may count; closed
//! periods left alone; form rules by channel and by enterprise party. The
//! server's clock stands at 12 April 2026 (Beijing).

use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{APRIL_12, Ctx, json as body, my_item, problem};

const ACTIVITIES: &str = "/api/v1/activities";
const TIME: &str = "/api/v1/time-entries";
const MIN: i64 = 60_000;
/// 2026-03-10 10:00 in Beijing: form 1's 1–15 March was due on 16 March.
const MARCH_10: i64 = APRIL_12 - 33 * 24 * 60 * MIN;

async fn post(ctx: &Ctx, token: &str, path: &str, req: Value) -> reqwest::Response {
    ctx.post_idem(token, path, &uuid::Uuid::new_v4().to_string(), req)
        .await
}

/// A refusal with its status and code, whose detail contains each of `says`.
async fn refused(ctx: &Ctx, r: reqwest::Response, status: u16, code: &str, says: &[&str]) -> Value {
    let p = problem(r, status, code).await;
    let detail = p["detail"].as_str().unwrap();
    for s in says {
        assert!(
            detail.contains(s),
            "[{}] {code}: {detail:?} should say {s:?}",
            ctx.backend
        );
    }
    p
}

async fn form(ctx: &Ctx, token: &str, campaign: &str, period: &str) -> Value {
    body(
        ctx.get(
            token,
            &format!("/api/v1/campaigns/{campaign}/stats?period={period}&scope=all"),
        )
        .await,
        200,
    )
    .await
}

/// A row's total (value1, value2).
fn total(form: &Value, indicator: &str) -> (i64, i64) {
    let row = form["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == indicator)
        .unwrap_or_else(|| panic!("no row {indicator}"));
    (
        row["total"]["value1"].as_i64().unwrap(),
        row["total"]["value2"].as_i64().unwrap_or(0),
    )
}

async fn sql(ctx: &Ctx, statement: &str, id: i64) {
    let pool = &ctx.server.as_ref().unwrap().store.pool;
    sqlx::query(sqlx::AssertSqlSafe(statement.to_string()))
        .bind(id)
        .execute(pool)
        .await
        .unwrap();
}

async fn activity_refusals_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let a = |v: Value| v;
    // An indicator no campaign counts from activities: the list of those that do.
    for code in ["foo", "consultations", "walk_in_consultations"] {
        let r = post(
            ctx,
            &lawyer,
            ACTIVITIES,
            a(json!({"indicator": code, "count": 1})),
        )
        .await;
        let p = refused(
            ctx,
            r,
            422,
            "unknown_indicator",
            &[
                "use one of",
                "enterprises_visited (走访企业 / Enterprises visited)",
                "trainings",
            ],
        )
        .await;
        assert_eq!(p["errors"][0]["field"], "indicator");
    }
    let long = "x".repeat(65);
    let r = post(ctx, &lawyer, ACTIVITIES, json!({"indicator": long, "count": 1})).await;
    refused(ctx, r, 422, "indicator_too_long", &["64"]).await;
    for count in [0, -1, 10_001, 1_000_000] {
        let r = post(
            ctx,
            &lawyer,
            ACTIVITIES,
            json!({"indicator": "contact_cards", "count": count}),
        )
        .await;
        refused(ctx, r, 422, "count_out_of_range", &["between 1 and 10000"]).await;
    }
    // The campaign's own cap: materials go out by the thousand.
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "materials_handed_out", "count": 100_001}),
    )
    .await;
    refused(ctx, r, 422, "count_out_of_range", &["100000"]).await;
    let ok = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "materials_handed_out", "count": 20_000}),
    )
    .await;
    body(ok, 201).await;
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "trainings", "count": 1}),
    )
    .await;
    refused(ctx, r, 422, "second_value_required", &["count2"]).await;
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "contact_cards", "count": 1, "count2": 5}),
    )
    .await;
    refused(ctx, r, 422, "second_value_not_taken", &["leave count2 out"]).await;
    let note = "字".repeat(4001);
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "contact_cards", "count": 1, "note": note}),
    )
    .await;
    refused(ctx, r, 422, "note_too_long", &["4000", "shorten"]).await;
    for at in [APRIL_12 + 10 * MIN, i64::MAX] {
        let r = post(
            ctx,
            &lawyer,
            ACTIVITIES,
            json!({"indicator": "contact_cards", "count": 1, "occurred_at": at}),
        )
        .await;
        refused(ctx, r, 422, "occurred_in_future", &["clock"]).await;
    }
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "contact_cards", "count": 1, "occurred_at": i64::MIN}),
    )
    .await;
    refused(ctx, r, 422, "occurred_at_out_of_range", &["milliseconds"]).await;
    // Within clock skew is fine.
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "contact_cards", "count": 1, "occurred_at": APRIL_12 + 4 * MIN}),
    )
    .await;
    body(r, 201).await;

    // Who may count: not those who run the service.
    for who in ["operator", "coordinator", "admin"] {
        let t = ctx.login(who).await;
        let r = post(
            ctx,
            &t,
            ACTIVITIES,
            json!({"indicator": "contact_cards", "count": 1_000_000}),
        )
        .await;
        refused(ctx, r, 403, "role_does_not_count", &[who, "who did the work"]).await;
    }
    // An admin may change any item, but logs no time or outcome on it.
    let admin = ctx.login("admin").await;
    let item = my_item(ctx, &lawyer, |i| i["status"] == "in_progress").await;
    let r = post(
        ctx,
        &admin,
        TIME,
        json!({"item_id": item["id"], "minutes": 30, "activity": "session"}),
    )
    .await;
    refused(ctx, r, 403, "role_does_not_count", &["admin"]).await;
    let r = post(
        ctx,
        &admin,
        &format!("/api/v1/items/{}/outcomes", item["id"]),
        json!({"code": "completed", "fee_waived": 0}),
    )
    .await;
    refused(ctx, r, 403, "role_does_not_count", &["admin"]).await;
}
on_all_backends_at!(activity_refusals_say_the_fix, activity_refusals_case, APRIL_12);

async fn time_refusals_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let open = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "in_progress"
    })
    .await;
    let id = open["id"].as_i64().unwrap();
    for minutes in [0, 721, 1440] {
        let r = post(
            ctx,
            &lawyer,
            TIME,
            json!({"item_id": id, "minutes": minutes, "activity": "session"}),
        )
        .await;
        refused(ctx, r, 422, "minutes_out_of_range", &["720", "several entries"]).await;
    }
    let note = "x".repeat(4001);
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": id, "minutes": 5, "activity": "session", "note": note}),
    )
    .await;
    refused(ctx, r, 422, "note_too_long", &["4000"]).await;
    let r = post(
        ctx,
        &lawyer,
        &format!("/api/v1/items/{id}/outcomes"),
        json!({"code": "answered", "minutes": 721}),
    )
    .await;
    refused(ctx, r, 422, "minutes_out_of_range", &["720"]).await;
    // 24 hours in a Beijing day, whatever the item.
    let morning = APRIL_12 - 60 * MIN;
    for _ in 0..2 {
        let r = post(
            ctx,
            &lawyer,
            TIME,
            json!({"item_id": id, "minutes": 720, "activity": "duty", "occurred_at": morning}),
        )
        .await;
        body(r, 201).await;
    }
    let other = my_item(ctx, &lawyer, |i| {
        i["kind"] == "pro_bono" && i["status"] == "waiting"
    })
    .await;
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": other["id"], "minutes": 1, "activity": "session", "occurred_at": morning}),
    )
    .await;
    refused(ctx, r, 422, "day_overfull", &["1440", "2026-04-12", "24 hours"]).await;
    // The day before is another day.
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": other["id"], "minutes": 60, "activity": "session", "occurred_at": morning - 24 * 60 * MIN}),
    )
    .await;
    body(r, 201).await;
    // Closed and cancelled items take no time.
    let cancelled = my_item(ctx, &lawyer, |i| i["status"] == "cancelled").await;
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": cancelled["id"], "minutes": 10, "activity": "follow_up", "occurred_at": morning - 48 * 60 * MIN}),
    )
    .await;
    refused(ctx, r, 409, "item_finished", &["cancelled", "before the outcome"]).await;
    let waiting = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "waiting"
    })
    .await;
    let path = format!("/api/v1/items/{}/outcomes", waiting["id"]);
    body(post(ctx, &lawyer, &path, json!({"code": "answered"})).await, 201).await;
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": waiting["id"], "minutes": 10, "activity": "follow_up", "occurred_at": morning - 48 * 60 * MIN}),
    )
    .await;
    refused(ctx, r, 409, "item_finished", &["closed"]).await;
}
on_all_backends_at!(time_refusals_say_the_fix, time_refusals_case, APRIL_12);

async fn closed_period_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let admin = ctx.login("admin").await;
    const F1: &str = "form1-enterprise-service";
    const F2: &str = "form2-legal-aid";
    let first_half = "2026-03-01..2026-03-15";
    let before1 = form(ctx, &admin, F1, first_half).await;
    let before2 = form(ctx, &admin, F2, "2026-03-01..2026-03-31").await;
    assert_eq!(before1["period"]["open"], false, "{before1}");
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "enterprises_visited", "count": 500, "occurred_at": MARCH_10}),
    )
    .await;
    refused(
        ctx,
        r,
        409,
        "period_closed",
        &[
            first_half,
            "2026-03-16",
            "current period",
            "real date in the note",
            "coordinator",
        ],
    )
    .await;
    // A time entry counts on both forms: form 2's March is still open, but
    // form 1's first half is not, so nothing of it is stored.
    let item = my_item(ctx, &lawyer, |i| {
        i["kind"] == "pro_bono" && i["status"] == "in_progress"
    })
    .await;
    let r = post(
        ctx,
        &lawyer,
        TIME,
        json!({"item_id": item["id"], "minutes": 90, "activity": "session", "occurred_at": MARCH_10}),
    )
    .await;
    refused(ctx, r, 409, "period_closed", &[first_half]).await;
    let r = post(
        ctx,
        &lawyer,
        &format!("/api/v1/items/{}/outcomes", item["id"]),
        json!({"code": "completed", "fee_waived": 100, "occurred_at": MARCH_10}),
    )
    .await;
    let p = problem(r, 409, "period_closed").await;
    assert!(p["detail"].as_str().unwrap().contains("2026-03"), "{p}");
    // Petitions count only on form 2, whose March is open: that one is taken.
    let r = post(
        ctx,
        &lawyer,
        ACTIVITIES,
        json!({"indicator": "outreach_events", "count": 2, "occurred_at": MARCH_10}),
    )
    .await;
    body(r, 201).await;
    assert_eq!(
        form(ctx, &admin, F1, first_half).await,
        before1,
        "[{}] the filed form",
        ctx.backend
    );
    let after2 = form(ctx, &admin, F2, "2026-03-01..2026-03-31").await;
    assert_eq!(
        total(&after2, "outreach_events").0,
        total(&before2, "outreach_events").0 + 2
    );
    assert_eq!(
        after2["hours"], before2["hours"],
        "the refused time counts nowhere"
    );
    let detail = body(
        ctx.get(&lawyer, &format!("/api/v1/items/{}", item["id"])).await,
        200,
    )
    .await;
    assert_eq!(
        detail["status"], "in_progress",
        "the refused outcome did not close it"
    );
    assert!(detail["time_entries"].as_array().unwrap().is_empty());
}
on_all_backends_at!(
    a_record_in_a_closed_period_changes_nothing,
    closed_period_case,
    APRIL_12
);

async fn form_rules_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let mediator = ctx.login("mediator").await;
    let admin = ctx.login("admin").await;
    const F1: &str = "form1-enterprise-service";
    const F2: &str = "form2-legal-aid";
    let april = "2026-04-01..2026-04-30";
    let first_half = "2026-04-01..2026-04-15";

    // Form 2: a walk-in ticket and a hotline ticket, answered.
    let walk_in = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "in_progress"
    })
    .await;
    let hotline = my_item(ctx, &lawyer, |i| {
        i["kind"] == "consultation" && i["status"] == "accepted"
    })
    .await;
    let (walk_in, hotline) = (walk_in["id"].as_i64().unwrap(), hotline["id"].as_i64().unwrap());
    sql(ctx, "UPDATE items SET channel = 'walk_in' WHERE id = $1", walk_in).await;
    sql(ctx, "UPDATE items SET channel = 'hotline' WHERE id = $1", hotline).await;
    let before = form(ctx, &admin, F2, april).await;
    let answered = json!({"code": "answered"});
    let path = |id: i64| format!("/api/v1/items/{id}/outcomes");
    body(post(ctx, &lawyer, &path(walk_in), answered.clone()).await, 201).await;
    let mid = form(ctx, &admin, F2, april).await;
    assert_eq!(
        total(&mid, "walk_in_consultations").0,
        total(&before, "walk_in_consultations").0 + 1,
        "[{}]",
        ctx.backend
    );
    assert_eq!(
        total(&mid, "remote_consultations"),
        total(&before, "remote_consultations")
    );
    body(post(ctx, &lawyer, &path(hotline), answered).await, 201).await;
    let after = form(ctx, &admin, F2, april).await;
    assert_eq!(
        total(&after, "walk_in_consultations"),
        total(&mid, "walk_in_consultations")
    );
    assert_eq!(
        total(&after, "remote_consultations").0,
        total(&mid, "remote_consultations").0 + 1
    );

    // Form 1: an enterprise's mediation and a neighbours' one, both settled.
    let enterprise = my_item(ctx, &mediator, |i| {
        i["kind"] == "mediation" && i["status"] == "new"
    })
    .await;
    let neighbours = my_item(ctx, &mediator, |i| {
        i["kind"] == "mediation" && i["status"] == "accepted" && i["id"] != enterprise["id"]
    })
    .await;
    let (enterprise, neighbours) = (
        enterprise["id"].as_i64().unwrap(),
        neighbours["id"].as_i64().unwrap(),
    );
    sql(
        ctx,
        "UPDATE items SET enterprise_party = 1 WHERE id = $1",
        enterprise,
    )
    .await;
    sql(
        ctx,
        "UPDATE items SET enterprise_party = 0 WHERE id = $1",
        neighbours,
    )
    .await;
    let before = form(ctx, &admin, F1, first_half).await;
    let settled = json!({"code": "agreement", "settled_amount": 5000});
    body(
        post(ctx, &mediator, &path(neighbours), settled.clone()).await,
        201,
    )
    .await;
    let mid = form(ctx, &admin, F1, first_half).await;
    assert_eq!(
        total(&mid, "losses_recovered"),
        total(&before, "losses_recovered"),
        "[{}]",
        ctx.backend
    );
    assert_eq!(
        total(&mid, "disputes_mediated").0,
        total(&before, "disputes_mediated").0 + 1
    );
    body(post(ctx, &mediator, &path(enterprise), settled).await, 201).await;
    let after = form(ctx, &admin, F1, first_half).await;
    assert_eq!(
        total(&after, "losses_recovered").0,
        total(&mid, "losses_recovered").0 + 500_000,
        "5,000 yuan in fen"
    );
    assert_eq!(
        total(&after, "disputes_mediated").0,
        total(&mid, "disputes_mediated").0 + 1
    );
    // Form 2's losses recovered are not only enterprises'.
    let f2 = form(ctx, &admin, F2, april).await;
    assert_eq!(total(&f2, "losses_recovered").0, 1_000_000);

    // The wire says which rows take activities, with their caps, and what kind each party is.
    let list = body(ctx.get(&lawyer, "/api/v1/campaigns").await, 200).await;
    let f2 = list["campaigns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == F2)
        .unwrap();
    let row = |code: &str| {
        f2["indicators"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(row("walk_in_consultations")["activity"], false);
    assert_eq!(row("outreach_events")["activity"], true);
    assert_eq!(row("materials_handed_out")["max_count"], 100_000);
    let detail = body(
        ctx.get(&mediator, &format!("/api/v1/items/{enterprise}")).await,
        200,
    )
    .await;
    assert!(
        detail["parties"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["kind"].is_string())
    );
}
on_all_backends_at!(
    form_rules_follow_channel_and_enterprise,
    form_rules_case,
    APRIL_12
);
