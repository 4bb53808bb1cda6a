//! The work a lawyer does, once for the CLI and the TUI: start (the timer,
//! and the item moved to in progress), stop (the time logged), claim,
//! move an item or mark a session, and record an outcome, time, a note.
//! Each queues its requests durably in the outbox and keeps the local
//! cache in step, so a list read right after shows the change; sending is
//! the caller's (the CLI flushes once, the TUI in the background).

use super::store::{LocalStore, MINE, NewEntry, StoreError};
use super::sync::Engine;
use super::writes;
use crate::api::{TransitionRequest, WorkItem};
use crate::domain::{EpochMs, ItemStatus};

/// How a mediation session went, as the room operator (or the mediator)
/// marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionMark {
    Started,
    Ended,
    NoShow,
}

impl SessionMark {
    /// The session's status after the mark. An ended session waits for its
    /// outcome (closing needs one).
    pub fn status(self) -> ItemStatus {
        match self {
            Self::Started => ItemStatus::InProgress,
            Self::Ended => ItemStatus::Waiting,
            Self::NoShow => ItemStatus::NoShow,
        }
    }
}

/// One request durably in the outbox: its id (the Idempotency-Key) and
/// what it is.
#[derive(Debug, Clone)]
pub struct Queued {
    pub id: String,
    pub entry: NewEntry,
}

impl Queued {
    pub fn summary(&self) -> &str {
        &self.entry.summary
    }
}

/// What `start` did.
#[derive(Debug, Default)]
pub struct Started {
    /// The time of a timer that was running before (perhaps on another
    /// item, started by another session), logged in the same transaction.
    pub previous: Option<Queued>,
    /// The moves that take the item to in progress.
    pub moves: Vec<Queued>,
    /// The item as it stands now, when it is cached.
    pub item: Option<WorkItem>,
}

impl Started {
    /// Something was queued that a flush should send.
    pub fn queued(&self) -> bool {
        self.previous.is_some() || !self.moves.is_empty()
    }
}

/// Starts working on an item: the one timer starts on it (a running one is
/// logged first), and a new or accepted item of mine moves to in progress.
/// With an engine, an item not cached yet is fetched once; without (signed
/// out or offline), the timer alone starts and the item stays as it is.
pub async fn start(
    store: &LocalStore,
    engine: Option<&Engine>,
    item_id: i64,
    at: EpochMs,
) -> Result<Started, StoreError> {
    let previous = store
        .start_timer_logged(item_id, at, writes::timer)
        .await?
        .map(|(id, entry)| Queued { id, entry });
    let mut item = store.cached_item(item_id).await?;
    if item.is_none()
        && let Some(e) = engine
    {
        // Not fetched yet: one pull; offline, the timer alone will do.
        let _ = e.pull().await;
        item = store.cached_item(item_id).await?;
    }
    let mut moves = Vec::new();
    if let Some(mut it) = item.clone().filter(|i| i.assignee.is_some()) {
        let entries = writes::to_in_progress(&it);
        for entry in entries {
            let id = store.enqueue(entry.clone()).await?;
            moves.push(Queued { id, entry });
        }
        if !moves.is_empty() {
            // Shown as in progress at once (and not moved twice by a second
            // `start`); the next pull brings the server's word.
            it.version += moves.len() as i64;
            it.status = ItemStatus::InProgress;
            store.upsert_items(MINE, std::slice::from_ref(&it)).await?;
            item = Some(it);
        }
    }
    Ok(Started {
        previous,
        moves,
        item,
    })
}

/// Stops the timer and queues its time; `None` when none was running (or
/// another session stopped it first: its time is logged once, there).
pub async fn stop(store: &LocalStore) -> Result<Option<Queued>, StoreError> {
    Ok(store
        .stop_timer_logged(writes::timer)
        .await?
        .map(|(id, entry)| Queued { id, entry }))
}

/// Queues a record (outcome, time, activity, note, typical case, duty
/// check-in or check-out, claim) as it is.
pub async fn record(store: &LocalStore, entry: NewEntry) -> Result<Queued, StoreError> {
    let id = store.enqueue(entry.clone()).await?;
    Ok(Queued { id, entry })
}

/// Takes a pool item.
pub async fn claim(store: &LocalStore, item_id: i64) -> Result<Queued, StoreError> {
    record(store, writes::claim(item_id)).await
}

/// Moves an item to `to` from `version`; a cached copy shows the move at
/// once. Returns the item as it now stands when it is cached.
pub async fn move_item(
    store: &LocalStore,
    item_id: i64,
    to: ItemStatus,
    version: i64,
) -> Result<(Queued, Option<WorkItem>), StoreError> {
    let queued = record(
        store,
        writes::transition(item_id, &TransitionRequest { to, version }),
    )
    .await?;
    let mut item = store.cached_item(item_id).await?;
    if let Some(it) = item
        .as_mut()
        .filter(|i| i.assignee.is_some() && i.version == version)
    {
        it.status = to;
        it.version += 1;
        store.upsert_items(MINE, std::slice::from_ref(it)).await?;
    }
    Ok((queued, item))
}

/// Marks a session started, ended or no-show.
pub async fn mark_session(
    store: &LocalStore,
    item_id: i64,
    mark: SessionMark,
    version: i64,
) -> Result<(Queued, Option<WorkItem>), StoreError> {
    move_item(store, item_id, mark.status(), version).await
}

/// The item a queued request is about: `/items/{id}/…`, or a body's
/// `item_id` (time entries). What a screen showing that item must reload
/// once the server has it.
pub fn item_of(entry: &NewEntry) -> Option<i64> {
    let from_path = entry
        .path
        .strip_prefix(crate::api::paths::ITEMS)
        .and_then(|rest| rest.strip_prefix('/'))
        .and_then(|rest| rest.split('/').next())
        .and_then(|id| id.parse().ok());
    from_path.or_else(|| entry.body.get("item_id").and_then(|v| v.as_i64()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_item_a_request_is_about() {
        assert_eq!(item_of(&writes::claim(12)), Some(12));
        let t = crate::api::NewTimeEntry {
            item_id: 7,
            minutes: 45,
            activity: crate::domain::TimeActivity::Session,
            note: None,
            occurred_at: None,
        };
        assert_eq!(item_of(&writes::time_entry(&t)), Some(7));
        assert_eq!(item_of(&writes::check_in(3)), None);
    }
}
