//! What a lawyer logs: outcomes, time, stand-alone activities. Each is
//! created by a POST with an `Idempotency-Key`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{EpochMs, OutcomeCode, TimeActivity, Yuan};

/// `POST /api/v1/items/{id}/outcomes`. Logging an outcome closes the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOutcome {
    #[serde(alias = "outcome")]
    pub code: OutcomeCode,
    /// Minutes worked, logged as a time entry with the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    /// Amount settled by a (partial) mediation agreement, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_amount: Option<Yuan>,
    /// Fee reduced or waived on a pro bono request, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_waived: Option<Yuan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the work happened, if not now (logged offline, sent later).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<EpochMs>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Outcome {
    pub id: String,
    pub item_id: i64,
    pub user_id: i64,
    pub code: OutcomeCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_amount: Option<Yuan>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_waived: Option<Yuan>,
    #[serde(default)]
    pub note: String,
    pub occurred_at: EpochMs,
    pub created_at: EpochMs,
}

/// `POST /api/v1/time-entries`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewTimeEntry {
    pub item_id: i64,
    pub minutes: i64,
    pub activity: TimeActivity,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<EpochMs>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TimeEntry {
    pub id: String,
    pub item_id: i64,
    pub user_id: i64,
    pub minutes: i64,
    pub activity: TimeActivity,
    #[serde(default)]
    pub note: String,
    pub occurred_at: EpochMs,
    pub created_at: EpochMs,
}

/// `POST /api/v1/activities`: work that is not an item, counted straight
/// into an indicator (an enterprise visit, a training, contact cards).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewActivity {
    /// An indicator code of a campaign, e.g. `enterprises_visited`.
    pub indicator: String,
    /// The first value (enterprises, sessions, incidents, ...).
    pub count: i64,
    /// The second value of two-valued rows (attendees, people).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count2: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occurred_at: Option<EpochMs>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Activity {
    pub id: String,
    pub user_id: i64,
    pub indicator: String,
    pub count: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count2: Option<i64>,
    #[serde(default)]
    pub note: String,
    pub occurred_at: EpochMs,
    pub created_at: EpochMs,
}
