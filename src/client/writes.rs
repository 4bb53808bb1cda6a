//! The outbox entries for every write, built in one place so the CLI and
//! the TUI send the same requests with the same summaries.

use rust_i18n::t;

use super::store::{NewEntry, WriteKind};
use crate::api::{
    NewActivity, NewNote, NewOutcome, NewTimeEntry, TransitionRequest, TypicalCaseRequest, WorkItem, paths,
};
use crate::domain::outcome::MAX_MINUTES_PER_ENTRY;
use crate::domain::{ItemStatus, MINUTE_MS, TimeActivity};

fn post(kind: WriteKind, path: String, body: serde_json::Value, summary: String) -> NewEntry {
    NewEntry {
        kind,
        method: "POST".into(),
        path,
        body,
        summary,
    }
}

/// Serialising these plain structs cannot fail (no maps with non-string
/// keys, no failing Serialize impls); `Null` would be refused by the server
/// anyway rather than sent silently wrong.
fn json<T: serde::Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

pub fn outcome(item_id: i64, body: &NewOutcome) -> NewEntry {
    post(
        WriteKind::Outcome,
        paths::with_id(paths::ITEM_OUTCOMES, item_id),
        json(body),
        t!("cli.summary.outcome", code = body.code.as_str(), id = item_id).into_owned(),
    )
}

pub fn time_entry(body: &NewTimeEntry) -> NewEntry {
    post(
        WriteKind::TimeEntry,
        paths::TIME_ENTRIES.into(),
        json(body),
        t!("cli.summary.time", minutes = body.minutes, id = body.item_id).into_owned(),
    )
}

pub fn activity(body: &NewActivity) -> NewEntry {
    post(
        WriteKind::Activity,
        paths::ACTIVITIES.into(),
        json(body),
        t!(
            "cli.summary.activity",
            indicator = body.indicator.as_str(),
            count = body.count
        )
        .into_owned(),
    )
}

pub fn claim(item_id: i64) -> NewEntry {
    post(
        WriteKind::Claim,
        paths::with_id(paths::ITEM_CLAIM, item_id),
        serde_json::json!({}),
        t!("cli.summary.claim", id = item_id).into_owned(),
    )
}

pub fn transition(item_id: i64, body: &TransitionRequest) -> NewEntry {
    post(
        WriteKind::Transition,
        paths::with_id(paths::ITEM_TRANSITION, item_id),
        json(body),
        t!("cli.summary.transition", id = item_id, to = body.to.as_str()).into_owned(),
    )
}

/// A note on the item's history; sent with the entry's Idempotency-Key
/// like every outbox entry, so a resend never adds it twice.
pub fn note(item_id: i64, text: &str) -> NewEntry {
    post(
        WriteKind::Note,
        paths::with_id(paths::ITEM_NOTES, item_id),
        json(&NewNote {
            text: text.to_string(),
        }),
        t!("app.summary.note", id = item_id).into_owned(),
    )
}

/// Flags or unflags the item as a typical case; a resend that finds the
/// flag already so counts as done (see the flush's 409 check).
pub fn typical(item_id: i64, body: &TypicalCaseRequest) -> NewEntry {
    let summary = if body.typical {
        t!("app.summary.typical", id = item_id)
    } else {
        t!("app.summary.not_typical", id = item_id)
    };
    post(
        WriteKind::Typical,
        paths::with_id(paths::ITEM_TYPICAL, item_id),
        json(body),
        summary.into_owned(),
    )
}

pub fn check_in(shift_id: i64) -> NewEntry {
    post(
        WriteKind::CheckIn,
        paths::with_id(paths::DUTY_CHECK_IN, shift_id),
        serde_json::json!({}),
        t!("cli.summary.check_in", id = shift_id).into_owned(),
    )
}

pub fn check_out(shift_id: i64) -> NewEntry {
    post(
        WriteKind::CheckOut,
        paths::with_id(paths::DUTY_CHECK_OUT, shift_id),
        serde_json::json!({}),
        t!("cli.summary.check_out", id = shift_id).into_owned(),
    )
}

/// The transitions that take an item to in progress from where it stands
/// (new → accepted → in progress), each with the version it will have by
/// then. Empty when the item is past that, or a step is not allowed for it.
pub fn to_in_progress(item: &WorkItem) -> Vec<NewEntry> {
    let steps: &[ItemStatus] = match item.status {
        ItemStatus::New => &[ItemStatus::Accepted, ItemStatus::InProgress],
        ItemStatus::Accepted => &[ItemStatus::InProgress],
        _ => &[],
    };
    let mut from = item.status;
    let mut out = Vec::new();
    for (n, to) in (0i64..).zip(steps) {
        if from.check_transition(item.kind, *to).is_err() {
            return Vec::new();
        }
        from = *to;
        // The server adds one to the version on every change.
        out.push(transition(
            item.id,
            &TransitionRequest {
                to: *to,
                version: item.version + n,
            },
        ));
    }
    out
}

/// The time entry for a stopped timer, rounded up to whole minutes.
pub fn timer(t: &super::store::Timer) -> NewEntry {
    let elapsed = (crate::domain::clock::now_ms() - t.started_at).max(0);
    let minutes = ((elapsed + MINUTE_MS - 1) / MINUTE_MS).clamp(1, MAX_MINUTES_PER_ENTRY);
    // A timer runs while the lawyer is with the client: a session, whatever the kind.
    let body = NewTimeEntry {
        item_id: t.item_id,
        minutes,
        activity: TimeActivity::Session,
        note: None,
        occurred_at: Some(t.started_at),
    };
    time_entry(&body)
}
