//! Campaigns (专项行动): definitions as data, reporting periods, and the
//! rules that turn logged work into the bureau's indicators. Pure: no I/O,
//! no clock.

pub mod definition;
pub mod period;
pub mod rules;

pub use definition::{Cadence, CampaignDef, DefinitionError, Indicator, parse_definition};
pub use period::{Period, PeriodError, parse_period, period_of};
pub use rules::{AggregateKey, Increment, RecordFact, RecordKind, Rule, contributions, recompute};
