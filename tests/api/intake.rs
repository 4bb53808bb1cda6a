//! Intake, dispatch, conflicts, masking and passwords (issue 11), on every
//! backend.

use serde_json::{Value, json};

use crate::on_all_backends;
use crate::support::{Ctx, json, problem};

pub async fn user_id(ctx: &Ctx, token: &str) -> i64 {
    json(ctx.get(token, "/api/v1/me").await, 200).await["id"]
        .as_i64()
        .unwrap()
}

pub async fn create(ctx: &Ctx, token: &str, body: Value) -> Value {
    let key = uuid::Uuid::new_v4().to_string();
    json(ctx.post_idem(token, "/api/v1/items", &key, body).await, 201).await
}

pub fn consultation(unit: i64, assignee: Option<i64>, parties: Value) -> Value {
    let mut body = json!({
        "kind": "consultation", "title": "拖欠工资咨询", "channel": "hotline", "category": "wages",
        "unit_id": unit, "parties": parties,
    });
    if let Some(a) = assignee {
        body["assignee_id"] = json!(a);
    }
    body
}

async fn detail(ctx: &Ctx, token: &str, id: i64) -> Value {
    json(ctx.get(token, &format!("/api/v1/items/{id}")).await, 200).await
}

async fn intake_case(ctx: &Ctx) {
    let desk = ctx.login("intake").await;
    let lawyer = ctx.login("lawyer").await;
    let lawyer2 = ctx.login("lawyer2").await;
    let bureau = ctx.login("bureau").await;
    let lawyer_id = user_id(ctx, &lawyer).await;

    // A: 周强 asks about unpaid wages from 宏达公司; lawyer acts for him.
    let zhou = json!({"name": "周强", "role": "applicant", "phone": "13912345678", "id_number": "320102199001011234"});
    let hongda =
        json!({"name": "宏达物流公司", "role": "respondent", "kind": "enterprise", "phone": "02588886666"});
    let body = consultation(1, Some(lawyer_id), json!([zhou, hongda]));
    let key = uuid::Uuid::new_v4().to_string();
    let a = json(
        ctx.post_idem(&desk, "/api/v1/items", &key, body.clone()).await,
        201,
    )
    .await;
    assert_eq!(a["conflicts"], json!([]), "{a}");
    let a_id = a["item"]["id"].as_i64().unwrap();
    assert_eq!(a["item"]["status"], "new");
    assert_eq!(a["item"]["assignee"]["username"], "lawyer");
    let due = a["item"]["due_at"].as_i64().unwrap() - a["item"]["created_at"].as_i64().unwrap();
    assert_eq!(
        due,
        24 * 3_600_000,
        "a hotline consultation is due within a day (domain::due_at)"
    );
    // Masked on the way out, even in the answer to the desk.
    assert_eq!(a["item"]["parties"][0]["contact"], "139****5678");
    assert_eq!(a["item"]["parties"][0]["id_number"], "3201**********1234");
    // The same key again: the same answer, nothing new.
    let again = json(ctx.post_idem(&desk, "/api/v1/items", &key, body).await, 201).await;
    assert_eq!(again["item"]["id"], a_id);

    // B: a mediation where 周强 is the respondent, to the firm's pool.
    let b = create(
        ctx,
        &desk,
        json!({
            "kind": "mediation", "title": "劳务费纠纷调解", "channel": "walk_in", "unit_id": 1,
            "parties": [
                {"name": "宏达物流公司", "role": "applicant", "kind": "enterprise", "phone": "025-8888-6666"},
                {"name": "周强", "role": "respondent", "id_number": "320102199001011234"}
            ]
        }),
    )
    .await;
    let b_id = b["item"]["id"].as_i64().unwrap();
    let conflicts = b["conflicts"].as_array().unwrap();
    assert!(
        conflicts.iter().any(|c| c["item_id"] == a_id
            && c["reason"] == "opposite_side"
            && c["party"] == "周强"
            && c["assignee"]["username"] == "lawyer"
            && c["created_at"].is_i64()),
        "intake reports the earlier item where 周强 stood on the other side: {b}"
    );

    // Claim: lawyer2 takes B from the pool and is warned too.
    let claimed = json(
        ctx.post(&lawyer2, &format!("/api/v1/items/{b_id}/claim"), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(
        claimed["assignee"]["username"], "lawyer2",
        "still the item: {claimed}"
    );
    assert!(
        claimed["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["item_id"] == a_id),
        "{claimed}"
    );

    // Assign: the bureau gives B to lawyer, who acted for 周强, now the opponent.
    let version = detail(ctx, &lawyer2, b_id).await["version"].clone();
    let moved = json(
        ctx.post(
            &bureau,
            &format!("/api/v1/items/{b_id}/assign"),
            json!({"assignee_id": lawyer_id, "version": version}),
        )
        .await,
        200,
    )
    .await;
    assert!(
        moved["conflicts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["item_id"] == a_id && c["reason"] == "represented_opponent"),
        "{moved}"
    );
    let listed = json(
        ctx.get(&lawyer, &format!("/api/v1/items/{b_id}/conflicts")).await,
        200,
    )
    .await;
    assert!(!listed["conflicts"].as_array().unwrap().is_empty());

    // Acknowledged: recorded in the item's history.
    let version = moved["item"]["version"].clone();
    let acked = ctx
        .post(
            &lawyer,
            &format!("/api/v1/items/{b_id}/conflicts/ack"),
            json!({"version": version, "note": "已告知当事人"}),
        )
        .await;
    assert_eq!(acked.status(), 200);
    let history = detail(ctx, &lawyer, b_id).await["history"].clone();
    let ack = history
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["action"] == "conflict_acknowledged")
        .unwrap_or_else(|| panic!("acknowledgment in history: {history}"));
    assert!(
        ack["note"].as_str().unwrap().contains(&format!("#{a_id}")),
        "{ack}"
    );
    assert_eq!(ack["actor"]["username"], "lawyer");
    // The same acknowledgment again (its answer lost on the way): the same
    // success, and still one row in the history.
    let again = ctx
        .post(
            &lawyer,
            &format!("/api/v1/items/{b_id}/conflicts/ack"),
            json!({"version": version, "note": "已告知当事人"}),
        )
        .await;
    assert_eq!(again.status(), 200);
    let history = detail(ctx, &lawyer, b_id).await["history"].clone();
    let acks = history
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["action"] == "conflict_acknowledged")
        .count();
    assert_eq!(acks, 1, "{history}");

    // Reveal: the full numbers for the assignee, one audit row; the
    // coordinator reads the trail; others never.
    let shown = detail(ctx, &lawyer, a_id).await;
    assert_eq!(shown["parties"][0]["contact"], "139****5678");
    let revealed = json(
        ctx.post(&lawyer, &format!("/api/v1/items/{a_id}/reveal"), json!({}))
            .await,
        200,
    )
    .await;
    assert_eq!(revealed["parties"][0]["contact"], "13912345678");
    assert_eq!(revealed["parties"][0]["id_number"], "320102199001011234");
    problem(
        ctx.post(&lawyer2, &format!("/api/v1/items/{a_id}/reveal"), json!({}))
            .await,
        404,
        "not_found",
    )
    .await;
    let trail = json(
        ctx.get(&bureau, &format!("/api/v1/items/{a_id}/audit")).await,
        200,
    )
    .await;
    let entries = trail["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{trail}");
    assert_eq!(entries[0]["action"], "party.reveal");
    assert_eq!(entries[0]["actor"]["username"], "lawyer");
    assert!(entries[0]["at"].as_i64().unwrap() > 0);
    problem(
        ctx.get(&lawyer, &format!("/api/v1/items/{a_id}/audit")).await,
        403,
        "forbidden",
    )
    .await;

    // Refusals say what is wrong.
    let r = ctx
        .post(&desk, "/api/v1/items", consultation(1, None, json!([zhou])))
        .await;
    problem(r, 400, "idempotency_key_required").await;
    let r = ctx
        .post_idem(
            &desk,
            "/api/v1/items",
            "k-unit",
            consultation(99, None, json!([zhou])),
        )
        .await;
    problem(r, 422, "unknown_reference").await;
    let r = ctx
        .post_idem(
            &desk,
            "/api/v1/items",
            "k-empty",
            consultation(1, None, json!([])),
        )
        .await;
    let p = problem(r, 422, "validation_failed").await;
    assert_eq!(p["errors"][0]["field"], "parties");
    let r = ctx
        .post_idem(
            &lawyer,
            "/api/v1/items",
            "k-lawyer",
            consultation(1, None, json!([zhou])),
        )
        .await;
    problem(r, 403, "forbidden").await;
    let mut dup = consultation(1, None, json!([zhou]));
    dup["external_ref"] = json!("12348-0001");
    create(ctx, &desk, dup.clone()).await;
    let r = ctx.post_idem(&desk, "/api/v1/items", "k-dup", dup).await;
    problem(r, 409, "duplicate").await;
}
on_all_backends!(intake_conflicts_masking_and_reveal, intake_case);

async fn abc_case(ctx: &Ctx) {
    let desk = ctx.login("intake").await;
    let bureau = ctx.login("bureau").await;
    let a = ctx.login("lawyer").await;
    let b = ctx.login("lawyer2").await;
    let c = ctx.login("lawyer4").await;
    let (a_id, b_id, c_id) = (
        user_id(ctx, &a).await,
        user_id(ctx, &b).await,
        user_id(ctx, &c).await,
    );
    let party = json!([{"name": "孙丽", "role": "applicant", "phone": "13700001111"}]);
    let item = create(ctx, &desk, consultation(1, Some(a_id), party)).await["item"].clone();
    let id = item["id"].as_i64().unwrap();
    let a_list = json(ctx.get(&a, "/api/v1/items").await, 200).await;
    assert!(a_list["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    let a_cursor = a_list["cursor"].as_str().unwrap().to_string();
    let b_cursor = json(ctx.get(&b, "/api/v1/items").await, 200).await["cursor"]
        .as_str()
        .unwrap()
        .to_string();

    let mut version = item["version"].clone();
    for to in [b_id, c_id] {
        let moved = json(
            ctx.post(
                &bureau,
                &format!("/api/v1/items/{id}/assign"),
                json!({"assignee_id": to, "version": version}),
            )
            .await,
            200,
        )
        .await;
        version = moved["item"]["version"].clone();
    }
    // A never pulled in between: the next delta still drops it, by id only.
    let delta = json(ctx.get(&a, &format!("/api/v1/items?since={a_cursor}")).await, 200).await;
    assert!(
        delta["removed"].as_array().unwrap().contains(&json!(id)),
        "{delta}"
    );
    assert!(
        delta["items"].as_array().unwrap().iter().all(|i| i["id"] != id),
        "no body: {delta}"
    );
    assert!(!delta.to_string().contains("孙丽") && !delta.to_string().contains("1111"));
    // B had it and lost it: dropped too; C holds it.
    let delta = json(ctx.get(&b, &format!("/api/v1/items?since={b_cursor}")).await, 200).await;
    assert!(
        delta["removed"].as_array().unwrap().contains(&json!(id)),
        "{delta}"
    );
    assert!(delta["items"].as_array().unwrap().iter().all(|i| i["id"] != id));
    let c_list = json(ctx.get(&c, "/api/v1/items").await, 200).await;
    assert!(
        c_list["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["id"] == id && i["assignee"]["username"] == "lawyer4")
    );
    // A's cursor moves past the departure: asked again, nothing is repeated.
    let cursor = delta["cursor"].as_str().unwrap();
    let again = json(ctx.get(&b, &format!("/api/v1/items?since={cursor}")).await, 200).await;
    assert!(
        again
            .get("removed")
            .is_none_or(|r| r.as_array().unwrap().is_empty()),
        "{again}"
    );

    // C releases it with a reason (and must give one); it is in the pool.
    let r = ctx
        .post(
            &c,
            &format!("/api/v1/items/{id}/assign"),
            json!({"assignee_id": null, "version": version}),
        )
        .await;
    problem(r, 422, "validation_failed").await;
    let r = ctx
        .post(
            &c,
            &format!("/api/v1/items/{id}/assign"),
            json!({"assignee_id": null, "version": 1, "reason": "回避"}),
        )
        .await;
    problem(r, 409, "version_conflict").await;
    let released = json(
        ctx.post(
            &c,
            &format!("/api/v1/items/{id}/assign"),
            json!({"assignee_id": null, "version": version, "reason": "需回避"}),
        )
        .await,
        200,
    )
    .await;
    assert!(released["item"].get("assignee").is_none());
    let pool = json(ctx.get(&a, "/api/v1/pool").await, 200).await;
    assert!(pool["items"].as_array().unwrap().iter().any(|i| i["id"] == id));
    let open = json(
        ctx.get(&bureau, "/api/v1/units/1/items?status=unassigned").await,
        200,
    )
    .await;
    assert!(
        open["items"].as_array().unwrap().iter().any(|i| i["id"] == id),
        "{open}"
    );
    let by_a = json(
        ctx.get(&bureau, &format!("/api/v1/units/1/items?assignee={a_id}"))
            .await,
        200,
    )
    .await;
    assert!(
        by_a["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["assignee"]["id"] == a_id)
    );
    problem(
        ctx.get(&bureau, "/api/v1/units/1/items?status=late").await,
        400,
        "invalid_parameter",
    )
    .await;
    let history = detail(ctx, &bureau, id).await["history"].clone();
    let released = history
        .as_array()
        .unwrap()
        .iter()
        .rfind(|h| h["action"] == "released")
        .cloned();
    assert_eq!(
        released.unwrap()["note"],
        "需回避",
        "the reason is in the history: {history}"
    );
}
on_all_backends!(a_b_c_before_a_pulls_drops_the_item_everywhere, abc_case);

async fn demo_conflict_case(ctx: &Ctx) {
    let lawyer3 = ctx.login("lawyer3").await;
    let pool = json(ctx.get(&lawyer3, "/api/v1/pool").await, 200).await;
    let session = pool["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"].as_str().unwrap().contains("周建华"))
        .expect("the demo's mediation against 周建华 waits in 正衡's pool")["id"]
        .as_i64()
        .unwrap();
    let claimed = json(
        ctx.post(&lawyer3, &format!("/api/v1/items/{session}/claim"), json!({}))
            .await,
        200,
    )
    .await;
    let reasons: Vec<&str> = claimed["conflicts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"opposite_side") && reasons.contains(&"represented_opponent"),
        "{claimed}"
    );
}
on_all_backends!(the_demo_has_a_conflict_to_find, demo_conflict_case);
