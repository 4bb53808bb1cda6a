//! How work enters and moves: intake, assignment and release, cancelling,
//! and the conflict-of-interest check on each. Every decision is
//! `domain::policy`'s; the acting user is passed to every write.

use sqlx::{Any, Transaction};

use super::SqlStorage;
use super::announce::{created, moved, schedule_changes, updated};
use super::conflicts::conflicts_for;
use super::idempotency::{commit_with, replay};
use super::item_rows::{NewHistory, add_history, facts, load_item, raw_parties, set_assignee, touch_item};
use crate::api::intake::{AssignRequest, CancelRequest, ConflictEntry, ItemWithConflicts, NewItem};
use crate::api::{ChangeKind, Party, ProblemCode, User, UserRef};
use crate::domain::intake::{PartyInput, check_new_item};
use crate::domain::policy::{self, Actor, AssignDenied, UnitLink};
use crate::domain::{EpochMs, ItemKind, ItemStatus, PartyKind, Role, due_at};
use crate::server::admin_units::{links, load_units};
use crate::server::bus::Change;
use crate::server::db::next_id;
use crate::server::storage::StorageError;
use crate::server::storage::{Created, IntakeStore};
use crate::server::storage::{IdemRequest, ItemChange, ItemRow};

const CREATED: u16 = 201;

/// The unit tree, read inside the transaction.
pub async fn tree(tx: &mut Transaction<'static, Any>) -> Result<Vec<UnitLink>, sqlx::Error> {
    Ok(links(&load_units(&mut **tx).await?))
}

/// The caller as the policy sees them, oversight from the tree.
pub async fn actor_in_tree(tx: &mut Transaction<'static, Any>, me: &User) -> Result<Actor, sqlx::Error> {
    Ok(Actor::in_tree(me.id, me.role, me.unit.id, &tree(tx).await?))
}

/// A user's id, role, unit and names, when they exist.
pub async fn user_brief(
    tx: &mut Transaction<'static, Any>,
    id: i64,
) -> Result<Option<(Role, i64, UserRef)>, StorageError> {
    let row: Option<(String, i64, String, String)> = sqlx::query_as(
        "SELECT role, unit_id, username, display_name FROM users WHERE id = $1 AND disabled_at IS NULL",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((role, unit, username, display_name)) = row else {
        return Ok(None);
    };
    let role = Role::parse(&role)
        .ok_or_else(|| sqlx::Error::Decode(format!("user {id} has an unknown role {role:?}").into()))?;
    Ok(Some((
        role,
        unit,
        UserRef {
            id,
            username,
            display_name,
        },
    )))
}

pub fn stale(now: i64, sent: i64) -> StorageError {
    StorageError::refused(
        ProblemCode::VersionConflict,
        format!(
            "the item changed since you loaded it (version {now} now, you sent {sent}); reload and try again"
        ),
    )
}

/// The parties of a new item as they are stored.
pub fn stored_form(req: &NewItem) -> Vec<Party> {
    req.parties
        .iter()
        .map(|p| Party {
            name: p.name.trim().to_string(),
            role: p.role.as_str().to_string(),
            contact: p.phone.as_deref().map(str::trim).map(str::to_string),
            kind: p.kind,
            id_number: p.id_number.as_deref().map(|s| s.trim().to_uppercase()),
        })
        .collect()
}

/// The stored (unmasked) parties of an item.
pub async fn stored_parties(
    tx: &mut Transaction<'static, Any>,
    item_id: i64,
) -> Result<Vec<Party>, StorageError> {
    let (json,): (String,) = sqlx::query_as("SELECT parties FROM items WHERE id = $1")
        .bind(item_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(raw_parties(&json)?)
}

impl IntakeStore for SqlStorage {
    async fn create_item(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewItem,
        now: EpochMs,
    ) -> Result<Created, StorageError> {
        let inputs: Vec<PartyInput<'_>> = req.parties.iter().map(PartyInput::from).collect();
        check_new_item(
            req.kind,
            &req.title,
            req.green_channel,
            req.frontline_group,
            &inputs,
        )
        .map_err(|r| StorageError::validation(&r.field, r.message))?;
        let mut w = self.store.begin_write().await?;
        if let Some(stored) = replay(&mut w.tx, idem).await? {
            return Ok(Created {
                response: stored,
                item_id: None,
            });
        }
        let units = tree(&mut w.tx).await?;
        let actor = Actor::in_tree(me.id, me.role, me.unit.id, &units);
        if !policy::may_intake(&actor) {
            return Err(StorageError::forbidden(
                "only the intake desk (intake or operator role) registers new work",
            ));
        }
        if !units.iter().any(|u| u.id == req.unit_id) {
            return Err(StorageError::problem(
                crate::api::Problem::new(
                    ProblemCode::UnknownReference,
                    format!("there is no unit {}", req.unit_id),
                )
                .with_field("unit_id", "no such unit"),
            ));
        }
        if !policy::may_route_to(&actor, &units, req.unit_id) {
            return Err(StorageError::forbidden(format!(
                "unit {} is not under your bureau; send the work to a unit of your own tree",
                req.unit_id
            )));
        }
        if let Some(a) = req.assignee_id {
            match user_brief(&mut w.tx, a).await? {
                Some((role, unit, _)) if role.takes_work() && unit == req.unit_id => {}
                _ => {
                    return Err(StorageError::validation(
                        "assignee_id",
                        format!("user {a} is no lawyer or mediator of unit {}", req.unit_id),
                    ));
                }
            }
        }
        if let Some(r) = req.external_ref.as_deref() {
            let found: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM items WHERE unit_id = $1 AND external_ref = $2")
                    .bind(req.unit_id)
                    .bind(r)
                    .fetch_optional(&mut *w.tx)
                    .await?;
            if let Some((id,)) = found {
                return Err(StorageError::problem(
                    crate::api::Problem::new(
                        ProblemCode::Duplicate,
                        format!("ticket {r} is item {id} already; nothing was created"),
                    )
                    .with_extra("item_id", id),
                ));
            }
        }
        let parties = stored_form(req);
        let id = insert_item(&mut w.tx, req, &parties, Some(me.id), now).await?;
        let conflicts = conflicts_for(&mut w.tx, id, req.unit_id, &parties, req.assignee_id).await?;
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let a = self.announce(&mut w.tx, created(&after), &after, now).await?;
        // Plain derive(Serialize) data with string keys: cannot fail.
        let body = serde_json::to_string(&ItemWithConflicts {
            item: after.item.clone(),
            conflicts,
        })
        .unwrap_or_default();
        let response = commit_with(&self.store, w, idem, CREATED, body).await?;
        self.published(a, &after);
        tracing::info!(item = id, unit = after.item.unit_id, "item registered");
        Ok(Created {
            response,
            item_id: Some(id),
        })
    }

    async fn assign(
        &self,
        me: &User,
        id: i64,
        req: &AssignRequest,
        now: EpochMs,
    ) -> Result<(ItemChange, Vec<ConflictEntry>), StorageError> {
        let mut w = self.store.begin_write().await?;
        let row = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        let to =
            match req.assignee_id {
                Some(a) => Some(user_brief(&mut w.tx, a).await?.ok_or_else(|| {
                    StorageError::validation("assignee_id", format!("there is no user {a}"))
                })?),
                None => None,
            };
        let target = to.as_ref().map(|(role, unit, u)| (u.id, *role, *unit));
        match policy::may_assign(&actor, &facts(&row), target, req.reason.as_deref()) {
            Ok(()) => {}
            Err(AssignDenied::Hidden) => return Err(StorageError::not_found("item")),
            Err(AssignDenied::NotCoordinator) => {
                return Err(StorageError::forbidden(
                    "only the unit's coordinator assigns work; you may release your own item to the pool with a reason",
                ));
            }
            Err(AssignDenied::ReasonNeeded) => {
                return Err(StorageError::validation(
                    "reason",
                    "say why you release the item (the coordinator reads it)".into(),
                ));
            }
            Err(AssignDenied::BadAssignee) => {
                return Err(StorageError::validation(
                    "assignee_id",
                    format!("that user is no lawyer or mediator of unit {}", row.item.unit_id),
                ));
            }
            Err(AssignDenied::Finished) => {
                return Err(StorageError::refused(
                    ProblemCode::InvalidTransition,
                    format!(
                        "the item is {}; there is nothing left to assign",
                        row.item.status.as_str()
                    ),
                ));
            }
        }
        if row.item.version != req.version {
            return Err(stale(row.item.version, req.version));
        }
        let from = row.item.assignee.as_ref().map(|a| a.id);
        set_assignee(&mut w.tx, id, from, req.assignee_id, now).await?;
        let reason = req.reason.as_deref().map(str::trim).unwrap_or("");
        let (action, note) = match &to {
            // Plain data, shown by the client in its user's language.
            Some((_, _, u)) => (crate::api::HistoryAction::Assigned, u.display_name.clone()),
            None => (crate::api::HistoryAction::Released, reason.to_string()),
        };
        add_history(&mut w.tx, NewHistory::of(id, now, Some(me.id), action, &note)).await?;
        let conflicts = match req.assignee_id {
            Some(a) => {
                let parties = stored_parties(&mut w.tx, id).await?;
                conflicts_for(&mut w.tx, id, row.item.unit_id, &parties, Some(a)).await?
            }
            None => Vec::new(),
        };
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let a = self.announce(&mut w.tx, moved(&row, &after), &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok((ItemChange { before: row, after }, conflicts))
    }

    async fn cancel(
        &self,
        me: &User,
        id: i64,
        req: &CancelRequest,
        now: EpochMs,
    ) -> Result<ItemChange, StorageError> {
        let reason = req.reason.trim();
        if reason.is_empty() {
            return Err(StorageError::validation(
                "reason",
                "say why the item is cancelled".into(),
            ));
        }
        crate::domain::records::check_note(Some(reason))
            .map_err(|r| StorageError::validation("reason", r.to_string()))?;
        let mut w = self.store.begin_write().await?;
        let row = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let actor = actor_in_tree(&mut w.tx, me).await?;
        let f = facts(&row);
        if !policy::may_see(&actor, &f) {
            return Err(StorageError::not_found("item"));
        }
        if !policy::may_cancel(&actor, &f) {
            return Err(StorageError::forbidden(
                "only the assignee, the room's operator or the unit's coordinator may cancel this item",
            ));
        }
        if row.item.version != req.version {
            return Err(stale(row.item.version, req.version));
        }
        row.item
            .status
            .check_transition(row.item.kind, ItemStatus::Cancelled)
            .map_err(|e| StorageError::refused(ProblemCode::InvalidTransition, e.to_string()))?;
        sqlx::query("UPDATE items SET status = 'cancelled' WHERE id = $1")
            .bind(id)
            .execute(&mut *w.tx)
            .await?;
        touch_item(&mut w.tx, id, now).await?;
        add_history(
            &mut w.tx,
            NewHistory::of(id, now, Some(me.id), crate::api::HistoryAction::Status, reason)
                .moved(Some(row.item.status), Some(ItemStatus::Cancelled)),
        )
        .await?;
        let after = load_item(&mut *w.tx, id)
            .await?
            .ok_or_else(|| StorageError::not_found("item"))?;
        let mut changes = updated(&after);
        if after.item.assignee.is_none() {
            changes.push(Change::for_item(ChangeKind::PoolChanged, &after, None));
        }
        changes.extend(schedule_changes(&row, &after));
        let a = self.announce(&mut w.tx, changes, &after, now).await?;
        w.tx.commit().await?;
        self.published(a, &after);
        Ok(ItemChange { before: row, after })
    }
}

/// The item when the caller may see it (tree-wide for coordinators), else 404.
pub async fn visible(
    tx: &mut Transaction<'static, Any>,
    me: &User,
    id: i64,
) -> Result<ItemRow, StorageError> {
    let row = load_item(&mut **tx, id)
        .await?
        .ok_or_else(|| StorageError::not_found("item"))?;
    let actor = actor_in_tree(tx, me).await?;
    if !policy::may_see(&actor, &facts(&row)) {
        return Err(StorageError::not_found("item"));
    }
    Ok(row)
}

/// Stores a new item (checked already) with its `created` history entry;
/// `actor` None for the command line's import.
pub async fn insert_item(
    tx: &mut Transaction<'static, Any>,
    req: &NewItem,
    parties: &[Party],
    actor: Option<i64>,
    now: EpochMs,
) -> Result<i64, StorageError> {
    let id = next_id(tx, "item").await?;
    let seq = next_id(tx, "change_seq").await?;
    let due = due_at(req.kind, req.channel, req.green_channel, now, None);
    let enterprise = parties.iter().any(|p| p.kind == PartyKind::Enterprise);
    let fee_waiver = req.fee_waiver_eligible || (req.green_channel && req.kind == ItemKind::ProBono);
    // Parties are plain derive(Serialize) data: serializing cannot fail.
    let parties_json = serde_json::to_string(parties).unwrap_or_else(|_| "[]".into());
    // NULL (masked at read) in the impossible case it does not encode.
    let shown_json = super::item_list::parties_shown(parties).ok();
    sqlx::query(
        "INSERT INTO items (id, kind, title, description, channel, category, green_channel, frontline_group, \
         fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, typical_case, \
         version, change_seq, enterprise_party, external_ref, parties_shown) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'new', $10, $11, $12, $13, $14, $14, 0, 1, $15, $16, $17, $18)",
    )
    .bind(id)
    .bind(req.kind.as_str())
    .bind(req.title.trim())
    .bind(req.description.trim())
    .bind(req.channel.as_str())
    .bind(req.category.as_str())
    .bind(i64::from(req.green_channel))
    .bind(req.frontline_group.map(|g| g.as_str()))
    .bind(i64::from(fee_waiver))
    .bind(req.assignee_id)
    .bind(req.unit_id)
    .bind(parties_json)
    .bind(due)
    .bind(now)
    .bind(seq)
    .bind(i64::from(enterprise))
    .bind(req.external_ref.as_deref())
    .bind(shown_json)
    .execute(&mut **tx)
    .await?;
    add_history(
        tx,
        NewHistory::of(
            id,
            now,
            actor,
            crate::api::HistoryAction::Created,
            req.channel.as_str(),
        )
        .moved(None, Some(ItemStatus::New)),
    )
    .await?;
    Ok(id)
}
