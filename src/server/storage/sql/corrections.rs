//! Corrections, all in one shape: nothing stored is changed or deleted; a
//! counter-record (the record again, `withdraws` naming it, counted
//! negatively) joins it, inside the same transaction as its statistics, so
//! the aggregates stay a sum of the stored rows and `admin stats rebuild`
//! finds nothing to change. A record's writer withdraws a time entry or an
//! activity; the coordinator of an item's unit (or one above it, or an
//! admin) corrects its outcome with a reason: the counter-record plus the
//! corrected outcome, and a line on the item's history.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::intake::actor_in_tree;
use super::item_rows::{NewHistory, add_history, facts, load_item, touch_item};
use super::script::Script;
use super::time_entries::entry_row_into;
use crate::api::corrections::{CorrectedOutcome, OutcomeCorrection};
use crate::api::{Activity, Outcome, ProblemCode, TimeEntry, User};
use crate::domain::records::check_note;
use crate::domain::{EpochMs, OutcomeCode, OutcomeFields, TimeActivity, Yuan, policy};
use crate::server::aggregate::{StatRecord, apply as apply_statistics};
use crate::server::storage::CorrectionStore;
use crate::server::storage::StorageError;

fn already() -> StorageError {
    StorageError::refused(
        ProblemCode::AlreadyWithdrawn,
        "this record is withdrawn already (or is itself a withdrawal); nothing changed",
    )
}

/// Whether a counter-record for `id` already stands in `table` (a record is
/// withdrawn once).
async fn withdrawn(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    id: &str,
) -> Result<bool, sqlx::Error> {
    // `table` is one of three literals in this file, never input.
    let sql = format!("SELECT CAST(COUNT(*) AS BIGINT) FROM {table} WHERE withdraws = $1");
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(n > 0)
}

async fn insert_outcome(
    tx: &mut Transaction<'static, Any>,
    o: &Outcome,
    withdraws: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO outcomes (id, item_id, user_id, code, minutes, settled_fen, fee_waived_fen, note, \
         occurred_at, created_at, withdraws) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(&o.id)
    .bind(o.item_id)
    .bind(o.user_id)
    .bind(o.code.as_str())
    .bind(o.minutes)
    .bind(o.settled_amount.map(Yuan::fen))
    .bind(o.fee_waived.map(Yuan::fen))
    .bind(&o.note)
    .bind(o.occurred_at)
    .bind(o.created_at)
    .bind(withdraws)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

type StoredOutcome = (String, i64, String, Option<i64>, Option<i64>, String, i64, i64);

/// The outcome to correct: the one named, or the item's latest standing
/// one (neither withdrawn nor itself a counter-record).
async fn standing_outcome(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    named: Option<&str>,
) -> Result<Outcome, StorageError> {
    let row: Option<StoredOutcome> = sqlx::query_as(
        "SELECT o.id, o.user_id, o.code, o.settled_fen, o.fee_waived_fen, o.note, o.occurred_at, o.created_at \
         FROM outcomes o WHERE o.item_id = $1 AND o.withdraws IS NULL \
         AND ($2 = '' OR o.id = $2) \
         AND NOT EXISTS (SELECT 1 FROM outcomes w WHERE w.withdraws = o.id) \
         ORDER BY o.created_at DESC, o.id DESC LIMIT 1",
    )
    .bind(item_id)
    .bind(named.unwrap_or(""))
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id, user_id, code, settled, fee, note, occurred_at, created_at)) = row else {
        return Err(match named {
            Some(_) => StorageError::refused(
                ProblemCode::AlreadyWithdrawn,
                "that outcome is not on this item, or it was corrected already; reload the item and name its standing outcome",
            ),
            None => StorageError::refused(
                ProblemCode::InvalidTransition,
                "the item has no outcome to correct; its assignee logs one first",
            ),
        });
    };
    let fen = |v: Option<i64>| v.and_then(|f| Yuan::from_fen(f).ok());
    Ok(Outcome {
        id,
        item_id,
        user_id,
        code: OutcomeCode::parse(&code).ok_or_else(|| StorageError::not_found("outcome"))?,
        minutes: None,
        settled_amount: fen(settled),
        fee_waived: fen(fee),
        note,
        occurred_at,
        created_at,
    })
}

/// How an outcome reads on the item's history: its code and amounts.
fn outcome_text(o: &Outcome) -> String {
    let mut out = o.code.as_str().to_string();
    if let Some(s) = o.settled_amount {
        out.push_str(&format!(" settled {s}"));
    }
    if let Some(f) = o.fee_waived {
        out.push_str(&format!(" fee waived {f}"));
    }
    out
}

impl CorrectionStore for SqlStorage {
    async fn correct_outcome(
        &self,
        me: &User,
        item_id: i64,
        req: &OutcomeCorrection,
        now: EpochMs,
    ) -> Result<CorrectedOutcome, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = load_item(&mut *w.tx, item_id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        if !policy::may_correct_outcome(&actor, &facts(&row)) {
            return Err(StorageError::forbidden(
                "only a coordinator of the item's unit (or of a unit above it) or an admin corrects an outcome; ask them",
            ));
        }
        let reason = req.reason.trim();
        if reason.is_empty() {
            return Err(StorageError::validation(
                "reason",
                "say why the outcome is corrected; it goes on the item's history".into(),
            ));
        }
        check_note(Some(reason))?;
        if row.item.version != req.version {
            return Err(super::intake::stale(row.item.version, req.version));
        }
        let wrong = standing_outcome(&mut w.tx, item_id, req.outcome_id.as_deref()).await?;
        OutcomeFields {
            kind: row.item.kind,
            code: req.code,
            minutes: None,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
        }
        .check()
        .map_err(|e| StorageError::validation("code", e.to_string()))?;
        // The counter-record: the wrong outcome again, counted negatively;
        // refused with everything else (409 `period_locked`) when the
        // writer's unit handed the period's form in.
        let counter = Outcome {
            id: uuid::Uuid::now_v7().to_string(),
            note: String::new(),
            created_at: now,
            ..wrong.clone()
        };
        insert_outcome(&mut w.tx, &counter, Some(&wrong.id)).await?;
        let kind = row.item.kind;
        apply_statistics(
            &mut w.tx,
            StatRecord::OutcomeWithdrawal {
                item_kind: kind,
                outcome: &counter,
            },
            now,
        )
        .await?;
        // The corrected outcome: the writer's work still, on the same day.
        let corrected = Outcome {
            id: uuid::Uuid::now_v7().to_string(),
            code: req.code,
            settled_amount: req.settled_amount,
            fee_waived: req.fee_waived,
            created_at: now,
            ..wrong.clone()
        };
        insert_outcome(&mut w.tx, &corrected, None).await?;
        apply_statistics(
            &mut w.tx,
            StatRecord::Outcome {
                item_kind: kind,
                outcome: &corrected,
            },
            now,
        )
        .await?;
        touch_item(&mut w.tx, item_id, now).await?;
        let note = format!(
            "{} → {}: {reason}",
            outcome_text(&wrong),
            outcome_text(&corrected)
        );
        let history = NewHistory::of(
            item_id,
            now,
            Some(me.id),
            crate::api::HistoryAction::OutcomeCorrected,
            &note,
        );
        add_history(&mut w.tx, history).await?;
        let after = self.commit_updated(w, item_id, now).await?;
        Ok(CorrectedOutcome {
            item: after.item,
            replaced: wrong,
            outcome: corrected,
        })
    }

    async fn withdraw_time_entry(
        &self,
        me: &User,
        id: &str,
        now: EpochMs,
    ) -> Result<TimeEntry, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row: Option<(i64, i64, i64, String, i64, Option<String>)> = sqlx::query_as(
            "SELECT item_id, user_id, minutes, activity, occurred_at, withdraws FROM time_entries WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *w.tx)
        .await?;
        // Someone else's entry is a 404, as if it were not there.
        let Some((item_id, user_id, minutes, activity, occurred_at, withdraws)) =
            row.filter(|r| r.1 == me.id)
        else {
            return Err(StorageError::not_found("time entry"));
        };
        if withdraws.is_some() || withdrawn(&mut w.tx, "time_entries", id).await? {
            return Err(already());
        }
        let activity = TimeActivity::parse(&activity).ok_or_else(|| StorageError::not_found("time entry"))?;
        let counter = TimeEntry {
            id: uuid::Uuid::now_v7().to_string(),
            item_id,
            user_id,
            minutes: -minutes,
            activity,
            note: String::new(),
            occurred_at,
            created_at: now,
        };
        let mut script = Script::new();
        entry_row_into(&mut script, &counter, Some(id));
        script.run(&mut w.tx).await?;
        // Refused (and rolled back) when the period is closed or handed in.
        apply_statistics(&mut w.tx, StatRecord::TimeEntry(&counter), now).await?;
        w.tx.commit().await?;
        Ok(counter)
    }

    async fn withdraw_activity(&self, me: &User, id: &str, now: EpochMs) -> Result<Activity, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row: Option<(i64, String, i64, Option<i64>, i64, Option<String>)> = sqlx::query_as(
            "SELECT user_id, indicator, count, count2, occurred_at, withdraws FROM activities WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *w.tx)
        .await?;
        let Some((user_id, indicator, count, count2, occurred_at, withdraws)) = row.filter(|r| r.0 == me.id)
        else {
            return Err(StorageError::not_found("activity"));
        };
        if withdraws.is_some() || withdrawn(&mut w.tx, "activities", id).await? {
            return Err(already());
        }
        let counter = Activity {
            id: uuid::Uuid::now_v7().to_string(),
            user_id,
            indicator,
            count: -count,
            count2: count2.map(|c| -c),
            note: String::new(),
            occurred_at,
            created_at: now,
        };
        sqlx::query(
            "INSERT INTO activities (id, user_id, indicator, count, count2, note, occurred_at, created_at, withdraws) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&counter.id)
        .bind(counter.user_id)
        .bind(&counter.indicator)
        .bind(counter.count)
        .bind(counter.count2)
        .bind(&counter.note)
        .bind(counter.occurred_at)
        .bind(counter.created_at)
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        apply_statistics(&mut w.tx, StatRecord::Activity(&counter), now).await?;
        w.tx.commit().await?;
        Ok(counter)
    }
}
