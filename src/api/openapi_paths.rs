//! `#[utoipa::path]` stubs for every endpoint, so the document lists the
//! operations even in a client-only build. The functions are never called;
//! the paths equal `api::paths` (a test checks each constant appears).

#![allow(dead_code)]

use super::*;

#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "The server is up")))]
fn healthz() {}

#[utoipa::path(get, path = "/readyz",
    responses((status = 200, description = "The database answers"),
              (status = 503, body = Problem, content_type = "application/problem+json",
               description = "The database does not answer, or the server is stopping")))]
fn readyz() {}

#[utoipa::path(get, path = "/metrics",
    responses((status = 200, content_type = "text/plain; version=0.0.4",
               description = "Requests and latency by route, open event streams, events published and delivered, login refusals (Prometheus text format)")))]
fn metrics() {}

#[utoipa::path(get, path = "/api/v1/openapi.json", responses((status = 200, description = "This document")))]
fn openapi() {}

#[utoipa::path(post, path = "/api/v1/auth/login", request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401, body = Problem, content_type = "application/problem+json"),
        (status = 422, body = Problem, content_type = "application/problem+json",
         description = "The username is longer than 64 characters"),
        (status = 429, body = Problem, content_type = "application/problem+json",
         description = "Refused before the password is checked: too many wrong passwords for this username from this address, from this address for any username, or for this username from everywhere. Wait `Retry-After` seconds")))]
fn login() {}

#[utoipa::path(post, path = "/api/v1/auth/logout", security(("bearer" = [])),
    responses((status = 204, description = "This token is revoked"), (status = 401, body = Problem)))]
fn logout() {}

#[utoipa::path(get, path = "/api/v1/me", security(("bearer" = [])),
    responses((status = 200, body = User), (status = 401, body = Problem)))]
fn me() {}

#[utoipa::path(get, path = "/api/v1/items", security(("bearer" = [])),
    params(("since" = Option<String>, Query, description = "The cursor of an earlier list"),
           ("If-None-Match" = Option<String>, Header, description = "The ETag of an earlier list")),
    responses((status = 200, body = ItemList, headers(("ETag" = String))),
              (status = 304, description = "Nothing changed"), (status = 400, body = Problem), (status = 401, body = Problem)))]
fn items() {}

#[utoipa::path(get, path = "/api/v1/items/{id}", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = ItemDetail), (status = 404, body = Problem)))]
fn item() {}

#[utoipa::path(get, path = "/api/v1/pool", security(("bearer" = [])),
    params(("If-None-Match" = Option<String>, Header, description = "The ETag of an earlier pool")),
    responses((status = 200, body = PoolList, headers(("ETag" = String))),
              (status = 304, description = "Unchanged since that ETag")))]
fn pool() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/claim", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = intake::ClaimAnswer, description = "The item, with the conflicts of interest the claimant meets"),
              (status = 404, body = Problem),
              (status = 409, body = Problem, description = "already_claimed: someone else got it first")))]
fn claim() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/transition", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = TransitionRequest,
    responses((status = 200, body = WorkItem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "version_conflict or invalid_transition")))]
fn transition() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/outcomes", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)), request_body = NewOutcome,
    responses((status = 201, body = Outcome), (status = 400, body = Problem, description = "idempotency_key_required"),
              (status = 404, body = Problem), (status = 409, body = Problem),
              (status = 422, body = Problem, description = "validation_failed or idempotency_key_reused")))]
fn outcomes() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/notes", security(("bearer" = [])),
    params(("id" = i64, Path), ("Idempotency-Key" = String, Header)), request_body = NewNote,
    responses((status = 201, body = HistoryEntry), (status = 400, body = Problem, description = "idempotency_key_required"),
              (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem, description = "validation_failed or idempotency_key_reused")))]
fn notes() {}

#[utoipa::path(post, path = "/api/v1/items/{id}/typical", security(("bearer" = [])), params(("id" = i64, Path)),
    request_body = TypicalCaseRequest,
    responses((status = 200, body = WorkItem), (status = 403, body = Problem), (status = 404, body = Problem),
              (status = 409, body = Problem, description = "version_conflict")))]
fn typical() {}

#[utoipa::path(post, path = "/api/v1/time-entries", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), request_body = NewTimeEntry,
    responses((status = 201, body = TimeEntry), (status = 400, body = Problem), (status = 404, body = Problem),
              (status = 422, body = Problem)))]
fn time_entries() {}

#[utoipa::path(post, path = "/api/v1/activities", security(("bearer" = [])),
    params(("Idempotency-Key" = String, Header)), request_body = NewActivity,
    responses((status = 201, body = Activity), (status = 400, body = Problem), (status = 422, body = Problem)))]
fn activities() {}

/// The rooms' day: room staff, mediators and coordinators see every session
/// of their rooms; a lawyer sees the sessions they run.
#[utoipa::path(get, path = "/api/v1/schedule", security(("bearer" = [])),
    params(("date" = Option<String>, Query, description = "YYYY-MM-DD in Asia/Shanghai; today when absent")),
    responses((status = 200, body = Schedule), (status = 400, body = Problem)))]
fn schedule() {}

#[utoipa::path(get, path = "/api/v1/duty", security(("bearer" = [])), responses((status = 200, body = DutyList)))]
fn duty() {}

/// Only during the shift and the server's grace before and after it
/// (`--duty-grace-minutes`, 2 h by default); outside: 422
/// `outside_shift_window`, naming the window.
#[utoipa::path(post, path = "/api/v1/duty/{id}/check-in", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DutyShift), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
fn check_in() {}

/// Only during the shift and the server's grace before and after it
/// (`--duty-grace-minutes`, 2 h by default); outside: 422
/// `outside_shift_window`, naming the window.
#[utoipa::path(post, path = "/api/v1/duty/{id}/check-out", security(("bearer" = [])), params(("id" = i64, Path)),
    responses((status = 200, body = DutyShift), (status = 404, body = Problem), (status = 409, body = Problem),
        (status = 422, body = Problem)))]
fn check_out() {}

#[utoipa::path(get, path = "/api/v1/campaigns", security(("bearer" = [])), responses((status = 200, body = CampaignList)))]
fn campaigns() {}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}/periods", security(("bearer" = [])),
    params(("id" = String, Path, description = "campaign id, e.g. form1-enterprise-service")),
    responses((status = 200, body = PeriodList), (status = 401, body = Problem), (status = 404, body = Problem)))]
fn campaign_periods() {}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}/stats", security(("bearer" = [])),
    params(
        ("id" = String, Path, description = "campaign id, e.g. form1-enterprise-service"),
        ("period" = Option<String>, Query, description = "YYYY-MM-DD..YYYY-MM-DD, one of the campaign's periods; the current one when absent"),
        ("scope" = Option<StatsScope>, Query, description = "me | unit | all; by default me for lawyers and mediators, unit for coordinators, all for admins"),
        ("unit" = Option<i64>, Query, description = "a reporting unit other than the caller's (a unit at or below a coordinator's, or any for admins); implies scope=unit"),
        ("by" = Option<crate::api::rollup::StatsBy>, Query, description = "unit: add one row set per child unit (`units`)"),
    ),
    responses((status = 200, body = StatsForm), (status = 400, body = Problem), (status = 401, body = Problem),
        (status = 403, body = Problem), (status = 404, body = Problem)))]
fn campaign_stats() {}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/periods/{period}/submissions", security(("bearer" = [])),
    params(("id" = String, Path), ("period" = String, Path, description = "YYYY-MM-DD..YYYY-MM-DD")),
    request_body = crate::api::rollup::NewSubmission,
    responses((status = 201, body = crate::api::rollup::Submission), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "already handed in"), (status = 422, body = Problem)))]
fn submit() {}

#[utoipa::path(get, path = "/api/v1/campaigns/{id}/periods/{period}/submissions", security(("bearer" = [])),
    params(("id" = String, Path), ("period" = String, Path, description = "YYYY-MM-DD..YYYY-MM-DD")),
    responses((status = 200, body = crate::api::rollup::SubmissionList), (status = 401, body = Problem)))]
fn submissions() {}

#[utoipa::path(post, path = "/api/v1/campaigns/{id}/periods/{period}/submissions/{unit}", security(("bearer" = [])),
    params(("id" = String, Path), ("period" = String, Path), ("unit" = i64, Path)),
    request_body = crate::api::rollup::SubmissionStep,
    responses((status = 200, body = crate::api::rollup::Submission), (status = 403, body = Problem),
        (status = 409, body = Problem, description = "not from this status"), (status = 422, body = Problem)))]
fn submission_step() {}

#[utoipa::path(get, path = "/api/v1/events", security(("bearer" = [])),
    responses((status = 200, description = "text/event-stream of ChangeEvent; `event:` is the kind", body = ChangeEvent, content_type = "text/event-stream")))]
fn events() {}
