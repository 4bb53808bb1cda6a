//! Outcomes, time entries and activities: idempotency, rules, raw text.

use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item, problem};

async fn outcome_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "consultation" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/outcomes");
    let body = json!({"code": "answered", "minutes": 25, "note": "已解答"});
    let r = ctx.post(&token, &path, body.clone()).await;
    problem(r, 400, "idempotency_key_required").await;
    let p = problem(
        ctx.post_idem(&token, &path, "k-wrong", json!({"code": "agreement"}))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(
        p["detail"].as_str().unwrap().contains("answered"),
        "says which codes fit: {p}"
    );
    let first = ctx.post_idem(&token, &path, "k-1", body.clone()).await;
    assert_eq!(first.status(), 201);
    let first = first.text().await.unwrap();
    let again = ctx.post_idem(&token, &path, "k-1", body.clone()).await;
    assert_eq!(again.status(), 201);
    assert_eq!(
        again.text().await.unwrap(),
        first,
        "a repeat answers the identical body"
    );
    let reused = ctx
        .post_idem(&token, &path, "k-1", json!({"code": "referred_other"}))
        .await;
    problem(reused, 422, "idempotency_key_reused").await;
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(detail["status"], "closed");
    assert_eq!(detail["version"], item["version"].as_i64().unwrap() + 1);
    assert_eq!(detail["outcomes"].as_array().unwrap().len(), 1);
    let entries = detail["time_entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["minutes"], 25);
    // A closed item takes no second outcome.
    problem(
        ctx.post_idem(&token, &path, "k-2", body).await,
        409,
        "invalid_transition",
    )
    .await;
}
on_all_backends!(outcome_once_per_key, outcome_case);

async fn concurrent_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "pro_bono" && i["status"] == "accepted"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/outcomes");
    let body = json!({"code": "completed", "fee_waived": 1500.5});
    let (a, b) = tokio::join!(
        ctx.post_idem(&token, &path, "dup", body.clone()),
        ctx.post_idem(&token, &path, "dup", body)
    );
    let (sa, sb) = (a.status().as_u16(), b.status().as_u16());
    let (ta, tb) = (a.text().await.unwrap(), b.text().await.unwrap());
    assert_eq!((sa, sb), (201, 201), "{ta} / {tb}");
    assert_eq!(ta, tb);
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    let outcomes = detail["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), 1, "two concurrent duplicates store one outcome");
    assert_eq!(outcomes[0]["fee_waived"], 1500.5);
    // Time entries (on an open item: the closed one takes no more) and
    // activities behave the same way.
    let open = my_item(ctx, &token, |i| {
        i["kind"] == "pro_bono" && i["status"] == "in_progress"
    })
    .await;
    let id = open["id"].as_i64().unwrap();
    let te = json!({"item_id": id, "minutes": 40, "activity": "follow_up"});
    let (a, b) = tokio::join!(
        ctx.post_idem(&token, "/api/v1/time-entries", "t-dup", te.clone()),
        ctx.post_idem(&token, "/api/v1/time-entries", "t-dup", te)
    );
    assert_eq!(a.text().await.unwrap(), b.text().await.unwrap());
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(detail["time_entries"].as_array().unwrap().len(), 1);
    // The history keeps plain data (the minutes) for the client to word.
    let logged: Vec<&Value> = detail["history"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "time")
        .collect();
    assert_eq!(logged.len(), 1, "{logged:?}");
    assert_eq!(logged[0]["note"], "40");
    let act = json!({"indicator": "trainings", "count": 2, "count2": 45, "note": "复工复产培训"});
    let a = json(
        ctx.post_idem(&token, "/api/v1/activities", "a-1", act.clone())
            .await,
        201,
    )
    .await;
    let b = json(ctx.post_idem(&token, "/api/v1/activities", "a-1", act).await, 201).await;
    assert_eq!(a, b);
    assert_eq!(a["count2"], 45);
    let neg = ctx
        .post_idem(
            &token,
            "/api/v1/activities",
            "a-2",
            json!({"indicator": "trainings", "count": -1}),
        )
        .await;
    problem(neg, 422, "count_out_of_range").await;
    // A count no activity has (a typo, or a value meant to overflow the
    // sums) is refused with the limit, and counts nowhere.
    let huge = ctx
        .post_idem(
            &token,
            "/api/v1/activities",
            "a-3",
            json!({"indicator": "trainings", "count": 1, "count2": i64::MAX}),
        )
        .await;
    let p = problem(huge, 422, "count_out_of_range").await;
    assert!(p["detail"].as_str().unwrap().contains("10000"), "{p}");
}
on_all_backends!(concurrent_duplicates_store_one_row, concurrent_case);

async fn control_chars_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| i["status"] == "waiting").await;
    let id = item["id"].as_i64().unwrap();
    let note = "bell\u{7} esc\u{1b}[31m red\u{1b}[0m 换行\n结束";
    let body = json!({"item_id": id, "minutes": 15, "activity": "preparation", "note": note});
    let r = ctx.post_idem(&token, "/api/v1/time-entries", "cc-1", body).await;
    let raw = r.text().await.unwrap();
    assert!(
        raw.contains("\\u001b[31m") && raw.contains("\\u0007"),
        "control characters come back escaped: {raw}"
    );
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(detail["time_entries"][0]["note"], note, "stored as given");
    let too_long = json!({"item_id": id, "minutes": 100000, "activity": "travel"});
    problem(
        ctx.post_idem(&token, "/api/v1/time-entries", "cc-2", too_long)
            .await,
        422,
        "minutes_out_of_range",
    )
    .await;
}
on_all_backends!(control_characters_stored_as_given, control_chars_case);

async fn racing_outcomes_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "mediation" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let path = format!("/api/v1/items/{id}/outcomes");
    let (a, b) = tokio::join!(
        ctx.post_idem(
            &token,
            &path,
            "race-a",
            json!({"code": "agreement", "settled_amount": 12000})
        ),
        ctx.post_idem(&token, &path, "race-b", json!({"code": "no_agreement"}))
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409], "two different outcomes at once: one wins");
    let detail = json(ctx.get(&token, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(
        detail["outcomes"].as_array().unwrap().len(),
        1,
        "an item is closed by one outcome only"
    );
}
on_all_backends!(racing_outcomes_close_once, racing_outcomes_case);
