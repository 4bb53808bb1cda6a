//! Per-person row sets in a `by=unit` form: the unit's own coordinator (and
//! an admin) gets one row set per person who logged records for the unit
//! itself, and they sum to the unit's own records (randomized records by
//! several people over the unit and a sibling). A coordinator above the
//! unit gets its child units, never a unit's people. Clock at 12 April 2026.

use serde_json::{Value, json};

use crate::on_all_backends_at;
use crate::support::{APRIL_12, Ctx, json as body};

const STATS: &str = "/api/v1/campaigns/form1-enterprise-service/stats?period=2026-04-01..2026-04-15";
const MIN: i64 = 60_000;

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

/// Every cell of a row set, in order, then the hours.
fn cells(set: &Value) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for row in set["rows"].as_array().unwrap() {
        for c in row["cells"].as_array().unwrap().iter().chain([&row["total"]]) {
            out.push((c["value1"].as_i64().unwrap(), c["value2"].as_i64().unwrap_or(0)));
        }
    }
    out.push((set["hours"]["total_minutes"].as_i64().unwrap_or(0), 0));
    out
}

fn sum(sets: &[Value]) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for s in sets {
        let c = cells(s);
        out.resize(c.len(), (0, 0));
        for (o, v) in out.iter_mut().zip(c) {
            o.0 += v.0;
            o.1 += v.1;
        }
    }
    out
}

async fn stats(ctx: &Ctx, token: &str, query: &str) -> Value {
    body(ctx.get(token, &format!("{STATS}&{query}")).await, 200).await
}

/// The unit's own row set in a by=unit answer.
fn own(form: &Value, unit: i64) -> Value {
    form["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["unit"]["id"] == unit)
        .cloned()
        .unwrap_or_else(|| panic!("no own row set for {unit}: {form}"))
}

async fn people_case(ctx: &Ctx) {
    // Unit 1 (a firm): lawyer, lawyer2, lawyer4; unit 2 (the office): worker.
    let writers = ["lawyer", "lawyer2", "lawyer4", "worker"];
    let mut tokens = Vec::new();
    for w in writers {
        tokens.push(ctx.login(w).await);
    }
    let mut rng = Lcg(20_261_126);
    let indicators = ["enterprises_visited", "trainings", "outreach_events"];
    for _ in 0..30 {
        let who = rng.next(tokens.len() as u64) as usize;
        let at = APRIL_12 - (1 + rng.next(9 * 24 * 60) as i64) * MIN;
        let indicator = indicators[rng.next(indicators.len() as u64) as usize];
        let count = 1 + rng.next(4) as i64;
        let mut req = json!({"indicator": indicator, "count": count, "occurred_at": at});
        if indicator == "trainings" {
            req["count2"] = json!(count * 10);
        }
        let r = ctx
            .post_idem(
                &tokens[who],
                "/api/v1/activities",
                &uuid::Uuid::new_v4().to_string(),
                req,
            )
            .await;
        assert_eq!(r.status(), 201, "[{}] {}", ctx.backend, r.text().await.unwrap());
    }

    // The office's own coordinator: one row set per person, summing to the unit.
    let office = ctx.login("coordinator").await;
    let form = stats(ctx, &office, "unit=2&by=unit").await;
    let people = form["people"].as_array().cloned().unwrap_or_default();
    assert!(
        people.iter().any(|p| p["user"]["username"] == "worker"),
        "[{}] {form}",
        ctx.backend
    );
    assert_eq!(sum(&people), cells(&own(&form, 2)), "[{}] office", ctx.backend);
    assert_eq!(
        sum(&people),
        cells(&form),
        "[{}] a leaf: its own is its whole",
        ctx.backend
    );

    // An admin reads the firm's people: several, summing to its own records.
    let admin = ctx.login("admin").await;
    let form = stats(ctx, &admin, "unit=1&by=unit").await;
    let people = form["people"].as_array().unwrap().clone();
    assert!(people.len() >= 2, "[{}] {form}", ctx.backend);
    for p in &people {
        assert!(
            ["lawyer", "lawyer2", "lawyer4"].contains(&p["user"]["username"].as_str().unwrap()),
            "{p}"
        );
    }
    assert_eq!(sum(&people), cells(&own(&form, 1)), "[{}] firm", ctx.backend);
    assert!(
        cells(&form).iter().any(|c| c.0 > 0),
        "an empty form proves nothing"
    );

    // The bureau's coordinator: child units, not the persons of children —
    // neither in its own roll-up nor in a child's break-down.
    let bureau = ctx.login("bureau").await;
    let form = stats(ctx, &bureau, "by=unit").await;
    assert!(
        form.get("people").is_none(),
        "[{}] the bureau logs nothing itself: {form}",
        ctx.backend
    );
    assert!(
        form["units"]
            .as_array()
            .unwrap()
            .iter()
            .any(|u| u["unit"]["id"] == 1)
    );
    for unit in [1, 2] {
        let child = stats(ctx, &bureau, &format!("unit={unit}&by=unit")).await;
        assert!(child.get("people").is_none(), "[{}] {child}", ctx.backend);
        assert_eq!(cells(&own(&child, unit)), cells(&child));
    }
    // Without by=unit nobody gets people.
    let plain = stats(ctx, &office, "unit=2").await;
    assert!(plain.get("people").is_none());
}

on_all_backends_at!(the_units_coordinator_reads_its_people, people_case, APRIL_12);
