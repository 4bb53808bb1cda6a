//! Keyed writes committed in groups (SQLite) stay exactly-once, and a
//! refused write in a group undoes only itself, also when it is refused
//! after its first rows were written.

use futures_util::future::join_all;
use serde_json::{Value, json};

use dutydesk::server::stats_admin::rebuild_all;

use crate::support::{APRIL_12, Ctx, json, my_item};
use crate::{on_all_backends, on_all_backends_at};

/// Sends every (key, body) as `token` to `POST /time-entries` at once, so
/// they land in the same groups; each key with the status and body it got.
async fn entries_at_once(ctx: &Ctx, token: &str, posts: Vec<(String, Value)>) -> Vec<(String, u16, String)> {
    entries_at_once_as(
        ctx,
        posts.into_iter().map(|(key, body)| (token, key, body)).collect(),
    )
    .await
}

/// [`entries_at_once`], each post with its own token.
async fn entries_at_once_as(ctx: &Ctx, posts: Vec<(&str, String, Value)>) -> Vec<(String, u16, String)> {
    join_all(posts.into_iter().map(|(token, key, body)| async move {
        let r = ctx.post_idem(token, "/api/v1/time-entries", &key, body).await;
        (key, r.status().as_u16(), r.text().await.unwrap())
    }))
    .await
}

async fn group_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "pro_bono" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let path = "/api/v1/time-entries";
    // 24 keys, each sent three times at once, and refused writes among
    // them (no such item; minutes out of range), all concurrently: they
    // land in the same groups.
    let mut posts = Vec::new();
    for n in 0..24 {
        let body = json!({"item_id": id, "minutes": 1, "activity": "follow_up", "note": format!("g{n}")});
        for _ in 0..3 {
            posts.push((format!("g-{n}"), body.clone()));
        }
        posts.push((
            format!("bad-{n}"),
            json!({"item_id": 987_654, "minutes": 1, "activity": "follow_up"}),
        ));
        posts.push((
            format!("zero-{n}"),
            json!({"item_id": id, "minutes": 0, "activity": "follow_up"}),
        ));
    }
    let token = token.as_str();
    let answers = entries_at_once(ctx, token, posts).await;
    let mut bodies = std::collections::HashMap::new();
    for (key, status, text) in &answers {
        if key.starts_with("g-") {
            assert_eq!(*status, 201, "[{}] {key}: {text}", ctx.backend);
            let first = bodies.entry(key.clone()).or_insert_with(|| text.clone());
            assert_eq!(
                first, text,
                "[{}] every repeat of {key} answers alike",
                ctx.backend
            );
        } else {
            assert!(
                (400..500).contains(status),
                "[{}] {key} is refused: {status} {text}",
                ctx.backend
            );
        }
    }
    let detail = json(ctx.get(token, &format!("/api/v1/items/{id}")).await, 200).await;
    let logged = detail["time_entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["note"].as_str().is_some_and(|n| n.starts_with('g')))
        .count();
    assert_eq!(
        logged, 24,
        "[{}] one entry per key, none of the refused",
        ctx.backend
    );
    // A refused key was not stored: sent again right, it is created.
    let again = ctx
        .post_idem(
            token,
            path,
            "zero-0",
            json!({"item_id": id, "minutes": 2, "activity": "follow_up"}),
        )
        .await;
    assert_eq!(again.status(), 201, "[{}]", ctx.backend);
    // A stored key sent with another body is refused, and the write that
    // follows it in the same group still stands.
    let other = json!({"item_id": id, "minutes": 7, "activity": "follow_up", "note": "reused"});
    let after = json!({"item_id": id, "minutes": 1, "activity": "follow_up", "note": "after"});
    let (reused, next) = tokio::join!(
        ctx.post_idem(token, path, "g-0", other),
        ctx.post_idem(token, path, "after-reuse", after),
    );
    crate::support::problem(reused, 422, "idempotency_key_reused").await;
    assert_eq!(next.status(), 201, "[{}]", ctx.backend);
    let detail = json(ctx.get(token, &format!("/api/v1/items/{id}")).await, 200).await;
    let notes: Vec<&str> = detail["time_entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert!(!notes.contains(&"reused"), "[{}] {notes:?}", ctx.backend);
    assert!(notes.contains(&"after"), "[{}] {notes:?}", ctx.backend);
}
on_all_backends!(group_commits_keep_every_key_exactly_once, group_case);

/// Refusals that come after the write began (the time entry is inserted,
/// then its statistics find form 1's first half of March closed) mixed
/// with good writes in the same groups: each refused one undoes its own
/// rows and increments, every good one stands, and a rebuild of the
/// statistics changes nothing.
async fn late_refusal_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "pro_bono" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let hour = 3_600_000;
    // 2026-03-10 in Beijing: form 1's 1–15 March was due on 16 March.
    let march_10 = APRIL_12 - 33 * 24 * hour;
    let mut posts = Vec::new();
    for n in 0..20_i64 {
        posts.push((
            format!("ok-{n}"),
            json!({"item_id": id, "minutes": 3, "activity": "follow_up", "note": format!("ok{n}"),
                   "occurred_at": APRIL_12 - hour - n * 60_000}),
        ));
        posts.push((
            format!("closed-{n}"),
            json!({"item_id": id, "minutes": 5, "activity": "session", "note": format!("closed{n}"),
                   "occurred_at": march_10 + n * 60_000}),
        ));
    }
    let token = token.as_str();
    let answers = entries_at_once(ctx, token, posts).await;
    for (key, status, text) in &answers {
        let want = if key.starts_with("ok-") { 201 } else { 409 };
        assert_eq!(*status, want, "[{}] {key}: {text}", ctx.backend);
    }
    let detail = json(ctx.get(token, &format!("/api/v1/items/{id}")).await, 200).await;
    let notes: Vec<&str> = detail["time_entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["note"].as_str())
        .collect();
    assert_eq!(
        notes.iter().filter(|n| n.starts_with("ok")).count(),
        20,
        "[{}] every good write stands: {notes:?}",
        ctx.backend
    );
    assert!(
        !notes.iter().any(|n| n.starts_with("closed")),
        "[{}] no refused write left a row: {notes:?}",
        ctx.backend
    );
    let report = rebuild_all(&ctx.server.as_ref().unwrap().store).await.unwrap();
    assert!(
        report.changes.is_empty(),
        "[{}] the aggregates are a rebuild's: {:?}",
        ctx.backend,
        report.changes
    );
}
on_all_backends_at!(
    late_refusals_in_a_group_undo_only_themselves,
    late_refusal_case,
    APRIL_12
);

/// A Beijing day holds 24 hours also when one user's entries for it
/// arrive together (on SQLite they share a group, whose reads all ran
/// before any of its writes), and a withdrawn entry gives its minutes back
/// to the day.
async fn full_day_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| {
        i["kind"] == "pro_bono" && i["status"] == "in_progress"
    })
    .await;
    let id = item["id"].as_i64().unwrap();
    let at = APRIL_12 - 3_600_000;
    let half_day = json!({"item_id": id, "minutes": 720, "activity": "duty", "occurred_at": at});
    let token = token.as_str();
    let path = "/api/v1/time-entries";
    let halves = (0..6).map(|n| (format!("half-{n}"), half_day.clone())).collect();
    let answers: Vec<(u16, String)> = entries_at_once(ctx, token, halves)
        .await
        .into_iter()
        .map(|(_, status, text)| (status, text))
        .collect();
    let taken: Vec<&String> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, t)| t)
        .collect();
    assert_eq!(
        taken.len(),
        2,
        "[{}] two halves fill the day: {answers:?}",
        ctx.backend
    );
    for (status, text) in answers.iter().filter(|(s, _)| *s != 201) {
        assert_eq!(*status, 422, "[{}] {text}", ctx.backend);
        assert!(text.contains("day_overfull"), "[{}] {text}", ctx.backend);
    }
    let first: serde_json::Value = serde_json::from_str(taken[0]).unwrap();
    let withdraw = format!("{path}/{}/withdraw", first["id"].as_str().unwrap());
    assert_eq!(
        ctx.post(token, &withdraw, json!({})).await.status(),
        201,
        "[{}]",
        ctx.backend
    );
    let again = ctx.post_idem(token, path, "half-again", half_day.clone()).await;
    assert_eq!(
        again.status(),
        201,
        "[{}] the withdrawn half is free again",
        ctx.backend
    );
    let over = ctx
        .post_idem(
            token,
            path,
            "one-more",
            json!({"item_id": id, "minutes": 1, "activity": "duty", "occurred_at": at}),
        )
        .await;
    crate::support::problem(over, 422, "day_overfull").await;
}
on_all_backends_at!(
    a_day_holds_24_hours_when_its_entries_arrive_together,
    full_day_case,
    APRIL_12
);

/// Writes of a unit whose form for the period is handed in are refused
/// (409 `period_locked`) also in a group shared with another unit's, whose
/// writes stand; once the form is returned (status edited here), the same
/// unit's next group takes its writes again — what a group read about the
/// submissions is never kept past its transaction.
async fn locked_in_group_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let mediator = ctx.login("mediator").await;
    let mine = my_item(ctx, &lawyer, |i| i["status"] == "in_progress").await;
    let theirs = my_item(ctx, &mediator, |i| {
        (i["status"] == "in_progress" || i["status"] == "scheduled")
            && i["assignee"]["username"] == "mediator"
    })
    .await;
    let me = json(ctx.get(&lawyer, "/api/v1/me").await, 200).await;
    let unit = me["unit"]["id"].as_i64().unwrap();
    let pool = &ctx.server.as_ref().expect("in-process server").store.pool;
    sqlx::query(
        "INSERT INTO submissions (campaign_id, period_start, unit_id, status, filled_by, phone, \
         submitted_at, submitted_by, form) VALUES ('form1-enterprise-service', '2026-04-01', $1, \
         'submitted', '陈静', '029-1', $2, $3, '{}')",
    )
    .bind(unit)
    .bind(APRIL_12)
    .bind(me["id"].as_i64().unwrap())
    .execute(pool)
    .await
    .unwrap();
    let at = APRIL_12 - 3_600_000;
    let entry = |item: &serde_json::Value| json!({"item_id": item["id"], "minutes": 5, "activity": "session", "occurred_at": at});
    let mut posts = Vec::new();
    for n in 0..8 {
        posts.push((lawyer.as_str(), format!("locked-{n}"), entry(&mine)));
        posts.push((mediator.as_str(), format!("open-{n}"), entry(&theirs)));
    }
    let answers = entries_at_once_as(ctx, posts).await;
    for (key, status, text) in &answers {
        if key.starts_with("locked-") {
            assert_eq!(*status, 409, "[{}] {key}: {text}", ctx.backend);
            assert!(text.contains("period_locked"), "[{}] {key}: {text}", ctx.backend);
        } else {
            assert_eq!(*status, 201, "[{}] {key}: {text}", ctx.backend);
        }
    }
    sqlx::query("UPDATE submissions SET status = 'returned', reason = 'x' WHERE unit_id = $1")
        .bind(unit)
        .execute(pool)
        .await
        .unwrap();
    let r = ctx
        .post_idem(&lawyer, "/api/v1/time-entries", "reopened", entry(&mine))
        .await;
    assert_eq!(r.status(), 201, "[{}] {}", ctx.backend, r.text().await.unwrap());
}
on_all_backends_at!(
    a_locked_unit_is_refused_in_a_shared_group,
    locked_in_group_case,
    APRIL_12
);

/// A time at either end of the 64-bit range is refused as a time (422),
/// and the writer goes on: the next entry is stored.
async fn extreme_time_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let item = my_item(ctx, &token, |i| i["status"] == "in_progress").await;
    let path = "/api/v1/time-entries";
    for (key, at) in [("max", i64::MAX), ("min", i64::MIN)] {
        let body = json!({"item_id": item["id"], "minutes": 5, "activity": "session", "occurred_at": at});
        let r = ctx.post_idem(&token, path, key, body).await;
        let status = r.status().as_u16();
        assert_eq!(
            status,
            422,
            "[{}] {key}: {}",
            ctx.backend,
            r.text().await.unwrap()
        );
    }
    let body = json!({"item_id": item["id"], "minutes": 5, "activity": "session"});
    let r = ctx.post_idem(&token, path, "after", body).await;
    assert_eq!(r.status(), 201, "[{}] {}", ctx.backend, r.text().await.unwrap());
}
on_all_backends!(
    a_time_at_the_ends_of_the_range_is_refused_and_the_writer_goes_on,
    extreme_time_case
);
