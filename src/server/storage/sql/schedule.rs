//! The rooms' day, duty shifts and campaign definitions.

use super::SqlStorage;
use super::item_rows::{ITEM_SELECT, item_from_row, may_see};
use crate::api::{Campaign, DutyShift, ProblemCode, Room, RoomSchedule, User, UserRef};
use crate::domain::duty::DutyWindow;
use crate::domain::{EpochMs, Role};
use crate::server::storage::ScheduleStore;
use crate::server::storage::StorageError;

type ShiftRow = (
    i64,
    i64,
    String,
    EpochMs,
    EpochMs,
    Option<EpochMs>,
    Option<EpochMs>,
    i64,
);

fn shift(r: ShiftRow) -> DutyShift {
    DutyShift {
        id: r.0,
        user_id: r.1,
        place: r.2,
        starts_at: r.3,
        ends_at: r.4,
        checked_in_at: r.5,
        checked_out_at: r.6,
        version: r.7,
    }
}

const SHIFT_SELECT: &str =
    "SELECT id, user_id, place, starts_at, ends_at, checked_in_at, checked_out_at, version FROM duty_shifts";

pub async fn load_campaigns<'e, E>(exec: E) -> Result<Vec<Campaign>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, definition FROM campaigns ORDER BY id")
        .fetch_all(exec)
        .await?;
    rows.into_iter()
        .map(|(id, def)| {
            serde_json::from_str(&def).map_err(|e| sqlx::Error::Decode(format!("campaign {id}: {e}").into()))
        })
        .collect()
}

impl ScheduleStore for SqlStorage {
    async fn schedule(
        &self,
        me: &User,
        start: EpochMs,
        end: EpochMs,
    ) -> Result<Vec<RoomSchedule>, StorageError> {
        let rooms: Vec<(i64, String, i64, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT r.id, r.name, r.unit_id, r.operator_id, u.username, u.display_name FROM rooms r \
             LEFT JOIN users u ON u.id = r.operator_id ORDER BY r.id",
        )
        .fetch_all(&self.store.pool)
        .await?;
        let mut out = Vec::new();
        for r in rooms {
            let visible = match me.role {
                // Any room where they run a session (rooms belong to the
                // centre, lawyers to their firm); the rest is dropped below.
                Role::Admin | Role::Lawyer => true,
                Role::Operator => r.3 == Some(me.id),
                _ => r.2 == me.unit.id,
            };
            if !visible {
                continue;
            }
            let sql = format!(
                "{ITEM_SELECT} WHERE i.room_id = $1 AND i.scheduled_start >= $2 AND i.scheduled_start < $3 \
                 ORDER BY i.scheduled_start, i.id"
            );
            let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(r.0)
                .bind(start)
                .bind(end)
                .fetch_all(&self.store.pool)
                .await?;
            let mut sessions = Vec::new();
            for x in &rows {
                let row = item_from_row(x)?;
                let own = row.item.assignee.as_ref().is_some_and(|a| a.id == me.id);
                if own || may_see(me, &row) {
                    if own || me.role.sees_whole_rooms() {
                        sessions.push(row.item);
                    }
                } else if me.role.sees_whole_rooms() {
                    sessions.push(for_the_timeline(row.item));
                }
            }
            // A lawyer's schedule is the sessions they run: rooms without one
            // of theirs that day are not theirs to watch.
            if sessions.is_empty() && !me.role.sees_whole_rooms() {
                continue;
            }
            let operator = r.3.map(|id| UserRef {
                id,
                username: r.4.clone().unwrap_or_default(),
                display_name: r.5.clone().unwrap_or_default(),
            });
            let room = Room {
                id: r.0,
                name: r.1,
                unit_id: r.2,
                operator,
            };
            out.push(RoomSchedule { room, sessions });
        }
        Ok(out)
    }

    async fn duty_shifts(
        &self,
        user_id: i64,
        start: EpochMs,
        end: EpochMs,
    ) -> Result<Vec<DutyShift>, StorageError> {
        let sql = format!(
            "{SHIFT_SELECT} WHERE user_id = $1 AND starts_at < $2 AND ends_at > $3 ORDER BY starts_at, id"
        );
        let rows: Vec<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(user_id)
            .bind(end)
            .bind(start)
            .fetch_all(&self.store.pool)
            .await?;
        Ok(rows.into_iter().map(shift).collect())
    }

    async fn stamp_duty(
        &self,
        user_id: i64,
        id: i64,
        check_in: bool,
        now: EpochMs,
        grace_ms: EpochMs,
    ) -> Result<DutyShift, StorageError> {
        let mut w = self.store.begin_write().await?;
        let sql = format!("{SHIFT_SELECT} WHERE id = $1 AND user_id = $2");
        let row: Option<ShiftRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .bind(user_id)
            .fetch_optional(&mut *w.tx)
            .await?;
        let s = shift(row.ok_or_else(|| StorageError::not_found("duty shift"))?);
        // A stamp days away from the shift is a mistake (the wrong row),
        // and it would stay in the roster's record.
        let window = DutyWindow::of_shift(s.starts_at, s.ends_at, grace_ms);
        if !window.contains(now) {
            let what = if check_in { "check-in" } else { "check-out" };
            let (opens, closes) = (shanghai_text(window.opens), shanghai_text(window.closes));
            let problem = crate::api::Problem::new(
                ProblemCode::OutsideShiftWindow,
                format!(
                    "{what} for this shift is open from {opens} to {closes} (Asia/Shanghai): its hours with {} min \
                     before and after; it is {} now",
                    grace_ms / 60_000,
                    shanghai_text(now),
                ),
            )
            // Clients word the window in the user's language.
            .with_extra("opens", opens)
            .with_extra("closes", closes);
            return Err(StorageError::problem(problem));
        }
        let conflict = |d: &str| StorageError::refused(ProblemCode::InvalidTransition, d.to_string());
        let sql = match (check_in, s.checked_in_at, s.checked_out_at) {
            (true, Some(_), _) => return Err(conflict("you are already checked in to this shift")),
            (false, None, _) => return Err(conflict("check in to this shift before checking out")),
            (false, _, Some(_)) => return Err(conflict("you are already checked out of this shift")),
            (true, None, _) => {
                "UPDATE duty_shifts SET checked_in_at = $1, version = version + 1 WHERE id = $2"
            }
            (false, Some(_), None) => {
                "UPDATE duty_shifts SET checked_out_at = $1, version = version + 1 WHERE id = $2"
            }
        };
        sqlx::query(sql).bind(now).bind(id).execute(&mut *w.tx).await?;
        let sql = format!("{SHIFT_SELECT} WHERE id = $1");
        let row: ShiftRow = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_one(&mut *w.tx)
            .await?;
        w.tx.commit().await?;
        Ok(shift(row))
    }

    /// The stored list, each campaign with rules described afresh from its
    /// parsed definition (so a list stored by an older version still says
    /// which rows take activities).
    async fn campaigns(&self) -> Result<Vec<Campaign>, StorageError> {
        let mut list = load_campaigns(&self.store.pool).await?;
        let mut conn = self.store.pool.acquire().await?;
        let defs = crate::server::aggregate::campaigns_with_rules(&mut conn).await?;
        for c in &mut list {
            if let Some(def) = defs.iter().find(|d| d.id == c.id) {
                *c = Campaign::from(def.as_ref());
            }
        }
        Ok(list)
    }
}

/// A session the caller may see on the room's timeline but not open (another
/// mediator's case): its time, room, title and parties' names stay, the
/// description and the parties' contacts do not.
fn for_the_timeline(mut item: crate::api::WorkItem) -> crate::api::WorkItem {
    item.description.clear();
    for party in &mut item.parties {
        party.contact = None;
    }
    item
}

/// `2026-11-24 07:00` in Beijing time (no daylight saving: a fixed +08:00
/// where no tz database is installed).
fn shanghai_text(ms: EpochMs) -> String {
    let tz = crate::domain::clock::shanghai();
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.to_zoned_datetime(tz).strftime("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| ms.to_string())
}
