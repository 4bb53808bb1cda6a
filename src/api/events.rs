//! `GET /api/v1/events`: a server-sent event stream of changes the caller
//! may see. Each event's `event:` field is the `kind`; `data:` is a
//! `ChangeEvent` as JSON. A client that loses the stream falls back to
//! polling `GET /api/v1/items?since=`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::WorkItem;
use crate::domain::EpochMs;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// An item was assigned to the caller (new or reassigned to them).
    Assigned,
    /// An item left the caller (reassigned to someone else).
    Unassigned,
    /// An item the caller sees changed status or content.
    Updated,
    /// The pool changed (an item arrived or was claimed).
    PoolChanged,
    /// A mediation session's time or room changed.
    ScheduleChanged,
    /// Sent on connect and every 15 s so proxies keep the stream open.
    Heartbeat,
    #[serde(other)]
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ChangeEvent {
    pub kind: ChangeKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<i64>,
    pub at: EpochMs,
    /// The item's change number after this change; absent on heartbeats
    /// and on a resync (an `updated` with no `item_id`: pull `?since=`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_seq: Option<i64>,
    /// The item as the recipient may see it after the change, so a push
    /// needs no refetch. Absent on a tombstone (`gone`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<Box<WorkItem>>,
    /// A tombstone: the item left what the recipient may see (claimed or
    /// reassigned away); drop it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub gone: bool,
}

impl ChangeEvent {
    /// An event about no item in particular (hello, heartbeat, resync).
    pub fn bare(kind: ChangeKind, at: EpochMs) -> ChangeEvent {
        ChangeEvent {
            kind,
            item_id: None,
            at,
            change_seq: None,
            item: None,
            gone: false,
        }
    }
}
