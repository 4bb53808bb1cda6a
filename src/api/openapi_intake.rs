//! `#[utoipa::path]` stubs of the intake and dispatch endpoints (issue 11);
//! never called, like `openapi_paths`.

#![allow(dead_code)]

use super::intake::*;
use super::{Problem, WorkItem};

#[utoipa::path(post, path = "/api/v1/items", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), request_body = NewItem,
    responses((status = 201, body = ItemWithConflicts, description = "The item, and the conflicts of interest found (a warning)"),
              (status = 400, body = Problem, description = "idempotency_key_required"),
              (status = 403, body = Problem, description = "forbidden: not the intake desk, or a unit outside the desk's bureau"),
              (status = 409, body = Problem, description = "duplicate: the external_ref is an item already (`item_id`)"),
              (status = 422, body = Problem, description = "validation_failed, unknown_reference, idempotency_key_reused")))]
fn create_item() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/assign", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = AssignRequest,
    responses((status = 200, body = ItemWithConflicts), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "version_conflict, invalid_transition"),
              (status = 422, body = Problem, description = "a release needs a reason; the assignee takes no work in the unit")))]
fn assign() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/schedule", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ScheduleRequest,
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "schedule_conflict: `clashing_item` is booked then (`clash`: room or mediator); `clashing_title`, `clashing_start`, `clashing_end` (epoch ms), `clashing_room`, `clashing_mediator` name it"),
              (status = 422, body = Problem)))]
fn schedule_item() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/cancel", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = CancelRequest,
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem), (status = 422, body = Problem)))]
fn cancel() {}

#[utoipa::path(get, path = "/api/v1/items/{id}/conflicts", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ConflictList), (status = 404, body = Problem)))]
fn conflicts() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/conflicts/ack", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = ConflictAck,
    responses((status = 200, body = WorkItem, description = "Recorded in the item's history"),
              (status = 404, body = Problem), (status = 409, body = Problem)))]
fn ack_conflicts() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/reveal", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = RevealedParties, description = "Full phone and ID numbers; an audit row names who and when"),
              (status = 403, body = Problem), (status = 404, body = Problem)))]
fn reveal() {}

#[utoipa::path(get, path = "/api/v1/items/{id}/audit", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = AuditTrail), (status = 403, body = Problem), (status = 404, body = Problem)))]
fn audit() {}

#[utoipa::path(get, path = "/api/v1/units/{id}/items", security(("bearer" = [])),
    params(("id" = i64, Path), ("status" = Option<UnitItemFilter>, Query), ("assignee" = Option<i64>, Query),
           ("offset" = Option<i64>, Query, description = "`next` of the previous page")),
    responses((status = 200, body = UnitItemPage), (status = 400, body = Problem), (status = 403, body = Problem)))]
fn unit_items() {}

#[utoipa::path(post, path = "/api/v1/me/password", security(("bearer" = [])), request_body = PasswordChange,
    responses((status = 204, description = "Changed; other sessions end (a password-only token too)"),
              (status = 401, body = Problem), (status = 403, body = Problem, description = "wrong_password"),
              (status = 422, body = Problem)))]
fn change_password() {}

#[utoipa::path(get, path = "/api/v1/units/{id}/people", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = super::dispatch::UnitPeople, description = "The unit's lawyers and mediators, each with their open and overdue items"),
              (status = 403, body = Problem, description = "not the unit's coordinator, one above it, or the desk routing work there"),
              (status = 404, body = Problem, description = "no such unit")))]
fn unit_people() {}
#[utoipa::path(get, path = "/api/v1/intake/units", security(("bearer" = [])),
    responses((status = 200, body = super::intake_units::IntakeUnits,
               description = "The units the caller may send new work to, each with the people who take work there"),
              (status = 403, body = Problem, description = "forbidden: not the intake desk")))]
fn intake_units() {}
