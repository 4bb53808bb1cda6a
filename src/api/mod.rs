//! The wire contract: every request and response body, as plain serde types
//! that the server and the client both compile against. Paths and header
//! names live here too, so the two sides cannot drift apart.

pub mod auth;
pub mod campaign;
pub mod corrections;
pub mod dispatch;
pub mod events;
pub mod history;
pub mod intake;
pub mod intake_units;
pub mod items;
pub mod openapi;
mod openapi_corrections;
mod openapi_intake;
mod openapi_paths;
pub mod paths;
pub mod problem;
pub mod records;
pub mod rollup;
pub mod schedule;
pub mod stats;

pub use auth::{LoginRequest, LoginResponse, UnitRef, User, UserRef};
pub use campaign::{Cadence, Campaign, CampaignList, IndicatorDef};
pub use events::{ChangeEvent, ChangeKind};
pub use history::HistoryAction;
pub use items::{
    HistoryEntry, ItemDetail, ItemList, MAX_NOTE_CHARS, MediationInfo, NewNote, Party, PoolList,
    TransitionRequest, TypicalCaseRequest, WorkItem,
};
pub use problem::{FieldError, Problem, ProblemCode};
pub use records::{Activity, NewActivity, NewOutcome, NewTimeEntry, Outcome, TimeEntry};
pub use schedule::{DutyList, DutyShift, Room, RoomSchedule, Schedule};
pub use stats::{
    HoursSummary, PeriodInfo, PeriodList, Reporter, StatsCell, StatsForm, StatsQuery, StatsRow, StatsScope,
};

/// Header that makes a creating POST safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Media type of error bodies (RFC 9457).
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Largest request body the server reads.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
