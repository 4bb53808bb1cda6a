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

use crate::api::{Activity, Campaign, Outcome, TimeEntry};
use crate::domain::campaign::{
    CampaignDef, Increment, RecordFact, RecordKind, contributions, parse_definition,
};
use crate::domain::records::check_periods_open;
use crate::domain::{Category, Channel, EpochMs, ItemKind, Profession, Yuan};
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
    let rows: Vec<(String, Option<String>)> =
        sqlx::query_as("SELECT id, revision FROM campaigns ORDER BY id")
            .fetch_all(&mut *conn)
            .await?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, revision) in rows {
        let Some(revision) = revision else { continue };
        if let Some(def) = cached(&revision) {
            out.push(def);
            continue;
        }
        let (source,): (Option<String>,) = sqlx::query_as("SELECT source FROM campaigns WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
        let source = source.ok_or_else(|| decode_error(&id, "a revision without a source"))?;
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
    sqlx::query(
        "INSERT INTO campaigns (id, definition, source, revision) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, source = excluded.source, \
         revision = excluded.revision",
    )
    .bind(&def.id)
    .bind(wire)
    .bind(source)
    .bind(&revision)
    .execute(&mut **tx)
    .await?;
    remember(revision, Arc::new(def.clone()));
    Ok(())
}

pub(crate) fn parse_kind(s: &str) -> Option<ItemKind> {
    ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
}

pub(crate) fn parse_category(s: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.as_str() == s)
}

pub(crate) fn parse_channel(s: &str) -> Option<Channel> {
    Channel::ALL.into_iter().find(|c| c.as_str() == s)
}

/// A fact with only the fields every record has; the rest at their default.
pub(crate) fn blank_fact(record: RecordKind, occurred_at: i64, who: (&str, i64, i64)) -> RecordFact {
    let (profession, unit_id, user_id) = who;
    // Stored professions come only from Profession::as_str.
    let profession = Profession::parse(profession).unwrap_or(Profession::Lawyer);
    RecordFact::new(record, occurred_at, profession, unit_id, user_id)
}

/// What the rules look at on an item, and who logged the record.
struct ItemAndUser {
    category: Option<Category>,
    green_channel: bool,
    channel: Option<Channel>,
    enterprise_party: bool,
    profession: String,
    unit_id: i64,
}

async fn item_and_user(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    user_id: i64,
) -> Result<ItemAndUser, sqlx::Error> {
    let (category, green, channel, enterprise, profession, unit_id): (String, i64, String, i64, String, i64) =
        sqlx::query_as(
            "SELECT i.category, i.green_channel, i.channel, i.enterprise_party, u.profession, u.unit_id \
             FROM items i, users u WHERE i.id = $1 AND u.id = $2",
        )
        .bind(item_id)
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(ItemAndUser {
        category: parse_category(&category),
        green_channel: green != 0,
        channel: parse_channel(&channel),
        enterprise_party: enterprise != 0,
        profession,
        unit_id,
    })
}

async fn fact_of(
    tx: &mut Transaction<'static, Any>,
    record: &StatRecord<'_>,
) -> Result<RecordFact, sqlx::Error> {
    Ok(match record {
        StatRecord::Outcome { item_kind, outcome } | StatRecord::OutcomeWithdrawal { item_kind, outcome } => {
            let it = item_and_user(tx, outcome.item_id, outcome.user_id).await?;
            let kind = if matches!(record, StatRecord::OutcomeWithdrawal { .. }) {
                RecordKind::OutcomeWithdrawal
            } else {
                RecordKind::Outcome
            };
            // Minutes logged with an outcome arrive as their own time entry.
            RecordFact {
                kind: Some(*item_kind),
                code: Some(outcome.code),
                category: it.category,
                green_channel: it.green_channel,
                channel: it.channel,
                enterprise_party: it.enterprise_party,
                settled_fen: outcome.settled_amount.map(Yuan::fen).unwrap_or(0),
                fee_waived_fen: outcome.fee_waived.map(Yuan::fen).unwrap_or(0),
                ..blank_fact(
                    kind,
                    outcome.occurred_at,
                    (&it.profession, it.unit_id, outcome.user_id),
                )
            }
        }
        StatRecord::TimeEntry(e) => {
            let it = item_and_user(tx, e.item_id, e.user_id).await?;
            RecordFact {
                green_channel: it.green_channel,
                channel: it.channel,
                enterprise_party: it.enterprise_party,
                minutes: e.minutes,
                activity: Some(e.activity),
                ..blank_fact(
                    RecordKind::TimeEntry,
                    e.occurred_at,
                    (&it.profession, it.unit_id, e.user_id),
                )
            }
        }
        StatRecord::Activity(a) => {
            let (profession, unit): (String, i64) =
                sqlx::query_as("SELECT profession, unit_id FROM users WHERE id = $1")
                    .bind(a.user_id)
                    .fetch_one(&mut **tx)
                    .await?;
            RecordFact {
                indicator: Some(a.indicator.clone()),
                count: a.count,
                count2: a.count2.unwrap_or(0),
                ..blank_fact(
                    RecordKind::Activity,
                    a.occurred_at,
                    (&profession, unit, a.user_id),
                )
            }
        }
    })
}

/// Adds one increment to its cell; portable upsert (SQLite ≥ 3.24, PostgreSQL).
pub(crate) async fn add_increment(
    conn: &mut AnyConnection,
    fact: &RecordFact,
    inc: &Increment,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO aggregates (campaign_id, period_start, unit_id, profession, user_id, indicator, value1, value2) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (campaign_id, period_start, unit_id, profession, user_id, indicator) DO UPDATE SET \
         value1 = aggregates.value1 + excluded.value1, value2 = aggregates.value2 + excluded.value2",
    )
    .bind(&inc.campaign_id)
    .bind(inc.period_start.to_string())
    .bind(fact.unit_id)
    .bind(fact.profession.as_str())
    .bind(fact.user_id)
    .bind(&inc.indicator)
    .bind(inc.value1)
    .bind(inc.value2)
    .execute(conn)
    .await?;
    Ok(())
}

/// Orders record transactions against a rebuild on PostgreSQL, where they
/// run at once: otherwise a record could add by the old rules after an
/// import rebuilt everything by the new ones. Records take ROW EXCLUSIVE on
/// the aggregates before reading the rules (records do not block each
/// other); a rebuild takes EXCLUSIVE, so it waits for the records in flight
/// and later ones wait for it, then read the new rules. Reads are never
/// blocked. SQLite has a single writer, so there is nothing to do.
pub(crate) async fn lock_aggregates(conn: &mut AnyConnection, rebuild: bool) -> Result<(), sqlx::Error> {
    if !conn.backend_name().eq_ignore_ascii_case("postgresql") {
        return Ok(());
    }
    let sql = if rebuild {
        "LOCK TABLE aggregates IN EXCLUSIVE MODE"
    } else {
        "LOCK TABLE aggregates IN ROW EXCLUSIVE MODE"
    };
    sqlx::query(sql).execute(conn).await?;
    Ok(())
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

/// What one record adds to every campaign with rules, in the record's own
/// transaction. A record that would add to a closed period (its form due
/// already) is refused and the caller's transaction rolls back: a filed
/// form's numbers change only through `admin stats rebuild`.
pub async fn apply(
    tx: &mut Transaction<'static, Any>,
    record: StatRecord<'_>,
    now: EpochMs,
) -> Result<(), StorageError> {
    lock_aggregates(tx, false).await?;
    let defs = campaigns_with_rules(tx).await?;
    if defs.is_empty() {
        return Ok(());
    }
    let fact = fact_of(tx, &record).await?;
    check_periods_open(defs.iter().map(|d| d.as_ref()), &fact, now)?;
    super::storage::sql::rollup::check_unlocked(tx, &defs, &fact).await?;
    for def in defs {
        for inc in contributions(&def, &fact) {
            add_increment(tx, &fact, &inc).await?;
        }
    }
    Ok(())
}
