//! What a mediator sees on form 1 after logging work, by hand: the
//! agreement at 23:30 on 15 March Beijing time (15:30 UTC) lands in the
//! first half of March, a repeated key adds nothing, and work before the
//! campaign starts counts nowhere.

use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{Ctx, json as body, my_item};

const FORM1: &str = "/api/v1/campaigns/form1-enterprise-service/stats";
const FIRST_HALF: &str = "period=2026-03-01..2026-03-15";
const SECOND_HALF: &str = "period=2026-03-16..2026-03-31";
/// 2026-03-15 23:30 in Beijing.
const LATE_ON_THE_15TH: i64 = 1_773_588_600_000;
/// 2026-03-16 09:00 in Beijing.
const MORNING_OF_THE_16TH: i64 = LATE_ON_THE_15TH + 9 * 3_600_000 + 1_800_000;
/// 2026-02-28 12:00 in Beijing, the day before the campaign starts.
const BEFORE_START: i64 = 1_772_251_200_000;

/// (value1, value2) of the grassroots workers' cell of one row.
fn grassroots(form: &Value, indicator: &str) -> (i64, i64) {
    let col = form["columns"]
        .as_array()
        .unwrap()
        .iter()
        .position(|c| c == "grassroots_worker")
        .unwrap();
    let row = form["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == indicator)
        .unwrap();
    let cell = &row["cells"][col];
    (
        cell["value1"].as_i64().unwrap(),
        cell["value2"].as_i64().unwrap_or(0),
    )
}

async fn get(ctx: &Ctx, token: &str, query: &str) -> Value {
    body(ctx.get(token, &format!("{FORM1}?{query}")).await, 200).await
}

async fn golden_case(ctx: &Ctx) {
    let mediator = ctx.login("mediator").await;
    let lawyer = ctx.login("lawyer").await;
    let item = my_item(ctx, &mediator, |i| {
        i["kind"] == "mediation" && i["status"] == "new"
    })
    .await;
    let labour = ["labour_contract", "wages"].contains(&item["category"].as_str().unwrap());
    let enterprise = item["parties"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["kind"] == "enterprise");
    let green = item["green_channel"].as_bool().unwrap();

    let outcome = json!({"code": "agreement", "settled_amount": 1234.56, "minutes": 90,
        "occurred_at": LATE_ON_THE_15TH});
    let path = format!("/api/v1/items/{}/outcomes", item["id"]);
    for _ in 0..2 {
        body(
            ctx.post_idem(&mediator, &path, "golden-outcome", outcome.clone())
                .await,
            201,
        )
        .await;
    }
    let training =
        json!({"indicator": "trainings", "count": 2, "count2": 30, "occurred_at": LATE_ON_THE_15TH});
    body(
        ctx.post_idem(&mediator, "/api/v1/activities", "golden-training", training)
            .await,
        201,
    )
    .await;
    // Before the campaign starts no campaign counts trainings: refused, with why.
    let early = json!({"indicator": "trainings", "count": 5, "count2": 50, "occurred_at": BEFORE_START});
    crate::support::problem(
        ctx.post_idem(&mediator, "/api/v1/activities", "golden-early", early)
            .await,
        422,
        "unknown_indicator",
    )
    .await;

    let f = get(ctx, &mediator, &format!("{FIRST_HALF}&scope=me")).await;
    assert_eq!(
        grassroots(&f, "disputes_mediated"),
        (1, 0),
        "[{}] {f}",
        ctx.backend
    );
    // 1,234.56 yuan is 123,456 fen on the wire (0.12 万元 on the form),
    // enterprise losses only when a party is an enterprise.
    let losses = if enterprise { 123_456 } else { 0 };
    assert_eq!(grassroots(&f, "losses_recovered"), (losses, 0));
    assert_eq!(grassroots(&f, "labour_disputes"), (i64::from(labour), 0));
    assert_eq!(
        grassroots(&f, "trainings"),
        (2, 30),
        "the early training is not counted"
    );
    assert_eq!(f["hours"]["total_minutes"], 90);
    // The sparkline's days: the 90 minutes on the 15th, the last of 15 days.
    let days: Vec<i64> = f["my_minutes_by_day"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d.as_i64().unwrap())
        .collect();
    assert_eq!(days.len(), 15);
    assert_eq!((days[14], days.iter().sum::<i64>()), (90, 90), "{days:?}");
    assert_eq!(f["hours"]["green_channel_minutes"], if green { 90 } else { 0 });
    let total = f["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["indicator"] == "disputes_mediated")
        .unwrap();
    assert_eq!(total["total"]["value1"], 1);

    // The same in the mediator's unit, nothing in the second half or in the lawyer's own work.
    let unit = get(ctx, &mediator, &format!("{FIRST_HALF}&scope=unit")).await;
    assert_eq!(grassroots(&unit, "disputes_mediated"), (1, 0));
    let later = get(ctx, &mediator, &format!("{SECOND_HALF}&scope=me")).await;
    assert_eq!(grassroots(&later, "disputes_mediated"), (0, 0));
    assert_eq!(later["hours"]["total_minutes"], 0);
    let theirs = get(ctx, &lawyer, &format!("{FIRST_HALF}&scope=me")).await;
    assert_eq!(grassroots(&theirs, "disputes_mediated"), (0, 0));

    // New rules through `admin campaign import`: the stored work is recounted
    // by them at once, while the server runs.
    let (_, form1) = dutydesk::domain::campaign::SHIPPED[0];
    let old = "effects = [\"disputes_mediated += 1\"]";
    assert!(form1.contains(old), "the shipped rule this test rewrites");
    let revised = form1.replace(old, "effects = [\"disputes_mediated += 3\"]");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("form1.toml");
    std::fs::write(&file, revised).unwrap();
    dutydesk::server::stats_admin::import(&ctx.server.as_ref().unwrap().store, &file)
        .await
        .unwrap();
    let f = get(ctx, &mediator, &format!("{FIRST_HALF}&scope=me")).await;
    assert_eq!(
        grassroots(&f, "disputes_mediated"),
        (3, 0),
        "[{}] {f}",
        ctx.backend
    );
    assert_eq!(grassroots(&f, "losses_recovered"), (losses, 0));
    assert_eq!(grassroots(&f, "trainings"), (2, 30));
    // The import recounted by the new rules: a rebuild finds nothing to change.
    let report = dutydesk::server::stats_admin::rebuild_all(&ctx.server.as_ref().unwrap().store)
        .await
        .unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] {:?}",
        ctx.backend,
        report.changes
    );
}
// The morning after the first half of March, whose form is due that day.
on_all_backends_at!(logged_work_shows_on_the_form, golden_case, MORNING_OF_THE_16TH);
