//! Corrections on the wire: an outcome corrected by the coordinator of the
//! item's unit (or one above it, or an admin) with a reason. The wrong
//! outcome stays stored; a counter-record and the corrected outcome join it,
//! and the item's history says who corrected what and why.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Outcome, WorkItem};
use crate::domain::{OutcomeCode, Yuan};

/// The corrected outcome's fields, why, and the item's version as loaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OutcomeCorrection {
    /// Which outcome; the item's standing (latest, uncorrected) one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome_id: Option<String>,
    #[serde(alias = "outcome")]
    pub code: OutcomeCode,
    /// Amount settled by a (partial) mediation agreement, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settled_amount: Option<Yuan>,
    /// Fee reduced or waived on a pro bono request, in yuan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee_waived: Option<Yuan>,
    /// Why: required, shown on the item's history.
    pub reason: String,
    /// The item's version as the coordinator saw it (409 `version_conflict` otherwise).
    pub version: i64,
}

/// The answer: the item after the correction, the outcome it replaced and
/// the corrected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CorrectedOutcome {
    pub item: WorkItem,
    pub replaced: Outcome,
    pub outcome: Outcome,
}
