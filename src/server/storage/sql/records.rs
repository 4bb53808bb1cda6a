//! Outcomes, time entries and activities, each stored once per
//! `Idempotency-Key` in one transaction with the statistics it feeds.

use super::SqlStorage;
use super::announce::updated;
use super::group_commit::Work;
use super::idempotency::{answer_as_duplicate, commit_with, replay};
use super::time_entries::{insert_time_entry, time_entry_alone};
use crate::server::storage::{RecordStore, StorageResult};

use super::item_rows::{NewHistory, add_history, item_to_change, load_item, touch_item};
use crate::api::{Activity, NewActivity, NewOutcome, NewTimeEntry, Outcome, ProblemCode, TimeEntry, User};
use crate::domain::records::{
    ActivityInput, activity_targets, check_activity, check_minutes, check_note, check_occurred_at, may_count,
};
use crate::domain::{EpochMs, ItemStatus, OutcomeFields, TimeActivity, Yuan};
use crate::server::aggregate::{StatRecord, TxReads, apply as apply_statistics, campaigns_with_rules};
use crate::server::storage::StorageError;
use crate::server::storage::{IdemRequest, OutcomeLogged, StoredResponse};

const CREATED: u16 = 201;

fn to_json<T: serde::Serialize>(v: &T) -> String {
    // Plain derive(Serialize) data with string keys: cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// What every record checks before it touches the database: the caller
/// counts work at all, the note fits, and the time is plausible.
pub(super) fn check_common(
    me: &User,
    note: Option<&str>,
    occurred_at: EpochMs,
    now: EpochMs,
) -> Result<(), StorageError> {
    may_count(me.role)?;
    check_note(note)?;
    check_occurred_at(occurred_at, now)?;
    Ok(())
}

/// Each record is checked by `domain::records` inside its transaction. A
/// failed write may have lost to a duplicate that committed meanwhile: then
/// the duplicate's stored answer is the answer (`answer_as_duplicate`).
impl RecordStore for SqlStorage {
    async fn log_outcome(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        req: &NewOutcome,
        now: EpochMs,
    ) -> StorageResult<OutcomeLogged> {
        let result = self.log_outcome_once(me, item_id, idem, req, now).await;
        answer_as_duplicate(self, idem, result, |response| OutcomeLogged {
            response,
            closed: None,
        })
        .await
    }

    async fn log_time_entry(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewTimeEntry,
        now: EpochMs,
    ) -> StorageResult<StoredResponse> {
        let result = self.log_time_entry_once(me, idem, req, now).await;
        answer_as_duplicate(self, idem, result, |stored| stored).await
    }

    async fn log_activity(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewActivity,
        now: EpochMs,
    ) -> StorageResult<StoredResponse> {
        let result = self.log_activity_once(me, idem, req, now).await;
        answer_as_duplicate(self, idem, result, |stored| stored).await
    }
}

impl SqlStorage {
    async fn log_outcome_once(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        req: &NewOutcome,
        now: EpochMs,
    ) -> Result<OutcomeLogged, StorageError> {
        let mut w = self.store.begin_write().await?;
        if let Some(response) = replay(&mut w.tx, idem).await? {
            return Ok(OutcomeLogged {
                response,
                closed: None,
            });
        }
        // The item first: one the caller may not see is a 404 whatever the role.
        let row = item_to_change(&mut w.tx, me, item_id, "log an outcome on this item").await?;
        let occurred_at = req.occurred_at.unwrap_or(now);
        check_common(me, req.note.as_deref(), occurred_at, now)?;
        if let Some(m) = req.minutes {
            check_minutes(m, None)?;
        }
        if !row.item.status.accepts_outcome() {
            return Err(StorageError::refused(
                ProblemCode::InvalidTransition,
                format!(
                    "the item is {} already; it takes no outcome",
                    row.item.status.as_str()
                ),
            ));
        }
        let fields = OutcomeFields {
            kind: row.item.kind,
            code: req.code,
            minutes: req.minutes,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
        };
        fields
            .check()
            .map_err(|e| StorageError::validation("code", e.to_string()))?;
        let outcome = Outcome {
            id: uuid::Uuid::now_v7().to_string(),
            item_id,
            user_id: me.id,
            code: req.code,
            minutes: req.minutes,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
            note: req.note.clone().unwrap_or_default(),
            occurred_at,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO outcomes (id, item_id, user_id, code, minutes, settled_fen, fee_waived_fen, note, occurred_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&outcome.id)
        .bind(item_id)
        .bind(me.id)
        .bind(outcome.code.as_str())
        .bind(outcome.minutes)
        .bind(outcome.settled_amount.map(Yuan::fen))
        .bind(outcome.fee_waived.map(Yuan::fen))
        .bind(&outcome.note)
        .bind(outcome.occurred_at)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        // Conditional on the status read above: two outcomes with different
        // keys racing on PostgreSQL leave one winner, the other gets a 409.
        let closed = sqlx::query("UPDATE items SET status = 'closed' WHERE id = $1 AND status = $2")
            .bind(item_id)
            .bind(row.item.status.as_str())
            .execute(&mut *w.tx)
            .await?;
        if closed.rows_affected() != 1 {
            // A duplicate with this very key may have closed it; the caller
            // answers as that one did (see `answer_as_duplicate`).
            return Err(StorageError::refused(
                ProblemCode::InvalidTransition,
                "the item changed while the outcome was logged; reload it to see its outcome",
            ));
        }
        touch_item(&mut w.tx, item_id, now).await?;
        let history = NewHistory::of(
            item_id,
            now,
            Some(me.id),
            crate::api::HistoryAction::Outcome,
            outcome.code.as_str(),
        )
        .moved(Some(row.item.status), Some(ItemStatus::Closed));
        add_history(&mut w.tx, history).await?;
        if let Some(minutes) = outcome.minutes {
            let entry = TimeEntry {
                id: uuid::Uuid::now_v7().to_string(),
                item_id,
                user_id: me.id,
                minutes,
                activity: TimeActivity::Session,
                note: outcome.note.clone(),
                occurred_at: outcome.occurred_at,
                created_at: now,
            };
            insert_time_entry(&mut w.tx, &mut TxReads::default(), &entry, now).await?;
        }
        let record = StatRecord::Outcome {
            item_kind: row.item.kind,
            outcome: &outcome,
        };
        apply_statistics(&mut w.tx, record, now).await?;
        let closed = load_item(&mut *w.tx, item_id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let a = self.announce(&mut w.tx, updated(&closed), &closed, now).await?;
        let response = commit_with(&self.store, w, idem, CREATED, to_json(&outcome)).await?;
        self.published(a, &closed);
        Ok(OutcomeLogged {
            response,
            closed: Some(closed),
        })
    }

    async fn log_time_entry_once(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewTimeEntry,
        now: EpochMs,
    ) -> Result<StoredResponse, StorageError> {
        // SQLite: in the next group commit (one fsync for the writes that
        // arrive together), answered after that commit.
        if let Some(batch) = self.group_commit() {
            let (me, idem, req) = (me.clone(), idem.clone(), req.clone());
            return batch.run(Work::TimeEntry { me, idem, req, now }).await;
        }
        let mut w = self.store.begin_write().await?;
        if let Some(stored) = replay(&mut w.tx, idem).await? {
            return Ok(stored);
        }
        let body = time_entry_alone(&mut w.tx, me, req, now).await?;
        commit_with(&self.store, w, idem, CREATED, body).await
    }

    async fn log_activity_once(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewActivity,
        now: EpochMs,
    ) -> Result<StoredResponse, StorageError> {
        let mut w = self.store.begin_write().await?;
        if let Some(stored) = replay(&mut w.tx, idem).await? {
            return Ok(stored);
        }
        let occurred_at = req.occurred_at.unwrap_or(now);
        may_count(me.role)?;
        // Before the aggregates' lock in `apply`, like every record: the
        // rules read here are the ones `apply` counts by.
        crate::server::aggregate::lock_aggregates(&mut w.tx, false).await?;
        let defs = campaigns_with_rules(&mut w.tx).await?;
        let targets = activity_targets(defs.iter().map(|d| d.as_ref()), occurred_at);
        let input = ActivityInput {
            indicator: &req.indicator,
            count: req.count,
            count2: req.count2,
            note: req.note.as_deref(),
            occurred_at,
        };
        check_activity(&input, &targets, now)?;
        let activity = Activity {
            id: uuid::Uuid::now_v7().to_string(),
            user_id: me.id,
            indicator: req.indicator.trim().to_string(),
            count: req.count,
            count2: req.count2,
            note: req.note.clone().unwrap_or_default(),
            occurred_at,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO activities (id, user_id, indicator, count, count2, note, occurred_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&activity.id)
        .bind(me.id)
        .bind(&activity.indicator)
        .bind(activity.count)
        .bind(activity.count2)
        .bind(&activity.note)
        .bind(activity.occurred_at)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        apply_statistics(&mut w.tx, StatRecord::Activity(&activity), now).await?;
        commit_with(&self.store, w, idem, CREATED, to_json(&activity)).await
    }
}
