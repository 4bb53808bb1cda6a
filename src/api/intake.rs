//! How work enters and moves: intake, assignment, scheduling, cancelling,
//! conflict-of-interest warnings, revealing a party's numbers, a unit's
//! open work, and changing a password.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{UserRef, WorkItem};
use crate::domain::{Category, Channel, EpochMs, FrontlineGroup, ItemKind, PartyKind};

/// Which side a party stands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PartySide {
    Applicant,
    Respondent,
}

impl PartySide {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Applicant => "applicant",
            Self::Respondent => "respondent",
        }
    }
}

/// A party as the desk registers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NewParty {
    pub name: String,
    pub role: PartySide,
    #[serde(default)]
    pub kind: PartyKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

impl<'a> From<&'a NewParty> for crate::domain::intake::PartyInput<'a> {
    /// What `domain::intake` checks of a party, the same on both sides.
    fn from(p: &'a NewParty) -> Self {
        crate::domain::intake::PartyInput {
            name: &p.name,
            phone: p.phone.as_deref(),
            id_number: p.id_number.as_deref(),
        }
    }
}

/// `POST /api/v1/items`: a consultation ticket, a pro bono request through
/// the green channel, or a mediation request. `Idempotency-Key` required.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NewItem {
    pub kind: ItemKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub channel: Channel,
    #[serde(default = "other_category")]
    pub category: Category,
    #[serde(default)]
    pub green_channel: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontline_group: Option<FrontlineGroup>,
    #[serde(default)]
    pub fee_waiver_eligible: bool,
    pub parties: Vec<NewParty>,
    /// The unit whose on-duty pool it goes to (the desk's own, or one
    /// under the same bureau).
    pub unit_id: i64,
    /// Straight to a person of that unit instead of the pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee_id: Option<i64>,
    /// The hotline or intake platform's own id: importing it again finds
    /// the item instead of making a second.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
}

fn other_category() -> Category {
    Category::Other
}

/// An earlier item of the unit that touches this one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConflictEntry {
    pub item_id: i64,
    pub created_at: EpochMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<UserRef>,
    /// The party's name (their numbers stay masked).
    pub party: String,
    /// `opposite_side`: the same person stood on the other side there;
    /// `represented_opponent`: the assignee acted for this item's opponent.
    pub reason: String,
}

/// An item and the conflicts of interest found for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ItemWithConflicts {
    pub item: WorkItem,
    #[serde(default)]
    pub conflicts: Vec<ConflictEntry>,
}

/// `POST /api/v1/items/{id}/claim`: the item as before, plus the
/// conflicts of interest the claimant meets (older clients ignore them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClaimAnswer {
    #[serde(flatten)]
    pub item: WorkItem,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictEntry>,
}

/// `GET /api/v1/items/{id}/conflicts`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConflictList {
    pub conflicts: Vec<ConflictEntry>,
}

/// `POST /api/v1/items/{id}/conflicts/ack`: the warning was read; recorded
/// in the item's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ConflictAck {
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// `POST /api/v1/items/{id}/assign`: `assignee_id` null returns it to the pool.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AssignRequest {
    pub assignee_id: Option<i64>,
    pub version: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// `POST /api/v1/items/{id}/schedule`: book or move a mediation session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ScheduleRequest {
    pub room_id: i64,
    pub start: EpochMs,
    pub end: EpochMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediator_id: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_link: Option<String>,
}

/// `POST /api/v1/items/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CancelRequest {
    pub reason: String,
    pub version: i64,
}

/// `GET /api/v1/units/{id}/items`: which of the unit's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum UnitItemFilter {
    #[default]
    Open,
    Overdue,
    Unassigned,
}

/// A page of a unit's work; `next` is the offset of the next page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitItemPage {
    pub items: Vec<WorkItem>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<i64>,
}

/// `POST /api/v1/items/{id}/reveal`: the parties' full numbers (audited).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RevealedParties {
    pub parties: Vec<super::Party>,
}

/// One line of an item's audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEntry {
    pub at: EpochMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserRef>,
    pub action: String,
}

/// `GET /api/v1/items/{id}/audit` (coordinators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditTrail {
    pub entries: Vec<AuditEntry>,
}

/// `POST /api/v1/me/password`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}
