//! Conflict of interest (利益冲突审查): an item's parties against the
//! unit's other items, on intake, claim and assignment; acknowledging the
//! warning is recorded in the item's history. The matching is
//! `domain::conflicts`'; this reads the stored (unmasked) parties.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::intake::{actor_in_tree, stale, stored_parties, visible};
use super::item_rows::facts;
use super::item_rows::{NewHistory, add_history, load_item, raw_parties, touch_item};
use crate::api::intake::{ConflictAck, ConflictEntry};
use crate::api::{Party, User, UserRef};
use crate::domain::conflicts::{self, PartyFacts, PastItem, Side};
use crate::domain::policy;
use crate::domain::{EpochMs, privacy};
use crate::server::storage::ConflictStore;
use crate::server::storage::ItemChange;
use crate::server::storage::StorageError;

pub fn party_facts(parties: &[Party]) -> Vec<PartyFacts> {
    parties
        .iter()
        .map(|p| PartyFacts {
            name: p.name.clone(),
            keys: privacy::match_keys(&p.name, p.contact.as_deref(), p.id_number.as_deref()),
            side: Side::of_role(&p.role),
        })
        .collect()
}

/// The conflicts of interest of an item of `unit` with `parties` handled
/// by `assignee`, against the unit's other items.
pub async fn conflicts_for(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    unit: i64,
    parties: &[Party],
    assignee: Option<i64>,
) -> Result<Vec<ConflictEntry>, StorageError> {
    let rows: Vec<(i64, i64, Option<i64>, String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT i.id, i.created_at, i.assignee_id, i.parties, u.username, u.display_name FROM items i \
         LEFT JOIN users u ON u.id = i.assignee_id WHERE i.unit_id = $1 AND i.id <> $2 ORDER BY i.id",
    )
    .bind(unit)
    .bind(item_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut past = Vec::with_capacity(rows.len());
    for r in &rows {
        past.push(PastItem {
            id: r.0,
            assignee_id: r.2,
            parties: party_facts(&raw_parties(&r.3)?),
        });
    }
    let found = conflicts::find(&party_facts(parties), assignee, &past);
    Ok(found
        .into_iter()
        .filter_map(|f| {
            let r = rows.iter().find(|r| r.0 == f.item_id)?;
            Some(ConflictEntry {
                item_id: f.item_id,
                created_at: r.1,
                assignee: r.2.map(|id| UserRef {
                    id,
                    username: r.4.clone().unwrap_or_default(),
                    display_name: r.5.clone().unwrap_or_default(),
                }),
                party: f.party,
                reason: f.reason.as_str().to_string(),
            })
        })
        .collect())
}

impl ConflictStore for SqlStorage {
    /// The item's conflicts as its assignee (or the caller, for a pool
    /// item they might claim) would meet them.
    async fn conflicts(&self, me: &User, id: i64) -> Result<Vec<ConflictEntry>, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = visible(&mut w.tx, me, id).await?;
        let assignee = row
            .item
            .assignee
            .as_ref()
            .map(|a| a.id)
            .or(me.role.takes_work().then_some(me.id));
        let parties = stored_parties(&mut w.tx, id).await?;
        let found = conflicts_for(&mut w.tx, id, row.item.unit_id, &parties, assignee).await?;
        drop(w);
        Ok(found)
    }

    async fn ack_conflicts(
        &self,
        me: &User,
        id: i64,
        req: &ConflictAck,
        now: EpochMs,
    ) -> Result<ItemChange, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = acknowledgeable(&mut w.tx, me, id).await?;
        if row.item.version != req.version {
            // A resent acknowledgment whose answer was lost finds its own
            // history row: the item as it stands, nothing written twice.
            if acknowledged_by(&mut w.tx, id, me.id).await? {
                return Ok(ItemChange {
                    before: row.clone(),
                    after: row,
                });
            }
            return Err(stale(row.item.version, req.version));
        }
        let assignee = row.item.assignee.as_ref().map(|a| a.id).or(Some(me.id));
        let parties = stored_parties(&mut w.tx, id).await?;
        let found = conflicts_for(&mut w.tx, id, row.item.unit_id, &parties, assignee).await?;
        // The history names the earlier items acknowledged, and the note.
        let ids: Vec<String> = found.iter().map(|c| format!("#{}", c.item_id)).collect();
        let mut note = ids.join(" ");
        if let Some(n) = req.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            crate::domain::records::check_note(Some(n))
                .map_err(|r| StorageError::validation("note", r.to_string()))?;
            note = format!("{note} {n}").trim().to_string();
        }
        touch_item(&mut w.tx, id, now).await?;
        add_history(
            &mut w.tx,
            NewHistory::of(
                id,
                now,
                Some(me.id),
                crate::api::HistoryAction::ConflictAcknowledged,
                &note,
            ),
        )
        .await?;
        let after = self.commit_updated(w, id, now).await?;
        Ok(ItemChange { before: row, after })
    }
}

/// Whether `user` has acknowledged the item's conflict warning already.
async fn acknowledged_by(
    tx: &mut Transaction<'static, Any>,
    item: i64,
    user: i64,
) -> Result<bool, StorageError> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM item_history WHERE item_id = $1 AND actor_id = $2 AND action = 'conflict_acknowledged'",
    )
    .bind(item)
    .bind(user)
    .fetch_one(&mut **tx)
    .await?;
    Ok(n > 0)
}

/// The item, when the caller may acknowledge its warning: whoever may see
/// it, or the desk that registered it (its `created` history row).
async fn acknowledgeable(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    id: i64,
) -> Result<crate::server::storage::ItemRow, StorageError> {
    let row = load_item(&mut **tx, id)
        .await?
        .ok_or_else(|| StorageError::not_found("item"))?;
    let actor = actor_in_tree(tx, me).await?;
    let registered_by: Option<i64> = sqlx::query_scalar(
        "SELECT actor_id FROM item_history WHERE item_id = $1 AND action = 'created' ORDER BY id LIMIT 1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?
    .flatten();
    if !policy::may_ack_conflicts(&actor, &facts(&row), registered_by) {
        return Err(StorageError::not_found("item"));
    }
    Ok(row)
}
