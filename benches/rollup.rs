//! The bureau's roll-up: one period's form of a bureau over 1,000 units
//! and 1,000,000 outcome records, broken down by unit (`by=unit`, the stats
//! endpoint's code path: the tree, one read of the period's aggregates,
//! a row set per unit) against a plain `GROUP BY` over the raw rows by
//! unit computing the same numbers, in the same run.
//! Target: the roll-up ≤ 50 ms and ≥ 20× faster than the raw query.
//!
//! The records and their aggregates are seeded by `support/outcomes.rs`
//! (shared with the stats bench).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use dutydesk::api::UnitRef;
use dutydesk::api::stats::PeriodTotals;
use dutydesk::api::{StatsForm, StatsScope};
use dutydesk::domain::campaign::period::{local_date, parse_period};
use dutydesk::domain::campaign::{CampaignDef, Period, SHIPPED, contributions, parse_definition};
use dutydesk::domain::{Category, ItemKind, OutcomeCode, Profession};
use dutydesk::server::Store;
use dutydesk::server::storage::sql::rollup::{Tree, subtree_form};
use sqlx::AnyConnection;

#[path = "support/outcomes.rs"]
mod outcomes;

use outcomes::{SPAN_MS, START_MS, Shape, outcome_fact, seed};

/// Two people a unit; unit 0 is the bureau over units 1..=1,000.
const UNITS: i64 = 1_000;
const BUREAU: i64 = 0;
const SHAPE: Shape = Shape {
    users: 2_000,
    units: UNITS,
    parent: Some((BUREAU, "bureau")),
};

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
        let fact = |settled_fen, fee_waived_fen| {
            outcome_fact(
                ItemKind::ALL.into_iter().find(|k| k.as_str() == kind),
                OutcomeCode::parse(&code),
                Category::ALL.into_iter().find(|c| c.as_str() == category),
                green != 0,
                (settled_fen, fee_waived_fen),
                from.as_millisecond(),
                Profession::parse(&prof).unwrap(),
                (unit, 0),
            )
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
    rt.block_on(seed(&mut conn, &defs, &SHAPE));

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
