//! The OpenAPI 3.1 document, generated from the types in this module.
//! Served at `GET /api/v1/openapi.json` and committed as `docs/openapi.json`;
//! a test fails when the two differ.

use utoipa::OpenApi;

use super::*;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "dutydesk",
        description = "On-duty legal service work: items, outcomes, time, schedule, duty, campaigns."
    ),
    components(schemas(
        Problem,
        ProblemCode,
        FieldError,
        LoginRequest,
        LoginResponse,
        User,
        UserRef,
        UnitRef,
        WorkItem,
        ItemList,
        PoolList,
        ItemDetail,
        HistoryEntry,
        Party,
        MediationInfo,
        TransitionRequest,
        NewOutcome,
        Outcome,
        NewTimeEntry,
        TimeEntry,
        NewActivity,
        Activity,
        Schedule,
        RoomSchedule,
        Room,
        DutyShift,
        DutyList,
        Campaign,
        CampaignList,
        Cadence,
        IndicatorDef,
        StatsScope,
        StatsQuery,
        PeriodInfo,
        PeriodList,
        StatsCell,
        StatsRow,
        HoursSummary,
        StatsForm,
        ChangeEvent,
        ChangeKind,
    ))
)]
pub struct ApiDoc;

/// The document as the server serves it and the repo keeps it.
pub fn document_json() -> String {
    // Serializing a document built from derive output cannot fail: it holds
    // only strings, maps and numbers.
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
}
