//! The OpenAPI 3.1 document, generated from the types in this module.
//! Served at `GET /api/v1/openapi.json` and committed as `docs/openapi.json`;
//! a test fails when the two differ.

use utoipa::OpenApi;

use super::*;

/// Declares the `bearer` scheme the operations refer to.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    modifiers(&BearerAuth),
    info(
        title = "dutydesk",
        description = "On-duty legal service work: items, outcomes, time, schedule, duty, campaigns."
    ),
    paths(
        super::openapi_paths::healthz,
        super::openapi_paths::readyz,
        super::openapi_paths::metrics,
        super::openapi_paths::openapi,
        super::openapi_paths::login,
        super::openapi_paths::logout,
        super::openapi_paths::me,
        super::openapi_paths::items,
        super::openapi_paths::item,
        super::openapi_paths::pool,
        super::openapi_paths::claim,
        super::openapi_paths::transition,
        super::openapi_paths::outcomes,
        super::openapi_paths::notes,
        super::openapi_paths::typical,
        super::openapi_paths::time_entries,
        super::openapi_paths::activities,
        super::openapi_paths::schedule,
        super::openapi_paths::duty,
        super::openapi_paths::check_in,
        super::openapi_paths::check_out,
        super::openapi_paths::campaigns,
        super::openapi_paths::campaign_periods,
        super::openapi_paths::campaign_stats,
        super::openapi_paths::submit,
        super::openapi_paths::submissions,
        super::openapi_paths::submission_step,
        super::openapi_paths::events,
        super::openapi_intake::create_item,
        super::openapi_intake::assign,
        super::openapi_intake::schedule_item,
        super::openapi_intake::cancel,
        super::openapi_intake::conflicts,
        super::openapi_intake::ack_conflicts,
        super::openapi_intake::reveal,
        super::openapi_intake::audit,
        super::openapi_intake::unit_items,
        super::openapi_intake::change_password,
        super::openapi_intake::unit_people,
        super::openapi_intake::intake_units,
        super::openapi_corrections::withdraw_time_entry,
        super::openapi_corrections::withdraw_activity,
        super::openapi_corrections::correct_outcome,
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
        NewNote,
        TypicalCaseRequest,
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
        Reporter,
        super::rollup::StatsBy,
        super::rollup::UnitRows,
        super::rollup::PersonRows,
        corrections::OutcomeCorrection,
        corrections::CorrectedOutcome,
        super::rollup::NewSubmission,
        super::rollup::SubmissionStep,
        super::rollup::Submission,
        super::rollup::UnitHandIn,
        super::rollup::SubmissionList,
        crate::domain::rollup::SubmissionStatus,
        crate::domain::rollup::SubmissionAction,
        crate::domain::rollup::HandIn,
        ChangeEvent,
        ChangeKind,
        intake::PartySide,
        intake::NewParty,
        intake::NewItem,
        intake::ConflictEntry,
        intake::ItemWithConflicts,
        intake::ClaimAnswer,
        intake::ConflictList,
        intake::ConflictAck,
        intake::AssignRequest,
        intake::ScheduleRequest,
        intake::CancelRequest,
        intake::UnitItemFilter,
        intake::UnitItemPage,
        intake::RevealedParties,
        intake::AuditEntry,
        intake::AuditTrail,
        intake::PasswordChange,
        super::intake_units::IntakeUnit,
        super::intake_units::IntakeUnits,
        crate::domain::UnitKind,
        super::dispatch::UnitPerson,
        super::dispatch::UnitPeople,
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
