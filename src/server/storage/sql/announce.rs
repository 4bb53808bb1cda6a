//! Announcing an item's change on the event bus: inside the write
//! transaction first, then, once committed, to this instance.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::item_rows::load_item;
use crate::api::ChangeKind;
use crate::domain::EpochMs;
use crate::server::bus::{Announcement, Change};
use crate::server::db::WriteTx;
use crate::server::storage::{ItemRow, StorageError};

impl SqlStorage {
    /// Announces `changes` to `after` (the item as the write leaves it)
    /// inside the transaction; pass the result to [`SqlStorage::published`]
    /// after the commit.
    pub(super) async fn announce(
        &self,
        tx: &mut Transaction<'static, Any>,
        changes: Vec<Change>,
        after: &ItemRow,
        now: EpochMs,
    ) -> Result<Announcement, sqlx::Error> {
        let a = Announcement {
            item_id: after.item.id,
            seq: after.change_seq,
            at: now,
            changes,
        };
        self.bus.announce(tx, &a).await?;
        Ok(a)
    }

    /// The end of a write that changes one item in place: reads it back,
    /// announces it `updated` inside the transaction, commits, publishes.
    pub(super) async fn commit_updated(
        &self,
        mut w: WriteTx<'_>,
        item_id: i64,
        now: EpochMs,
    ) -> Result<ItemRow, StorageError> {
        let after = load_item(&mut *w.tx, item_id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let a = self.announce(&mut w.tx, updated(&after), &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(after)
    }

    pub(super) fn published(&self, a: Announcement, after: &ItemRow) {
        // Before the write is answered, whatever the bus: the writer's next
        // read here must not be a stale 304.
        self.bus.hub().cache.changed(&a, Some(after));
        self.bus.committed(a, after.clone());
    }
}

/// `updated` to whoever sees the item.
pub fn updated(after: &ItemRow) -> Vec<Change> {
    vec![Change::for_item(ChangeKind::Updated, after, None)]
}

/// `schedule_changed` for a session's change, to the room's operator and
/// the mediator; also to the old room's operator when it moved.
pub fn schedule_changes(before: &ItemRow, after: &ItemRow) -> Vec<Change> {
    if after.item.mediation.is_none() {
        return Vec::new();
    }
    let kind = ChangeKind::ScheduleChanged;
    let mut changes = vec![Change::for_item(kind, after, None)];
    let old_operator = before.room_operator_id;
    if old_operator.is_some() && old_operator != after.room_operator_id {
        let mut old = Change::for_item(kind, before, None);
        // Only the old room's operator: the mediator has heard already.
        old.assignee_id = None;
        changes.push(old);
    }
    changes
}

/// An item that changed hands: the new assignee (or the pool), and the one
/// it left; a claim from the pool also tells the pool.
pub fn moved(before: &ItemRow, after: &ItemRow) -> Vec<Change> {
    let previous = before.item.assignee.as_ref().map(|a| a.id);
    let kind = if after.item.assignee.is_some() {
        ChangeKind::Assigned
    } else {
        ChangeKind::PoolChanged
    };
    let mut changes = vec![Change::for_item(kind, after, previous)];
    if kind == ChangeKind::Assigned && previous.is_none() {
        changes.push(Change::for_item(ChangeKind::PoolChanged, after, None));
    }
    changes
}

/// A new item: to its assignee, or to its unit's pool.
pub fn created(after: &ItemRow) -> Vec<Change> {
    let kind = if after.item.assignee.is_some() {
        ChangeKind::Assigned
    } else {
        ChangeKind::PoolChanged
    };
    vec![Change::for_item(kind, after, None)]
}
