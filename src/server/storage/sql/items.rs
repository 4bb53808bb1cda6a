//! Work items: delta lists, the pool, claim, transitions, reassignment and
//! rescheduling. Every change stamps the item and leaves a history entry.

use super::SqlStorage;
use super::announce::{schedule_changes, updated};
use super::item_rows::{
    ITEM_SELECT, NewHistory, add_history, item_from_row, load_history, load_item, may_see, may_transition,
    set_assignee, touch_item,
};
use super::record_rows::{load_outcomes, load_time_entries};
use crate::api::{ChangeKind, ItemDetail, ProblemCode, TransitionRequest, User, WorkItem};
use crate::domain::{EpochMs, ItemStatus, Role};
use crate::server::bus::Change;
use crate::server::storage::ItemStore;
use crate::server::storage::StorageError;
use crate::server::storage::{ClaimResult, ItemChange, ItemRow, ItemsSince, ListJson, NewSlot};

impl ItemStore for SqlStorage {
    async fn items_changed_since(&self, user_id: i64, since: i64) -> Result<ItemsSince, StorageError> {
        // What the caller holds, changed after the cursor; and, with a
        // cursor, the ids of items that left them since (a departure per
        // hand the item passed through), without their bodies.
        let sql =
            format!("{ITEM_SELECT} WHERE i.assignee_id = $1 AND i.change_seq > $2 ORDER BY i.change_seq");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(since)
            .fetch_all(&self.store.pool)
            .await?;
        let mut items = Vec::with_capacity(rows.len());
        let mut cursor = since;
        for r in &rows {
            let row = item_from_row(r)?;
            cursor = cursor.max(sqlx::Row::try_get::<i64, _>(r, "change_seq")?);
            items.push(row.item);
        }
        let removed = if since > 0 {
            super::item_list::removed_since(&self.store.pool, user_id, since, &mut cursor).await?
        } else {
            Vec::new()
        };
        Ok(ItemsSince {
            items,
            removed,
            cursor,
        })
    }

    async fn items_list_json(&self, user_id: i64, since: i64) -> Result<ListJson, StorageError> {
        super::item_list::list_json(&self.store, user_id, since).await
    }

    async fn item_detail(&self, me: &User, id: i64) -> Result<Option<ItemDetail>, StorageError> {
        let pool = &self.store.pool;
        // Coordinators see the work of every unit below theirs.
        let links = crate::server::admin_units::links(&crate::server::admin_units::load_units(pool).await?);
        let actor = crate::domain::policy::Actor::in_tree(me.id, me.role, me.unit.id, &links);
        let Some(row) = load_item(pool, id)
            .await?
            .filter(|r| crate::domain::policy::may_see(&actor, &super::item_rows::facts(r)))
        else {
            return Ok(None);
        };
        Ok(Some(ItemDetail {
            item: row.item,
            history: load_history(pool, id).await?,
            outcomes: load_outcomes(pool, id).await?,
            time_entries: load_time_entries(pool, id).await?,
        }))
    }

    async fn item(&self, id: i64) -> Result<Option<ItemRow>, StorageError> {
        Ok(load_item(&self.store.pool, id).await?)
    }

    async fn pool(&self, unit_id: i64) -> Result<Vec<WorkItem>, StorageError> {
        let sql = format!(
            "{ITEM_SELECT} WHERE i.assignee_id IS NULL AND i.unit_id = $1 AND i.status NOT IN ('closed', 'cancelled', 'no_show') \
             ORDER BY i.green_channel DESC, i.due_at"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(unit_id)
            .fetch_all(&self.store.pool)
            .await?;
        Ok(rows
            .iter()
            .map(|r| item_from_row(r).map(|x| x.item))
            .collect::<Result<_, _>>()?)
    }

    async fn claim(&self, me: &User, id: i64, now: EpochMs) -> Result<ClaimResult, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = load_item(&mut *w.tx, id).await?;
        let row = row
            .filter(|r| r.item.unit_id == me.unit.id || me.role == Role::Admin)
            .filter(|_| me.role.takes_work())
            .ok_or_else(|| StorageError::not_found("item"))?;
        if row.item.assignee.is_none() && row.item.status.is_finished() {
            return Err(StorageError::refused(
                ProblemCode::InvalidTransition,
                format!(
                    "the item is {}; there is nothing left to claim",
                    row.item.status.as_str()
                ),
            ));
        }
        // The conditional update picks exactly one winner among concurrent
        // claims. `previous_assignee_id` stays: whoever had the item before
        // it went back to the pool learns from their next delta that it left.
        let done = sqlx::query(
            "UPDATE items SET assignee_id = $1, status = CASE WHEN status = 'new' THEN 'accepted' ELSE status END \
             WHERE id = $2 AND assignee_id IS NULL",
        )
        .bind(me.id)
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        if done.rows_affected() != 1 {
            drop(w);
            let holder = load_item(&self.store.pool, id)
                .await?
                .and_then(|r| r.item.assignee)
                .map(|h| h.display_name);
            return Ok(ClaimResult::Taken { holder });
        }
        touch_item(&mut w.tx, id, now).await?;
        let to = (row.item.status == ItemStatus::New).then_some(ItemStatus::Accepted);
        let history = NewHistory::of(id, now, Some(me.id), crate::api::HistoryAction::Claimed, "")
            .moved(to.map(|_| row.item.status), to);
        add_history(&mut w.tx, history).await?;
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let changes = vec![
            Change::for_item(ChangeKind::Assigned, &after, None),
            Change::for_item(ChangeKind::PoolChanged, &after, None),
        ];
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(ClaimResult::Claimed(Box::new(after)))
    }

    async fn transition(
        &self,
        me: &User,
        id: i64,
        req: TransitionRequest,
        now: EpochMs,
    ) -> Result<ItemChange, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = load_item(&mut *w.tx, id)
            .await?
            .filter(|r| may_see(me, r))
            .ok_or_else(|| StorageError::not_found("item"))?;
        if !may_transition(me, &row, req.to) {
            let detail = if me.role == Role::Operator {
                "the room's operator may only mark a session in_progress (started) or no_show; \
                 the rest is the assigned mediator's"
            } else {
                "only the assigned lawyer or mediator may change this item"
            };
            return Err(StorageError::forbidden(detail));
        }
        if row.item.version != req.version {
            return Err(super::intake::stale(row.item.version, req.version));
        }
        row.item
            .status
            .check_transition(row.item.kind, req.to)
            .map_err(|e| StorageError::refused(ProblemCode::InvalidTransition, e.to_string()))?;
        let done = sqlx::query("UPDATE items SET status = $1 WHERE id = $2 AND version = $3")
            .bind(req.to.as_str())
            .bind(id)
            .bind(req.version)
            .execute(&mut *w.tx)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StorageError::refused(
                ProblemCode::VersionConflict,
                "the item changed meanwhile; reload and try again",
            ));
        }
        touch_item(&mut w.tx, id, now).await?;
        let history = NewHistory::of(id, now, Some(me.id), crate::api::HistoryAction::Status, "")
            .moved(Some(row.item.status), Some(req.to));
        add_history(&mut w.tx, history).await?;
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        // A session started, ended or missed changes the room's day too.
        let mut changes = updated(&after);
        changes.extend(schedule_changes(&row, &after));
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(ItemChange { before: row, after })
    }

    /// The one who had the item finds its id among their delta's
    /// `removed`, so their client drops it.
    async fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> Result<Option<ItemChange>, StorageError> {
        let mut w = self.store.begin_write().await?;
        let Some(before) = load_item(&mut *w.tx, item_id).await? else {
            return Ok(None);
        };
        let previous = before.item.assignee.as_ref().map(|a| a.id);
        set_assignee(&mut w.tx, item_id, previous, to, now).await?;
        let after = load_item(&mut *w.tx, item_id).await?;
        // Plain data, shown by the client in its user's language: who has
        // it now (nobody: back in the pool).
        let note = after
            .as_ref()
            .and_then(|a| a.item.assignee.as_ref())
            .map(|u| u.display_name.clone())
            .unwrap_or_default();
        let history = NewHistory::of(item_id, now, actor_id, crate::api::HistoryAction::Assigned, &note);
        add_history(&mut w.tx, history).await?;
        let Some(after) = after else {
            w.tx.commit().await?;
            return Ok(None);
        };
        let kind = if to.is_some() {
            ChangeKind::Assigned
        } else {
            ChangeKind::PoolChanged
        };
        let changes = vec![Change::for_item(kind, &after, previous)];
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(Some(ItemChange { before, after }))
    }

    async fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> Result<Option<ItemChange>, StorageError> {
        if slot.end < slot.start {
            return Err(StorageError::refused(
                ProblemCode::ValidationFailed,
                "a session cannot end before it starts; check the new times",
            ));
        }
        let mut w = self.store.begin_write().await?;
        let Some(before) = load_item(&mut *w.tx, item_id).await? else {
            return Ok(None);
        };
        if before.item.mediation.is_none() {
            return Ok(None);
        }
        let (rooms,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM rooms WHERE id = $1")
            .bind(slot.room_id)
            .fetch_one(&mut *w.tx)
            .await?;
        if rooms == 0 {
            return Err(StorageError::not_found("room"));
        }
        sqlx::query("UPDATE items SET scheduled_start = $1, scheduled_end = $2, room_id = $3 WHERE id = $4")
            .bind(slot.start)
            .bind(slot.end)
            .bind(slot.room_id)
            .bind(item_id)
            .execute(&mut *w.tx)
            .await?;
        touch_item(&mut w.tx, item_id, now).await?;
        let after = load_item(&mut *w.tx, item_id).await?;
        // The room it moved to; the new time is on the item itself.
        let note = after
            .as_ref()
            .and_then(|a| a.item.mediation.as_ref())
            .map(|m| m.room_name.clone())
            .unwrap_or_default();
        let history = NewHistory::of(
            item_id,
            now,
            actor_id,
            crate::api::HistoryAction::Rescheduled,
            &note,
        );
        add_history(&mut w.tx, history).await?;
        let Some(after) = after else {
            w.tx.commit().await?;
            return Ok(None);
        };
        let changes = schedule_changes(&before, &after);
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(Some(ItemChange { before, after }))
    }
}
