//! The bureau's roll-up on the wire: a form's rows per child unit, and the
//! hand-in of a period's form (submit, approve, return, reopen).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::UnitRef;
use super::stats::{HoursSummary, StatsRow};
use crate::domain::EpochMs;
use crate::domain::rollup::{HandIn, SubmissionAction, SubmissionStatus};

/// How a form is broken down: `by=unit` adds one row set per child unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StatsBy {
    Unit,
}

/// One child unit's rows (its whole subtree), or the unit's own records
/// when `unit` is the form's unit itself. The row sets sum to the form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitRows {
    pub unit: UnitRef,
    pub rows: Vec<StatsRow>,
    #[serde(default)]
    pub hours: HoursSummary,
}

/// One person's rows in their unit's form: the records they logged for
/// that unit. Only for the unit's own coordinator (and admins); the people's
/// row sets sum to the unit's own records (its `units` entry for itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PersonRows {
    pub user: super::UserRef,
    pub rows: Vec<StatsRow>,
    #[serde(default)]
    pub hours: HoursSummary,
}

/// The body of a submission: 填报人 and 联系电话.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct NewSubmission {
    /// The unit handing in; without it, the caller's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<i64>,
    /// 填报人.
    pub filled_by: String,
    /// 联系电话.
    pub phone: String,
}

/// The body of an approve, return or reopen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubmissionStep {
    pub action: SubmissionAction,
    /// Required to return or reopen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// One unit's hand-in for one period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Submission {
    pub campaign_id: String,
    /// `YYYY-MM-DD..YYYY-MM-DD`.
    pub period: String,
    pub unit: UnitRef,
    pub status: SubmissionStatus,
    /// 填报人.
    pub filled_by: String,
    /// 联系电话.
    pub phone: String,
    /// 填报日期: when it was last handed in, epoch ms.
    pub submitted_at: EpochMs,
    /// The rows as handed in; later records never change them.
    pub rows: Vec<StatsRow>,
    /// The reason of the last return or reopen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// Where one unit stands for a period, in the bureau's overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitHandIn {
    pub unit: UnitRef,
    pub hand_in: HandIn,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<SubmissionStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub submitted_at: Option<EpochMs>,
}

/// `GET` [`SUBMISSIONS`](super::paths::SUBMISSIONS): the caller's unit and every unit below it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubmissionList {
    pub campaign_id: String,
    pub period: String,
    /// When the form is late, epoch ms.
    pub due_by: EpochMs,
    pub units: Vec<UnitHandIn>,
}
