//! `GET /api/v1/intake/units`: the units the desk may send work to (its
//! bureau's tree, its own first), each with the people who take work
//! there; refused to those who do not register work. And the desk may
//! acknowledge the conflict warning of what it registered, which lands in
//! the item's history, while it still reads nothing else of the item.

use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json};

async fn units_case(ctx: &Ctx) {
    let desk = ctx.login("intake").await;
    let listed = json(ctx.get(&desk, "/api/v1/intake/units").await, 200).await;
    let units = listed["units"].as_array().unwrap();
    let names: Vec<&str> = units
        .iter()
        .map(|u| u["unit"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names[0], "钟楼区法律援助中心", "its own unit first: {names:?}");
    assert!(names.contains(&"正衡律师事务所"), "{names:?}");
    let firm2 = units
        .iter()
        .find(|u| u["unit"]["name"] == "正衡律师事务所")
        .unwrap();
    let people: Vec<&str> = firm2["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(people, ["lawyer3"]);
    // Only people who take work are offered (no desk, no coordinator).
    let everyone: Vec<&Value> = units
        .iter()
        .flat_map(|u| u["people"].as_array().unwrap())
        .collect();
    assert!(
        everyone
            .iter()
            .all(|p| p["username"] != "intake" && p["username"] != "coordinator")
    );
    for who in ["lawyer", "coordinator"] {
        let token = ctx.login(who).await;
        assert_eq!(
            ctx.get(&token, "/api/v1/intake/units").await.status(),
            403,
            "{who}"
        );
    }

    // The desk acknowledges the warning of an item it registered.
    let unit = firm2["unit"]["id"].as_i64().unwrap();
    let body = json!({
        "kind": "consultation", "title": "周建华再次来访", "channel": "walk_in", "unit_id": unit,
        "parties": [{"name": "李明", "role": "applicant"},
                    {"name": "周建华", "role": "respondent", "phone": "13900001234"}],
    });
    let key = uuid::Uuid::new_v4().to_string();
    let made = json(ctx.post_idem(&desk, "/api/v1/items", &key, body).await, 201).await;
    assert!(!made["conflicts"].as_array().unwrap().is_empty(), "{made}");
    let id = made["item"]["id"].as_i64().unwrap();
    let ack = ctx
        .post(
            &desk,
            &format!("/api/v1/items/{id}/conflicts/ack"),
            json!({"version": made["item"]["version"]}),
        )
        .await;
    assert_eq!(ack.status(), 200);
    assert_eq!(ctx.get(&desk, &format!("/api/v1/items/{id}")).await.status(), 404);
    let admin = ctx.login("admin").await;
    let detail = json(ctx.get(&admin, &format!("/api/v1/items/{id}")).await, 200).await;
    let acked = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["action"] == "conflict_acknowledged")
        .unwrap_or_else(|| panic!("{detail}"));
    assert_eq!(acked["actor"]["username"], "intake");
    // Another desk's registration: not this desk's to acknowledge.
    let other = ctx.login("operator").await;
    let r = ctx
        .post(
            &other,
            &format!("/api/v1/items/{id}/conflicts/ack"),
            json!({"version": made["item"]["version"].as_i64().unwrap() + 1}),
        )
        .await;
    assert_eq!(r.status(), 404);
}
on_all_backends!(
    the_desk_knows_where_to_send_work_and_acks_its_warnings,
    units_case
);
