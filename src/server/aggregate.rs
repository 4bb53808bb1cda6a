//! Campaign aggregates, added to inside the transaction that stores the
//! record (so an idempotent repeat, which never re-enters that transaction,
//! never counts twice), and the campaign definitions they are computed by.
//!
//! Definitions live in the `campaigns` table as their TOML source plus the
//! source's SHA-256 (`revision`). Parsed definitions are cached per process
//! by revision: the hot path reads the small `(id, revision)` list and parses
//! nothing unless a definition changed — including when `dutydesk admin
//! campaign import` changed it from another process while the server runs.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, RwLock};

use sha2::{Digest, Sha256};
use sqlx::{Any, AnyConnection, Transaction};

use super::storage::aggregates::{
    Revision, StoredCampaign, campaign_revisions, campaign_source, increment_into, item_and_owner, owner,
    upsert_campaign,
};
use super::storage::sql::rollup::{Cell, cell_refusal, read_cell};
use super::storage::sql::script::Script;
// Re-exported: records, submissions and campaign imports take it here.
pub(crate) use super::storage::aggregates::lock_aggregates;
use crate::api::{Activity, Campaign, Outcome, TimeEntry};
use crate::domain::campaign::{
    CampaignDef, FactItem, FactOwner, OutcomeFigures, RecordFact, contributions, parse_definition, period_of,
};
use crate::domain::records::check_periods_open;
use crate::domain::{EpochMs, ItemKind, Yuan};
use crate::server::storage::StorageError;

/// Parsed definitions by revision. Entries are immutable and few (one per
/// definition ever imported while this process ran), so they are kept.
static PARSED: LazyLock<RwLock<HashMap<String, Arc<CampaignDef>>>> = LazyLock::new(Default::default);

/// The SHA-256 of a definition's source, hex.
pub fn revision_of(source: &str) -> String {
    hex::encode(Sha256::digest(source.as_bytes()))
}

fn cached(revision: &str) -> Option<Arc<CampaignDef>> {
    // A poisoned lock only means another thread panicked while inserting an
    // already parsed, immutable value: the map is still sound.
    let map = PARSED.read().unwrap_or_else(|e| e.into_inner());
    map.get(revision).cloned()
}

fn remember(revision: String, def: Arc<CampaignDef>) {
    let mut map = PARSED.write().unwrap_or_else(|e| e.into_inner());
    map.insert(revision, def);
}

fn decode_error(id: &str, what: impl std::fmt::Display) -> sqlx::Error {
    sqlx::Error::Decode(format!("campaign {id}: {what}").into())
}

/// Every campaign that has rules, by id. Definitions stored without a
/// source (before the statistics migration) are skipped: they count nothing.
pub async fn campaigns_with_rules(conn: &mut AnyConnection) -> Result<Vec<Arc<CampaignDef>>, sqlx::Error> {
    let rows = campaign_revisions(conn).await?;
    rules_of(conn, rows).await
}

/// The rules of campaigns read as (id, revision) rows (`REVISIONS_SQL`):
/// parsed ones from the cache, others read and parsed.
pub async fn rules_of(
    conn: &mut AnyConnection,
    rows: Vec<Revision>,
) -> Result<Vec<Arc<CampaignDef>>, sqlx::Error> {
    let mut out = Vec::with_capacity(rows.len());
    for (id, revision) in rows {
        let Some(revision) = revision else { continue };
        if let Some(def) = cached(&revision) {
            out.push(def);
            continue;
        }
        let source = campaign_source(conn, &id)
            .await?
            .ok_or_else(|| decode_error(&id, "a revision without a source"))?;
        // Only checked definitions are stored, so this fails only if the
        // parser grew stricter since the import: say which one to re-import.
        let def = Arc::new(parse_definition(&source).map_err(|e| decode_error(&id, e))?);
        remember(revision, def.clone());
        out.push(def);
    }
    Ok(out)
}

/// One campaign with its rules, or `None` when there is no such campaign.
pub async fn campaign(conn: &mut AnyConnection, id: &str) -> Result<Option<Arc<CampaignDef>>, sqlx::Error> {
    Ok(campaigns_with_rules(conn).await?.into_iter().find(|d| d.id == id))
}

/// Stores (or replaces) a checked definition with its source. The
/// `definition` column keeps the wire `Campaign` for `GET /campaigns`.
pub async fn store_campaign(
    tx: &mut Transaction<'static, Any>,
    def: &CampaignDef,
    source: &str,
) -> Result<(), sqlx::Error> {
    // Plain derive(Serialize) data with string keys: cannot fail.
    let wire = serde_json::to_string(&Campaign::from(def)).unwrap_or_default();
    let revision = revision_of(source);
    let stored = StoredCampaign {
        id: &def.id,
        definition: &wire,
        source,
        revision: &revision,
    };
    upsert_campaign(tx, &stored).await?;
    remember(revision, Arc::new(def.clone()));
    Ok(())
}

async fn fact_of(
    tx: &mut AnyConnection,
    reads: &mut TxReads,
    record: &StatRecord<'_>,
) -> Result<RecordFact, sqlx::Error> {
    Ok(match record {
        StatRecord::Outcome { item_kind, outcome } | StatRecord::OutcomeWithdrawal { item_kind, outcome } => {
            let (item, owner) = reads.item_and_owner(tx, outcome.item_id, outcome.user_id).await?;
            let figures = OutcomeFigures {
                code: Some(outcome.code),
                settled_fen: outcome.settled_amount.map(Yuan::fen).unwrap_or(0),
                fee_waived_fen: outcome.fee_waived.map(Yuan::fen).unwrap_or(0),
            };
            // Minutes logged with an outcome arrive as their own time entry.
            RecordFact::outcome(
                FactItem {
                    kind: Some(*item_kind),
                    ..item
                },
                figures,
                matches!(record, StatRecord::OutcomeWithdrawal { .. }),
                outcome.occurred_at,
                owner,
            )
        }
        StatRecord::TimeEntry(e) => {
            let (item, owner) = reads.item_and_owner(tx, e.item_id, e.user_id).await?;
            RecordFact::time_entry(item, e.minutes, Some(e.activity), e.occurred_at, owner)
        }
        StatRecord::Activity(a) => RecordFact::activity(
            a.indicator.clone(),
            (a.count, a.count2.unwrap_or(0)),
            a.occurred_at,
            owner(tx, a.user_id).await?,
        ),
    })
}

/// A record that may count toward campaign indicators.
pub enum StatRecord<'a> {
    Outcome {
        item_kind: ItemKind,
        outcome: &'a Outcome,
    },
    TimeEntry(&'a TimeEntry),
    Activity(&'a Activity),
    /// The counter-record of a corrected outcome: the outcome as stored,
    /// counted negatively.
    OutcomeWithdrawal {
        item_kind: ItemKind,
        outcome: &'a Outcome,
    },
}

/// What the statistics read once per write transaction instead of once
/// per record: the rules, each item's and user's counted columns, and the
/// (campaign, period, unit) submission cells. A group commit runs many
/// records in one transaction; one snapshot, so what was read for one
/// record holds for the next — the records a batch runs (time entries)
/// change none of these tables, and a refused one rolled back to its
/// savepoint leaves them as read. A group commit's write reads what is
/// not known yet together with its own reads (`remember_*`). Never kept
/// past its transaction.
#[derive(Default)]
pub struct TxReads {
    defs: Option<Vec<Arc<CampaignDef>>>,
    facts: HashMap<(i64, i64), (FactItem, FactOwner)>,
    cells: HashMap<SubmissionKey, Cell>,
}

/// A unit's submission of a campaign's period: campaign, period start, unit.
pub type SubmissionKey = (String, String, i64);

/// The cell a record of `unit_id` at `occurred_at` adds to under `def`.
pub fn submission_key(def: &CampaignDef, occurred_at: EpochMs, unit_id: i64) -> SubmissionKey {
    (
        def.id.clone(),
        period_of(def, occurred_at).start.to_string(),
        unit_id,
    )
}

impl TxReads {
    /// The rules, read once per transaction.
    pub async fn defs(&mut self, tx: &mut AnyConnection) -> Result<Vec<Arc<CampaignDef>>, sqlx::Error> {
        if let Some(defs) = &self.defs {
            return Ok(defs.clone());
        }
        let defs = campaigns_with_rules(tx).await?;
        self.defs = Some(defs.clone());
        Ok(defs)
    }

    /// The rules if this transaction read them already.
    pub fn known_defs(&self) -> Option<&[Arc<CampaignDef>]> {
        self.defs.as_deref()
    }

    pub fn known_fact(&self, item_id: i64, user_id: i64) -> Option<(FactItem, FactOwner)> {
        self.facts.get(&(item_id, user_id)).copied()
    }

    pub fn remember_fact(&mut self, item_id: i64, user_id: i64, read: (FactItem, FactOwner)) {
        self.facts.insert((item_id, user_id), read);
    }

    /// The rules this transaction counts by, read by the caller.
    pub fn set_defs(&mut self, defs: Vec<Arc<CampaignDef>>) {
        self.defs = Some(defs);
    }

    pub fn knows_cell(&self, key: &SubmissionKey) -> bool {
        self.cells.contains_key(key)
    }

    pub fn remember_cell(&mut self, key: SubmissionKey, cell: Cell) {
        self.cells.insert(key, cell);
    }

    async fn item_and_owner(
        &mut self,
        tx: &mut AnyConnection,
        item_id: i64,
        user_id: i64,
    ) -> Result<(FactItem, FactOwner), sqlx::Error> {
        if let Some(known) = self.facts.get(&(item_id, user_id)) {
            return Ok(*known);
        }
        let read = item_and_owner(tx, item_id, user_id).await?;
        self.facts.insert((item_id, user_id), read);
        Ok(read)
    }

    /// Refuses a record whose unit handed in a form it adds to, asking the
    /// database only about cells not read yet in this transaction.
    async fn check_unlocked(
        &mut self,
        tx: &mut AnyConnection,
        defs: &[Arc<CampaignDef>],
        fact: &RecordFact,
    ) -> Result<(), StorageError> {
        for def in defs {
            if contributions(def, fact).is_empty() {
                continue;
            }
            let key = submission_key(def, fact.occurred_at, fact.unit_id);
            let cell = match self.cells.get(&key) {
                Some(cell) => cell.clone(),
                None => {
                    let cell = read_cell(tx, &key.0, &key.1, key.2).await?;
                    self.cells.insert(key, cell.clone());
                    cell
                }
            };
            cell_refusal(def, fact, &cell)?;
        }
        Ok(())
    }
}

/// What one record adds to every campaign with rules, in the record's own
/// transaction. A record that would add to a closed period (its form due
/// already) is refused and the caller's transaction rolls back: a filed
/// form's numbers change only through `admin stats rebuild`.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    record: StatRecord<'_>,
    now: EpochMs,
) -> Result<(), StorageError> {
    let mut script = Script::new();
    apply_into(tx, &mut TxReads::default(), record, now, &mut script).await?;
    script.run(tx).await?;
    Ok(())
}

/// [`apply`] for one of several records in one transaction (`reads`
/// belongs to it, so what an earlier one read is not read again), its
/// checks done now and its additions pushed onto `script` for the caller
/// to run with the record's own statements.
pub async fn apply_into(
    tx: &mut AnyConnection,
    reads: &mut TxReads,
    record: StatRecord<'_>,
    now: EpochMs,
    script: &mut Script,
) -> Result<(), StorageError> {
    lock_aggregates(tx, false).await?;
    let defs = reads.defs(tx).await?;
    if defs.is_empty() {
        return Ok(());
    }
    let fact = fact_of(tx, reads, &record).await?;
    check_periods_open(defs.iter().map(|d| d.as_ref()), &fact, now)?;
    reads.check_unlocked(tx, &defs, &fact).await?;
    for def in defs {
        for inc in contributions(&def, &fact) {
            increment_into(script, &fact, &inc);
        }
    }
    Ok(())
}
