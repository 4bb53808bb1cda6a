//! Work items as lists and the detail screen see them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Outcome, TimeEntry, UserRef};
use crate::domain::{Category, Channel, EpochMs, FrontlineGroup, ItemKind, ItemStatus, PartyKind};

/// A party to the matter: the person asking, the other side, a witness.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Party {
    pub name: String,
    /// Free text role, e.g. 申请人 / applicant, 被申请人 / respondent.
    pub role: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<String>,
    /// A person or an enterprise; older servers send none (a person).
    #[serde(default)]
    pub kind: PartyKind,
    /// 身份证号 or 统一社会信用代码. Masked like `contact` unless revealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

/// What only a mediation session has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct MediationInfo {
    pub scheduled_start: EpochMs,
    pub scheduled_end: EpochMs,
    pub room_id: i64,
    pub room_name: String,
    /// Video link for remote sessions; absent for phone mediation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_link: Option<String>,
}

/// A mediation session, consultation ticket or pro bono request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkItem {
    pub id: i64,
    pub kind: ItemKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub channel: Channel,
    pub category: Category,
    /// Green channel (绿色通道): frontline workers, priority handling.
    pub green_channel: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frontline_group: Option<FrontlineGroup>,
    /// Whether fees may be reduced or waived (减免费用).
    pub fee_waiver_eligible: bool,
    pub status: ItemStatus,
    /// `None` while the item sits in the on-duty pool.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub assignee: Option<UserRef>,
    pub unit_id: i64,
    #[serde(default)]
    pub parties: Vec<Party>,
    pub due_at: EpochMs,
    pub created_at: EpochMs,
    pub updated_at: EpochMs,
    /// Flagged by the lawyer as a typical case (典型案例) for the bureau.
    #[serde(default)]
    pub typical_case: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mediation: Option<MediationInfo>,
    /// Bumped on every change; send it back with a transition.
    pub version: i64,
}

/// `GET /api/v1/items`: what changed since `since`, and the cursor to send
/// next time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ItemList {
    pub items: Vec<WorkItem>,
    pub cursor: String,
    /// Ids of items that left the caller since the cursor (reassigned,
    /// released, taken back): drop them. Ids only, never the item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub removed: Vec<i64>,
}

/// `GET /api/v1/pool`: unassigned items the caller may claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PoolList {
    pub items: Vec<WorkItem>,
}

/// One change in an item's life, for the detail screen's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct HistoryEntry {
    pub at: EpochMs,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<UserRef>,
    /// What happened: `created`, `claimed`, `assigned`, `status`, `outcome`,
    /// `time`, ... (`HistoryAction`); a client shows one it does not know by
    /// its name.
    #[schema(value_type = String)]
    pub action: super::HistoryAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from_status: Option<ItemStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_status: Option<ItemStatus>,
    #[serde(default)]
    pub note: String,
}

/// `GET /api/v1/items/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ItemDetail {
    #[serde(flatten)]
    pub item: WorkItem,
    pub history: Vec<HistoryEntry>,
    pub outcomes: Vec<Outcome>,
    pub time_entries: Vec<TimeEntry>,
}

/// `POST /api/v1/items/{id}/transition`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    pub to: ItemStatus,
    /// The version the client last saw; a stale one gets 409.
    pub version: i64,
}

/// `POST /api/v1/items/{id}/notes`: a free-text note on the item's
/// history, created once per `Idempotency-Key`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewNote {
    /// Not blank; at most [`MAX_NOTE_CHARS`] characters.
    pub text: String,
}

/// The longest note the server keeps, in characters.
pub use crate::domain::records::MAX_NOTE_CHARS;

/// `POST /api/v1/items/{id}/typical`: flags or unflags the item as a
/// typical case (典型案例).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TypicalCaseRequest {
    pub typical: bool,
    /// The version the client last saw; a stale one gets 409.
    pub version: i64,
}
