//! The storage traits' own types: what handlers hand to storage and get
//! back. The SQL implementation builds them; nothing here knows SQL.

use crate::api::{User, WorkItem};
use crate::domain::EpochMs;
use crate::domain::policy::{self, Actor, ItemFacts};

/// An item plus the columns the server needs for access checks.
#[derive(Debug, Clone)]
pub struct ItemRow {
    pub item: WorkItem,
    pub previous_assignee_id: Option<i64>,
    pub room_operator_id: Option<i64>,
    /// The change number of the item's last change.
    pub change_seq: i64,
}

/// The policy's view of an item row.
pub fn facts(row: &ItemRow) -> ItemFacts {
    ItemFacts {
        kind: row.item.kind,
        status: row.item.status,
        unit_id: row.item.unit_id,
        assignee_id: row.item.assignee.as_ref().map(|a| a.id),
        room_operator_id: row.room_operator_id,
    }
}

/// The policy's view of the caller, overseeing their own unit.
pub fn actor(me: &User) -> Actor {
    Actor::own_unit(me.id, me.role, me.unit.id)
}

/// Whether the caller may read the item (`domain::policy::may_see`).
pub fn may_see(me: &User, row: &ItemRow) -> bool {
    policy::may_see(&actor(me), &facts(row))
}

/// What a correct password still has to pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginState {
    pub disabled: bool,
    pub must_change_password: bool,
}

/// An item created: the stored answer, and the item to announce.
#[derive(Debug, Clone)]
pub struct Created {
    pub response: StoredResponse,
    pub item_id: Option<i64>,
}

/// A creating request's identity for `Idempotency-Key` handling: who sent
/// it, the key, and a hash of what it asked for.
#[derive(Debug, Clone)]
pub struct IdemRequest {
    pub user_id: i64,
    pub key: String,
    pub hash: String,
}

/// The status and JSON body a creating POST answered, stored with its key
/// so a repeat answers the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// The caller's items changed after a cursor, and the cursor to send next.
#[derive(Debug, Clone)]
pub struct ItemsSince {
    pub items: Vec<WorkItem>,
    /// Items that left the caller since the cursor: ids only.
    pub removed: Vec<i64>,
    pub cursor: i64,
}

/// `GET /items`'s answer for a cursor, encoded already: the body is
/// `ItemList` as JSON.
#[derive(Debug, Clone)]
pub struct ListJson {
    pub body: Vec<u8>,
    pub cursor: i64,
    /// How many items the body holds.
    pub items: usize,
}

#[derive(Debug, Clone)]
pub enum ClaimResult {
    /// The caller holds the item now.
    Claimed(Box<ItemRow>),
    /// Someone got it first; their display name when known.
    Taken { holder: Option<String> },
}

/// An outcome's stored answer and, when it was new, the item it closed.
#[derive(Debug, Clone)]
pub struct OutcomeLogged {
    pub response: StoredResponse,
    pub closed: Option<ItemRow>,
}

/// An item before and after a change, for telling everyone concerned.
#[derive(Debug, Clone)]
pub struct ItemChange {
    pub before: ItemRow,
    pub after: ItemRow,
}

/// Which tokens `dutydesk admin token revoke` ends.
#[derive(Debug, Clone)]
pub enum RevokeTarget {
    Token(i64),
    User(String),
}

/// A mediation session's new time and room.
#[derive(Debug, Clone, Copy)]
pub struct NewSlot {
    pub start: EpochMs,
    pub end: EpochMs,
    pub room_id: i64,
}
