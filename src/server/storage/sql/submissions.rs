//! The hand-in of a period's form, per unit: the unit's coordinator submits
//! (the figures are frozen in the submission and the unit's records for the
//! period are locked), the parent unit's coordinator approves, returns or
//! reopens it with a reason. Each step is in the audit log. Who may do what
//! is `domain::rollup::check_step`.

use sqlx::{Any, AnyConnection, Transaction};

use super::SqlStorage;
use super::rollup::{Tree, subtree_form};
use crate::api::rollup::{Submission, SubmissionList, UnitHandIn};
use crate::api::{ProblemCode, User};
use crate::domain::EpochMs;
use crate::domain::campaign::period::due_by;
use crate::domain::campaign::{CampaignDef, Period};
use crate::domain::rollup::{Actor, StepError, SubmissionAction, SubmissionStatus, check_step, hand_in};
use crate::domain::units::overseen_units;
use crate::server::aggregate::lock_aggregates;
use crate::server::db::{AuditRow, audit_row};
use crate::server::storage::{StorageError, StorageResult, SubmissionStore};

type Row = (String, String, String, EpochMs, String, Option<String>);

async fn stored(
    conn: &mut AnyConnection,
    campaign_id: &str,
    period: &Period,
    unit: i64,
) -> Result<Option<Row>, sqlx::Error> {
    sqlx::query_as(
        "SELECT status, filled_by, phone, submitted_at, form, reason FROM submissions \
         WHERE campaign_id = $1 AND period_start = $2 AND unit_id = $3",
    )
    .bind(campaign_id)
    .bind(period.start.to_string())
    .bind(unit)
    .fetch_optional(conn)
    .await
}

fn wire(tree: &Tree, campaign_id: &str, period: &Period, unit: i64, row: Row) -> Option<Submission> {
    let (status, filled_by, phone, submitted_at, form, reason) = row;
    Some(Submission {
        campaign_id: campaign_id.to_string(),
        period: period.label(),
        unit: tree.unit_ref(unit)?,
        status: SubmissionStatus::parse(&status)?,
        filled_by,
        phone,
        submitted_at,
        // Written only by `submit` from the same type.
        rows: serde_json::from_str(&form).unwrap_or_default(),
        reason,
    })
}

/// The unit's submission of the period, as the stats endpoint attaches it.
pub async fn submission_of(
    conn: &mut AnyConnection,
    tree: &Tree,
    campaign_id: &str,
    period: &Period,
    unit: i64,
) -> Result<Option<Submission>, sqlx::Error> {
    let row = stored(conn, campaign_id, period, unit).await?;
    Ok(row.and_then(|r| wire(tree, campaign_id, period, unit, r)))
}

fn refusal(e: StepError, action: SubmissionAction) -> StorageError {
    match e {
        StepError::NotYours {
            by: Actor::UnitCoordinator,
        } => StorageError::forbidden("only the unit's own coordinator (or an admin) hands in its form"),
        StepError::NotYours {
            by: Actor::ParentCoordinator,
        } => StorageError::forbidden(format!(
            "only a coordinator of a unit above this one (or an admin) may {} its form",
            action.as_str()
        )),
        StepError::WrongStatus { from } => StorageError::refused(
            ProblemCode::SubmissionConflict,
            format!(
                "cannot {} a form that is {}",
                action.as_str(),
                from.map_or("not handed in", SubmissionStatus::as_str)
            ),
        ),
    }
}

async fn audit(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    at: EpochMs,
    action: SubmissionAction,
    detail: String,
) -> Result<(), sqlx::Error> {
    let action = format!("submission.{}", action.as_str());
    let row = AuditRow {
        at,
        actor_id: Some(me.id),
        action: &action,
        detail: &detail,
        item_id: None,
    };
    audit_row(tx, row).await
}

impl SubmissionStore for SqlStorage {
    async fn submit_form(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        unit: i64,
        filled_by: &str,
        phone: &str,
        now: EpochMs,
    ) -> StorageResult<Submission> {
        // One writer at a time on SQLite (see `Store::begin_write`).
        let mut w = self.store.begin_write().await?;
        let tx = &mut w.tx;
        let tree = Tree::load(tx).await?;
        let unit_ref = tree
            .unit_ref(unit)
            .ok_or_else(|| StorageError::not_found("reporting unit"))?;
        // On PostgreSQL records run at once: wait for those in flight, so the
        // frozen figures hold every record the lock did not refuse, and make
        // later ones wait to see the submission (as a rebuild does).
        lock_aggregates(tx, true).await?;
        let from = stored(tx, &def.id, period, unit)
            .await?
            .and_then(|r| SubmissionStatus::parse(&r.0));
        check_step(
            &tree.links,
            me.role,
            me.unit.id,
            unit,
            from,
            SubmissionAction::Submit,
        )
        .map_err(|e| refusal(e, SubmissionAction::Submit))?;
        let form = subtree_form(tx, &tree, def, period, unit_ref, false, now).await?;
        // Plain derive(Serialize) data: cannot fail.
        let frozen = serde_json::to_string(&form.rows).unwrap_or_default();
        sqlx::query(
            "INSERT INTO submissions (campaign_id, period_start, unit_id, status, filled_by, phone, submitted_at, submitted_by, form, reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL) \
             ON CONFLICT (campaign_id, period_start, unit_id) DO UPDATE SET status = excluded.status, \
             filled_by = excluded.filled_by, phone = excluded.phone, submitted_at = excluded.submitted_at, \
             submitted_by = excluded.submitted_by, form = excluded.form, reason = NULL",
        )
        .bind(&def.id)
        .bind(period.start.to_string())
        .bind(unit)
        .bind(SubmissionStatus::Submitted.as_str())
        .bind(filled_by)
        .bind(phone)
        .bind(now)
        .bind(me.id)
        .bind(&frozen)
        .execute(&mut **tx)
        .await?;
        let detail = format!("{} {} unit {unit}: {filled_by}, {phone}", def.id, period.label());
        audit(tx, me, now, SubmissionAction::Submit, detail).await?;
        let row = stored(tx, &def.id, period, unit).await?;
        w.tx.commit().await?;
        row.and_then(|r| wire(&tree, &def.id, period, unit, r))
            .ok_or_else(|| StorageError::not_found("submission"))
    }

    async fn step_submission(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        unit: i64,
        action: SubmissionAction,
        reason: Option<&str>,
        now: EpochMs,
    ) -> StorageResult<Submission> {
        // One writer at a time on SQLite (see `Store::begin_write`).
        let mut w = self.store.begin_write().await?;
        let tx = &mut w.tx;
        let tree = Tree::load(tx).await?;
        tree.unit_ref(unit)
            .ok_or_else(|| StorageError::not_found("reporting unit"))?;
        let from = stored(tx, &def.id, period, unit)
            .await?
            .and_then(|r| SubmissionStatus::parse(&r.0));
        check_step(&tree.links, me.role, me.unit.id, unit, from, action).map_err(|e| refusal(e, action))?;
        sqlx::query(
            "UPDATE submissions SET status = $1, reason = $2 WHERE campaign_id = $3 AND period_start = $4 AND unit_id = $5",
        )
        .bind(action.leads_to().as_str())
        .bind(reason)
        .bind(&def.id)
        .bind(period.start.to_string())
        .bind(unit)
        .execute(&mut **tx)
        .await?;
        let detail = format!(
            "{} {} unit {unit}: {}",
            def.id,
            period.label(),
            reason.unwrap_or("")
        );
        audit(tx, me, now, action, detail).await?;
        let row = stored(tx, &def.id, period, unit).await?;
        w.tx.commit().await?;
        row.and_then(|r| wire(&tree, &def.id, period, unit, r))
            .ok_or_else(|| StorageError::not_found("submission"))
    }

    async fn hand_ins(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        now: EpochMs,
    ) -> StorageResult<SubmissionList> {
        let mut conn = self.store.pool.acquire().await?;
        let tree = Tree::load(&mut conn).await?;
        let units = overseen_units(&tree.links, me.role, me.unit.id);
        let rows: Vec<(i64, String, EpochMs)> = sqlx::query_as(
            "SELECT unit_id, status, submitted_at FROM submissions WHERE campaign_id = $1 AND period_start = $2",
        )
        .bind(&def.id)
        .bind(period.start.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let due = due_by(def, period);
        let out = units
            .into_iter()
            .filter_map(|u| {
                let found = rows.iter().find(|r| r.0 == u);
                let status = found.and_then(|r| SubmissionStatus::parse(&r.1));
                let at = found.map(|r| r.2);
                Some(UnitHandIn {
                    unit: tree.unit_ref(u)?,
                    hand_in: hand_in(status, at, due, now),
                    status,
                    submitted_at: at,
                })
            })
            .collect();
        Ok(SubmissionList {
            campaign_id: def.id.clone(),
            period: period.label(),
            due_by: due,
            units: out,
        })
    }
}
