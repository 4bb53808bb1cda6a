//! Editing a failed outbox entry before it is sent again (`outbox retry ID
//! --note ...`, and the TUI's outbox screen). The body is read back as the
//! contract type it was written as, changed, and written again with a fresh
//! summary, so an edited entry is exactly what a new write would have been.

use rust_i18n::t;

use super::store::{NewEntry, OutboxEntry};
use super::writes;
use crate::api::{NewActivity, NewOutcome, NewTimeEntry, paths};
use crate::domain::{OutcomeCode, Yuan, outcome::check_minutes};

/// The changes asked for; `None` leaves a field as it was.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Edits {
    pub outcome: Option<OutcomeCode>,
    pub minutes: Option<i64>,
    pub settled_amount: Option<Yuan>,
    pub fee_waived: Option<Yuan>,
    pub note: Option<String>,
}

impl Edits {
    pub fn is_empty(&self) -> bool {
        *self == Edits::default()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum EditError {
    /// The flag names a field this kind of entry does not have.
    #[error("{}", t!("cli.edit.not_applicable", flag = flag, summary = summary))]
    NotApplicable { flag: &'static str, summary: String },
    #[error("{}", t!("cli.edit.bad_value", error = .0))]
    BadValue(String),
    /// Claims, transitions and duty stamps have nothing to edit.
    #[error("{}", t!("cli.edit.not_editable", summary = .0))]
    NotEditable(String),
}

/// What an entry is, by the path it goes to.
enum Shape {
    Outcome(i64),
    Time,
    Activity,
}

fn shape(entry: &OutboxEntry) -> Option<Shape> {
    if entry.path == paths::TIME_ENTRIES {
        return Some(Shape::Time);
    }
    if entry.path == paths::ACTIVITIES {
        return Some(Shape::Activity);
    }
    outcome_item(&entry.path).map(Shape::Outcome)
}

/// The item an outcome entry's path (`/api/v1/items/{id}/outcomes`) is for.
pub fn outcome_item(path: &str) -> Option<i64> {
    let (head, tail) = paths::ITEM_OUTCOMES.split_once("{id}")?;
    path.strip_prefix(head)?.strip_suffix(tail)?.parse().ok()
}

/// The entry as it will be sent after `edits` (method, path, body, summary).
pub fn apply(entry: &OutboxEntry, edits: &Edits) -> Result<NewEntry, EditError> {
    let not = |flag: &'static str| EditError::NotApplicable {
        flag,
        summary: entry.summary.clone(),
    };
    let bad = |e: serde_json::Error| EditError::BadValue(e.to_string());
    match shape(entry) {
        Some(Shape::Outcome(item_id)) => {
            let mut body: NewOutcome = serde_json::from_value(entry.body.clone()).map_err(bad)?;
            if let Some(code) = edits.outcome {
                body.code = code;
            }
            if edits.minutes.is_some() {
                body.minutes = edits.minutes;
            }
            if edits.settled_amount.is_some() {
                body.settled_amount = edits.settled_amount;
            }
            if edits.fee_waived.is_some() {
                body.fee_waived = edits.fee_waived;
            }
            if edits.note.is_some() {
                body.note = edits.note.clone();
            }
            check_minutes(body.minutes).map_err(|e| EditError::BadValue(e.to_string()))?;
            Ok(writes::outcome(item_id, &body))
        }
        Some(Shape::Time) => {
            let mut body: NewTimeEntry = serde_json::from_value(entry.body.clone()).map_err(bad)?;
            for (flag, given) in outcome_only(edits) {
                if given {
                    return Err(not(flag));
                }
            }
            if let Some(m) = edits.minutes {
                check_minutes(Some(m)).map_err(|e| EditError::BadValue(e.to_string()))?;
                body.minutes = m;
            }
            if edits.note.is_some() {
                body.note = edits.note.clone();
            }
            Ok(writes::time_entry(&body))
        }
        Some(Shape::Activity) => {
            let mut body: NewActivity = serde_json::from_value(entry.body.clone()).map_err(bad)?;
            for (flag, given) in outcome_only(edits) {
                if given {
                    return Err(not(flag));
                }
            }
            if edits.minutes.is_some() {
                return Err(not("--minutes"));
            }
            if edits.note.is_some() {
                body.note = edits.note.clone();
            }
            Ok(writes::activity(&body))
        }
        None => Err(EditError::NotEditable(entry.summary.clone())),
    }
}

fn outcome_only(edits: &Edits) -> [(&'static str, bool); 3] {
    [
        ("--outcome", edits.outcome.is_some()),
        ("--settled-amount", edits.settled_amount.is_some()),
        ("--fee-waived", edits.fee_waived.is_some()),
    ]
}
