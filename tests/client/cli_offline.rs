//! The real binary with the server down: writes are kept and exit 3;
//! reads show the cache.

use dutydesk::client::store::LocalStore;

use crate::support::{Home, item, offline_home};

async fn cache(home: &Home, items: &[dutydesk::api::WorkItem]) {
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    store.upsert_items("mine", items).await.unwrap();
    store.close().await;
}

fn outbox_json(home: &Home) -> Vec<serde_json::Value> {
    let out = home.cmd().args(["outbox", "--json"]).assert().success();
    serde_json::from_slice(&out.get_output().stdout).unwrap()
}

#[tokio::test]
async fn an_outcome_logged_offline_is_saved_and_exits_3() {
    let home = offline_home();
    cache(&home, &[item(7, "mediation", "劳动合同纠纷调解")]).await;
    let out = home
        .cmd()
        .args([
            "log",
            "7",
            "--outcome",
            "agreement",
            "--settled-amount",
            "1200.50",
            "--minutes",
            "45",
        ])
        .env("DUTYDESK_TOKEN", "tok-offline-123")
        .assert()
        .code(3);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stdout.contains("Saved: outcome agreement on #7"), "{stdout}");
    assert!(
        stderr.contains("cannot reach") && stderr.contains("1 entries waiting"),
        "{stderr}"
    );
    let entries = outbox_json(&home);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["state"], "pending");
    assert_eq!(entries[0]["path"], "/api/v1/items/7/outcomes");
    assert_eq!(entries[0]["body"]["code"], "agreement");
    assert_eq!(entries[0]["body"]["settled_amount"], 1200.5);
    // Text view shows it as waiting.
    let out = home.cmd().arg("outbox").assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(text.contains("waiting") && text.contains("#7"), "{text}");
    assert!(
        !home.all_logs().contains("tok-offline-123"),
        "no token in the logs"
    );
}

#[tokio::test]
async fn an_outcome_of_the_wrong_kind_is_refused_before_saving() {
    let home = offline_home();
    cache(&home, &[item(7, "mediation", "调解")]).await;
    let out = home
        .cmd()
        .args(["log", "7", "--outcome", "answered"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("agreement, partial_agreement, no_agreement, withdrawn, referred"),
        "{stderr}"
    );
    assert!(outbox_json(&home).is_empty(), "nothing saved");
}

#[test]
fn an_unknown_outcome_code_lists_the_valid_ones() {
    let home = offline_home();
    let out = home
        .cmd()
        .args(["log", "7", "--outcome", "settled"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("settled") && stderr.contains("partial_agreement"),
        "{stderr}"
    );
}

#[test]
fn activity_and_time_offline_wait_in_order_and_can_be_discarded() {
    let home = offline_home();
    home.cmd()
        .args([
            "activity",
            "--indicator",
            "trainings",
            "--count",
            "1",
            "--count2",
            "35",
        ])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(3);
    home.cmd()
        .args(["time", "7", "--minutes", "30", "--activity", "preparation"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(3);
    let entries = outbox_json(&home);
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["body"]["count2"], 35);
    assert_eq!(entries[1]["body"]["activity"], "preparation");
    let full = entries[0]["id"].as_str().unwrap();
    // `outbox` shows the tail of the id; that is what people type.
    let id = full[full.len() - 8..].to_string();
    home.cmd().args(["outbox", "discard", &id]).assert().success();
    assert_eq!(outbox_json(&home).len(), 1);
}

#[test]
fn bad_input_is_a_usage_error_not_a_panic() {
    let home = offline_home();
    home.cmd()
        .args(["time", "7", "--minutes", "9000", "--activity", "session"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    home.cmd()
        .args(["time", "7", "--minutes", "30", "--activity", "napping"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    home.cmd()
        .args(["list", "--kind", "divorce"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    home.cmd()
        .args(["schedule", "--date", "next tuesday"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .code(2);
    home.cmd().args(["log", "x"]).assert().code(2);
}

#[test]
fn without_a_token_commands_say_to_log_in() {
    let home = offline_home();
    let out = home.cmd().arg("list").assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("dutydesk login"), "{stderr}");
}

#[tokio::test]
async fn list_offline_shows_the_cache_aligned() {
    let home = offline_home();
    cache(
        &home,
        &[
            item(7, "mediation", "劳动合同纠纷调解"),
            item(12, "consultation", "wage arrears"),
        ],
    )
    .await;
    let out = home
        .cmd()
        .arg("list")
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("showing what was last fetched"), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let col = |l: &str, t: &str| dutydesk::client::text::width(&l[..l.find(t).unwrap()]);
    assert_eq!(col(lines[1], "劳动"), col(lines[2], "wage"), "{stdout}");
    let out = home
        .cmd()
        .args(["list", "--json"])
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .success();
    let parsed: dutydesk::api::ItemList = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert_eq!(parsed.items.len(), 2);
}

#[test]
fn the_timer_runs_across_processes() {
    let home = offline_home();
    home.cmd().args(["start", "7"]).assert().success();
    // Stop logs the time offline: saved, exit 3.
    let out = home.cmd().arg("stop").env("DUTYDESK_TOKEN", "t").assert().code(3);
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("1 min on #7"), "{stdout}");
    let out = home
        .cmd()
        .arg("stop")
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .success();
    assert!(String::from_utf8_lossy(&out.get_output().stdout).contains("No timer"));
}
