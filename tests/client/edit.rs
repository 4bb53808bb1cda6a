//! Editing a failed entry before it is retried: only the fields an entry
//! has may change, and the summary follows the new body.

use dutydesk::api::{NewActivity, NewOutcome, NewTimeEntry};
use dutydesk::client::edit::{Edits, apply};
use dutydesk::client::store::{EntryState, NewEntry, OutboxEntry};
use dutydesk::client::writes;
use dutydesk::domain::{OutcomeCode, TimeActivity, Yuan};

fn saved(e: NewEntry) -> OutboxEntry {
    OutboxEntry {
        id: "e1".into(),
        kind: e.kind,
        method: e.method,
        path: e.path,
        body: e.body,
        summary: e.summary,
        state: EntryState::Failed,
        attempts: 1,
        last_error: Some("refused".into()),
        created_at: 1,
        writer_user: None,
        writer_server: None,
    }
}

#[test]
fn an_outcome_takes_a_new_code_amount_and_note() {
    let entry = saved(writes::outcome(
        12,
        &NewOutcome {
            code: OutcomeCode::NoAgreement,
            minutes: Some(30),
            settled_amount: None,
            fee_waived: None,
            note: None,
            occurred_at: Some(5),
        },
    ));
    let edits = Edits {
        outcome: Some(OutcomeCode::Agreement),
        settled_amount: Some(Yuan::parse("1200.50").unwrap()),
        note: Some("达成协议".into()),
        ..Edits::default()
    };
    let edited = apply(&entry, &edits).unwrap();
    assert_eq!(edited.path, entry.path);
    let body: NewOutcome = serde_json::from_value(edited.body).unwrap();
    assert_eq!(body.code, OutcomeCode::Agreement);
    assert_eq!(body.settled_amount, Some(Yuan::parse("1200.50").unwrap()));
    assert_eq!(body.note.as_deref(), Some("达成协议"));
    assert_eq!(
        (body.minutes, body.occurred_at),
        (Some(30), Some(5)),
        "the rest is kept"
    );
    assert!(edited.summary.contains("agreement"), "{}", edited.summary);
}

#[test]
fn flags_an_entry_does_not_have_are_refused() {
    let time = saved(writes::time_entry(&NewTimeEntry {
        item_id: 3,
        minutes: 20,
        activity: TimeActivity::Session,
        note: None,
        occurred_at: None,
    }));
    let amount = Edits {
        fee_waived: Some(Yuan::parse("10").unwrap()),
        ..Edits::default()
    };
    let err = apply(&time, &amount).unwrap_err().to_string();
    assert!(err.contains("--fee-waived"), "{err}");
    let fixed = apply(
        &time,
        &Edits {
            minutes: Some(45),
            ..Edits::default()
        },
    )
    .unwrap();
    let body: NewTimeEntry = serde_json::from_value(fixed.body).unwrap();
    assert_eq!(body.minutes, 45);
    assert!(fixed.summary.contains("45"), "{}", fixed.summary);

    let activity = saved(writes::activity(&NewActivity {
        indicator: "trainings".into(),
        count: 1,
        count2: Some(30),
        note: None,
        occurred_at: None,
    }));
    let minutes = Edits {
        minutes: Some(5),
        ..Edits::default()
    };
    assert!(apply(&activity, &minutes).is_err());
    assert!(
        apply(&saved(writes::claim(9)), &minutes).is_err(),
        "a claim has nothing to edit"
    );
    let too_long = Edits {
        minutes: Some(100_000),
        ..Edits::default()
    };
    assert!(
        apply(&time, &too_long).is_err(),
        "minutes are checked as for a new entry"
    );
}
