//! One plain work item for tests: an item in progress in unit 1, fields a
//! test does not care about at their defaults. Tests set what they check
//! on the result (`WorkItem { status: .., ..item(7, "mediation", "工资") }`).

#![allow(dead_code)] // each binary uses its own part of it

use dutydesk::api::WorkItem;

pub fn item(id: i64, kind: &str, title: &str) -> WorkItem {
    serde_json::from_value(serde_json::json!({
        "id": id, "kind": kind, "title": title, "channel": "hotline", "category": "labour_contract",
        "green_channel": false, "fee_waiver_eligible": false, "status": "in_progress",
        "unit_id": 1, "due_at": 1_790_000_000_000i64, "created_at": 1_780_000_000_000i64,
        "updated_at": 1_780_000_000_000i64, "version": 1
    }))
    .unwrap()
}
