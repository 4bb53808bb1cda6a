//! A write whose first answer was lost is sent again. Claims, moves and
//! flags are not records with an idempotency key on the server: the resend
//! answers 409, and the entry is done when the item already is as it asked,
//! failed when not (someone else was quicker).

use dutydesk::api::{TransitionRequest, TypicalCaseRequest};
use dutydesk::client::writes;
use dutydesk::domain::ItemStatus;

use crate::loopback::{self, Reply};
use crate::support::{Home, loopback_engine};

/// Item 7's detail as the server would send it, with `changes` applied.
fn detail_with(changes: serde_json::Value) -> String {
    let mut v = serde_json::to_value(crate::support::item(7, "consultation", "工资")).unwrap();
    v["history"] = serde_json::json!([]);
    v["outcomes"] = serde_json::json!([]);
    v["time_entries"] = serde_json::json!([]);
    for (name, value) in changes.as_object().unwrap() {
        v[name] = value.clone();
    }
    v.to_string()
}

fn detail_assigned_to(user: i64) -> String {
    detail_with(serde_json::json!({
        "assignee": {"id": user, "username": "u", "display_name": "U"}
    }))
}

const CONFLICT: &str =
    r#"{"title":"version conflict","status":409,"code":"version_conflict","detail":"the item changed"}"#;

/// Sends `entry` to a server that took the first send but lost its answer,
/// answers the resend 409, and shows the item as `now`: (sent, failed).
async fn resent(entry: dutydesk::client::store::NewEntry, now: String) -> (usize, usize) {
    let home = Home::new();
    let peer = loopback::start(vec![
        Reply::DropMidBody,
        Reply::Json(409, vec![], CONFLICT.into()),
        Reply::Json(200, vec![], now),
    ])
    .await;
    let e = loopback_engine(&home, &peer.url).await;
    e.store().enqueue(entry).await.unwrap();
    let report = e.flush_once().await.unwrap();
    (report.sent.len(), report.failed.len())
}

#[tokio::test]
async fn a_move_resent_after_its_answer_was_lost_is_done_not_failed() {
    let body = TransitionRequest {
        to: ItemStatus::InProgress,
        version: 1,
    };
    let status = |s: &str| detail_with(serde_json::json!({"status": s, "version": 2}));
    assert_eq!(
        resent(writes::transition(7, &body), status("in_progress")).await,
        (1, 0)
    );
    // Someone else moved it elsewhere: a real conflict stays failed.
    assert_eq!(
        resent(writes::transition(7, &body), status("closed")).await,
        (0, 1)
    );
}

#[tokio::test]
async fn a_flag_resent_after_its_answer_was_lost_is_done_not_failed() {
    let body = TypicalCaseRequest {
        typical: true,
        version: 1,
    };
    let flagged = |t: bool| detail_with(serde_json::json!({"typical_case": t, "version": 2}));
    assert_eq!(resent(writes::typical(7, &body), flagged(true)).await, (1, 0));
    // Someone cleared it meanwhile: a real conflict stays failed.
    assert_eq!(resent(writes::typical(7, &body), flagged(false)).await, (0, 1));
}

const ME: &str = r#"{"id":3,"username":"zhang.wei","display_name":"张伟","role":"lawyer","profession":"lawyer","unit":{"id":1,"name":"所"}}"#;
const TAKEN: &str = r#"{"title":"already claimed","status":409,"code":"already_claimed","detail":"张伟 claimed this item first"}"#;

/// Item 7's claim, queued and flushed once against a server that answers
/// `replies`: the entry's id, the flush's report, and whether the outbox
/// is empty after it.
async fn flush_claim(replies: Vec<Reply>) -> (String, dutydesk::client::sync::FlushReport, bool) {
    let home = Home::new();
    let peer = loopback::start(replies).await;
    let e = loopback_engine(&home, &peer.url).await;
    let id = e.store().enqueue(writes::claim(7)).await.unwrap();
    let report = e.flush_once().await.unwrap();
    let emptied = e.store().outbox().await.unwrap().is_empty();
    (id, report, emptied)
}

#[tokio::test]
async fn a_claim_whose_answer_was_lost_is_done_not_failed() {
    let (_, report, emptied) = flush_claim(vec![
        Reply::DropMidBody,
        Reply::Json(409, vec![], TAKEN.into()),
        Reply::Json(200, vec![], ME.into()),
        Reply::Json(200, vec![], detail_assigned_to(3)),
    ])
    .await;
    assert_eq!((report.sent.len(), report.failed.len()), (1, 0), "{report:?}");
    assert!(emptied);
}

#[tokio::test]
async fn a_claim_someone_else_won_is_failed_with_the_servers_words() {
    let taken = TAKEN.replace("张伟", "李娜");
    let (_, report, _) = flush_claim(vec![
        Reply::Json(409, vec![], taken),
        Reply::Json(200, vec![], ME.into()),
        Reply::Json(200, vec![], detail_assigned_to(8)),
    ])
    .await;
    assert_eq!(report.failed.len(), 1, "{report:?}");
    assert!(report.failed[0].2.contains("李娜"));
}

#[tokio::test]
async fn a_lost_claim_names_the_holder_from_the_problems_claimed_by_not_its_words() {
    // The detail names nobody the client could parse; `claimed_by` does.
    let taken = r#"{"title":"already claimed","status":409,"code":"already_claimed","detail":"taken","claimed_by":"李娜"}"#;
    let (id, report, _) = flush_claim(vec![
        Reply::Json(409, vec![], taken.into()),
        Reply::Json(200, vec![], ME.into()),
        Reply::Json(200, vec![], detail_assigned_to(8)),
    ])
    .await;
    assert_eq!(report.holders, vec![(id, "李娜".to_string())], "{report:?}");
}
