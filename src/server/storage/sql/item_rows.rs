//! Reading and writing work items: the row mapping, who may see what, and
//! the history and change stamps every change leaves.

use crate::server::storage::ItemRow;
pub use crate::server::storage::{actor, facts, may_see};
use std::sync::LazyLock;

use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

use super::script::Script;
use crate::api::{HistoryEntry, MediationInfo, Party, User, UserRef, WorkItem};
use crate::domain::policy;
use crate::domain::{Category, Channel, EpochMs, FrontlineGroup, ItemKind, ItemStatus};
use crate::server::db::next_id;

pub const ITEM_SELECT: &str = "SELECT i.id, i.kind, i.title, i.description, i.channel, i.category, \
    i.green_channel, i.frontline_group, i.fee_waiver_eligible, i.status, i.assignee_id, \
    a.username AS a_username, a.display_name AS a_display, i.unit_id, i.parties, i.due_at, i.created_at, \
    i.updated_at, i.typical_case, i.scheduled_start, i.scheduled_end, i.room_id, r.name AS room_name, \
    i.join_link, i.version, i.change_seq, i.previous_assignee_id, r.operator_id \
    FROM items i LEFT JOIN users a ON a.id = i.assignee_id LEFT JOIN rooms r ON r.id = i.room_id";

/// A stored enum value, read straight from the column's text (no JSON).
pub(super) fn parse_enum<T: serde::de::DeserializeOwned>(s: &str) -> Result<T, sqlx::Error> {
    use serde::de::IntoDeserializer;
    T::deserialize(s.into_deserializer())
        .map_err(|e: serde::de::value::Error| sqlx::Error::Decode(format!("stored value {s:?}: {e}").into()))
}

pub fn item_from_row(r: &AnyRow) -> Result<ItemRow, sqlx::Error> {
    let assignee_id: Option<i64> = r.try_get("assignee_id")?;
    let assignee = match assignee_id {
        Some(id) => Some(UserRef {
            id,
            username: r.try_get("a_username")?,
            display_name: r.try_get("a_display")?,
        }),
        None => None,
    };
    let frontline: Option<String> = r.try_get("frontline_group")?;
    let parties: String = r.try_get("parties")?;
    let mut parties = raw_parties(&parties)?;
    // Personal information leaves the server masked; the full numbers
    // only through the audited reveal.
    mask_parties(&mut parties);
    let start: Option<i64> = r.try_get("scheduled_start")?;
    let room_id: Option<i64> = r.try_get("room_id")?;
    let mediation = match (start, room_id) {
        (Some(start), Some(room_id)) => Some(MediationInfo {
            scheduled_start: start,
            scheduled_end: r.try_get::<Option<i64>, _>("scheduled_end")?.unwrap_or(start),
            room_id,
            room_name: r.try_get::<Option<String>, _>("room_name")?.unwrap_or_default(),
            join_link: r.try_get("join_link")?,
        }),
        _ => None,
    };
    let item = WorkItem {
        id: r.try_get("id")?,
        kind: parse_enum::<ItemKind>(&r.try_get::<String, _>("kind")?)?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        channel: parse_enum::<Channel>(&r.try_get::<String, _>("channel")?)?,
        category: parse_enum::<Category>(&r.try_get::<String, _>("category")?)?,
        green_channel: r.try_get::<i64, _>("green_channel")? != 0,
        frontline_group: frontline
            .as_deref()
            .map(parse_enum::<FrontlineGroup>)
            .transpose()?,
        fee_waiver_eligible: r.try_get::<i64, _>("fee_waiver_eligible")? != 0,
        status: parse_enum::<ItemStatus>(&r.try_get::<String, _>("status")?)?,
        assignee,
        unit_id: r.try_get("unit_id")?,
        parties,
        due_at: r.try_get("due_at")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        typical_case: r.try_get::<i64, _>("typical_case")? != 0,
        mediation,
        version: r.try_get("version")?,
    };
    Ok(ItemRow {
        item,
        previous_assignee_id: r.try_get("previous_assignee_id")?,
        room_operator_id: r.try_get("operator_id")?,
        change_seq: r.try_get("change_seq")?,
    })
}

/// The parties as stored, numbers unmasked: for the conflict check and
/// the audited reveal only.
pub fn raw_parties(json: &str) -> Result<Vec<Party>, sqlx::Error> {
    serde_json::from_str(json).map_err(|e| sqlx::Error::Decode(format!("parties: {e}").into()))
}

/// Masks each party's phone and ID number (`domain::privacy`).
pub fn mask_parties(parties: &mut [Party]) {
    use crate::domain::privacy::{is_masked, mask_id_number, mask_phone};
    for p in parties {
        if let Some(c) = p.contact.as_mut().filter(|c| !is_masked(c)) {
            *c = mask_phone(c);
        }
        if let Some(n) = p.id_number.as_mut().filter(|n| !is_masked(n)) {
            *n = mask_id_number(n);
        }
    }
}

/// Gives the item to `to` (None: the pool), stamps it, and records that
/// it left its former assignee, so their next delta drops it. Returns the
/// change sequence stamped.
pub async fn set_assignee(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
    from: Option<i64>,
    to: Option<i64>,
    now: EpochMs,
) -> Result<i64, sqlx::Error> {
    sqlx::query("UPDATE items SET assignee_id = $1, previous_assignee_id = $2 WHERE id = $3")
        .bind(to)
        .bind(from)
        .bind(item_id)
        .execute(&mut **tx)
        .await?;
    touch_item(tx, item_id, now).await?;
    let (seq,): (i64,) = sqlx::query_as("SELECT change_seq FROM items WHERE id = $1")
        .bind(item_id)
        .fetch_one(&mut **tx)
        .await?;
    if let Some(from) = from.filter(|f| Some(*f) != to) {
        sqlx::query("INSERT INTO item_departures (user_id, item_id, change_seq) VALUES ($1, $2, $3)")
            .bind(from)
            .bind(item_id)
            .bind(seq)
            .execute(&mut **tx)
            .await?;
    }
    Ok(seq)
}

/// Whether the caller may change the item (transition, outcome, time).
pub fn may_change(me: &User, row: &ItemRow) -> bool {
    policy::may_change(&actor(me), &facts(row))
}

/// The item `me` is about to change, read inside the write transaction:
/// 404 when they may not see it (ids do not leak), 403 saying who may `what`
/// when they see it but may not change it.
pub async fn item_to_change(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    item_id: i64,
    what: &str,
) -> Result<ItemRow, crate::server::storage::StorageError> {
    changeable(me, load_item(&mut **tx, item_id).await?, what)
}

/// [`item_to_change`] on an item already read.
pub fn changeable(
    me: &User,
    row: Option<ItemRow>,
    what: &str,
) -> Result<ItemRow, crate::server::storage::StorageError> {
    use crate::server::storage::StorageError;
    let row = row
        .filter(|r| may_see(me, r))
        .ok_or_else(|| StorageError::not_found("item"))?;
    if !may_change(me, &row) {
        return Err(StorageError::forbidden(format!(
            "only the assigned lawyer or mediator may {what}"
        )));
    }
    Ok(row)
}

/// Whether the caller may move the item to `to` (`domain::policy`).
pub fn may_transition(me: &User, row: &ItemRow, to: ItemStatus) -> bool {
    policy::may_transition(&actor(me), &facts(row), to)
}

pub async fn load_item<'e, E>(exec: E, id: i64) -> Result<Option<ItemRow>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row = sqlx::query(ITEM_BY_ID.as_str())
        .bind(id)
        .fetch_optional(exec)
        .await?;
    row.as_ref().map(item_from_row).transpose()
}

/// One item by id (`$1`), as [`item_from_row`] reads it.
pub static ITEM_BY_ID: LazyLock<String> = LazyLock::new(|| format!("{ITEM_SELECT} WHERE i.id = $1"));

/// Stamps the next change sequence on the item and bumps its version.
pub async fn touch_item(
    tx: &mut Transaction<'static, Any>,
    id: i64,
    now: EpochMs,
) -> Result<(), sqlx::Error> {
    let seq = next_id(tx, "change_seq").await?;
    sqlx::query("UPDATE items SET change_seq = $1, version = version + 1, updated_at = $2 WHERE id = $3")
        .bind(seq)
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub struct NewHistory<'a> {
    pub item_id: i64,
    pub at: EpochMs,
    pub actor_id: Option<i64>,
    pub action: crate::api::HistoryAction,
    pub from: Option<ItemStatus>,
    pub to: Option<ItemStatus>,
    pub note: &'a str,
}

impl<'a> NewHistory<'a> {
    /// A history row that moves no status.
    pub fn of(
        item_id: i64,
        at: EpochMs,
        actor_id: Option<i64>,
        action: crate::api::HistoryAction,
        note: &'a str,
    ) -> Self {
        NewHistory {
            item_id,
            at,
            actor_id,
            action,
            from: None,
            to: None,
            note,
        }
    }

    /// The same row, recording a status move.
    pub fn moved(self, from: Option<ItemStatus>, to: Option<ItemStatus>) -> Self {
        NewHistory { from, to, ..self }
    }
}

pub async fn add_history(tx: &mut Transaction<'static, Any>, h: NewHistory<'_>) -> Result<(), sqlx::Error> {
    let mut script = Script::new();
    history_into(&mut script, h);
    script.run(tx).await
}

/// A history row, its id the next of the `history` counter: the counter
/// moves and the row reads it in the same script, so no id travels back
/// to Rust between the two (on PostgreSQL the counter's row stays locked
/// by this transaction until it ends, so the read is its own value).
pub fn history_into(script: &mut Script, h: NewHistory<'_>) {
    script.push(
        "UPDATE counters SET value = value + 1 WHERE name = 'history'",
        Vec::new(),
    );
    script.push(
        "INSERT INTO item_history (id, item_id, at, actor_id, action, from_status, to_status, note) \
         SELECT value, $1, $2, $3, $4, $5, $6, $7 FROM counters WHERE name = 'history'",
        crate::sql_values![
            h.item_id,
            h.at,
            h.actor_id,
            h.action.as_str(),
            h.from.map(|s| s.as_str()),
            h.to.map(|s| s.as_str()),
            h.note,
        ],
    );
}

pub async fn load_history<'e, E>(exec: E, item_id: i64) -> Result<Vec<HistoryEntry>, sqlx::Error>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows: Vec<(
        i64,
        Option<i64>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
        String,
    )> = sqlx::query_as(
        "SELECT h.at, h.actor_id, u.username, u.display_name, h.action, h.from_status, h.to_status, h.note \
             FROM item_history h LEFT JOIN users u ON u.id = h.actor_id WHERE h.item_id = $1 ORDER BY h.id",
    )
    .bind(item_id)
    .fetch_all(exec)
    .await?;
    rows.into_iter()
        .map(|r| {
            Ok(HistoryEntry {
                at: r.0,
                actor: r.1.map(|id| UserRef {
                    id,
                    username: r.2.clone().unwrap_or_default(),
                    display_name: r.3.clone().unwrap_or_default(),
                }),
                action: crate::api::HistoryAction::named(&r.4),
                from_status: r.5.as_deref().map(parse_enum).transpose()?,
                to_status: r.6.as_deref().map(parse_enum).transpose()?,
                note: r.7,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::UnitRef;
    use crate::domain::{Profession, Role};

    fn user(id: i64, role: Role) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: format!("U{id}"),
            role,
            profession: Profession::GrassrootsWorker,
            unit: UnitRef {
                id: 3,
                name: "centre".into(),
            },
        }
    }

    fn session(kind: &str, operator: i64) -> ItemRow {
        let item: WorkItem = serde_json::from_value(serde_json::json!({
            "id": 1, "kind": kind, "title": "调解", "description": "", "channel": "video",
            "category": "other", "green_channel": false, "fee_waiver_eligible": false,
            "status": "accepted", "assignee": {"id": 7, "username": "mediator", "display_name": "王芳"},
            "unit_id": 3, "parties": [], "due_at": 0, "created_at": 0, "updated_at": 0,
            "typical_case": false, "version": 1,
            "mediation": {"scheduled_start": 0, "scheduled_end": 1, "room_id": 1, "room_name": "一号"}
        }))
        .unwrap();
        ItemRow {
            item,
            previous_assignee_id: None,
            room_operator_id: Some(operator),
            change_seq: 1,
        }
    }

    #[test]
    fn the_rooms_operator_marks_sessions_started_ended_or_no_show_only() {
        use ItemStatus::*;
        let op = user(9, Role::Operator);
        let row = session("mediation", 9);
        assert!(may_transition(&op, &row, InProgress));
        assert!(may_transition(&op, &row, NoShow));
        assert!(may_transition(&op, &row, Waiting), "ended, the outcome to come");
        for to in [Cancelled, Accepted, Closed] {
            assert!(!may_transition(&op, &row, to), "{to:?} is the mediator's");
        }
        assert!(!may_change(&op, &row), "no outcome or time from the operator");
        let other_room = session("mediation", 10);
        assert!(!may_transition(&op, &other_room, InProgress));
        let not_a_session = session("consultation", 9);
        assert!(!may_transition(&op, &not_a_session, InProgress));
        let mediator = user(7, Role::Mediator);
        assert!(may_transition(&mediator, &row, Waiting), "the assignee still may");
    }
}
