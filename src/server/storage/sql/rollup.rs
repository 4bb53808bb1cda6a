//! The bureau's roll-up: a unit's form summed over its subtree (one read of
//! the period's aggregates, bucketed per child unit in memory), and the
//! lock a handed-in form puts on its unit's records. The rules are pure, in
//! `domain::rollup`; the hand-in of forms is in `submissions`.

use std::collections::{BTreeMap, HashMap};

use sqlx::AnyConnection;

use crate::api::rollup::{PersonRows, UnitRows};
use crate::api::stats::PeriodTotals;
use crate::api::{ProblemCode, StatsForm, StatsScope};
use crate::api::{UnitRef, UserRef};
use crate::domain::campaign::period::local_date;
use crate::domain::campaign::rules::{HOURS_DUTY, HOURS_GREEN_CHANNEL, HOURS_TOTAL};
use crate::domain::campaign::{CampaignDef, Period, RecordFact, period_of};
use crate::domain::rollup::{SubmissionStatus, buckets, children};
use crate::domain::units::UnitLink;
use crate::domain::{EpochMs, Profession};
use crate::server::admin_units::{UnitRow, links, load_units};
use crate::server::storage::StorageError;

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
        // `load_units` reads the rows by id.
        let at = self.rows.binary_search_by_key(&id, |r| r.id).ok()?;
        self.rows.get(at).map(|r| UnitRef {
            id,
            name: r.name.clone(),
        })
    }

    /// Whether `unit` has units below it.
    pub fn has_children(&self, unit: i64) -> bool {
        !children(&self.links, unit).is_empty()
    }
}

/// The cells a form reads, by position: the definition's indicators, then
/// the hours keys. Sums are kept per position and profession, so folding
/// and laying out a thousand units' forms needs no string key per cell.
pub struct FormKeys<'a> {
    index: HashMap<&'a str, usize>,
}

/// One bucket's sums: per form key, per profession (`Profession::ALL` order).
pub type Sums = Vec<[(i64, i64); 3]>;

fn profession_slot(p: Profession) -> usize {
    match p {
        Profession::Lawyer => 0,
        Profession::Notary => 1,
        Profession::GrassrootsWorker => 2,
    }
}

impl<'a> FormKeys<'a> {
    pub fn of(def: &'a CampaignDef) -> FormKeys<'a> {
        let mut index = HashMap::new();
        let hours = [HOURS_TOTAL, HOURS_GREEN_CHANNEL, HOURS_DUTY];
        for code in def.indicators.iter().map(|i| i.code.as_str()).chain(hours) {
            let next = index.len();
            index.entry(code).or_insert(next);
        }
        FormKeys { index }
    }

    fn empty(&self) -> Sums {
        vec![[(0, 0); 3]; self.index.len()]
    }

    /// Adds one stored cell; cells the form does not show are skipped.
    fn add(&self, sums: &mut Sums, profession: &str, indicator: &str, v1: i64, v2: i64) {
        let (Some(k), Some(p)) = (self.index.get(indicator), Profession::parse(profession)) else {
            return;
        };
        let cell = &mut sums[*k][profession_slot(p)];
        cell.0 += v1;
        cell.1 += v2;
    }

    /// The form of these sums.
    pub fn form(
        &self,
        def: &CampaignDef,
        period: &Period,
        open: bool,
        unit: Option<UnitRef>,
        sums: &Sums,
    ) -> StatsForm {
        StatsForm::build_with(def, period, open, StatsScope::Unit, unit, |p, code| {
            self.index
                .get(code)
                .map_or((0, 0), |k| sums[*k][profession_slot(p)])
        })
    }
}

/// Separators of the packed read: between a cell's fields, and between
/// cells. Codes never hold control characters; if a definition's did, the
/// plain read is used.
const FIELD: &str = "\u{1f}";
const CELL: &str = "\u{1e}";

/// One period's sums per bucket (see `domain::rollup::buckets`): a single
/// read of the period's aggregates in key order, folded per bucket in
/// memory, so a bureau over 1,000 units costs one range scan, not 1,000
/// queries. The database packs each unit's cells into one text (one row
/// per unit, not per user and indicator), which is what the time goes to.
pub async fn read_buckets(
    conn: &mut AnyConnection,
    def: &CampaignDef,
    period: &Period,
    keys: &FormKeys<'_>,
    bucket_of: &HashMap<i64, i64>,
) -> Result<HashMap<i64, Sums>, sqlx::Error> {
    let mut out: HashMap<i64, Sums> = HashMap::new();
    if keys.index.keys().any(|k| k.contains(CELL) || k.contains(FIELD)) {
        let rows: Vec<(i64, String, String, i64, i64)> = sqlx::query_as(
            "SELECT unit_id, profession, indicator, value1, value2 \
             FROM aggregates WHERE campaign_id = $1 AND period_start = $2",
        )
        .bind(&def.id)
        .bind(period.start.to_string())
        .fetch_all(conn)
        .await?;
        for (unit, profession, indicator, v1, v2) in rows {
            if let Some(bucket) = bucket_of.get(&unit) {
                let sums = out.entry(*bucket).or_insert_with(|| keys.empty());
                keys.add(sums, &profession, &indicator, v1, v2);
            }
        }
        return Ok(out);
    }
    let concat = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        "string_agg"
    } else {
        "group_concat"
    };
    // Grouped on the primary key's prefix (campaign, period, unit): no sort.
    let sql = format!(
        "SELECT unit_id, {concat}(profession || $3 || indicator || $3 || CAST(value1 AS TEXT) || $3 || \
         CAST(value2 AS TEXT), $4) FROM aggregates WHERE campaign_id = $1 AND period_start = $2 \
         GROUP BY unit_id"
    );
    let rows: Vec<(i64, String)> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(&def.id)
        .bind(period.start.to_string())
        .bind(FIELD)
        .bind(CELL)
        .fetch_all(conn)
        .await?;
    for (unit, packed) in rows {
        let Some(bucket) = bucket_of.get(&unit) else {
            continue;
        };
        let sums = out.entry(*bucket).or_insert_with(|| keys.empty());
        for cell in packed.split(CELL) {
            let mut f = cell.split(FIELD);
            let (Some(p), Some(ind), Some(v1), Some(v2)) = (f.next(), f.next(), f.next(), f.next()) else {
                continue;
            };
            let (Ok(v1), Ok(v2)) = (v1.parse::<i64>(), v2.parse::<i64>()) else {
                continue;
            };
            keys.add(sums, p, ind, v1, v2);
        }
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
    let keys = FormKeys::of(def);
    let bucket_of = buckets(&tree.links, unit.id);
    let per_bucket = read_buckets(conn, def, period, &keys, &bucket_of).await?;
    let mut total = keys.empty();
    for sums in per_bucket.values() {
        for (t, s) in total.iter_mut().zip(sums) {
            for (a, b) in t.iter_mut().zip(s) {
                a.0 += b.0;
                a.1 += b.1;
            }
        }
    }
    let open = period.is_open(local_date(def, now));
    let own_id = unit.id;
    let mut form = keys.form(def, period, open, Some(unit.clone()), &total);
    if by_unit {
        let empty = keys.empty();
        let rows_of = |id: i64| {
            let part = keys.form(def, period, open, None, per_bucket.get(&id).unwrap_or(&empty));
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

/// A unit's submission of one campaign's period, as a record checks it:
/// its status and the name of the unit's parent (who can open it again).
pub type Cell = Option<(String, Option<String>)>;

/// The submission a record adds to, by (campaign, period start, unit).
pub const CELL_SQL: &str = "SELECT s.status, p.name FROM submissions s JOIN units u ON u.id = s.unit_id \
     LEFT JOIN units p ON p.id = u.parent_id \
     WHERE s.campaign_id = $1 AND s.period_start = $2 AND s.unit_id = $3";

pub async fn read_cell(
    conn: &mut AnyConnection,
    campaign_id: &str,
    period_start: &str,
    unit_id: i64,
) -> Result<Cell, sqlx::Error> {
    sqlx::query_as(CELL_SQL)
        .bind(campaign_id)
        .bind(period_start)
        .bind(unit_id)
        .fetch_optional(conn)
        .await
}

/// Refuses a record whose unit has handed in the form of a period the
/// record adds to (409 `period_locked`), naming who can open it again.
pub fn cell_refusal(def: &CampaignDef, fact: &RecordFact, cell: &Cell) -> Result<(), StorageError> {
    let Some((status, parent)) = cell else {
        return Ok(());
    };
    if !SubmissionStatus::parse(status).is_some_and(SubmissionStatus::locks) {
        return Ok(());
    }
    let who = match parent {
        Some(name) => format!("the coordinator of {name}"),
        None => "an admin".to_string(),
    };
    Err(StorageError::refused(
        ProblemCode::PeriodLocked,
        format!(
            "your unit handed in the {} form for {}, so it takes no new records; {who} can return or reopen it",
            def.id,
            period_of(def, fact.occurred_at).label()
        ),
    ))
}

/// One row set per person who logged records for `unit` itself in the
/// period (a read on the aggregates' key prefix: campaign, period, unit),
/// by user id. People whose cells all cancel out (a record and its
/// withdrawal) are left out. Their sums are the unit's own records.
pub async fn people_rows(
    conn: &mut AnyConnection,
    def: &CampaignDef,
    period: &Period,
    unit: i64,
    now: EpochMs,
) -> Result<Vec<PersonRows>, sqlx::Error> {
    let rows: Vec<(i64, String, String, String, String, i64, i64)> = sqlx::query_as(
        "SELECT a.user_id, u.username, u.display_name, a.profession, a.indicator, a.value1, a.value2 \
         FROM aggregates a JOIN users u ON u.id = a.user_id \
         WHERE a.campaign_id = $1 AND a.period_start = $2 AND a.unit_id = $3",
    )
    .bind(&def.id)
    .bind(period.start.to_string())
    .bind(unit)
    .fetch_all(conn)
    .await?;
    let mut per_user: BTreeMap<i64, (UserRef, PeriodTotals)> = BTreeMap::new();
    for (user_id, username, display_name, profession, indicator, v1, v2) in rows {
        // Stored professions come only from Profession::as_str.
        let Some(p) = Profession::parse(&profession) else {
            continue;
        };
        let entry = per_user.entry(user_id).or_insert_with(|| {
            (
                UserRef {
                    id: user_id,
                    username,
                    display_name,
                },
                PeriodTotals::new(),
            )
        });
        let cell = entry.1.entry((p, indicator)).or_default();
        cell.0 += v1;
        cell.1 += v2;
    }
    let open = period.is_open(local_date(def, now));
    Ok(per_user
        .into_values()
        .filter(|(_, sums)| sums.values().any(|v| *v != (0, 0)))
        .map(|(user, sums)| {
            let part = StatsForm::build(def, period, open, StatsScope::Unit, None, &sums);
            PersonRows {
                user,
                rows: part.rows,
                hours: part.hours,
            }
        })
        .collect())
}
