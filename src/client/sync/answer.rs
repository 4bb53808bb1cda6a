//! Is this the server's own answer to this outbox entry? Only then may the
//! entry settle: a middlebox or a caching proxy that answers
//! `200 {"status":"ok"}` without forwarding would otherwise lose the work.
//! Two proofs, both needed: the response echoes the entry's
//! `Idempotency-Key`, and its body decodes to the record the path creates.

use serde::de::DeserializeOwned;

use crate::api::{Activity, DutyShift, HistoryEntry, Outcome, TimeEntry, WorkItem, paths};
use crate::client::http::Reply;

/// Why an answer is not the server's, worded for `dutydesk outbox`.
pub fn not_the_answer(path: &str, key: &str, reply: &Reply) -> Option<String> {
    if reply.idempotency_key.as_deref() != Some(key) {
        return Some(rust_i18n::t!("net.answer.no_key_echo").into_owned());
    }
    let (decodes, record) = decodes_as_record(path, &reply.body);
    (!decodes).then(|| rust_i18n::t!("net.answer.not_a_record", record = record).into_owned())
}

fn is<T: DeserializeOwned>(body: &[u8]) -> bool {
    serde_json::from_slice::<T>(body).is_ok()
}

/// Whether `body` is the record that a POST to `path` creates, and that
/// record's name. Every path the outbox writes to is listed; an unknown
/// one (written by a newer version) needs at least a JSON object.
fn decodes_as_record(path: &str, body: &[u8]) -> (bool, &'static str) {
    let path = path.split('?').next().unwrap_or(path).trim_end_matches('/');
    if path == paths::TIME_ENTRIES {
        return (is::<TimeEntry>(body), "TimeEntry");
    }
    if path == paths::ACTIVITIES {
        return (is::<Activity>(body), "Activity");
    }
    if path == paths::ITEMS {
        return (
            is::<crate::api::intake::ItemWithConflicts>(body),
            "ItemWithConflicts",
        );
    }
    match path.rsplit('/').next().unwrap_or("") {
        "outcomes" => (is::<Outcome>(body), "Outcome"),
        "notes" => (is::<HistoryEntry>(body), "HistoryEntry"),
        "claim" | "transition" | "typical" | "ack" => (is::<WorkItem>(body), "WorkItem"),
        "check-in" | "check-out" => (is::<DutyShift>(body), "DutyShift"),
        _ => (
            serde_json::from_slice::<serde_json::Value>(body).is_ok_and(|v| v.is_object()),
            "JSON object",
        ),
    }
}
