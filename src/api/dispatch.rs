//! Dispatch: the people of a unit who take work, with their open load, so
//! a coordinator (or the intake desk routing work) can pick whom to give
//! an item to.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::Role;

/// One person of a unit who takes work, and how much they hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitPerson {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// Unfinished items assigned to them.
    pub open_items: i64,
    /// Of those, how many are past their due time.
    pub overdue_items: i64,
}

/// `GET /api/v1/units/{id}/people`: the unit's lawyers and mediators, by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UnitPeople {
    pub unit_id: i64,
    pub unit_name: String,
    pub people: Vec<UnitPerson>,
    /// The units right below this one, which its coordinator oversees too
    /// (a bureau's coordinator dispatches in the units under it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units_below: Vec<super::UnitRef>,
}

impl UnitPeople {
    /// The person with this username (exactly, around spaces).
    pub fn find(&self, username: &str) -> Option<&UnitPerson> {
        let username = username.trim();
        self.people.iter().find(|p| p.username == username)
    }
}
