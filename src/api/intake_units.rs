//! `GET /api/v1/intake/units`: where the intake desk may send new work
//! (its own unit and the units under the same bureau), each with the
//! people there who take work, for the form's destination and assignee.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{UnitRef, UserRef};

/// One unit the desk may route to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntakeUnit {
    pub unit: UnitRef,
    /// Its lawyers and mediators (enabled accounts), by name.
    #[serde(default)]
    pub people: Vec<UserRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct IntakeUnits {
    pub units: Vec<IntakeUnit>,
}
