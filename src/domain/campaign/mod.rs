//! Campaigns (专项行动): definitions as data, reporting periods, and the
//! rules that turn logged work into the bureau's indicators. Pure: no I/O,
//! no clock.

pub mod definition;
pub mod evaluate;
pub mod period;
pub mod rules;

pub use definition::{Cadence, CampaignDef, DefinitionError, Indicator, SHIPPED, parse_definition};
pub use evaluate::{AggregateKey, Increment, RecordFact, RecordKind, contributions, recompute};
pub use period::{Period, PeriodError, parse_period, period_of};
pub use rules::Rule;
