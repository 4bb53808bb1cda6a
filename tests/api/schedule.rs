//! The rooms' day, duty check-in/out, and the event stream.

use std::time::Duration;

use futures_util::StreamExt;
use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item, problem};

async fn schedule_case(ctx: &Ctx) {
    let today = jiff::Timestamp::now()
        .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
        .date();
    for who in ["mediator", "operator", "admin"] {
        let t = ctx.login(who).await;
        let s = json(ctx.get(&t, &format!("/api/v1/schedule?date={today}")).await, 200).await;
        assert_eq!(s["date"], today.to_string());
        let rooms = s["rooms"].as_array().unwrap();
        assert_eq!(rooms.len(), 2, "{who} sees both rooms");
        for room in rooms {
            let sessions = room["sessions"].as_array().unwrap();
            assert!(!sessions.is_empty(), "sessions today in {}", room["room"]["name"]);
            let starts: Vec<i64> = sessions
                .iter()
                .map(|x| x["mediation"]["scheduled_start"].as_i64().unwrap())
                .collect();
            assert!(starts.windows(2).all(|w| w[0] <= w[1]), "by start time");
            assert!(
                sessions
                    .iter()
                    .all(|x| x["mediation"]["room_id"] == room["room"]["id"])
            );
        }
    }
    let t = ctx.login("mediator").await;
    let tomorrow = today.tomorrow().unwrap();
    let s = json(
        ctx.get(&t, &format!("/api/v1/schedule?date={tomorrow}")).await,
        200,
    )
    .await;
    assert!(
        s["rooms"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| !r["sessions"].as_array().unwrap().is_empty())
    );
    problem(
        ctx.get(&t, "/api/v1/schedule?date=2026-13-40").await,
        400,
        "invalid_parameter",
    )
    .await;
    // Another mediator's (here: the lawyer's) sessions stay on the timeline
    // without their description and the parties' phone numbers; the
    // mediator's own keep them.
    let s = json(ctx.get(&t, &format!("/api/v1/schedule?date={today}")).await, 200).await;
    let first = s["rooms"][0]["sessions"][0]["id"].as_i64().unwrap();
    let lawyer = ctx.login("lawyer").await;
    let lawyer_id = json(ctx.get(&lawyer, "/api/v1/me").await, 200).await["id"].as_i64();
    let state = &ctx.server.as_ref().unwrap().state;
    assert!(state.reassign(first, lawyer_id, None).await.unwrap());
    // The lawyer runs it now, and sees it on their schedule (and nothing of
    // anyone else's).
    let theirs = json(
        ctx.get(&lawyer, &format!("/api/v1/schedule?date={today}")).await,
        200,
    )
    .await;
    let ids: Vec<i64> = theirs["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["sessions"].as_array().unwrap())
        .inspect(|x| assert_eq!(x["assignee"]["id"].as_i64(), lawyer_id, "{}", x["title"]))
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert!(
        ids.contains(&first),
        "the lawyer's session is on their schedule: {theirs}"
    );
    let s = json(ctx.get(&t, &format!("/api/v1/schedule?date={today}")).await, 200).await;
    let me_id = json(ctx.get(&t, "/api/v1/me").await, 200).await["id"].clone();
    let sessions: Vec<&serde_json::Value> = s["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["sessions"].as_array().unwrap())
        .collect();
    let (own, others): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
        sessions.into_iter().partition(|x| x["assignee"]["id"] == me_id);
    assert!(!others.is_empty(), "the demo has sessions of others today");
    for x in &others {
        assert_eq!(x["description"], "", "{}", x["title"]);
        for p in x["parties"].as_array().unwrap() {
            assert!(p.get("contact").is_none(), "{}", x["title"]);
            assert!(!p["name"].as_str().unwrap().is_empty());
        }
    }
    let own_contacts = own
        .iter()
        .flat_map(|x| x["parties"].as_array().unwrap())
        .any(|p| p.get("contact").is_some());
    assert!(own.is_empty() || own_contacts, "own sessions keep the contacts");
    // The coordinator's unit has no rooms: an empty day, not someone else's.
    let c = ctx.login("coordinator").await;
    let s = json(ctx.get(&c, &format!("/api/v1/schedule?date={today}")).await, 200).await;
    assert!(s["rooms"].as_array().unwrap().is_empty());
}
on_all_backends!(schedule_groups_sessions_by_room, schedule_case);

async fn duty_case(ctx: &Ctx) {
    let t = ctx.login("lawyer").await;
    let d = json(ctx.get(&t, "/api/v1/duty").await, 200).await;
    let shifts = d["shifts"].as_array().unwrap();
    assert!(!shifts.is_empty(), "a roster this week");
    assert!(shifts.iter().all(|s| s["user_id"] == shifts[0]["user_id"]));
    let id = shifts[0]["id"].as_i64().unwrap();
    // A shift three days ago cannot be checked in to: the refusal names
    // the window (the shift's hours and two hours either side).
    let hour = 3_600_000i64;
    let now = jiff::Timestamp::now().as_millisecond();
    let pool = &ctx.server.as_ref().unwrap().store.pool;
    let move_shift = |starts: i64| {
        sqlx::query("UPDATE duty_shifts SET starts_at = $1, ends_at = $2 WHERE id = $3")
            .bind(starts)
            .bind(starts + 8 * hour)
            .bind(id)
            .execute(pool)
    };
    move_shift(now - 72 * hour).await.unwrap();
    for action in ["check-in", "check-out"] {
        let p = problem(
            ctx.post(&t, &format!("/api/v1/duty/{id}/{action}"), json!({}))
                .await,
            422,
            "outside_shift_window",
        )
        .await;
        let opens = jiff::Timestamp::from_millisecond(now - 74 * hour)
            .unwrap()
            .to_zoned_datetime(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
            .strftime("%Y-%m-%d %H:%M")
            .to_string();
        let detail = p["detail"].as_str().unwrap();
        assert!(detail.contains(&opens), "the window in the message: {detail}");
        // And as members, so a client words it in the user's language.
        assert_eq!(p["opens"].as_str(), Some(opens.as_str()), "{p}");
        assert!(p["closes"].as_str().is_some(), "{p}");
    }
    // Within the grace before the shift: accepted.
    move_shift(now + hour).await.unwrap();
    problem(
        ctx.post(&t, &format!("/api/v1/duty/{id}/check-out"), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    let s = json(
        ctx.post(&t, &format!("/api/v1/duty/{id}/check-in"), json!({}))
            .await,
        200,
    )
    .await;
    assert!(s["checked_in_at"].as_i64().is_some());
    problem(
        ctx.post(&t, &format!("/api/v1/duty/{id}/check-in"), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    let s = json(
        ctx.post(&t, &format!("/api/v1/duty/{id}/check-out"), json!({}))
            .await,
        200,
    )
    .await;
    assert!(s["checked_out_at"].as_i64().is_some());
    problem(
        ctx.post(&t, &format!("/api/v1/duty/{id}/check-out"), json!({}))
            .await,
        409,
        "invalid_transition",
    )
    .await;
    problem(
        ctx.post(&t, "/api/v1/duty/999999/check-in", json!({})).await,
        404,
        "not_found",
    )
    .await;
}
on_all_backends!(duty_check_in_and_out, duty_case);

async fn events_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let other = ctx.login("lawyer2").await;
    let resp = ctx.get(&lawyer, "/api/v1/events").await;
    assert_eq!(resp.status(), 200);
    assert!(
        resp.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let mut events = eventsource_stream::Eventsource::eventsource(resp.bytes_stream());
    let next = async |events: &mut _| -> eventsource_stream::Event {
        let e: &mut eventsource_stream::EventStream<_> = events;
        tokio::time::timeout(Duration::from_secs(10), e.next())
            .await
            .expect("an event in time")
            .unwrap()
            .unwrap()
    };
    assert_eq!(next(&mut events).await.event, "heartbeat");
    // lawyer2's own change is not lawyer's business; lawyer's is.
    let theirs = my_item(ctx, &other, |i| i["status"] == "accepted").await;
    ctx.post(
        &other,
        &format!("/api/v1/items/{}/transition", theirs["id"]),
        json!({"to": "in_progress", "version": theirs["version"]}),
    )
    .await;
    let mine = my_item(ctx, &lawyer, |i| i["status"] == "new").await;
    ctx.post(
        &lawyer,
        &format!("/api/v1/items/{}/transition", mine["id"]),
        json!({"to": "accepted", "version": mine["version"]}),
    )
    .await;
    let ev = next(&mut events).await;
    assert_eq!(ev.event, "updated");
    let data: serde_json::Value = serde_json::from_str(&ev.data).unwrap();
    assert_eq!(data["item_id"], mine["id"]);
}
on_all_backends!(events_stream_the_callers_changes, events_case);
