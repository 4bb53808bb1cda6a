//! Recomputing every aggregate from the raw records (`dutydesk admin stats
//! rebuild`, and after a campaign import changed the rules). The raw rows
//! are read back as [`RecordFact`]s, attributed to each user's current unit
//! and profession, and run through the same rules as the live path.

use std::collections::BTreeMap;

use sqlx::{Any, AnyConnection, Transaction};

use super::aggregate::{
    blank_fact, campaigns_with_rules, lock_aggregates, parse_category, parse_channel, parse_kind,
};
use crate::domain::campaign::{CampaignDef, Increment, RecordFact, RecordKind, contributions};
use crate::domain::{OutcomeCode, TimeActivity};

/// campaign, period start (`YYYY-MM-DD`), unit, profession, user, indicator.
pub type CellKey = (String, String, i64, String, i64, String);
pub type Cells = BTreeMap<CellKey, (i64, i64)>;

/// Every outcome, time entry and activity as the rules see it.
pub async fn load_facts(conn: &mut AnyConnection) -> Result<Vec<RecordFact>, sqlx::Error> {
    let mut facts = Vec::new();
    let outcomes: Vec<(
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        i64,
        String,
        i64,
        i64,
        String,
        i64,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT i.kind, o.code, i.category, i.green_channel, o.settled_fen, o.fee_waived_fen, \
             o.occurred_at, u.profession, u.unit_id, o.user_id, i.channel, i.enterprise_party, o.withdraws \
             FROM outcomes o \
             JOIN items i ON i.id = o.item_id JOIN users u ON u.id = o.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in outcomes {
        facts.push(RecordFact {
            kind: parse_kind(&r.0),
            code: OutcomeCode::parse(&r.1),
            category: parse_category(&r.2),
            green_channel: r.3 != 0,
            channel: parse_channel(&r.10),
            enterprise_party: r.11 != 0,
            settled_fen: r.4.unwrap_or(0),
            fee_waived_fen: r.5.unwrap_or(0),
            // A corrected outcome's counter-record counts negatively.
            ..blank_fact(
                if r.12.is_some() {
                    RecordKind::OutcomeWithdrawal
                } else {
                    RecordKind::Outcome
                },
                r.6,
                (&r.7, r.8, r.9),
            )
        });
    }
    let times: Vec<(i64, i64, String, i64, String, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT i.green_channel, t.minutes, t.activity, t.occurred_at, u.profession, u.unit_id, t.user_id, \
         i.channel, i.enterprise_party \
         FROM time_entries t JOIN items i ON i.id = t.item_id JOIN users u ON u.id = t.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in times {
        facts.push(RecordFact {
            green_channel: r.0 != 0,
            channel: parse_channel(&r.7),
            enterprise_party: r.8 != 0,
            minutes: r.1,
            activity: TimeActivity::parse(&r.2),
            ..blank_fact(RecordKind::TimeEntry, r.3, (&r.4, r.5, r.6))
        });
    }
    let activities: Vec<(String, i64, Option<i64>, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT a.indicator, a.count, a.count2, a.occurred_at, u.profession, u.unit_id, a.user_id \
         FROM activities a JOIN users u ON u.id = a.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in activities {
        facts.push(RecordFact {
            indicator: Some(r.0),
            count: r.1,
            count2: r.2.unwrap_or(0),
            ..blank_fact(RecordKind::Activity, r.3, (&r.4, r.5, r.6))
        });
    }
    Ok(facts)
}

fn key_of(fact: &RecordFact, inc: &Increment) -> CellKey {
    (
        inc.campaign_id.clone(),
        inc.period_start.to_string(),
        fact.unit_id,
        fact.profession.as_str().to_string(),
        fact.user_id,
        inc.indicator.clone(),
    )
}

/// The cells the rules give these facts, per user (the server's key).
pub fn cells_of(defs: &[std::sync::Arc<CampaignDef>], facts: &[RecordFact]) -> Cells {
    let mut out = Cells::new();
    for fact in facts {
        for def in defs {
            for inc in contributions(def, fact) {
                let cell = out.entry(key_of(fact, &inc)).or_default();
                cell.0 += inc.value1;
                cell.1 += inc.value2;
            }
        }
    }
    out.retain(|_, v| *v != (0, 0));
    out
}

/// Every stored cell.
pub async fn stored_cells(conn: &mut AnyConnection) -> Result<Cells, sqlx::Error> {
    let rows: Vec<(String, String, i64, String, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, period_start, unit_id, profession, user_id, indicator, value1, value2 \
         FROM aggregates",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.0, r.1, r.2, r.3, r.4, r.5), (r.6, r.7)))
        .filter(|(_, v)| *v != (0, 0))
        .collect())
}

/// One cell that a rebuild changed: its key, before, after.
pub type Change = (CellKey, Option<(i64, i64)>, Option<(i64, i64)>);

/// What a rebuild did.
#[derive(Debug, Default)]
pub struct RebuildReport {
    pub campaigns: usize,
    pub records: usize,
    pub cells: usize,
    pub changes: Vec<Change>,
}

/// Replaces every aggregate with a recomputation from the raw records,
/// inside the caller's transaction.
pub async fn rebuild(tx: &mut Transaction<'static, Any>) -> Result<RebuildReport, sqlx::Error> {
    lock_aggregates(tx, true).await?;
    let defs = campaigns_with_rules(tx).await?;
    let facts = load_facts(tx).await?;
    let before = stored_cells(tx).await?;
    let after = cells_of(&defs, &facts);
    sqlx::query("DELETE FROM aggregates").execute(&mut **tx).await?;
    for ((campaign_id, period, unit_id, profession, user_id, indicator), (v1, v2)) in &after {
        sqlx::query(
            "INSERT INTO aggregates (campaign_id, period_start, unit_id, profession, user_id, indicator, \
             value1, value2) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(campaign_id)
        .bind(period)
        .bind(unit_id)
        .bind(profession)
        .bind(user_id)
        .bind(indicator)
        .bind(v1)
        .bind(v2)
        .execute(&mut **tx)
        .await?;
    }
    let mut changes: Vec<Change> = Vec::new();
    for (k, v) in &after {
        if before.get(k) != Some(v) {
            changes.push((k.clone(), before.get(k).copied(), Some(*v)));
        }
    }
    for (k, v) in &before {
        if !after.contains_key(k) {
            changes.push((k.clone(), Some(*v), None));
        }
    }
    changes.sort();
    Ok(RebuildReport {
        campaigns: defs.len(),
        records: facts.len(),
        cells: after.len(),
        changes,
    })
}
