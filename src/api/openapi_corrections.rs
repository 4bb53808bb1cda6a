//! OpenAPI operations for corrections (withdrawals and outcome corrections).

#![allow(dead_code)]

use super::corrections::{CorrectedOutcome, OutcomeCorrection};
use super::{Activity, Problem, TimeEntry};

/// The writer withdraws a time entry while its period is open and not handed in.
#[utoipa::path(post, path = "/api/v1/time-entries/{id}/withdraw", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 201, body = TimeEntry, description = "the counter-record"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "already_withdrawn, period_closed or period_locked")))]
fn withdraw_time_entry() {}

/// The writer withdraws an activity while its period is open and not handed in.
#[utoipa::path(post, path = "/api/v1/activities/{id}/withdraw", security(("bearer" = [])),
    params(("id" = String, Path)),
    responses((status = 201, body = Activity, description = "the counter-record"), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "already_withdrawn, period_closed or period_locked")))]
fn withdraw_activity() {}

/// A coordinator of the item's unit (or of a unit above it) or an admin
/// corrects the item's outcome with a reason: a counter-record and the
/// corrected outcome are stored, and the item's history records who, what and why.
#[utoipa::path(post, path = "/api/v1/items/{id}/outcome-corrections", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = OutcomeCorrection,
    responses((status = 201, body = CorrectedOutcome), (status = 403, body = Problem), (status = 404, body = Problem),
        (status = 409, body = Problem, description = "version_conflict, period_closed, period_locked or already_withdrawn"),
        (status = 422, body = Problem)))]
fn correct_outcome() {}
