//! Recomputing every aggregate from the raw records (`dutydesk admin stats
//! rebuild`, and after a campaign import changed the rules). The raw rows
//! are read back as [`RecordFact`]s, attributed to each user's current unit
//! and profession, and run through the same rules as the live path.

use sqlx::{Any, Transaction};

use super::aggregate::{campaigns_with_rules, lock_aggregates};
use super::storage::aggregates::replace_cells;
// Re-exported: the consistency tests read the records and cells here.
pub use super::storage::aggregates::{CellKey, Cells, load_facts, stored_cells};
use crate::domain::campaign::{CampaignDef, Increment, RecordFact, contributions};

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
    replace_cells(tx, &after).await?;
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
