//! Campaign statistics: one period's form read from the aggregates, as
//! the caller may read it.

use std::sync::Arc;

use sqlx::AnyConnection;

use super::SqlStorage;
use super::rollup::{Tree, people_rows, subtree_form};
use super::submissions::submission_of;
use crate::api::stats::PeriodTotals;
use crate::api::{ProblemCode, StatsForm, StatsScope, UnitRef, User};
use crate::domain::campaign::period::local_date;
use crate::domain::campaign::{CampaignDef, Period};
use crate::domain::units::UnitLink;
use crate::domain::{EpochMs, Profession, Role};
use crate::server::aggregate::campaign;
use crate::server::storage::{StatsAsk, StatsStore, StorageError, StorageResult};

/// Whose cells a form sums.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Whose {
    User(i64),
    Unit(i64),
    All,
}

/// One period's sums per profession and indicator (or hours key), read
/// from the aggregates: a handful of index rows, whatever the record count.
pub async fn read_totals(
    conn: &mut AnyConnection,
    campaign_id: &str,
    period: &Period,
    whose: Whose,
) -> Result<PeriodTotals, sqlx::Error> {
    let (filter, id) = match whose {
        Whose::User(id) => ("AND user_id = $3", id),
        Whose::Unit(id) => ("AND unit_id = $3", id),
        Whose::All => ("AND $3 = $3", 0),
    };
    // PostgreSQL sums BIGINT as NUMERIC, which the Any driver cannot decode.
    let sql = format!(
        "SELECT profession, indicator, CAST(SUM(value1) AS BIGINT), CAST(SUM(value2) AS BIGINT) \
         FROM aggregates WHERE campaign_id = $1 AND period_start = $2 {filter} \
         GROUP BY profession, indicator"
    );
    let rows: Vec<(String, String, i64, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(campaign_id)
        .bind(period.start.to_string())
        .bind(id)
        .fetch_all(conn)
        .await?;
    let mut out = PeriodTotals::new();
    for (profession, indicator, v1, v2) in rows {
        // Stored professions come only from Profession::as_str.
        if let Some(p) = Profession::parse(&profession) {
            let cell = out.entry((p, indicator)).or_default();
            cell.0 += v1;
            cell.1 += v2;
        }
    }
    Ok(out)
}

/// The form of one period, as the stats endpoint answers it.
pub async fn read_form(
    conn: &mut AnyConnection,
    def: &CampaignDef,
    period: &Period,
    scope: StatsScope,
    whose: Whose,
    unit: Option<UnitRef>,
    now: i64,
) -> Result<StatsForm, sqlx::Error> {
    let totals = read_totals(conn, &def.id, period, whose).await?;
    let open = period.is_open(local_date(def, now));
    Ok(StatsForm::build(def, period, open, scope, unit, &totals))
}

impl StatsStore for SqlStorage {
    async fn campaign_def(&self, id: &str) -> StorageResult<Arc<CampaignDef>> {
        let mut conn = self.store.pool.acquire().await?;
        campaign(&mut conn, id)
            .await?
            .ok_or_else(|| StorageError::not_found("campaign"))
    }

    async fn campaign_stats(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        ask: StatsAsk,
        now: EpochMs,
    ) -> StorageResult<StatsForm> {
        let mut conn = self.store.pool.acquire().await?;
        let scope = ask.scope;
        let tree = Tree::load(&mut conn).await?;
        let whose = whose(me, &tree.links, scope, ask.unit)?;
        let by_unit = ask.by_unit;
        if by_unit && !matches!(whose, Whose::Unit(_)) {
            return Err(StorageError::refused(
                ProblemCode::InvalidParameter,
                "`by=unit` breaks down one unit's form; ask for scope=unit (and `unit`)",
            ));
        }
        let mut form = match whose {
            Whose::Unit(unit_id) => {
                let unit = tree
                    .unit_ref(unit_id)
                    .ok_or_else(|| StorageError::not_found("reporting unit"))?;
                let mut form = if by_unit || tree.has_children(unit_id) {
                    subtree_form(&mut conn, &tree, def, period, unit, by_unit, now).await?
                } else {
                    // A unit with nothing below it: the one-unit read on the index.
                    read_form(&mut conn, def, period, scope, whose, Some(unit), now).await?
                };
                form.submission = submission_of(&mut conn, &tree, &def.id, period, unit_id).await?;
                // Per person only for the unit's own coordinator (and admins):
                // a coordinator above sees the unit and the units below it.
                let actor = crate::domain::policy::Actor::own_unit(me.id, me.role, me.unit.id);
                if by_unit && crate::domain::policy::may_read_people_stats(&actor, unit_id) {
                    form.people = people_rows(&mut conn, def, period, unit_id, now).await?;
                }
                form
            }
            Whose::User(_) | Whose::All => read_form(&mut conn, def, period, scope, whose, None, now).await?,
        };
        form.my_minutes_by_day = minutes_by_day(&mut conn, def, period, me.id).await?;
        Ok(form)
    }
}

/// Who may read what: lawyers and mediators their own work and their unit,
/// coordinators their unit and the units below it (`domain::rollup`),
/// admins everything.
fn whose(me: &User, links: &[UnitLink], scope: StatsScope, unit: Option<i64>) -> StorageResult<Whose> {
    use crate::domain::policy;
    let role = me.role;
    // The decisions are `domain::policy`'s (a coordinator oversees the
    // units below theirs); this picks the words.
    let actor = policy::Actor::in_tree(me.id, role, me.unit.id, links);
    match scope {
        StatsScope::Me => {
            if unit.is_some() {
                return Err(StorageError::refused(
                    ProblemCode::InvalidParameter,
                    "`unit` goes with scope=unit; drop it or ask for scope=unit",
                ));
            }
            if !policy::may_read_own_stats(role) {
                return Err(StorageError::forbidden(
                    "only lawyers and mediators log work of their own; ask for scope=unit",
                ));
            }
            Ok(Whose::User(me.id))
        }
        StatsScope::Unit => {
            let unit = unit.unwrap_or(me.unit.id);
            if policy::may_read_unit_stats(&actor, unit) {
                return Ok(Whose::Unit(unit));
            }
            match role {
                Role::Operator | Role::Intake => Err(StorageError::forbidden(
                    "room operators and the intake desk have no campaign statistics; ask your coordinator",
                )),
                _ => Err(StorageError::forbidden(
                    "you may read only your own unit's statistics and those of the units below it; drop `unit` to get your own",
                )),
            }
        }
        StatsScope::All if policy::may_read_all_stats(role) => Ok(Whose::All),
        StatsScope::All => Err(StorageError::forbidden(
            "only admins read every unit's statistics; ask for scope=unit",
        )),
    }
}

/// The caller's minutes per local day of the period, from the raw time
/// entries (one user, one period: a handful of rows on an index).
async fn minutes_by_day(
    conn: &mut AnyConnection,
    def: &CampaignDef,
    period: &Period,
    user_id: i64,
) -> Result<Vec<i64>, sqlx::Error> {
    let days = usize::try_from((period.end - period.start).get_days() + 1).unwrap_or(0);
    let at_midnight = |d: jiff::civil::Date| {
        def.timezone
            .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
            .map(|t| t.as_millisecond())
            .unwrap_or(0)
    };
    let from = at_midnight(period.start);
    let to = period.end.tomorrow().map(at_midnight).unwrap_or(i64::MAX);
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT occurred_at, minutes FROM time_entries WHERE user_id = $1 AND occurred_at >= $2 AND occurred_at < $3",
    )
    .bind(user_id)
    .bind(from)
    .bind(to)
    .fetch_all(&mut *conn)
    .await?;
    let mut out = vec![0i64; days];
    for (at, minutes) in rows {
        let day = (local_date(def, at) - period.start).get_days();
        if let Some(slot) = usize::try_from(day).ok().and_then(|d| out.get_mut(d)) {
            *slot = slot.saturating_add(minutes);
        }
    }
    Ok(out)
}
