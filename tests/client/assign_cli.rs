//! `dutydesk assign ID --to USER` against the real server: a username of
//! the item's unit is resolved through its people; a name that is not
//! there is refused before anything is sent, naming the unit and who is.

use crate::demo_server::{get_json, spawn_server, token};
use crate::support::Home;
use crate::with_server::{login, run, text};

async fn cli(home: &Home, args: &[&str]) -> (Option<i32>, String, String) {
    let mut c = home.cmd();
    c.args(args);
    let out = run(c).await;
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

/// The first unassigned open item of the unit, as its coordinator lists it.
async fn pooled_item(url: &str, coordinator: &str, unit: i64) -> (i64, serde_json::Value) {
    let t = token(url, coordinator).await;
    let page: serde_json::Value =
        get_json(url, &t, &format!("/api/v1/units/{unit}/items?status=unassigned")).await;
    let item = page["items"][0].clone();
    (item["id"].as_i64().unwrap_or_else(|| panic!("{page}")), item)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn assign_to_a_username_of_the_items_unit() {
    let server = spawn_server().await;
    let bureau = Home::new();
    login(&bureau, &server.url, "bureau").await;
    let (id, _) = pooled_item(&server.url, "bureau", 1).await;
    let id_s = id.to_string();

    let (code, out, err) = cli(&bureau, &["assign", &id_s, "--to", "lawyer4", "--json"]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let answer: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(answer["item"]["assignee"]["username"], "lawyer4", "{answer}");

    // Someone of another unit, or nobody: refused here, the unit named.
    for (who, lang) in [("lawyer3", "en"), ("nobody", "zh-CN")] {
        let mut c = bureau.cmd();
        c.env("DUTYDESK_LANG", lang);
        c.args(["assign", &id_s, "--to", who]);
        let out = run(c).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{err}");
        assert!(err.contains(who) && err.contains("明德律师事务所"), "{err}");
        let said = if lang == "en" {
            "no one named"
        } else {
            "没有名为"
        };
        assert!(err.contains(said), "in {lang}: {err}");
        assert!(
            err.contains("lawyer2") && err.contains("李华律师"),
            "its people named: {err}"
        );
    }
    let t = token(&server.url, "bureau").await;
    let d: serde_json::Value = get_json(&server.url, &t, &format!("/api/v1/items/{id}")).await;
    assert_eq!(d["assignee"]["username"], "lawyer4", "nothing sent: {d}");

    // Back to the pool, then to a user id as before.
    let (code, out, err) = cli(&bureau, &["assign", &id_s, "--pool", "--reason", "重新分配"]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let people: serde_json::Value = get_json(&server.url, &t, "/api/v1/units/1/people").await;
    let lawyer2 = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["username"] == "lawyer2")
        .and_then(|p| p["id"].as_i64())
        .unwrap_or_else(|| panic!("{people}"));
    let (code, out, err) = cli(&bureau, &["assign", &id_s, "--to", &lawyer2.to_string()]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("李华律师"), "{out}");
}
