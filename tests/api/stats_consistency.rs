//! Campaign statistics stay equal to a recomputation from the raw rows:
//! a seeded random workload of outcomes, time entries and activities goes
//! through the real HTTP API, with repeats of the same Idempotency-Key (one
//! after the other and two at once), while the server's clock moves through
//! the campaign's months. Every request's answer is predicted by the
//! domain's rules (`domain::records`): a record dated in a closed period,
//! ahead of the clock, against an indicator no campaign counts from
//! activities, with counts or minutes out of range, past 24 hours in a day,
//! on a finished item or from a role that counts nothing is refused with
//! its status and code, and stores nothing; the cells of closed periods
//! never change. Then every form the stats endpoint serves is compared with
//! `recompute` over the stored records, and `admin stats rebuild` must find
//! nothing to change.

use std::collections::{BTreeMap, HashMap};

use crate::period_totals::period_totals;
use dutydesk::api::StatsForm;
use dutydesk::api::{StatsScope, UnitRef};
use dutydesk::domain::campaign::period::{due_by, local_date, period_containing};
use dutydesk::domain::campaign::{
    CampaignDef, Period, RecordFact, RecordKind, SHIPPED, parse_definition, recompute,
};
use dutydesk::domain::records::{
    ActivityInput, Refusal, activity_targets, check_activity, check_day_total, check_item_takes_time,
    check_minutes, check_occurred_at, check_periods_open,
};
use dutydesk::domain::{
    Category, Channel, ItemKind, ItemStatus, OutcomeCode, Profession, Role, TimeActivity, Yuan,
};
use dutydesk::server::rebuild::{Cells, cells_of, load_facts, stored_cells};
use dutydesk::server::stats_admin::rebuild_all;
use serde_json::{Value, json};

use crate::on_all_backends_at;
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

const ACTIVITY_INDICATORS: [&str; 9] = [
    "enterprises_visited",
    "trainings",
    "mass_incidents_prevented",
    "outreach_events",
    "petition_reception",
    "contact_cards",
    // Counted from tickets, not typed in: refused.
    "walk_in_consultations",
    "consultations",
    // Counted by no campaign: refused.
    "not_on_any_form",
];

fn beijing(d: jiff::civil::Date, h: i8, m: i8) -> i64 {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    tz.to_timestamp(d.at(h, m, 0, 0)).unwrap().as_millisecond()
}

/// Where the server's clock stands in each phase: Beijing days through the
/// campaigns' year, some on a deadline day, the first before they start.
fn phases() -> Vec<i64> {
    use jiff::civil::date;
    vec![
        beijing(date(2026, 3, 2), 9, 0),
        beijing(date(2026, 3, 16), 18, 0),
        beijing(date(2026, 4, 20), 10, 0),
        beijing(date(2026, 5, 23), 22, 0),
        beijing(date(2026, 7, 1), 8, 0),
        beijing(date(2026, 9, 12), 15, 0),
        beijing(date(2026, 12, 31), 23, 0),
    ]
}

/// A random instant up to 40 days before `now`, sometimes just after a
/// half-month boundary, sometimes a little (or a lot) ahead of it.
fn occurred_at(rng: &mut Lcg, now: i64) -> i64 {
    const MIN: i64 = 60_000;
    match rng.next(12) {
        0 => now + (3 + rng.next(5) as i64) * MIN,
        1 => now + 2 * 24 * 60 * MIN,
        2 => now - rng.next(60) as i64 * MIN,
        _ => now - rng.next(40 * 24 * 60) as i64 * MIN,
    }
}

struct Worker {
    token: String,
    items: Vec<Value>,
}

fn status_of(item: &Value) -> ItemStatus {
    serde_json::from_value(item["status"].clone()).unwrap()
}

/// The facts the rules see of a record on `item` (or none).
fn fact(record: RecordKind, at: i64, item: Option<&Value>) -> RecordFact {
    let mut f = RecordFact::new(record, at, Profession::Lawyer, 0, 0);
    if let Some(i) = item {
        f.kind = serde_json::from_value(i["kind"].clone()).ok();
        f.category = serde_json::from_value::<Category>(i["category"].clone()).ok();
        f.channel = serde_json::from_value::<Channel>(i["channel"].clone()).ok();
        f.green_channel = i["green_channel"].as_bool().unwrap();
        f.enterprise_party = i["parties"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["kind"] == "enterprise");
    }
    f
}

/// The problem a refusal is sent as.
fn answer(r: Result<(), Refusal>) -> Result<(), (u16, &'static str)> {
    r.map_err(|e| {
        let p = dutydesk::api::Problem::of_refusal(&e);
        (p.status, e.code())
    })
}

/// Sends one creating POST; maybe repeats it (after, or at the same time).
/// Every answer must be the predicted one; repeats answer the same.
async fn send(
    ctx: &Ctx,
    rng: &mut Lcg,
    seen: &mut BTreeMap<&'static str, usize>,
    (token, path, req): (&str, &str, Value),
    want: Result<(), (u16, &'static str)>,
) -> bool {
    *seen.entry(want.err().map_or("created", |w| w.1)).or_default() += 1;
    let key = uuid::Uuid::new_v4().to_string();
    let repeats = match rng.next(6) {
        0 => 2,
        1 | 2 => 1,
        _ => 0,
    };
    let check = |status: u16, text: &str| {
        let v: Value = serde_json::from_str(text).unwrap();
        match want {
            Ok(()) => assert_eq!(status, 201, "[{}] {path} {req}: {text}", ctx.backend),
            Err((code_status, code)) => {
                assert_eq!(
                    (status, v["code"].as_str().unwrap_or("")),
                    (code_status, code),
                    "[{}] {path} {req}: {text}",
                    ctx.backend
                );
                assert!(!v["detail"].as_str().unwrap_or("").is_empty());
            }
        }
        v
    };
    let first = if repeats == 2 {
        let (a, b) = tokio::join!(
            ctx.post_idem(token, path, &key, req.clone()),
            ctx.post_idem(token, path, &key, req.clone())
        );
        let (sa, sb) = (a.status().as_u16(), b.status().as_u16());
        let (ta, tb) = (a.text().await.unwrap(), b.text().await.unwrap());
        let va = check(sa, &ta);
        let vb = check(sb, &tb);
        if want.is_ok() {
            assert_eq!(va, vb, "[{}] a repeated key answers what it stored", ctx.backend);
        }
        va
    } else {
        let r = ctx.post_idem(token, path, &key, req.clone()).await;
        let s = r.status().as_u16();
        check(s, &r.text().await.unwrap())
    };
    if repeats == 1 {
        let r = ctx.post_idem(token, path, &key, req.clone()).await;
        let s = r.status().as_u16();
        let again = check(s, &r.text().await.unwrap());
        if want.is_ok() {
            assert_eq!(
                first, again,
                "[{}] a repeated key answers what it stored",
                ctx.backend
            );
        }
    }
    want.is_ok()
}

/// What the workload keeps to predict the server's answers.
struct Model {
    defs: Vec<CampaignDef>,
    /// Minutes logged per (worker, Beijing day).
    minutes: HashMap<(usize, jiff::civil::Date), i64>,
    /// How often each answer was expected (`created` or a problem code).
    seen: BTreeMap<&'static str, usize>,
}

impl Model {
    fn periods_open(&self, f: &RecordFact, now: i64) -> Result<(), Refusal> {
        check_periods_open(&self.defs, f, now)
    }

    fn day(&self, w: usize, at: i64, adding: i64) -> Result<(), Refusal> {
        let day = beijing_day(at);
        check_day_total(day, *self.minutes.get(&(w, day)).unwrap_or(&0), adding)
    }
}

fn beijing_day(at: i64) -> jiff::civil::Date {
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    tz.to_datetime(jiff::Timestamp::from_millisecond(at).unwrap())
        .date()
}

/// Runs one phase at `now`; returns how many records it stored.
async fn phase(
    ctx: &Ctx,
    rng: &mut Lcg,
    model: &mut Model,
    workers: &mut [Worker],
    coordinator: &str,
    now: i64,
) -> usize {
    let mut stored = 0;
    for _ in 0..40 {
        let wi = rng.next(workers.len() as u64) as usize;
        let at = occurred_at(rng, now);
        match rng.next(4) {
            0 => {
                let open: Vec<usize> = (0..workers[wi].items.len())
                    .filter(|n| !status_of(&workers[wi].items[*n]).is_finished())
                    .collect();
                if open.is_empty() {
                    continue;
                }
                let n = open[rng.next(open.len() as u64) as usize];
                let item = workers[wi].items[n].clone();
                let kind: ItemKind = serde_json::from_value(item["kind"].clone()).unwrap();
                let codes = OutcomeCode::for_kind(kind);
                let code = codes[rng.next(codes.len() as u64) as usize];
                let mut req = json!({"code": code, "occurred_at": at});
                let mut f = fact(RecordKind::Outcome, at, Some(&item));
                f.code = Some(code);
                if kind == ItemKind::Mediation && code.takes_settled_amount() {
                    let fen = rng.next(5_000_000) as i64;
                    req["settled_amount"] = json!(fen as f64 / 100.0);
                    f.settled_fen = Yuan::from_fen(fen).unwrap().fen();
                }
                if kind == ItemKind::ProBono && (code == OutcomeCode::Completed || rng.next(2) == 0) {
                    let fen = rng.next(300_000) as i64;
                    req["fee_waived"] = json!(fen as f64 / 100.0);
                    f.fee_waived_fen = fen;
                }
                let minutes = (rng.next(2) == 0).then(|| match rng.next(8) {
                    0 => 721,
                    _ => 1 + rng.next(240) as i64,
                });
                if let Some(m) = minutes {
                    req["minutes"] = json!(m);
                }
                let time_fact = minutes.map(|m| {
                    let mut t = fact(RecordKind::TimeEntry, at, Some(&item));
                    t.minutes = m;
                    t.activity = Some(TimeActivity::Session);
                    t
                });
                let want = check_occurred_at(at, now)
                    .and_then(|()| minutes.map_or(Ok(()), |m| check_minutes(m, None)))
                    .and_then(|()| minutes.map_or(Ok(()), |m| model.day(wi, at, m)))
                    .and_then(|()| time_fact.as_ref().map_or(Ok(()), |t| model.periods_open(t, now)))
                    .and_then(|()| model.periods_open(&f, now));
                let want = answer(want);
                let path = format!("/api/v1/items/{}/outcomes", item["id"]);
                let token = workers[wi].token.clone();
                if send(ctx, rng, &mut model.seen, (&token, &path, req), want).await {
                    workers[wi].items[n]["status"] = json!("closed");
                    stored += 1;
                    if let Some(m) = minutes {
                        *model.minutes.entry((wi, beijing_day(at))).or_default() += m;
                        stored += 1;
                    }
                }
            }
            1 => {
                // Mostly open items; now and then a finished one.
                let open: Vec<usize> = (0..workers[wi].items.len())
                    .filter(|n| !status_of(&workers[wi].items[*n]).is_finished())
                    .collect();
                let n = if open.is_empty() || rng.next(5) == 0 {
                    rng.next(workers[wi].items.len() as u64) as usize
                } else {
                    open[rng.next(open.len() as u64) as usize]
                };
                let item = workers[wi].items[n].clone();
                let activity = TimeActivity::ALL[rng.next(TimeActivity::ALL.len() as u64) as usize];
                let (at, minutes) = match rng.next(10) {
                    0 => (at, 0),
                    1 => (at, 721),
                    // Long entries on the clock's own day, to fill it past 24 hours.
                    2..=4 => (now - rng.next(60) as i64 * 60_000, 600 + rng.next(121) as i64),
                    _ => (at, 1 + rng.next(300) as i64),
                };
                let req = json!({"item_id": item["id"], "minutes": minutes, "activity": activity, "occurred_at": at});
                let mut f = fact(RecordKind::TimeEntry, at, Some(&item));
                f.minutes = minutes;
                f.activity = Some(activity);
                let want = check_occurred_at(at, now)
                    .and_then(|()| check_minutes(minutes, None))
                    .and_then(|()| check_item_takes_time(item["id"].as_i64().unwrap(), status_of(&item)))
                    .and_then(|()| model.day(wi, at, minutes))
                    .and_then(|()| model.periods_open(&f, now));
                let token = workers[wi].token.clone();
                if send(
                    ctx,
                    rng,
                    &mut model.seen,
                    (&token, "/api/v1/time-entries", req),
                    answer(want),
                )
                .await
                {
                    *model.minutes.entry((wi, beijing_day(at))).or_default() += minutes;
                    stored += 1;
                }
            }
            _ => {
                let indicator = ACTIVITY_INDICATORS[rng.next(ACTIVITY_INDICATORS.len() as u64) as usize];
                let count = match rng.next(10) {
                    0 => 0,
                    1 => 10_001,
                    _ => 1 + rng.next(20) as i64,
                };
                // Mostly as the row takes it: a second value on two-valued rows.
                let two =
                    ["trainings", "mass_incidents_prevented", "petition_reception"].contains(&indicator);
                let count2 = (two != (rng.next(10) == 0)).then(|| 1 + rng.next(200) as i64);
                let mut req = json!({"indicator": indicator, "count": count, "occurred_at": at});
                if let Some(c2) = count2 {
                    req["count2"] = json!(c2);
                }
                // Now and then someone who counts nothing tries.
                let by_coordinator = rng.next(10) == 0;
                let token = if by_coordinator {
                    coordinator.to_string()
                } else {
                    workers[wi].token.clone()
                };
                let targets = activity_targets(&model.defs, at);
                let input = ActivityInput {
                    indicator,
                    count,
                    count2,
                    note: None,
                    occurred_at: at,
                };
                let mut f = fact(RecordKind::Activity, at, None);
                f.indicator = Some(indicator.to_string());
                f.count = count;
                f.count2 = count2.unwrap_or(0);
                let want = if by_coordinator {
                    Err(Refusal::RoleDoesNotCount {
                        role: Role::Coordinator,
                    })
                } else {
                    check_activity(&input, &targets, now).and_then(|()| model.periods_open(&f, now))
                };
                if send(
                    ctx,
                    rng,
                    &mut model.seen,
                    (&token, "/api/v1/activities", req),
                    answer(want),
                )
                .await
                {
                    stored += 1;
                }
            }
        }
    }
    stored
}

/// The stored cells of periods whose form is due by `now`.
fn closed_cells(defs: &[CampaignDef], cells: &Cells, now: i64) -> Cells {
    cells
        .iter()
        .filter(|(k, _)| {
            let def = defs.iter().find(|d| d.id == k.0).unwrap();
            let start: jiff::civil::Date = k.1.parse().unwrap();
            due_by(def, &period_containing(def.cadence, start)) <= now
        })
        .map(|(k, v)| (k.clone(), *v))
        .collect::<BTreeMap<_, _>>()
}

/// Runs the workload phase by phase; returns how many records it stored.
async fn workload(ctx: &Ctx, rng: &mut Lcg, workers: &mut [Worker]) -> usize {
    let server = ctx.server.as_ref().unwrap();
    let mut conn = server.store.pool.acquire().await.unwrap();
    let defs: Vec<CampaignDef> = SHIPPED
        .iter()
        .map(|(_, s)| parse_definition(s).unwrap())
        .collect();
    let mut model = Model {
        defs,
        minutes: HashMap::new(),
        seen: BTreeMap::new(),
    };
    let coordinator = ctx.login("coordinator").await;
    let mut stored = 0;
    for now in phases() {
        server.state.clock.set(now);
        let before = closed_cells(&model.defs, &stored_cells(&mut conn).await.unwrap(), now);
        stored += phase(ctx, rng, &mut model, workers, &coordinator, now).await;
        let after = closed_cells(&model.defs, &stored_cells(&mut conn).await.unwrap(), now);
        assert_eq!(before, after, "[{}] closed periods do not change", ctx.backend);
    }
    eprintln!("[{}] answers expected and got: {:?}", ctx.backend, model.seen);
    // The workload tried every rule, so the comparisons below mean something.
    for code in [
        "created",
        "period_closed",
        "occurred_in_future",
        "unknown_indicator",
        "count_out_of_range",
        "second_value_required",
        "second_value_not_taken",
        "minutes_out_of_range",
        "day_overfull",
        "item_finished",
        "role_does_not_count",
    ] {
        assert!(
            model.seen.contains_key(code),
            "[{}] no {code}: {:?}",
            ctx.backend,
            model.seen
        );
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
    let open = p.is_open(local_date(def, *phases().last().unwrap()));
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
        workers.push(Worker { token, items });
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
on_all_backends_at!(
    aggregates_equal_recompute_after_random_workload,
    consistency_case,
    phases()[0]
);
