//! The bureau's roll-up: a unit's form summed over its subtree (one read of
//! the period's aggregates, bucketed per child unit in memory), and the
//! lock a handed-in form puts on its unit's records. The rules are pure, in
//! `domain::rollup`; the hand-in endpoints are in `submissions`.

use std::collections::HashMap;

use sqlx::AnyConnection;

use super::admin_units::{UnitRow, links, load_units};
use crate::api::UnitRef;
use crate::api::rollup::UnitRows;
use crate::api::stats::PeriodTotals;
use crate::api::{ProblemCode, StatsForm, StatsScope};
use crate::domain::campaign::period::local_date;
use crate::domain::campaign::{CampaignDef, Period, RecordFact, contributions, period_of};
use crate::domain::rollup::{SubmissionStatus, buckets, children};
use crate::domain::units::UnitLink;
use crate::domain::{EpochMs, Profession};
use crate::server::error::ApiError;

/// The tree as stored, with names.
pub struct Tree {
    pub rows: Vec<UnitRow>,
    pub links: Vec<UnitLink>,
}

impl Tree {
    pub async fn load(conn: &mut AnyConnection) -> Result<Tree, sqlx::Error> {
        let rows = load_units(&mut *conn).await?;
        let links = links(&rows);
        Ok(Tree { rows, links })
    }

    pub fn unit_ref(&self, id: i64) -> Option<UnitRef> {
        self.rows.iter().find(|r| r.id == id).map(|r| UnitRef {
            id,
            name: r.name.clone(),
        })
    }

    /// Whether `unit` has units below it.
    pub fn has_children(&self, unit: i64) -> bool {
        !children(&self.links, unit).is_empty()
    }
}

/// One period's sums per bucket (see `domain::rollup::buckets`): a single
/// read of the period's aggregates, folded per bucket in memory, so a
/// bureau over 1,000 units costs one range scan, not 1,000 queries.
pub async fn read_buckets(
    conn: &mut AnyConnection,
    campaign_id: &str,
    period: &Period,
    bucket_of: &HashMap<i64, i64>,
) -> Result<HashMap<i64, PeriodTotals>, sqlx::Error> {
    // The rows in key order, unsummed: grouping by (unit, profession,
    // indicator) would make the database sort around `user_id`, which sits
    // between them in the key; folding in memory is cheaper.
    let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
        "SELECT unit_id, profession, indicator, value1, value2 \
         FROM aggregates WHERE campaign_id = $1 AND period_start = $2",
    )
    .bind(campaign_id)
    .bind(period.start.to_string())
    .fetch_all(conn)
    .await?;
    let mut out: HashMap<i64, PeriodTotals> = HashMap::new();
    for (unit, profession, indicator, v1, v2) in rows {
        let (Some(bucket), Some(p)) = (bucket_of.get(&unit), Profession::parse(&profession)) else {
            continue;
        };
        let cell = out.entry(*bucket).or_default().entry((p, indicator)).or_default();
        cell.0 += v1;
        cell.1 += v2;
    }
    Ok(out)
}

/// `unit`'s form summed over its subtree; with `by_unit`, the row sets of
/// its own records (when it has any) and of each child unit's subtree.
#[allow(clippy::too_many_arguments)]
pub async fn subtree_form(
    conn: &mut AnyConnection,
    tree: &Tree,
    def: &CampaignDef,
    period: &Period,
    unit: UnitRef,
    by_unit: bool,
    now: EpochMs,
) -> Result<StatsForm, sqlx::Error> {
    let bucket_of = buckets(&tree.links, unit.id);
    let per_bucket = read_buckets(conn, &def.id, period, &bucket_of).await?;
    let mut total = PeriodTotals::new();
    for sums in per_bucket.values() {
        for (key, (v1, v2)) in sums {
            let cell = total.entry(key.clone()).or_default();
            cell.0 += v1;
            cell.1 += v2;
        }
    }
    let open = period.is_open(local_date(def, now));
    let own_id = unit.id;
    let mut form = StatsForm::build(def, period, open, StatsScope::Unit, Some(unit.clone()), &total);
    if by_unit {
        let empty = PeriodTotals::new();
        let rows_of = |id: i64| {
            let part = StatsForm::build(
                def,
                period,
                open,
                StatsScope::Unit,
                None,
                per_bucket.get(&id).unwrap_or(&empty),
            );
            (part.rows, part.hours)
        };
        // The unit's own records get a row set only when there are some, so
        // a bureau that logs nothing shows just its children.
        if per_bucket.contains_key(&own_id) {
            let (rows, hours) = rows_of(own_id);
            form.units.push(UnitRows { unit, rows, hours });
        }
        for child in children(&tree.links, own_id) {
            if let Some(unit) = tree.unit_ref(child) {
                let (rows, hours) = rows_of(child);
                form.units.push(UnitRows { unit, rows, hours });
            }
        }
    }
    Ok(form)
}

/// Refuses a record whose unit has handed in the form of a period the
/// record adds to (409 `period_locked`), naming who can open it again.
pub async fn check_unlocked(
    conn: &mut AnyConnection,
    defs: &[std::sync::Arc<CampaignDef>],
    fact: &RecordFact,
) -> Result<(), ApiError> {
    for def in defs {
        if contributions(def, fact).is_empty() {
            continue;
        }
        let period = period_of(def, fact.occurred_at);
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT s.status, p.name FROM submissions s JOIN units u ON u.id = s.unit_id \
             LEFT JOIN units p ON p.id = u.parent_id \
             WHERE s.campaign_id = $1 AND s.period_start = $2 AND s.unit_id = $3",
        )
        .bind(&def.id)
        .bind(period.start.to_string())
        .bind(fact.unit_id)
        .fetch_optional(&mut *conn)
        .await?;
        let Some((status, parent)) = row else { continue };
        if SubmissionStatus::parse(&status).is_some_and(SubmissionStatus::locks) {
            let who = match parent {
                Some(name) => format!("the coordinator of {name}"),
                None => "an admin".to_string(),
            };
            return Err(ApiError::new(
                ProblemCode::PeriodLocked,
                format!(
                    "your unit handed in the {} form for {}, so it takes no new records; {who} can return or reopen it",
                    def.id,
                    period.label()
                ),
            ));
        }
    }
    Ok(())
}
