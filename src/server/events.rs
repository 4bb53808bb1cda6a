//! `GET /api/v1/events`: changes the caller may see, as server-sent events.

use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use tokio::sync::broadcast;

use super::Shared;
use super::auth::AuthUser;
use super::db::now_ms;
use super::storage::ItemRow;
use crate::api::{ChangeEvent, ChangeKind};
use crate::domain::EpochMs;

/// One change, with what is needed to decide who may hear of it.
#[derive(Debug, Clone)]
pub struct Change {
    pub kind: ChangeKind,
    pub item_id: Option<i64>,
    pub assignee_id: Option<i64>,
    pub previous_assignee_id: Option<i64>,
    pub unit_id: i64,
    pub room_operator_id: Option<i64>,
    pub at: EpochMs,
}

impl Change {
    pub fn for_item(kind: ChangeKind, row: &ItemRow, previous: Option<i64>, at: EpochMs) -> Change {
        Change {
            kind,
            item_id: Some(row.item.id),
            assignee_id: row.item.assignee.as_ref().map(|a| a.id),
            previous_assignee_id: previous,
            unit_id: row.item.unit_id,
            room_operator_id: row.room_operator_id,
            at,
        }
    }

    fn visible_to(&self, me: &AuthUser) -> bool {
        // The one policy decides (domain::policy); the facts a change carries.
        let facts = crate::domain::policy::ItemFacts {
            kind: crate::domain::ItemKind::Consultation,
            status: crate::domain::ItemStatus::Accepted,
            unit_id: self.unit_id,
            assignee_id: self.assignee_id,
            room_operator_id: self.room_operator_id,
        };
        let actor = crate::domain::policy::Actor::own_unit(me.id(), me.role(), me.unit_id());
        let pool = self.kind == ChangeKind::PoolChanged;
        crate::domain::policy::may_see_change(&actor, &facts, self.previous_assignee_id, pool)
    }

    /// The event as this caller should read it: a reassignment is
    /// `unassigned` for the one who lost the item.
    fn as_seen_by(&self, me: &AuthUser) -> ChangeEvent {
        let kind = if self.previous_assignee_id == Some(me.id()) && self.assignee_id != Some(me.id()) {
            ChangeKind::Unassigned
        } else {
            self.kind
        };
        ChangeEvent {
            kind,
            item_id: self.item_id,
            at: self.at,
        }
    }
}

fn sse_event(ev: &ChangeEvent) -> Event {
    let kind = serde_json::to_value(ev.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    Event::default()
        .event(kind)
        .data(serde_json::to_string(ev).unwrap_or_default())
}

pub async fn stream(
    State(state): State<Shared>,
    me: AuthUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.events.subscribe();
    let hello = ChangeEvent {
        kind: ChangeKind::Heartbeat,
        item_id: None,
        at: now_ms(),
    };
    let first = stream::once(async move { Ok(sse_event(&hello)) });
    let revoked = super::accounts::until_revoked(&state, me.token_id);
    let changes = stream::unfold((rx, me), |(mut rx, me)| async move {
        loop {
            match rx.recv().await {
                Ok(change) if change.visible_to(&me) => {
                    let ev = sse_event(&change.as_seen_by(&me));
                    return Some((Ok(ev), (rx, me)));
                }
                Ok(_) => continue,
                // A slow reader missed some: tell it to resync from the list.
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    let ev = ChangeEvent {
                        kind: ChangeKind::Updated,
                        item_id: None,
                        at: now_ms(),
                    };
                    return Some((Ok(sse_event(&ev)), (rx, me)));
                }
                Err(broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    let heartbeat = ChangeEvent {
        kind: ChangeKind::Heartbeat,
        item_id: None,
        at: 0,
    };
    let keep = KeepAlive::new()
        .interval(state.heartbeat)
        .event(sse_event(&heartbeat));
    let mut closing = state.closing.subscribe();
    let closed = async move {
        tokio::select! {
            // An error: the state is gone, and with it the server.
            _ = closing.wait_for(|closing| *closing) => {}
            // The user was disabled or signed out elsewhere.
            () = revoked => {}
        }
    };
    Sse::new(first.chain(changes).take_until(closed).boxed()).keep_alive(keep)
}
