//! Numbers typed with a Chinese input method: full-width digits and the
//! Chinese decimal point are read as the ASCII ones by every number flag.

use crate::support::{Home, dead_server};

#[test]
fn full_width_minutes_and_amounts_are_accepted() {
    let home = Home::new();
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        dead_server()
    ));
    // Offline: saved and kept (exit 3), with the numbers as numbers.
    home.cmd()
        .args(["time", "７", "--minutes", "３０", "--activity", "session"])
        .env("DUTYDESK_TOKEN", "tok-offline-123")
        .assert()
        .code(3);
    home.cmd()
        .args([
            "activity",
            "--indicator",
            "trainings",
            "--count",
            "２",
            "--count2",
            "４５",
        ])
        .env("DUTYDESK_TOKEN", "tok-offline-123")
        .assert()
        .code(3);
    let out = home.cmd().args(["outbox", "--json"]).assert().success();
    let entries: Vec<serde_json::Value> = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert_eq!(entries[0]["path"], "/api/v1/time-entries");
    assert_eq!(entries[0]["body"]["item_id"], 7);
    assert_eq!(entries[0]["body"]["minutes"], 30);
    assert_eq!(entries[1]["body"]["count"], 2);
    assert_eq!(entries[1]["body"]["count2"], 45);
    // Words are still refused, before anything is saved.
    home.cmd()
        .args(["time", "7", "--minutes", "三十", "--activity", "session"])
        .env("DUTYDESK_TOKEN", "tok-offline-123")
        .assert()
        .code(2);
}
