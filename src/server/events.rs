//! `GET /api/v1/events`: changes the caller may see, as server-sent events.
//! Each instance's bus (`bus.rs`) delivers every change once, with the item
//! read once; here each stream keeps what its caller may see and sends the
//! item as they may see it, or a tombstone.

use std::collections::VecDeque;
use std::convert::Infallible;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use std::sync::atomic::Ordering;

use super::Shared;
use super::auth::AuthUser;
use super::bus::{Announced, Change, Delivery};
use super::hub::{Listener, Subscription};
use super::storage::{Storage, may_see};
use crate::api::{ChangeEvent, ChangeKind};
use crate::domain::clock::now_ms;

impl Change {
    fn visible_to(&self, me: &AuthUser) -> bool {
        // The one policy decides (domain::policy), from the facts a change
        // carries.
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

    /// The kind as this caller should read it: a reassignment is
    /// `unassigned` for the one who lost the item.
    fn kind_seen_by(&self, me: &AuthUser) -> ChangeKind {
        if self.previous_assignee_id == Some(me.id()) && self.assignee_id != Some(me.id()) {
            ChangeKind::Unassigned
        } else {
            self.kind
        }
    }
}

fn kind_name(kind: ChangeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn sse_event(ev: &ChangeEvent) -> Event {
    Event::default()
        .event(kind_name(ev.kind))
        .data(serde_json::to_string(ev).unwrap_or_default())
}

/// One change as `me` reads it: the item's JSON (made once per instance)
/// spliced in when they may see it, a tombstone when they no longer may.
fn change_event(a: &Announced, change: &Change, me: &AuthUser) -> Event {
    let ann = &a.announcement;
    let kind = change.kind_seen_by(me);
    let visible = a.row.as_ref().filter(|r| may_see(&me.user, r));
    let head = ChangeEvent {
        item_id: Some(ann.item_id),
        change_seq: Some(ann.seq),
        gone: visible.is_none(),
        ..ChangeEvent::bare(kind, ann.at)
    };
    // Plain derive(Serialize) data with string keys: cannot fail.
    let mut data = serde_json::to_string(&head).unwrap_or_default();
    if let (Some(_), Some(json)) = (visible, &a.item_json)
        && data.ends_with('}')
    {
        data.pop();
        data.push_str(",\"item\":");
        data.push_str(json);
        data.push('}');
    }
    Event::default().event(kind_name(kind)).data(data)
}

/// A stream's state between events.
struct Subscriber {
    sub: Subscription,
    me: AuthUser,
    pending: VecDeque<Event>,
}

/// The next event for this subscriber; `None` ends the stream (server
/// stopping, or the caller's token revoked).
async fn next_event(mut s: Subscriber) -> Option<(Result<Event, Infallible>, Subscriber)> {
    loop {
        if let Some(ev) = s.pending.pop_front() {
            return Some((Ok(ev), s));
        }
        // Deliveries were dropped while this stream was slow: resync.
        if s.sub.lagged.swap(false, Ordering::Relaxed) {
            let ev = ChangeEvent::bare(ChangeKind::Updated, now_ms());
            return Some((Ok(sse_event(&ev)), s));
        }
        match s.sub.rx.recv().await? {
            Delivery::Change(a) => {
                for change in a.announcement.changes.iter().filter(|c| c.visible_to(&s.me)) {
                    s.pending.push_back(change_event(&a, change, &s.me));
                }
            }
            Delivery::Revoked(tokens) => {
                if tokens.contains(&s.me.token_id) {
                    return None;
                }
            }
            // The instance's listener lost its connection: resync.
            Delivery::Resync => {
                let ev = ChangeEvent::bare(ChangeKind::Updated, now_ms());
                return Some((Ok(sse_event(&ev)), s));
            }
        }
    }
}

pub async fn stream<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let sub = state.bus.hub().subscribe(Listener {
        user_id: me.id(),
        token_id: me.token_id,
        role: me.role(),
        unit_id: me.unit_id(),
    });
    let hello = ChangeEvent::bare(ChangeKind::Heartbeat, now_ms());
    let first = stream::once(async move { Ok(sse_event(&hello)) });
    let subscriber = Subscriber {
        sub,
        me,
        pending: VecDeque::new(),
    };
    let changes = stream::unfold(subscriber, next_event);
    let heartbeat = ChangeEvent::bare(ChangeKind::Heartbeat, 0);
    let keep = KeepAlive::new()
        .interval(state.heartbeat)
        .event(sse_event(&heartbeat));
    let mut closing = state.closing.subscribe();
    // A revoked token (signed out, or its user disabled) ends its stream
    // through the hub (`revocations.rs`).
    let closed = async move {
        // An error: the state is gone, and with it the server.
        let _ = closing.wait_for(|closing| *closing).await;
    };
    Sse::new(first.chain(changes).take_until(closed).boxed()).keep_alive(keep)
}
