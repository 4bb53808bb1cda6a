//! Pure rules of on-duty legal service work. No I/O, no clocks: callers pass
//! the time in. Both the client and the server compile against this.

pub mod campaign;
pub mod clock;
pub mod conflicts;
pub mod duty;
pub mod intake;
pub mod item;
pub mod money;
pub mod number;
pub mod outcome;
pub mod people;
pub mod policy;
pub mod privacy;
pub mod records;
pub mod rollup;
pub mod slot;
pub mod status;
pub mod units;

pub use item::{Category, Channel, FrontlineGroup, ItemKind, PartyKind, due_at};
pub use money::Yuan;
pub use outcome::{OutcomeCode, OutcomeFields, OutcomeRuleError, TimeActivity};
pub use people::{MAX_USERNAME_CHARS, Profession, Role, username_fits};
pub use status::{ItemStatus, TransitionError};
pub use units::UnitKind;

/// Milliseconds since the Unix epoch: the one timestamp type on the wire and
/// in both stores (sqlx's `Any` driver cannot bind date types).
pub type EpochMs = i64;

pub const MINUTE_MS: EpochMs = 60_000;
pub const HOUR_MS: EpochMs = 60 * MINUTE_MS;
