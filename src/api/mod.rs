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

/// The API's paths. `{id}` marks a path parameter (axum 0.8 syntax).
pub mod paths {
    pub const HEALTHZ: &str = "/healthz";
    /// Ready when the database answers (503 otherwise, or while stopping).
    pub const READYZ: &str = "/readyz";
    /// Prometheus text format.
    pub const METRICS: &str = "/metrics";
    pub const OPENAPI: &str = "/api/v1/openapi.json";
    pub const LOGIN: &str = "/api/v1/auth/login";
    pub const LOGOUT: &str = "/api/v1/auth/logout";
    pub const ME: &str = "/api/v1/me";
    pub const ITEMS: &str = "/api/v1/items";
    pub const ITEM: &str = "/api/v1/items/{id}";
    pub const ITEM_CLAIM: &str = "/api/v1/items/{id}/claim";
    pub const ITEM_TRANSITION: &str = "/api/v1/items/{id}/transition";
    pub const ITEM_OUTCOMES: &str = "/api/v1/items/{id}/outcomes";
    pub const ITEM_NOTES: &str = "/api/v1/items/{id}/notes";
    pub const ITEM_TYPICAL: &str = "/api/v1/items/{id}/typical";
    pub const POOL: &str = "/api/v1/pool";
    pub const TIME_ENTRIES: &str = "/api/v1/time-entries";
    pub const ACTIVITIES: &str = "/api/v1/activities";
    pub const SCHEDULE: &str = "/api/v1/schedule";
    pub const DUTY: &str = "/api/v1/duty";
    pub const DUTY_CHECK_IN: &str = "/api/v1/duty/{id}/check-in";
    pub const DUTY_CHECK_OUT: &str = "/api/v1/duty/{id}/check-out";
    pub const CAMPAIGNS: &str = "/api/v1/campaigns";
    pub const EVENTS: &str = "/api/v1/events";

    /// Fills the `{id}` of a path template.
    pub fn with_id(template: &str, id: impl std::fmt::Display) -> String {
        template.replace("{id}", &id.to_string())
    }
}
