//! Booking sessions, a unit's open work, the audited reveal of a party's
//! numbers, an item's audit trail, and passwords.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::announce::{moved, schedule_changes, updated};
use super::intake::{actor_in_tree, stored_parties, user_brief, visible};
use super::item_rows::{
    ITEM_SELECT, NewHistory, add_history, facts, item_from_row, load_item, set_assignee, touch_item,
};
use crate::api::intake::{AuditEntry, ScheduleRequest, UnitItemFilter, UnitItemPage};
use crate::api::{Party, Problem, ProblemCode, User, UserRef};
use crate::domain::policy;
use crate::domain::{EpochMs, ItemKind, Role};
use crate::server::db::{AuditRow, audit_row};
use crate::server::storage::DispatchStore;
use crate::server::storage::ItemChange;
use crate::server::storage::StorageError;

pub const PAGE: i64 = 50;

/// An entry in the audit log about an item, by a user.
pub async fn audit_item(
    tx: &mut Transaction<'static, Any>,
    at: EpochMs,
    actor: i64,
    item_id: i64,
    action: &str,
) -> Result<(), sqlx::Error> {
    let row = AuditRow {
        at,
        actor_id: Some(actor),
        action,
        detail: "",
        item_id: Some(item_id),
    };
    audit_row(tx, row).await
}

impl DispatchStore for SqlStorage {
    async fn schedule_item(
        &self,
        me: &User,
        id: i64,
        req: &ScheduleRequest,
        now: EpochMs,
    ) -> Result<ItemChange, StorageError> {
        if req.end <= req.start {
            return Err(StorageError::validation(
                "end",
                "a session must end after it starts; check the times".into(),
            ));
        }
        if let Some(link) = req.join_link.as_deref()
            && !crate::domain::slot::is_join_link(link)
        {
            return Err(StorageError::validation(
                "join_link",
                "the join link is an https:// address or a tel: number".into(),
            ));
        }
        let mut w = self.store.begin_write().await?;
        // Serializes bookings: two operators booking the same room at once
        // see each other's session (the counter row is locked until commit).
        sqlx::query("UPDATE counters SET value = value WHERE name = 'room'")
            .execute(&mut *w.tx)
            .await?;
        let row = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        let room: Option<(Option<i64>,)> = sqlx::query_as("SELECT operator_id FROM rooms WHERE id = $1")
            .bind(req.room_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        let Some((room_operator,)) = room else {
            return Err(StorageError::problem(
                Problem::new(
                    ProblemCode::UnknownReference,
                    format!("there is no room {}", req.room_id),
                )
                .with_field("room_id", "no such room"),
            ));
        };
        let f = facts(&row);
        if !policy::may_schedule(&actor, &f, room_operator) {
            if !policy::may_see(&actor, &f) && actor.role != Role::Operator {
                return Err(StorageError::not_found("item"));
            }
            return Err(StorageError::forbidden(
                "only the room's operator or the unit's coordinator books sessions in this room",
            ));
        }
        if row.item.kind != ItemKind::Mediation {
            return Err(StorageError::validation(
                "kind",
                "only a mediation is booked into a room".into(),
            ));
        }
        if row.item.status.is_finished() {
            return Err(StorageError::refused(
                ProblemCode::InvalidTransition,
                format!(
                    "the item is {}; there is nothing to book",
                    row.item.status.as_str()
                ),
            ));
        }
        let mediator = match req.mediator_id {
            Some(m) => match user_brief(&mut w.tx, m).await? {
                Some((Role::Mediator | Role::Lawyer, unit, _)) if unit == row.item.unit_id => Some(m),
                _ => {
                    return Err(StorageError::validation(
                        "mediator_id",
                        format!("user {m} is no mediator of unit {}", row.item.unit_id),
                    ));
                }
            },
            None => row.item.assignee.as_ref().map(|a| a.id),
        };
        let clash = clashing(&mut w.tx, id, req, mediator).await?;
        if let Some(c) = clash {
            let what = c.what;
            return Err(StorageError::problem(
                Problem::new(
                    ProblemCode::ScheduleConflict,
                    format!(
                        "the {what} is booked then by item {} ({}); pick another time or {what}",
                        c.id, c.title
                    ),
                )
                .with_extra("clashing_item", c.id)
                .with_extra("clash", what)
                // So a client names the clash in full: what, where, when, who.
                .with_extra("clashing_title", c.title)
                .with_extra("clashing_start", c.start)
                .with_extra("clashing_end", c.end)
                .with_extra("clashing_room", c.room)
                .with_extra("clashing_mediator", c.mediator),
            ));
        }
        sqlx::query(
            "UPDATE items SET scheduled_start = $1, scheduled_end = $2, room_id = $3, join_link = $4, due_at = $1 \
             WHERE id = $5",
        )
        .bind(req.start)
        .bind(req.end)
        .bind(req.room_id)
        .bind(req.join_link.as_deref())
        .bind(id)
        .execute(&mut *w.tx)
        .await?;
        let from = row.item.assignee.as_ref().map(|a| a.id);
        if mediator != from {
            set_assignee(&mut w.tx, id, from, mediator, now).await?;
        } else {
            touch_item(&mut w.tx, id, now).await?;
        }
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let note = after
            .item
            .mediation
            .as_ref()
            .map(|m| m.room_name.clone())
            .unwrap_or_default();
        let action = if row.item.mediation.is_some() {
            crate::api::HistoryAction::Rescheduled
        } else {
            crate::api::HistoryAction::Scheduled
        };
        add_history(&mut w.tx, NewHistory::of(id, now, Some(me.id), action, &note)).await?;
        let mut changes = Vec::new();
        if row.item.assignee != after.item.assignee {
            changes.extend(moved(&row, &after));
        }
        changes.extend(updated(&after));
        changes.extend(schedule_changes(&row, &after));
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(ItemChange { before: row, after })
    }

    async fn unit_items(
        &self,
        me: &User,
        unit: i64,
        filter: UnitItemFilter,
        assignee: Option<i64>,
        offset: i64,
        now: EpochMs,
    ) -> Result<UnitItemPage, StorageError> {
        let mut w = self.store.begin_write().await?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        drop(w);
        if !policy::may_list_unit(&actor, unit) {
            return Err(StorageError::forbidden(
                "only the unit's coordinator (or a coordinator above it) lists its work",
            ));
        }
        let open = "i.status NOT IN ('closed', 'cancelled', 'no_show')";
        // Placeholders numbered in the order they are bound below.
        let mut extra = String::new();
        let mut n = 3;
        match filter {
            UnitItemFilter::Open => {}
            UnitItemFilter::Overdue => {
                n += 1;
                extra.push_str(&format!(" AND i.due_at < ${n}"));
            }
            UnitItemFilter::Unassigned => extra.push_str(" AND i.assignee_id IS NULL"),
        }
        if assignee.is_some() {
            n += 1;
            extra.push_str(&format!(" AND i.assignee_id = ${n}"));
        }
        let sql = format!(
            "{ITEM_SELECT} WHERE i.unit_id = $1 AND {open}{extra} \
             ORDER BY i.green_channel DESC, i.due_at, i.id LIMIT $2 OFFSET $3"
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(unit)
            .bind(PAGE + 1)
            .bind(offset.max(0));
        if filter == UnitItemFilter::Overdue {
            q = q.bind(now);
        }
        if let Some(a) = assignee {
            q = q.bind(a);
        }
        let rows = q.fetch_all(&self.store.pool).await?;
        let mut items = rows
            .iter()
            .map(|r| item_from_row(r).map(|x| x.item))
            .collect::<Result<Vec<_>, _>>()?;
        let next = (items.len() as i64 > PAGE).then_some(offset + PAGE);
        items.truncate(PAGE as usize);
        Ok(UnitItemPage { items, next })
    }

    async fn reveal(&self, me: &User, id: i64, now: EpochMs) -> Result<Vec<Party>, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = visible(&mut w.tx, me, id).await?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        if !policy::may_reveal(&actor, &facts(&row)) {
            return Err(StorageError::forbidden(
                "only the item's assignee or the unit's coordinator may see the parties' full numbers",
            ));
        }
        let parties = stored_parties(&mut w.tx, id).await?;
        audit_item(&mut w.tx, now, me.id, id, "party.reveal").await?;
        w.tx.commit().await?;
        Ok(parties)
    }

    async fn audit_trail(&self, me: &User, id: i64) -> Result<Vec<AuditEntry>, StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = visible(&mut w.tx, me, id).await?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        if !policy::may_read_audit(&actor, &facts(&row)) {
            return Err(StorageError::forbidden(
                "only the unit's coordinator reads an item's audit trail",
            ));
        }
        let rows: Vec<(i64, Option<i64>, Option<String>, Option<String>, String)> = sqlx::query_as(
            "SELECT a.at, a.actor_id, u.username, u.display_name, a.action FROM audit_log a \
             LEFT JOIN users u ON u.id = a.actor_id WHERE a.item_id = $1 ORDER BY a.id",
        )
        .bind(id)
        .fetch_all(&mut *w.tx)
        .await?;
        drop(w);
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                at: r.0,
                actor: r.1.map(|id| UserRef {
                    id,
                    username: r.2.unwrap_or_default(),
                    display_name: r.3.unwrap_or_default(),
                }),
                action: r.4,
            })
            .collect())
    }
}

/// The session a booking clashed with, as the 409 names it.
struct Clash {
    id: i64,
    title: String,
    start: EpochMs,
    end: EpochMs,
    room: String,
    mediator: String,
    what: &'static str,
}

type ClashRow = (
    i64,
    String,
    Option<EpochMs>,
    Option<EpochMs>,
    Option<String>,
    Option<String>,
);

/// Another unfinished session overlapping the request in the same room, or
/// with the same mediator: its id, title, time, room and mediator, and
/// which of the two clashed.
async fn clashing(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    req: &ScheduleRequest,
    mediator: Option<i64>,
) -> Result<Option<Clash>, sqlx::Error> {
    let base = "SELECT i.id, i.title, i.scheduled_start, i.scheduled_end, r.name, u.display_name FROM items i \
                LEFT JOIN rooms r ON r.id = i.room_id LEFT JOIN users u ON u.id = i.assignee_id \
                WHERE i.id <> $1 AND i.status NOT IN ('closed', 'cancelled', 'no_show') \
                AND i.scheduled_start < $2 AND i.scheduled_end > $3";
    let clash = |r: ClashRow, what| Clash {
        id: r.0,
        title: r.1,
        start: r.2.unwrap_or_default(),
        end: r.3.unwrap_or_default(),
        room: r.4.unwrap_or_default(),
        mediator: r.5.unwrap_or_default(),
        what,
    };
    let room: Option<ClashRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{base} AND i.room_id = $4 ORDER BY i.scheduled_start LIMIT 1"
    )))
    .bind(id)
    .bind(req.end)
    .bind(req.start)
    .bind(req.room_id)
    .fetch_optional(&mut **tx)
    .await?;
    if let Some(r) = room {
        return Ok(Some(clash(r, "room")));
    }
    let Some(m) = mediator else { return Ok(None) };
    let theirs: Option<ClashRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "{base} AND i.assignee_id = $4 AND i.kind = 'mediation' ORDER BY i.scheduled_start LIMIT 1"
    )))
    .bind(id)
    .bind(req.end)
    .bind(req.start)
    .bind(m)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(theirs.map(|r| clash(r, "mediator")))
}
