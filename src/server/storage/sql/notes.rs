//! Notes on an item's history (once per `Idempotency-Key`) and the
//! typical-case flag (version-checked like a transition).

use super::SqlStorage;
use super::announce::updated;
use super::idempotency::{answer_as_duplicate, commit_with, replay};
use super::item_rows::{NewHistory, add_history, item_to_change, load_item, touch_item};
use crate::api::{HistoryEntry, TypicalCaseRequest, User, UserRef};
use crate::domain::EpochMs;
use crate::server::storage::StorageError;
use crate::server::storage::{IdemRequest, ItemChange, StoredResponse};
use crate::server::storage::{NoteStore, StorageResult};

const CREATED: u16 = 201;

impl NoteStore for SqlStorage {
    async fn add_note(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        text: &str,
        now: EpochMs,
    ) -> StorageResult<StoredResponse> {
        let result = self.add_note_once(me, item_id, idem, text, now).await;
        answer_as_duplicate(self, idem, result, |stored| stored).await
    }

    async fn set_typical(
        &self,
        me: &User,
        item_id: i64,
        req: &TypicalCaseRequest,
        now: EpochMs,
    ) -> Result<ItemChange, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = item_to_change(&mut w.tx, me, item_id, "flag this item as a typical case").await?;
        let stale = || super::intake::stale(row.item.version, req.version);
        if row.item.version != req.version {
            return Err(stale());
        }
        let done = sqlx::query("UPDATE items SET typical_case = $1 WHERE id = $2 AND version = $3")
            .bind(i64::from(req.typical))
            .bind(item_id)
            .bind(req.version)
            .execute(&mut *w.tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(stale());
        }
        touch_item(&mut w.tx, item_id, now).await?;
        let history = NewHistory::of(
            item_id,
            now,
            Some(me.id),
            crate::api::HistoryAction::TypicalCase,
            if req.typical { "flagged" } else { "unflagged" },
        );
        add_history(&mut w.tx, history).await?;
        let after = self.commit_updated(w, item_id, now).await?;
        Ok(ItemChange { before: row, after })
    }
}

impl SqlStorage {
    /// `text` is taken as already checked (not blank, not too long) by the caller.
    async fn add_note_once(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        text: &str,
        now: EpochMs,
    ) -> Result<StoredResponse, StorageError> {
        let mut w = self.store.begin_write().await?;
        if let Some(stored) = replay(&mut w.tx, idem).await? {
            return Ok(stored);
        }
        item_to_change(&mut w.tx, me, item_id, "add a note to this item").await?;
        // The change sequence moves so delta sync brings the note's item again.
        touch_item(&mut w.tx, item_id, now).await?;
        let history = NewHistory::of(item_id, now, Some(me.id), crate::api::HistoryAction::Note, text);
        add_history(&mut w.tx, history).await?;
        let entry = HistoryEntry {
            at: now,
            actor: Some(UserRef {
                id: me.id,
                username: me.username.clone(),
                display_name: me.display_name.clone(),
            }),
            action: crate::api::HistoryAction::Note,
            from_status: None,
            to_status: None,
            note: text.to_string(),
        };
        // Plain derive(Serialize) data with string keys: cannot fail.
        let body = serde_json::to_string(&entry).unwrap_or_default();
        let after = load_item(&mut *w.tx, item_id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let a = self.announce(&mut w.tx, updated(&after), &after, now).await?;
        let stored = commit_with(&self.store, w, idem, CREATED, body).await?;
        self.published(a, &after);
        Ok(stored)
    }
}
