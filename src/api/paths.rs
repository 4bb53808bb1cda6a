//! The API's paths, every one: the server routes by them and the client
//! requests them. `{id}` (and `{period}`, `{unit}`) mark path parameters
//! (axum 0.8 syntax).

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

/// `GET`: the periods of a campaign, as a `PeriodList`.
pub const CAMPAIGN_PERIODS: &str = "/api/v1/campaigns/{id}/periods";
/// `GET` with `StatsQuery`: one period's form, as a `StatsForm`.
pub const CAMPAIGN_STATS: &str = "/api/v1/campaigns/{id}/stats";
/// `POST`: hand in a period's form (`NewSubmission`); `GET`: where every
/// unit below the caller stands for the period (`SubmissionList`).
pub const SUBMISSIONS: &str = "/api/v1/campaigns/{id}/periods/{period}/submissions";
/// `POST` with `SubmissionStep`: approve, return or reopen one unit's form.
pub const SUBMISSION_STEP: &str = "/api/v1/campaigns/{id}/periods/{period}/submissions/{unit}";
/// `POST` with `OutcomeCorrection`: correct the item's outcome.
pub const OUTCOME_CORRECTIONS: &str = "/api/v1/items/{id}/outcome-corrections";
/// `POST`: withdraw one of your time entries.
pub const TIME_ENTRY_WITHDRAW: &str = "/api/v1/time-entries/{id}/withdraw";
/// `POST`: withdraw one of your activities.
pub const ACTIVITY_WITHDRAW: &str = "/api/v1/activities/{id}/withdraw";
/// Where the intake desk may send new work.
pub const INTAKE_UNITS: &str = "/api/v1/intake/units";
pub const UNIT_ITEMS: &str = "/api/v1/units/{id}/items";
pub const UNIT_PEOPLE: &str = "/api/v1/units/{id}/people";
pub const ITEM_ASSIGN: &str = "/api/v1/items/{id}/assign";
pub const ITEM_SCHEDULE: &str = "/api/v1/items/{id}/schedule";
pub const ITEM_CANCEL: &str = "/api/v1/items/{id}/cancel";
pub const ITEM_CONFLICTS: &str = "/api/v1/items/{id}/conflicts";
pub const ITEM_CONFLICTS_ACK: &str = "/api/v1/items/{id}/conflicts/ack";
pub const ITEM_REVEAL: &str = "/api/v1/items/{id}/reveal";
pub const ITEM_AUDIT: &str = "/api/v1/items/{id}/audit";
pub const ME_PASSWORD: &str = "/api/v1/me/password";

/// Fills the `{id}` of a path template.
pub fn with_id(template: &str, id: impl std::fmt::Display) -> String {
    template.replace("{id}", &id.to_string())
}
