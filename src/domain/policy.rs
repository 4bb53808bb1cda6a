//! Who may do what: one authorization policy, pure, used by the server's
//! handlers, its event filter and the statistics scopes.

pub use super::units::{UnitLink, overseen_units, root_of, units_at_or_below};
