//! Item lists with delta sync and ETags, detail, transitions, the pool and
//! the claim race.

use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item, problem};

async fn list_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let r = ctx.get(&token, "/api/v1/items").await;
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let list = json(r, 200).await;
    let items = list["items"].as_array().unwrap();
    for kind in ["mediation", "consultation", "pro_bono"] {
        assert!(
            items
                .iter()
                .any(|i| i["kind"] == kind && i["status"] != "cancelled"),
            "lawyer has an open {kind}"
        );
    }
    assert!(items.iter().all(|i| i["assignee"]["username"] == "lawyer"));
    // Unchanged: 304 with the same ETag; nothing since the cursor.
    let r = ctx
        .http
        .get(ctx.url("/api/v1/items"))
        .bearer_auth(&token)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 304);
    let cursor = list["cursor"].as_str().unwrap().to_string();
    let since = json(
        ctx.get(&token, &format!("/api/v1/items?since={cursor}")).await,
        200,
    )
    .await;
    assert_eq!(since["items"].as_array().unwrap().len(), 0);
    // A change shows up in the delta, and the old ETag no longer matches.
    let item = items.iter().find(|i| i["status"] == "new").unwrap();
    let id = item["id"].as_i64().unwrap();
    let moved = ctx
        .post(
            &token,
            &format!("/api/v1/items/{id}/transition"),
            json!({"to": "accepted", "version": item["version"]}),
        )
        .await;
    let moved = json(moved, 200).await;
    assert_eq!(moved["status"], "accepted");
    assert_eq!(moved["version"], item["version"].as_i64().unwrap() + 1);
    let delta = json(
        ctx.get(&token, &format!("/api/v1/items?since={cursor}")).await,
        200,
    )
    .await;
    let ids: Vec<i64> = delta["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![id]);
    let r = ctx
        .http
        .get(ctx.url("/api/v1/items"))
        .bearer_auth(&token)
        .header("If-None-Match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    problem(
        ctx.get(&token, "/api/v1/items?since=banana").await,
        400,
        "invalid_parameter",
    )
    .await;
}
on_all_backends!(items_delta_sync_and_etag, list_case);

async fn transition_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["status"] == "new" && i["kind"] == "consultation"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/transition");
    let v = item["version"].as_i64().unwrap();
    problem(
        ctx.post(&token, &path, json!({"to": "accepted", "version": v - 1}))
            .await,
        409,
        "version_conflict",
    )
    .await;
    let p = problem(
        ctx.post(&token, &path, json!({"to": "waiting", "version": v}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("cannot become"), "{p}");
    problem(
        ctx.post(&token, &path, json!({"to": "closed", "version": v}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    json(
        ctx.post(&token, &path, json!({"to": "accepted", "version": v}))
            .await,
        200,
    )
    .await;
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(detail["status"], "accepted");
    let history = detail["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(
        (last["from_status"].as_str(), last["to_status"].as_str()),
        (Some("new"), Some("accepted"))
    );
    assert_eq!(last["actor"]["username"], "lawyer");
    assert!(detail["outcomes"].as_array().unwrap().is_empty());
    problem(ctx.get(&token, "/api/v1/items/999999").await, 404, "not_found").await;
    // The version sent before the move is stale now.
    problem(
        ctx.post(&token, &path, json!({"to": "cancelled", "version": v}))
            .await,
        409,
        "version_conflict",
    )
    .await;
    let cancelled = json(
        ctx.post(&token, &path, json!({"to": "cancelled", "version": v + 1}))
            .await,
        200,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    let p = problem(
        ctx.post(&token, &path, json!({"to": "accepted", "version": v + 2}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    assert!(p["detail"].as_str().unwrap().contains("finished"), "{p}");
}
on_all_backends!(transition_checks_version_and_rules, transition_case);

async fn claim_race_case(ctx: &Ctx) {
    let a = ctx.login("lawyer").await;
    let b = ctx.login("lawyer2").await;
    let pool = json(ctx.get(&a, "/api/v1/pool").await, 200).await;
    let pool_b = json(ctx.get(&b, "/api/v1/pool").await, 200).await;
    assert_eq!(pool, pool_b, "lawyer and lawyer2 share their unit's pool");
    let items = pool["items"].as_array().unwrap();
    assert!(items.len() >= 5);
    assert!(items.iter().all(|i| i.get("assignee").is_none()));
    let id = items[0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/claim");
    let (ra, rb) = tokio::join!(ctx.post(&a, &path, json!({})), ctx.post(&b, &path, json!({})));
    let mut statuses = [ra.status().as_u16(), rb.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "exactly one winner");
    let (winner, loser) = if ra.status() == 200 { (ra, rb) } else { (rb, ra) };
    let won: Value = winner.json().await.unwrap();
    let lost = problem(loser, 409, "already_claimed").await;
    let name = won["assignee"]["display_name"].as_str().unwrap();
    assert!(
        lost["detail"].as_str().unwrap().contains(name),
        "the loser learns who has it: {lost}"
    );
    let pool = json(ctx.get(&a, "/api/v1/pool").await, 200).await;
    assert!(
        pool["items"].as_array().unwrap().iter().all(|i| i["id"] != id),
        "claimed item left the pool"
    );
}
on_all_backends!(claim_race_has_one_winner, claim_race_case);

async fn reassign_case(ctx: &Ctx) {
    let a = ctx.login("lawyer").await;
    let b = ctx.login("lawyer2").await;
    let list = json(ctx.get(&a, "/api/v1/items").await, 200).await;
    let cursor = list["cursor"].as_str().unwrap().to_string();
    let item = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "accepted")
        .unwrap()
        .clone();
    let id = item["id"].as_i64().unwrap();
    let me_b = json(ctx.get(&b, "/api/v1/me").await, 200).await;
    let stream = ctx.get(&a, "/api/v1/events").await;
    let mut events = eventsource_stream::Eventsource::eventsource(stream.bytes_stream());
    let mut next = async || {
        let wait = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            futures_util::StreamExt::next(&mut events),
        );
        wait.await.expect("an event in time").unwrap().unwrap()
    };
    assert_eq!(next().await.event, "heartbeat");
    let state = &ctx.server.as_ref().unwrap().state;
    assert!(state.reassign(id, me_b["id"].as_i64(), None).await.unwrap());
    let ev = next().await;
    assert_eq!(ev.event, "unassigned", "the one who lost it hears so");
    assert!(ev.data.contains(&format!("\"item_id\":{id}")));
    // lawyer's delta names the item among `removed`, without its body;
    // the full list no longer has it.
    let delta = json(ctx.get(&a, &format!("/api/v1/items?since={cursor}")).await, 200).await;
    assert!(
        delta["removed"].as_array().unwrap().contains(&json!(id)),
        "{delta}"
    );
    assert!(
        delta["items"].as_array().unwrap().iter().all(|i| i["id"] != id),
        "no body of an item that left: {delta}"
    );
    let full = json(ctx.get(&a, "/api/v1/items").await, 200).await;
    assert!(full["items"].as_array().unwrap().iter().all(|i| i["id"] != id));
    problem(
        ctx.get(&a, &format!("/api/v1/items/{id}")).await,
        404,
        "not_found",
    )
    .await;
    let detail = json(ctx.get(&b, &format!("/api/v1/items/{id}")).await, 200).await;
    let assigned = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|h| h["action"] == "assigned")
        .expect("the move is in the history")
        .clone();
    assert_eq!(
        assigned["note"], me_b["display_name"],
        "plain data: who has it now"
    );

    // Back to the pool, then claimed by a colleague before lawyer pulls:
    // lawyer's next delta still drops it.
    let other = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "accepted" && i["id"] != id)
        .expect("a second accepted item")["id"]
        .as_i64()
        .unwrap();
    assert!(state.reassign(other, None, None).await.unwrap());
    let claimed = ctx
        .post(&b, &format!("/api/v1/items/{other}/claim"), serde_json::json!({}))
        .await;
    assert_eq!(claimed.status(), 200, "{}", claimed.text().await.unwrap());
    let delta = json(ctx.get(&a, &format!("/api/v1/items?since={cursor}")).await, 200).await;
    assert!(
        delta["removed"].as_array().unwrap().contains(&json!(other)),
        "{delta}"
    );
    assert!(
        delta["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != other)
    );
}
on_all_backends!(reassigned_items_leave_through_delta_sync, reassign_case);
