//! Campaign statistics stay equal to a recomputation from the raw rows:
//! a seeded random workload of outcomes, time entries and activities goes
//! through the real HTTP API, with repeats of the same Idempotency-Key (one
//! after the other and two at once), then every form the stats endpoint
//! serves is compared with `recompute` over the stored records, and
//! `admin stats rebuild` must find nothing to change.

use dutydesk::api::StatsForm;
use dutydesk::api::stats::period_totals;
use dutydesk::api::{StatsScope, UnitRef};
use dutydesk::domain::campaign::period::{local_date, period_containing};
use dutydesk::domain::campaign::{CampaignDef, Period, RecordFact, SHIPPED, parse_definition, recompute};
use dutydesk::domain::{ItemKind, OutcomeCode, TimeActivity};
use dutydesk::server::rebuild::{cells_of, load_facts, stored_cells};
use dutydesk::server::stats_admin::rebuild_all;
use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json as body};

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

const ACTIVITY_INDICATORS: [&str; 7] = [
    "enterprises_visited",
    "trainings",
    "mass_incidents_prevented",
    "walk_in_consultations",
    "outreach_events",
    "petition_reception",
    // Counted by no campaign: stored, adds nothing.
    "not_on_any_form",
];

/// A random instant from late February 2026 to early January 2027 in
/// Beijing time (so some fall outside the campaigns' dates), or one of the
/// half-month boundaries.
fn occurred_at(rng: &mut Lcg) -> i64 {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let at = |d: jiff::civil::Date, h: i8, m: i8| tz.to_timestamp(d.at(h, m, 0, 0)).unwrap().as_millisecond();
    match rng.next(8) {
        0 => at(jiff::civil::date(2026, 3, 15), 23, 30),
        1 => at(jiff::civil::date(2026, 3, 16), 0, 0),
        _ => {
            let start = jiff::civil::date(2026, 2, 20);
            let day = start
                .checked_add(jiff::Span::new().days(rng.next(320) as i64))
                .unwrap();
            at(day, rng.next(24) as i8, rng.next(60) as i8)
        }
    }
}

struct Worker {
    token: String,
    items: Vec<Value>,
    open: Vec<Value>,
}

/// Sends one creating POST; maybe repeats it (after, or at the same time).
/// Both answers must be 201 with the same body.
async fn send(ctx: &Ctx, rng: &mut Lcg, token: &str, path: &str, req: Value) -> Value {
    let key = uuid::Uuid::new_v4().to_string();
    let (first, second) = match rng.next(6) {
        0 => {
            let (a, b) = tokio::join!(
                ctx.post_idem(token, path, &key, req.clone()),
                ctx.post_idem(token, path, &key, req.clone())
            );
            (body(a, 201).await, Some(body(b, 201).await))
        }
        1 | 2 => {
            let a = body(ctx.post_idem(token, path, &key, req.clone()).await, 201).await;
            let b = body(ctx.post_idem(token, path, &key, req.clone()).await, 201).await;
            (a, Some(b))
        }
        _ => (body(ctx.post_idem(token, path, &key, req).await, 201).await, None),
    };
    if let Some(second) = second {
        assert_eq!(
            first, second,
            "[{}] a repeated key answers what it stored",
            ctx.backend
        );
    }
    first
}

/// Runs the workload; returns how many records it stored.
async fn workload(ctx: &Ctx, rng: &mut Lcg, workers: &mut [Worker]) -> usize {
    let mut stored = 0;
    for _ in 0..70 {
        let w = &mut workers[rng.next(3) as usize];
        match rng.next(3) {
            0 if !w.open.is_empty() => {
                let item = w.open.remove(rng.next(w.open.len() as u64) as usize);
                let kind: ItemKind = serde_json::from_value(item["kind"].clone()).unwrap();
                let codes = OutcomeCode::for_kind(kind);
                let code = codes[rng.next(codes.len() as u64) as usize];
                let mut req = json!({"code": code, "occurred_at": occurred_at(rng)});
                if kind == ItemKind::Mediation && code.takes_settled_amount() {
                    req["settled_amount"] = json!(rng.next(5_000_000) as f64 / 100.0);
                }
                if kind == ItemKind::ProBono && (code == OutcomeCode::Completed || rng.next(2) == 0) {
                    req["fee_waived"] = json!(rng.next(300_000) as f64 / 100.0);
                }
                if rng.next(2) == 0 {
                    req["minutes"] = json!(1 + rng.next(240));
                    stored += 1;
                }
                let path = format!("/api/v1/items/{}/outcomes", item["id"]);
                send(ctx, rng, &w.token, &path, req).await;
            }
            1 => {
                let item = &w.items[rng.next(w.items.len() as u64) as usize];
                let activity = TimeActivity::ALL[rng.next(TimeActivity::ALL.len() as u64) as usize];
                let req = json!({"item_id": item["id"], "minutes": 1 + rng.next(300),
                    "activity": activity, "occurred_at": occurred_at(rng)});
                let token = w.token.clone();
                send(ctx, rng, &token, "/api/v1/time-entries", req).await;
            }
            _ => {
                let indicator = ACTIVITY_INDICATORS[rng.next(ACTIVITY_INDICATORS.len() as u64) as usize];
                let mut req =
                    json!({"indicator": indicator, "count": rng.next(20), "occurred_at": occurred_at(rng)});
                if rng.next(2) == 0 {
                    req["count2"] = json!(rng.next(200));
                }
                let token = w.token.clone();
                send(ctx, rng, &token, "/api/v1/activities", req).await;
            }
        }
        stored += 1;
    }
    stored
}

async fn form(ctx: &Ctx, token: &str, id: &str, query: &str) -> StatsForm {
    let v = body(
        ctx.get(token, &format!("/api/v1/campaigns/{id}/stats?{query}"))
            .await,
        200,
    )
    .await;
    let mut form: StatsForm = serde_json::from_value(v).unwrap();
    // The caller's own minutes per day are not aggregates: compared elsewhere.
    form.my_minutes_by_day.clear();
    // Who asked (填报人) is not an aggregate either.
    form.reporter = None;
    form
}

fn expected(
    def: &CampaignDef,
    facts: &[RecordFact],
    p: &Period,
    scope: StatsScope,
    unit: Option<UnitRef>,
) -> StatsForm {
    let cells = recompute(def, facts);
    let totals = period_totals(&cells, p, unit.as_ref().map(|u| u.id));
    let open = p.is_open(local_date(def, dutydesk::server::db::now_ms()));
    StatsForm::build(def, p, open, scope, unit, &totals)
}

fn nonzero(f: &StatsForm) -> bool {
    f.rows.iter().any(|r| r.total.value1 != 0) || f.hours.total_minutes != 0
}

async fn consistency_case(ctx: &Ctx) {
    let server = ctx.server.as_ref().unwrap();
    let mut conn = server.store.pool.acquire().await.unwrap();
    let baseline = load_facts(&mut conn).await.unwrap().len();
    let mut workers = Vec::new();
    for name in ["lawyer", "lawyer2", "mediator"] {
        let token = ctx.login(name).await;
        let list = body(ctx.get(&token, "/api/v1/items").await, 200).await;
        let items: Vec<Value> = list["items"].as_array().unwrap().clone();
        let open = items
            .iter()
            .filter(|i| !["closed", "no_show", "cancelled"].contains(&i["status"].as_str().unwrap()))
            .cloned()
            .collect();
        workers.push(Worker { token, items, open });
    }
    let mut rng = Lcg(0x5eed_2026);
    let stored = workload(ctx, &mut rng, &mut workers).await;
    let facts = load_facts(&mut conn).await.unwrap();
    assert_eq!(
        facts.len(),
        baseline + stored,
        "[{}] each record stored once",
        ctx.backend
    );

    let admin = ctx.login("admin").await;
    let units: Vec<i64> = facts.iter().map(|f| f.unit_id).collect();
    let mut users: Vec<(i64, String)> = Vec::new();
    for w in &workers {
        let me = body(ctx.get(&w.token, "/api/v1/me").await, 200).await;
        users.push((me["id"].as_i64().unwrap(), w.token.clone()));
    }
    let mut seen_nonzero = 0;
    for (_, source) in SHIPPED {
        let def = parse_definition(source).unwrap();
        let mut starts: Vec<_> = recompute(&def, &facts).keys().map(|k| k.period_start).collect();
        starts.sort();
        starts.dedup();
        assert!(
            starts.len() > 3,
            "the workload spans several periods of {}",
            def.id
        );
        for start in starts {
            let p = period_containing(def.cadence, start);
            let q = format!("period={}", p.label());
            let got = form(ctx, &admin, &def.id, &format!("{q}&scope=all")).await;
            assert_eq!(
                got,
                expected(&def, &facts, &p, StatsScope::All, None),
                "[{}] all {q}",
                ctx.backend
            );
            seen_nonzero += usize::from(nonzero(&got));
            for unit in [1, 2, 3].into_iter().filter(|u| units.contains(u)) {
                let got = form(ctx, &admin, &def.id, &format!("{q}&scope=unit&unit={unit}")).await;
                let name = got.unit.clone().map(|u| u.name).unwrap_or_default();
                let want = expected(
                    &def,
                    &facts,
                    &p,
                    StatsScope::Unit,
                    Some(UnitRef { id: unit, name }),
                );
                assert_eq!(got, want, "[{}] unit {unit} {q}", ctx.backend);
            }
            for (user_id, token) in &users {
                let mine: Vec<RecordFact> = facts.iter().filter(|f| f.user_id == *user_id).cloned().collect();
                let got = form(ctx, token, &def.id, &format!("{q}&scope=me")).await;
                assert_eq!(
                    got,
                    expected(&def, &mine, &p, StatsScope::Me, None),
                    "[{}] me {q}",
                    ctx.backend
                );
            }
        }
    }
    assert!(
        seen_nonzero > 5,
        "[{}] the forms compared are not all empty",
        ctx.backend
    );

    // Rebuilding from the raw rows changes nothing after the live path...
    let defs: Vec<_> = SHIPPED
        .iter()
        .map(|(_, s)| std::sync::Arc::new(parse_definition(s).unwrap()))
        .collect();
    let live = stored_cells(&mut conn).await.unwrap();
    assert_eq!(
        live,
        cells_of(&defs, &facts),
        "[{}] incremental equals rebuilt",
        ctx.backend
    );
    let report = rebuild_all(&server.store).await.unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] {:?}",
        ctx.backend,
        report.changes
    );
    assert_eq!(report.cells, live.len());
    // ...and repairs cells that went wrong.
    let (k, _) = live.iter().next().unwrap();
    sqlx::query(
        "UPDATE aggregates SET value1 = value1 + 7 WHERE campaign_id = $1 AND period_start = $2 \
         AND unit_id = $3 AND profession = $4 AND user_id = $5 AND indicator = $6",
    )
    .bind(&k.0)
    .bind(&k.1)
    .bind(k.2)
    .bind(&k.3)
    .bind(k.4)
    .bind(&k.5)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO aggregates VALUES ('form2-legal-aid', '2026-05-01', 1, 'lawyer', 1, 'stray', 3, 0)",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    let report = rebuild_all(&server.store).await.unwrap();
    assert_eq!(report.changes.len(), 2, "[{}] {:?}", ctx.backend, report.changes);
    assert_eq!(stored_cells(&mut conn).await.unwrap(), live);
}
on_all_backends!(aggregates_equal_recompute_after_random_workload, consistency_case);
