//! A session moved from one room to another through `POST /items/{id}/schedule`
//! reaches, live, the operator of the room it left (a tombstone: it left
//! their view), the operator of the room it went to and the mediator, each
//! within a second. Two rooms with two operators, as a centre runs them.

use std::time::{Duration, Instant};

use eventsource_stream::{Event, EventStream, Eventsource};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::intake::{create, user_id};
use crate::on_all_backends;
use crate::support::{Ctx, json, problem};

type Events = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Event, String>> + Send>>;

async fn subscribe(ctx: &Ctx, token: &str) -> Events {
    let resp = ctx.get(token, "/api/v1/events").await;
    assert_eq!(resp.status(), 200);
    let s: EventStream<_> = resp.bytes_stream().eventsource();
    let mut events = s.map(|r| r.map_err(|e| e.to_string())).boxed();
    // The hello heartbeat: the stream is subscribed from here on.
    let first = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the hello in time")
        .expect("open")
        .expect("well-formed");
    assert_eq!(first.event, "heartbeat");
    events
}

/// One change about an item as a stream got it: the event, whether it is
/// a tombstone, the room of the item sent along, and when it arrived.
type Seen = (String, bool, Option<i64>, Duration);

/// The changes about `item` that arrive before `deadline` (from `sent`).
async fn changes_until(events: &mut Events, item: i64, sent: Instant, deadline: Instant) -> Vec<Seen> {
    let mut seen = Vec::new();
    let until = tokio::time::Instant::from_std(deadline);
    while let Ok(ev) = tokio::time::timeout_at(until, events.next()).await {
        let ev = ev.expect("the stream stays open").expect("a well-formed event");
        if ev.event == "heartbeat" {
            continue;
        }
        let data: Value = serde_json::from_str(&ev.data).unwrap();
        if data["item_id"].as_i64() != Some(item) {
            continue;
        }
        let gone = data["gone"].as_bool().unwrap_or(false);
        assert!(
            !gone || data.get("item").is_none(),
            "a tombstone carries no body: {data}"
        );
        let room = data["item"]["mediation"]["room_id"].as_i64();
        seen.push((ev.event, gone, room, sent.elapsed()));
    }
    seen
}

async fn moved_session_case(ctx: &Ctx) {
    let pool = &ctx.server.as_ref().unwrap().store.pool;
    let op_a = ctx.login("operator").await;
    let rooms = json(ctx.get(&op_a, "/api/v1/schedule").await, 200).await["rooms"].clone();
    let room_a = rooms[0]["room"]["id"].as_i64().unwrap();
    let room_b = rooms[1]["room"]["id"].as_i64().unwrap();
    // Room B gets an operator of its own: the demo's runs both rooms.
    sqlx::query(
        "INSERT INTO users (id, username, display_name, role, profession, unit_id, password_hash, created_at) \
         SELECT 9001, 'operator2', '孙丽', role, profession, unit_id, password_hash, created_at FROM users \
         WHERE username = 'operator'",
    )
    .execute(pool)
    .await
    .unwrap();
    sqlx::query("UPDATE rooms SET operator_id = 9001 WHERE id = $1")
        .bind(room_b)
        .execute(pool)
        .await
        .unwrap();
    let op_b = ctx.login("operator2").await;
    let med = ctx.login("mediator").await;
    let mediator_id = user_id(ctx, &med).await;
    // A new mediation request from the desk, for the mediator, booked by
    // room A's operator a month ahead (clear of the demo's sessions).
    let desk = ctx.login("intake").await;
    let body = json!({
        "kind": "mediation", "title": "相邻权纠纷调解", "channel": "walk_in", "unit_id": 3,
        "assignee_id": mediator_id,
        "parties": [{"name": "甲", "role": "applicant"}, {"name": "乙", "role": "respondent"}]
    });
    let id = create(ctx, &desk, body).await["item"]["id"].as_i64().unwrap();
    let start = dutydesk::domain::clock::now_ms() + 30 * 24 * 3_600_000;
    let path = format!("/api/v1/items/{id}/schedule");
    let booked = json(
        ctx.post(
            &op_a,
            &path,
            json!({"room_id": room_a, "start": start, "end": start + 3_600_000}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(booked["mediation"]["room_id"], room_a);
    // Another request in the same room half an hour later: refused, the
    // clash named in full (what, where, when, who) for the dialog to show.
    let body = json!({
        "kind": "mediation", "title": "装修噪音纠纷调解", "channel": "walk_in", "unit_id": 3,
        "parties": [{"name": "丙", "role": "applicant"}, {"name": "丁", "role": "respondent"}]
    });
    let other = create(ctx, &desk, body).await["item"]["id"].as_i64().unwrap();
    let half = start + 1_800_000;
    let p = problem(
        ctx.post(
            &op_a,
            &format!("/api/v1/items/{other}/schedule"),
            json!({"room_id": room_a, "start": half, "end": half + 3_600_000}),
        )
        .await,
        409,
        "schedule_conflict",
    )
    .await;
    assert_eq!(p["clashing_item"], id, "{p}");
    assert_eq!(p["clash"], "room", "{p}");
    assert_eq!(p["clashing_title"], "相邻权纠纷调解", "{p}");
    assert_eq!(p["clashing_start"], start, "{p}");
    assert_eq!(p["clashing_end"], start + 3_600_000, "{p}");
    assert_eq!(p["clashing_room"], rooms[0]["room"]["name"], "{p}");
    assert_eq!(p["clashing_mediator"], "王芳", "{p}");
    // Room B's operator may not take a session out of room A: the room's
    // coordinator (the bureau's, over the centre) moves it.
    problem(
        ctx.post(
            &op_b,
            &path,
            json!({"room_id": room_b, "start": start, "end": start + 3_600_000}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let mut a_events = subscribe(ctx, &op_a).await;
    let mut b_events = subscribe(ctx, &op_b).await;
    let mut med_events = subscribe(ctx, &med).await;
    let coordinator = ctx.login("bureau").await;
    let later = start + 2 * 3_600_000;
    let sent = Instant::now();
    let moved = json(
        ctx.post(
            &coordinator,
            &path,
            json!({"room_id": room_b, "start": later, "end": later + 3_600_000}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(moved["mediation"]["room_id"], room_b);
    // All three read at once, each with the same second from the send.
    let (a, b, m) = tokio::join!(
        changes_until(&mut a_events, id, sent, sent + Duration::from_secs(1)),
        changes_until(&mut b_events, id, sent, sent + Duration::from_secs(1)),
        changes_until(&mut med_events, id, sent, sent + Duration::from_secs(1)),
    );
    let backend = ctx.backend;
    eprintln!("{backend}: room A {a:?}; room B {b:?}; mediator {m:?}");
    // Room A's operator: it left their view, so a tombstone, nothing more.
    let kinds = |v: &[Seen]| v.iter().map(|s| (s.0.clone(), s.1, s.2)).collect::<Vec<_>>();
    assert_eq!(
        kinds(&a),
        vec![("schedule_changed".to_string(), true, None)],
        "{backend}: room A's operator within a second"
    );
    // Room B's operator and the mediator: the item, in room B, within the
    // second; the schedule change itself, at the latest soon after.
    for (who, got, events) in [
        ("room B's operator", b, &mut b_events),
        ("the mediator", m, &mut med_events),
    ] {
        assert!(
            got.iter()
                .any(|(_, gone, room, _)| !gone && *room == Some(room_b)),
            "{backend}: {who} within a second: {got:?}"
        );
        let mut all = got;
        if !all.iter().any(|s| s.0 == "schedule_changed") {
            let later = Instant::now() + Duration::from_secs(5);
            all.extend(changes_until(events, id, sent, later).await.into_iter().take(1));
        }
        assert!(
            all.iter()
                .any(|(ev, gone, room, _)| ev == "schedule_changed" && !gone && *room == Some(room_b)),
            "{backend}: {who}: {all:?}"
        );
        assert!(all.iter().all(|s| !s.1), "{backend}: {who}: {all:?}");
    }
    // What the streams said is what the day shows.
    let day_of = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms)
            .unwrap()
            .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .date()
    };
    let s = json(
        ctx.get(&op_b, &format!("/api/v1/schedule?date={}", day_of(later)))
            .await,
        200,
    )
    .await;
    let ids: Vec<i64> = s["rooms"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|r| r["sessions"].as_array().unwrap())
        .map(|x| x["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&id), "{backend}: on room B's day: {s}");
}
on_all_backends!(
    a_moved_session_reaches_both_rooms_and_the_mediator_live,
    moved_session_case
);
