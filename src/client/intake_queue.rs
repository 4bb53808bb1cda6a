//! New work from the intake desk through the outbox (the TUI's form), and
//! the acknowledgment of a conflict-of-interest warning: each one outbox
//! entry, so the form's data is on disk before the screen says "saved"
//! and reaches the server once (the entry's id is its `Idempotency-Key`).
//! What the desk registered is remembered locally (`RECENT_DOC`) with the
//! server's id and whether its warning was acknowledged.

use rust_i18n::t;
use serde::{Deserialize, Serialize};

use super::store::{LocalStore, NewEntry, StoreError, WriteKind};
use super::workflow::{self, Queued};
use crate::api::intake::{ClaimAnswer, ConflictAck, ConflictEntry, ItemWithConflicts, NewItem};
use crate::api::paths;
use crate::domain::{EpochMs, ItemKind};

/// The store's document with the desk's recent registrations.
pub const RECENT_DOC: &str = "intake:recent";
/// How many registrations the desk's screen keeps.
pub const KEEP: usize = 200;

/// The outbox entry that registers `item`.
pub fn new_item(item: &NewItem) -> NewEntry {
    let kind_key = format!("tui.kind.{}", item.kind.as_str());
    NewEntry {
        kind: WriteKind::NewItem,
        method: "POST".into(),
        path: paths::ITEMS.into(),
        body: serde_json::to_value(item).unwrap_or(serde_json::Value::Null),
        summary: t!(
            "intake_tui.summary.new",
            kind = t!(&kind_key),
            title = crate::text::clean(&item.title)
        )
        .into_owned(),
    }
}

/// The outbox entry that acknowledges item `id`'s conflict warning.
pub fn ack(id: i64, version: i64) -> NewEntry {
    NewEntry {
        kind: WriteKind::ConflictAck,
        method: "POST".into(),
        path: paths::with_id(paths::ITEM_CONFLICTS_ACK, id),
        body: serde_json::to_value(ConflictAck { version, note: None }).unwrap_or(serde_json::Value::Null),
        summary: t!("intake_tui.summary.ack", id = id).into_owned(),
    }
}

/// Is this outbox entry a registration?
pub fn is_new_item(path: &str) -> bool {
    path.split('?').next().unwrap_or(path).trim_end_matches('/') == paths::ITEMS
}

/// The item an acknowledgment entry is for (`/items/{id}/conflicts/ack`).
pub fn acked_item(path: &str) -> Option<i64> {
    path.split('?')
        .next()?
        .strip_suffix("/conflicts/ack")?
        .rsplit('/')
        .next()?
        .parse()
        .ok()
}

/// One registration the desk made, as its screen lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registered {
    pub item_id: i64,
    pub version: i64,
    pub kind: ItemKind,
    pub title: String,
    pub unit_id: i64,
    #[serde(default)]
    pub assignee: Option<String>,
    pub created_at: EpochMs,
    /// The conflicts the server reported on intake.
    #[serde(default)]
    pub conflicts: Vec<ConflictEntry>,
    /// The warning was acknowledged (the ack is queued or sent).
    #[serde(default)]
    pub acked: bool,
}

/// A warning to acknowledge: the item it is about and what was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub item_id: i64,
    pub version: i64,
    pub title: String,
    pub conflicts: Vec<ConflictEntry>,
}

/// The conflicts in a sent entry's answer: a registration's or a claim's.
pub fn warning_in(path: &str, response: &serde_json::Value) -> Option<Warning> {
    let (item, conflicts) = if is_new_item(path) {
        let a: ItemWithConflicts = serde_json::from_value(response.clone()).ok()?;
        (a.item, a.conflicts)
    } else if path.ends_with("/claim") {
        let a: ClaimAnswer = serde_json::from_value(response.clone()).ok()?;
        (a.item, a.conflicts)
    } else {
        return None;
    };
    (!conflicts.is_empty()).then_some(Warning {
        item_id: item.id,
        version: item.version,
        title: item.title,
        conflicts,
    })
}

/// Queues a registration.
pub async fn register(store: &LocalStore, item: &NewItem) -> Result<Queued, StoreError> {
    workflow::record(store, new_item(item)).await
}

/// The desk's remembered registrations, newest first.
pub async fn recent(store: &LocalStore) -> Result<Vec<Registered>, StoreError> {
    match store.doc(RECENT_DOC).await? {
        Some(doc) => Ok(serde_json::from_str(&doc.json).unwrap_or_default()),
        None => Ok(Vec::new()),
    }
}

async fn save(store: &LocalStore, list: &[Registered]) -> Result<(), StoreError> {
    store
        .put_doc(RECENT_DOC, &serde_json::to_string(list)?, None)
        .await
}

/// The server's answer to a registration, remembered.
pub async fn remember(store: &LocalStore, answer: &ItemWithConflicts) -> Result<(), StoreError> {
    let mut list = recent(store).await?;
    list.retain(|r| r.item_id != answer.item.id);
    list.insert(
        0,
        Registered {
            item_id: answer.item.id,
            version: answer.item.version,
            kind: answer.item.kind,
            title: answer.item.title.clone(),
            unit_id: answer.item.unit_id,
            assignee: answer.item.assignee.as_ref().map(|a| a.display_name.clone()),
            created_at: answer.item.created_at,
            acked: answer.conflicts.is_empty(),
            conflicts: answer.conflicts.clone(),
        },
    );
    list.truncate(KEEP);
    save(store, &list).await
}

/// Queues the acknowledgment and marks the registration acknowledged.
pub async fn acknowledge(store: &LocalStore, item_id: i64, version: i64) -> Result<Queued, StoreError> {
    let queued = workflow::record(store, ack(item_id, version)).await?;
    let mut list = recent(store).await?;
    if let Some(r) = list.iter_mut().find(|r| r.item_id == item_id) {
        r.acked = true;
    }
    save(store, &list).await?;
    Ok(queued)
}
