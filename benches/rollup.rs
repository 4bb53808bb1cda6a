//! The bureau's roll-up: one period's form of a bureau over 1,000 units
//! and 1,000,000 outcome records, broken down by unit (`by=unit`, the stats
//! endpoint's code path: the tree, one read of the period's aggregates,
//! a row set per unit) against a plain `GROUP BY` over the raw rows by
//! unit computing the same numbers, in the same run.
//! Target: the roll-up ≤ 50 ms and ≥ 20× faster than the raw query.
//!
//! Seeding writes straight SQL into a SQLite file in a temp dir (multi-row
//! INSERTs in a few big transactions); the aggregates come from the same
//! rules (`contributions`) the server applies per record. The raw query
//! gets an index on `occurred_at`, so it is not slow for want of one.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use dutydesk::api::UnitRef;
use dutydesk::api::stats::PeriodTotals;
use dutydesk::api::{StatsForm, StatsScope};
use dutydesk::domain::campaign::period::{local_date, parse_period};
use dutydesk::domain::campaign::{
    CampaignDef, Period, RecordFact, RecordKind, SHIPPED, contributions, parse_definition,
};
use dutydesk::domain::{Category, ItemKind, OutcomeCode, Profession};
use dutydesk::server::Store;
use dutydesk::server::rollup::{Tree, subtree_form};
use sqlx::AnyConnection;

const OUTCOMES: usize = 1_000_000;
const ITEMS: usize = 20_000;
/// Two people a unit; unit 0 is the bureau over units 1..=1,000.
const USERS: i64 = 2_000;
const UNITS: i64 = 1_000;
const BUREAU: i64 = 0;
const ROWS_PER_INSERT: usize = 1_000;
/// 2026-03-01 00:00 Beijing time, and the campaign's 306 days after it.
const START_MS: i64 = 1_772_294_400_000;
const SPAN_MS: i64 = 306 * 86_400_000;

fn profession_of(user: i64) -> Profession {
    Profession::ALL[(user % 3) as usize]
}

fn unit_of(user: i64) -> i64 {
    1 + user % UNITS
}

fn item_of(n: usize) -> (ItemKind, Category, bool) {
    (
        ItemKind::ALL[n % 3],
        Category::ALL[(n / 3) % Category::ALL.len()],
        n.is_multiple_of(5),
    )
}

struct Gen(u64);
impl Gen {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

type Cells = BTreeMap<(String, String, i64, &'static str, i64, String), (i64, i64)>;

async fn exec(conn: &mut AnyConnection, sql: String) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await
        .unwrap();
}

/// Units, users, items, 1,000,000 outcomes, and their aggregates.
async fn seed(conn: &mut AnyConnection, defs: &[Arc<CampaignDef>]) {
    let t = Instant::now();
    let mut sql = String::from("BEGIN;");
    write!(
        sql,
        "INSERT INTO units (id, name, kind, parent_id) VALUES ({BUREAU}, 'bureau', 'district_bureau', NULL);"
    )
    .unwrap();
    for u in 1..=UNITS {
        write!(
            sql,
            "INSERT INTO units (id, name, kind, parent_id) VALUES ({u}, 'unit {u}', 'law_firm', {BUREAU});"
        )
        .unwrap();
    }
    for u in 1..=USERS {
        write!(
            sql,
            "INSERT INTO users VALUES ({u}, 'u{u}', 'u{u}', 'lawyer', '{}', {}, 'x', 0);",
            profession_of(u).as_str(),
            unit_of(u)
        )
        .unwrap();
    }
    for chunk in (0..ITEMS).collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        sql.push_str(
            "INSERT INTO items (id, kind, title, description, channel, category, green_channel, \
            fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, \
            typical_case, version, change_seq) VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let (kind, category, green) = item_of(*n);
            let user = 1 + (*n as i64 % USERS);
            let sep = if i == 0 { "" } else { "," };
            write!(
                sql,
                "{sep}({n}, '{}', 't', 'd', 'walk_in', '{}', {}, 0, 'closed', {user}, {}, '[]', 0, 0, 0, 0, 1, 0)",
                kind.as_str(),
                category.as_str(),
                i64::from(green),
                unit_of(user)
            )
            .unwrap();
        }
        sql.push(';');
    }
    sql.push_str("COMMIT;");
    exec(conn, sql).await;

    let mut rng = Gen(20_261_124);
    let mut cells = Cells::new();
    let mut done = 0;
    while done < OUTCOMES {
        // 100,000 rows per transaction, 1,000 per INSERT.
        let mut sql = String::from("BEGIN;");
        for _ in 0..100 {
            sql.push_str("INSERT INTO outcomes VALUES ");
            for i in 0..ROWS_PER_INSERT {
                let n = rng.next(ITEMS as u64) as usize;
                let (kind, category, green) = item_of(n);
                let user = 1 + (n as i64 % USERS);
                let codes = OutcomeCode::for_kind(kind);
                let code = codes[rng.next(codes.len() as u64) as usize];
                let settled = (kind == ItemKind::Mediation && code.takes_settled_amount())
                    .then(|| rng.next(10_000_000) as i64);
                let fee = (kind == ItemKind::ProBono).then(|| rng.next(500_000) as i64);
                // Day and time of day apart: one draw is below 2^31.
                let at = START_MS + rng.next(306) as i64 * 86_400_000 + rng.next(86_400_000) as i64;
                let opt = |v: Option<i64>| v.map_or("NULL".to_string(), |v| v.to_string());
                let sep = if i == 0 { "" } else { "," };
                write!(
                    sql,
                    "{sep}('o{done}', {n}, {user}, '{}', NULL, {}, {}, '', {at}, {at})",
                    code.as_str(),
                    opt(settled),
                    opt(fee)
                )
                .unwrap();
                let fact = RecordFact {
                    record: RecordKind::Outcome,
                    kind: Some(kind),
                    code: Some(code),
                    category: Some(category),
                    green_channel: green,
                    // Every bench item came in at the walk-in desk, with no enterprise party.
                    channel: Some(dutydesk::domain::Channel::WalkIn),
                    enterprise_party: false,
                    settled_fen: settled.unwrap_or(0),
                    fee_waived_fen: fee.unwrap_or(0),
                    minutes: 0,
                    activity: None,
                    indicator: None,
                    count: 0,
                    count2: 0,
                    occurred_at: at,
                    profession: profession_of(user),
                    unit_id: unit_of(user),
                    user_id: user,
                };
                for def in defs {
                    for inc in contributions(def, &fact) {
                        let key = (
                            inc.campaign_id,
                            inc.period_start.to_string(),
                            fact.unit_id,
                            fact.profession.as_str(),
                            user,
                            inc.indicator,
                        );
                        let cell = cells.entry(key).or_default();
                        cell.0 += inc.value1;
                        cell.1 += inc.value2;
                    }
                }
                done += 1;
            }
            sql.push(';');
        }
        sql.push_str("COMMIT;");
        exec(conn, sql).await;
    }
    let mut sql = String::from("BEGIN;");
    for chunk in cells.into_iter().collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        sql.push_str("INSERT INTO aggregates VALUES ");
        for (i, ((c, p, unit, prof, user, ind), (v1, v2))) in chunk.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(
                sql,
                "{sep}('{c}', '{p}', {unit}, '{prof}', {user}, '{ind}', {v1}, {v2})"
            )
            .unwrap();
        }
        sql.push(';');
    }
    sql.push_str("CREATE INDEX outcomes_occurred ON outcomes (occurred_at); COMMIT; ANALYZE;");
    exec(conn, sql).await;
    eprintln!(
        "seeded {OUTCOMES} outcomes and their aggregates in {:.1?}",
        t.elapsed()
    );
}

/// unit, profession, kind, code, category, green channel, count, settled fen, fee fen.
type GroupRow = (i64, String, String, String, String, i64, i64, i64, i64);

/// The same roll-up straight from the raw rows: one `GROUP BY` over the
/// period's outcomes by unit and what the rules look at, then the rules per
/// group (constant effects times the count, amounts from the sums), then a
/// form per unit and the bureau's total.
async fn raw_rollup(conn: &mut AnyConnection, def: &CampaignDef, p: &Period, now: i64) -> StatsForm {
    let from = def
        .timezone
        .to_timestamp(p.start.to_datetime(jiff::civil::Time::midnight()))
        .unwrap();
    let to = def
        .timezone
        .to_timestamp(
            p.end
                .tomorrow()
                .unwrap()
                .to_datetime(jiff::civil::Time::midnight()),
        )
        .unwrap();
    let rows: Vec<GroupRow> = sqlx::query_as(
        "SELECT u.unit_id, u.profession, i.kind, o.code, i.category, i.green_channel, CAST(COUNT(*) AS BIGINT), \
         CAST(SUM(COALESCE(o.settled_fen, 0)) AS BIGINT), CAST(SUM(COALESCE(o.fee_waived_fen, 0)) AS BIGINT) \
         FROM outcomes o JOIN items i ON i.id = o.item_id JOIN users u ON u.id = o.user_id \
         WHERE o.occurred_at >= $1 AND o.occurred_at < $2 \
         GROUP BY u.unit_id, u.profession, i.kind, o.code, i.category, i.green_channel",
    )
    .bind(from.as_millisecond())
    .bind(to.as_millisecond())
    .fetch_all(conn)
    .await
    .unwrap();
    let mut per_unit: BTreeMap<i64, PeriodTotals> = BTreeMap::new();
    let mut whole = PeriodTotals::new();
    for (unit, prof, kind, code, category, green, count, settled, fee) in rows {
        let fact = |settled_fen, fee_waived_fen| RecordFact {
            record: RecordKind::Outcome,
            kind: ItemKind::ALL.into_iter().find(|k| k.as_str() == kind),
            code: OutcomeCode::parse(&code),
            category: Category::ALL.into_iter().find(|c| c.as_str() == category),
            green_channel: green != 0,
            channel: Some(dutydesk::domain::Channel::WalkIn),
            enterprise_party: false,
            settled_fen,
            fee_waived_fen,
            minutes: 0,
            activity: None,
            indicator: None,
            count: 0,
            count2: 0,
            occurred_at: from.as_millisecond(),
            profession: Profession::parse(&prof).unwrap(),
            unit_id: unit,
            user_id: 0,
        };
        let constant = contributions(def, &fact(0, 0));
        let summed = contributions(def, &fact(settled, fee));
        for inc in summed {
            let per_record = constant
                .iter()
                .find(|c| c.indicator == inc.indicator)
                .map_or(0, |c| c.value1);
            let key = (Profession::parse(&prof).unwrap(), inc.indicator);
            // Linear in the amounts: count × the constant part, plus the sums.
            let v = per_record * count + (inc.value1 - per_record);
            per_unit
                .entry(unit)
                .or_default()
                .entry(key.clone())
                .or_default()
                .0 += v;
            whole.entry(key).or_default().0 += v;
        }
    }
    let open = p.is_open(local_date(def, now));
    let mut form = StatsForm::build(def, p, open, StatsScope::Unit, Some(bureau_ref()), &whole);
    let empty = PeriodTotals::new();
    for unit in 1..=UNITS {
        let part = StatsForm::build(
            def,
            p,
            open,
            StatsScope::Unit,
            None,
            per_unit.get(&unit).unwrap_or(&empty),
        );
        form.units.push(dutydesk::api::rollup::UnitRows {
            unit: UnitRef {
                id: unit,
                name: format!("unit {unit}"),
            },
            rows: part.rows,
            hours: part.hours,
        });
    }
    form
}

fn bureau_ref() -> UnitRef {
    UnitRef {
        id: BUREAU,
        name: "bureau".into(),
    }
}

async fn rollup(conn: &mut AnyConnection, def: &CampaignDef, p: &Period, now: i64) -> StatsForm {
    let tree = Tree::load(conn).await.unwrap();
    subtree_form(conn, &tree, def, p, bureau_ref(), true, now)
        .await
        .unwrap()
}

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    // Pooled connections return themselves on drop, which needs a runtime.
    let _guard = rt.enter();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("bench.db").display());
    let store = rt.block_on(Store::connect(&url)).unwrap();
    let defs: Vec<Arc<CampaignDef>> = SHIPPED
        .iter()
        .map(|(_, s)| Arc::new(parse_definition(s).unwrap()))
        .collect();
    let mut conn = rt.block_on(store.pool.acquire()).unwrap();
    rt.block_on(seed(&mut conn, &defs));

    let def = defs[0].clone();
    let period = parse_period(&def, "2026-06-01..2026-06-15").unwrap();
    let now = START_MS + SPAN_MS / 2;
    // Both ways must give the same roll-up, and not an empty one.
    let fast = rt.block_on(rollup(&mut conn, &def, &period, now));
    let slow = rt.block_on(raw_rollup(&mut conn, &def, &period, now));
    assert_eq!(fast.units.len(), UNITS as usize, "a row set per unit");
    assert_eq!(fast, slow, "the aggregates and the raw rows disagree");
    assert!(
        fast.rows.iter().any(|r| r.total.value1 > 1000),
        "an empty form proves nothing"
    );

    let mut g = c.benchmark_group("rollup_bureau_1000_units_1m_outcomes");
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    g.bench_function("by_unit_from_aggregates", |b| {
        b.iter(|| rt.block_on(rollup(&mut conn, &def, &period, now)))
    });
    g.bench_function("raw_group_by", |b| {
        b.iter(|| rt.block_on(raw_rollup(&mut conn, &def, &period, now)))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
