//! Error bodies: `application/problem+json` (RFC 9457) with a stable `code`
//! that clients branch on, and a `detail` written for the person reading it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::records::Refusal;

/// Stable machine-readable error codes. Clients must treat an unknown code
/// as `unknown` and show the `detail`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// The body is not JSON, or not the JSON this endpoint takes.
    InvalidBody,
    /// A field has a value the rules do not allow; see `errors`.
    ValidationFailed,
    /// A query parameter or path segment is malformed.
    InvalidParameter,
    /// No or bad credentials.
    Unauthorized,
    /// Known user, not allowed to do this.
    Forbidden,
    NotFound,
    /// The item changed since the `version` the client sent.
    VersionConflict,
    /// Someone else claimed the pool item first.
    AlreadyClaimed,
    /// The status change is not allowed from the current status.
    InvalidTransition,
    /// A duty check-in or check-out outside the shift's hours and their
    /// grace; `detail` names the window.
    OutsideShiftWindow,
    /// A creating POST came without an `Idempotency-Key`.
    IdempotencyKeyRequired,
    /// The same `Idempotency-Key` came with a different body.
    IdempotencyKeyReused,
    PayloadTooLarge,
    UnsupportedMediaType,
    MethodNotAllowed,
    /// Slow down; `Retry-After` says when.
    RateLimited,
    /// The server failed; the request may be retried.
    Internal,
    /// The server cannot serve now (starting, stopping, database away).
    Unavailable,
    /// Operators, coordinators and admins log no work of their own.
    RoleDoesNotCount,
    /// No running campaign counts this indicator from activities; the
    /// detail lists the ones that do.
    UnknownIndicator,
    IndicatorTooLong,
    /// A count is not positive or passes the indicator's cap.
    CountOutOfRange,
    /// A two-valued row needs `count2`.
    SecondValueRequired,
    /// A one-valued row takes no `count2`.
    SecondValueNotTaken,
    /// Minutes of one entry outside 1..=720 (or the shift's length).
    MinutesOutOfRange,
    /// The day's logged minutes would pass 24 hours.
    DayOverfull,
    /// A note longer than 4,000 characters.
    NoteTooLong,
    /// `occurred_at` more than 5 minutes ahead of the server's clock.
    OccurredInFuture,
    /// `occurred_at` is not a plausible time.
    OccurredAtOutOfRange,
    /// The record is dated in a period whose form is due already.
    PeriodClosed,
    /// The unit handed in this period's form: its records are locked until
    /// the parent unit returns or reopens it.
    PeriodLocked,
    /// The record is withdrawn already, or is itself a withdrawal.
    AlreadyWithdrawn,
    /// A hand-in step that the form's status does not allow (approving a
    /// form not handed in, handing in one handed in already).
    SubmissionConflict,
    /// Time on a closed or cancelled item.
    ItemFinished,
    /// The room or the mediator is booked then; `clashing_item` names it.
    ScheduleConflict,
    /// The record exists already (a unique value taken).
    Duplicate,
    /// A field names something that does not exist (a unit, a user, a room).
    UnknownReference,
    /// Sign-in with a one-time password: change it first, with the token
    /// this answer carries (it may do nothing else).
    PasswordChangeRequired,
    /// The current password sent to change it is wrong.
    WrongPassword,
    #[serde(other)]
    Unknown,
}

impl ProblemCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidBody => "invalid_body",
            Self::ValidationFailed => "validation_failed",
            Self::InvalidParameter => "invalid_parameter",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound => "not_found",
            Self::VersionConflict => "version_conflict",
            Self::AlreadyClaimed => "already_claimed",
            Self::InvalidTransition => "invalid_transition",
            Self::OutsideShiftWindow => "outside_shift_window",
            Self::IdempotencyKeyRequired => "idempotency_key_required",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::RateLimited => "rate_limited",
            Self::Internal => "internal",
            Self::Unavailable => "unavailable",
            Self::RoleDoesNotCount => "role_does_not_count",
            Self::UnknownIndicator => "unknown_indicator",
            Self::IndicatorTooLong => "indicator_too_long",
            Self::CountOutOfRange => "count_out_of_range",
            Self::SecondValueRequired => "second_value_required",
            Self::SecondValueNotTaken => "second_value_not_taken",
            Self::MinutesOutOfRange => "minutes_out_of_range",
            Self::DayOverfull => "day_overfull",
            Self::NoteTooLong => "note_too_long",
            Self::OccurredInFuture => "occurred_in_future",
            Self::OccurredAtOutOfRange => "occurred_at_out_of_range",
            Self::PeriodClosed => "period_closed",
            Self::PeriodLocked => "period_locked",
            Self::AlreadyWithdrawn => "already_withdrawn",
            Self::SubmissionConflict => "submission_conflict",
            Self::ItemFinished => "item_finished",
            Self::ScheduleConflict => "schedule_conflict",
            Self::Duplicate => "duplicate",
            Self::UnknownReference => "unknown_reference",
            Self::PasswordChangeRequired => "password_change_required",
            Self::WrongPassword => "wrong_password",
            Self::Unknown => "unknown",
        }
    }

    /// The code a record's refusal is sent with.
    pub fn of_refusal(r: &Refusal) -> Self {
        match r {
            Refusal::RoleDoesNotCount { .. } => Self::RoleDoesNotCount,
            Refusal::UnknownIndicator { .. } => Self::UnknownIndicator,
            Refusal::IndicatorTooLong { .. } => Self::IndicatorTooLong,
            Refusal::CountOutOfRange { .. } => Self::CountOutOfRange,
            Refusal::SecondValueRequired { .. } => Self::SecondValueRequired,
            Refusal::SecondValueNotTaken { .. } => Self::SecondValueNotTaken,
            Refusal::MinutesOutOfRange { .. } => Self::MinutesOutOfRange,
            Refusal::DayOverfull { .. } => Self::DayOverfull,
            Refusal::NoteTooLong { .. } => Self::NoteTooLong,
            Refusal::InTheFuture { .. } => Self::OccurredInFuture,
            Refusal::OccurredAtOutOfRange { .. } => Self::OccurredAtOutOfRange,
            Refusal::PeriodClosed { .. } => Self::PeriodClosed,
            Refusal::ItemFinished { .. } => Self::ItemFinished,
        }
    }

    /// The HTTP status this code is sent with.
    pub fn status(self) -> u16 {
        match self {
            Self::InvalidBody | Self::InvalidParameter | Self::IdempotencyKeyRequired => 400,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::RoleDoesNotCount | Self::PasswordChangeRequired | Self::WrongPassword => {
                403
            }
            Self::NotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::VersionConflict
            | Self::AlreadyClaimed
            | Self::InvalidTransition
            | Self::PeriodClosed
            | Self::ItemFinished
            | Self::ScheduleConflict
            | Self::Duplicate
            | Self::PeriodLocked
            | Self::AlreadyWithdrawn
            | Self::SubmissionConflict => 409,
            Self::PayloadTooLarge => 413,
            Self::UnsupportedMediaType => 415,
            Self::ValidationFailed
            | Self::IdempotencyKeyReused
            | Self::UnknownIndicator
            | Self::IndicatorTooLong
            | Self::CountOutOfRange
            | Self::SecondValueRequired
            | Self::SecondValueNotTaken
            | Self::MinutesOutOfRange
            | Self::DayOverfull
            | Self::NoteTooLong
            | Self::OccurredInFuture
            | Self::OccurredAtOutOfRange
            | Self::OutsideShiftWindow
            | Self::UnknownReference => 422,
            Self::RateLimited => 429,
            Self::Internal | Self::Unknown => 500,
            Self::Unavailable => 503,
        }
    }
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// The JSON field name, e.g. `settled_amount`.
    pub field: String,
    pub message: String,
}

/// An RFC 9457 problem document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type; `about:blank` plus `code` here.
    // A boxed `str` (as `holder`): errors travel in `Result`s and stay small.
    #[serde(rename = "type", default = "about_blank")]
    #[schema(value_type = String)]
    pub type_uri: Box<str>,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    /// What was wrong and what to do, for a person.
    #[serde(default)]
    pub detail: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// `already_claimed`: who holds the item now. A lawyer may not read
    /// another's item, so the refusal is the one place that says who took
    /// it; the client names the holder from this, never from the `detail`.
    // A boxed `str`, like `type_uri`.
    #[serde(rename = "claimed_by", default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<String>)]
    pub holder: Option<Box<str>>,
    /// Further members a problem may carry (RFC 9457 extension members,
    /// e.g. a window or a limit): the client fills its own wording of the
    /// `code` (catalog key `problem.<code>`) from them.
    /// Boxed: errors travel in `Result`s and stay small.
    #[serde(flatten, default, skip_serializing_if = "no_members")]
    #[schema(ignore)]
    pub extra: Box<serde_json::Map<String, serde_json::Value>>,
}

fn no_members(extra: &serde_json::Map<String, serde_json::Value>) -> bool {
    extra.is_empty()
}

fn about_blank() -> Box<str> {
    "about:blank".into()
}

impl Problem {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        let status = code.status();
        Problem {
            type_uri: about_blank(),
            title: code.as_str().replace('_', " "),
            status,
            code,
            detail: detail.into(),
            errors: Vec::new(),
            holder: None,
            extra: Box::default(),
        }
    }

    /// An `already_claimed` refusal naming who holds the item now.
    pub fn with_holder(mut self, holder: impl Into<String>) -> Self {
        self.holder = Some(holder.into().into_boxed_str());
        self
    }

    /// Adds an extension member, e.g. `("window", "08:30–12:00")`.
    pub fn with_extra(mut self, name: impl Into<String>, value: impl Into<serde_json::Value>) -> Self {
        self.extra.insert(name.into(), value.into());
        self
    }

    /// A record's refusal: its code, its message as the detail, and the field.
    pub fn of_refusal(r: &Refusal) -> Self {
        let problem = Problem::new(ProblemCode::of_refusal(r), r.to_string());
        match r.field() {
            "" => problem,
            field => problem.with_field(field, r.to_string()),
        }
    }

    pub fn with_field(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_codes_from_a_newer_server_still_parse() {
        let p: Problem =
            serde_json::from_str(r#"{"title":"x","status":418,"code":"teapot","detail":"short and stout"}"#)
                .unwrap();
        assert_eq!(p.code, ProblemCode::Unknown);
        assert_eq!(&*p.type_uri, "about:blank");
    }

    #[test]
    fn refusals_keep_the_domain_codes() {
        use crate::domain::Role;
        let r = Refusal::RoleDoesNotCount { role: Role::Operator };
        let p = Problem::of_refusal(&r);
        assert_eq!((p.code.as_str(), p.status), (r.code(), 403));
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], r.code());
    }

    #[test]
    fn the_holder_of_a_claimed_item_is_a_typed_member() {
        let p = Problem::new(ProblemCode::AlreadyClaimed, "whatever the words").with_holder("张伟");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["claimed_by"], "张伟");
        let back: Problem = serde_json::from_value(v).unwrap();
        assert_eq!(back.holder.as_deref(), Some("张伟"));
        assert!(back.extra.is_empty(), "{:?}", back.extra);
        // A problem without one (an older server's) still parses.
        let old: Problem = serde_json::from_str(
            r#"{"title":"already claimed","status":409,"code":"already_claimed","detail":"x"}"#,
        )
        .unwrap();
        assert_eq!(old.holder, None);
    }

    #[test]
    fn codes_serialize_as_their_names() {
        let p = Problem::new(ProblemCode::VersionConflict, "reload").with_field("version", "stale");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["code"], "version_conflict");
        assert_eq!(v["status"], 409);
        assert_eq!(v["type"], "about:blank");
        assert_eq!(v["errors"][0]["field"], "version");
    }
}
