//! The event stream's heartbeat and the room schedule's changes: operators
//! marking sessions and sessions moving to another time or room.

use std::time::{Duration, Instant};

use dutydesk::server::ServerTuning;
use dutydesk::server::storage::NewSlot;
use eventsource_stream::{Event, EventStream, Eventsource};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{Ctx, json, my_item, postgres_tuned, postgres_url, problem, sqlite_tuned};

type Events = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Event, String>> + Send>>;

async fn subscribe(ctx: &Ctx, token: &str) -> Events {
    let resp = ctx.get(token, "/api/v1/events").await;
    assert_eq!(resp.status(), 200);
    let s: EventStream<_> = resp.bytes_stream().eventsource();
    s.map(|r| r.map_err(|e| e.to_string())).boxed()
}

async fn next(events: &mut Events, within: Duration) -> Event {
    tokio::time::timeout(within, events.next())
        .await
        .expect("an event in time")
        .expect("the stream stays open")
        .expect("a well-formed event")
}

/// The next event that is not a heartbeat.
async fn next_change(events: &mut Events) -> Event {
    loop {
        let ev = next(events, Duration::from_secs(10)).await;
        if ev.event != "heartbeat" {
            return ev;
        }
    }
}

fn item_id(ev: &Event) -> i64 {
    let data: Value = serde_json::from_str(&ev.data).unwrap();
    data["item_id"].as_i64().unwrap()
}

async fn heartbeat_case(ctx: &Ctx) {
    let t = ctx.login("lawyer").await;
    let mut events = subscribe(ctx, &t).await;
    assert_eq!(next(&mut events, Duration::from_secs(5)).await.event, "heartbeat");
    // Nothing changes meanwhile: what comes next is the idle heartbeat,
    // well before the default 15 s.
    let started = Instant::now();
    let ev = next(&mut events, Duration::from_secs(5)).await;
    assert_eq!(ev.event, "heartbeat", "{ev:?}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    let again = next(&mut events, Duration::from_secs(5)).await;
    assert_eq!(again.event, "heartbeat", "it keeps beating: {again:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn idle_event_stream_gets_heartbeats_at_the_configured_interval() {
    let tuning = ServerTuning {
        heartbeat: Duration::from_millis(200),
        ..Default::default()
    };
    let ctx = sqlite_tuned(tuning.clone()).await;
    heartbeat_case(&ctx).await;
    ctx.stop().await;
    if let Some(url) = postgres_url() {
        let ctx = postgres_tuned(&url, tuning).await;
        heartbeat_case(&ctx).await;
        ctx.stop().await;
    }
}

async fn schedule_change_case(ctx: &Ctx) {
    let op = ctx.login("operator").await;
    let med = ctx.login("mediator").await;
    let sched = json(ctx.get(&op, "/api/v1/schedule").await, 200).await;
    let rooms = sched["rooms"].as_array().unwrap();
    let other_room = rooms[1]["room"]["id"].as_i64().unwrap();
    let session = rooms[0]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["status"] == "accepted")
        .expect("a session yet to start")
        .clone();
    let id = session["id"].as_i64().unwrap();
    let mut op_events = subscribe(ctx, &op).await;
    let mut med_events = subscribe(ctx, &med).await;
    let lawyer = ctx.login("lawyer").await;
    let mut lawyer_events = subscribe(ctx, &lawyer).await;
    let path = format!("/api/v1/items/{id}/transition");
    // The operator may not close or park it: that is the mediator's.
    problem(
        ctx.post(
            &op,
            &path,
            json!({"to": "cancelled", "version": session["version"]}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    // Marking it started from the room's day is the operator's to do.
    let started = json(
        ctx.post(
            &op,
            &path,
            json!({"to": "in_progress", "version": session["version"]}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(started["status"], "in_progress");
    for events in [&mut op_events, &mut med_events] {
        let ev = next_change(events).await;
        assert_eq!((ev.event.as_str(), item_id(&ev)), ("updated", id));
        let ev = next_change(events).await;
        assert_eq!((ev.event.as_str(), item_id(&ev)), ("schedule_changed", id));
    }
    let detail = json(ctx.get(&med, &format!("/api/v1/items/{id}")).await, 200).await;
    let last = detail["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["actor"]["username"], "operator",
        "the history says who marked it"
    );
    // Moved to the other room an hour later: both hear it, and the day shows it.
    let start = session["mediation"]["scheduled_start"].as_i64().unwrap() + 3_600_000;
    let slot = NewSlot {
        start,
        end: start + 3_600_000,
        room_id: other_room,
    };
    let state = &ctx.server.as_ref().unwrap().state;
    assert!(state.reschedule(id, slot, None).await.unwrap());
    for events in [&mut op_events, &mut med_events] {
        let ev = next_change(events).await;
        assert_eq!((ev.event.as_str(), item_id(&ev)), ("schedule_changed", id));
    }
    // A lawyer is neither the room's operator nor the mediator: only
    // heartbeats (200 ms apart here) reach them meanwhile.
    // Everything published so far arrives within this window, in order.
    let until = tokio::time::Instant::now() + Duration::from_millis(1500);
    let mut beats = 0;
    while let Ok(ev) = tokio::time::timeout_at(until, lawyer_events.next()).await {
        let ev = ev.expect("the stream stays open").expect("a well-formed event");
        assert_eq!(ev.event, "heartbeat", "{ev:?}");
        beats += 1;
    }
    assert!(beats >= 3, "the lawyer's stream is alive: {beats} heartbeats");
    let moved = json(ctx.get(&med, &format!("/api/v1/items/{id}")).await, 200).await;
    assert_eq!(moved["mediation"]["room_id"], other_room);
    assert_eq!(moved["mediation"]["scheduled_start"], start);
    // The operator still marks it no-show in its new room, with the new version.
    let no_show = json(
        ctx.post(&op, &path, json!({"to": "no_show", "version": moved["version"]}))
            .await,
        200,
    )
    .await;
    assert_eq!(no_show["status"], "no_show");
    let ev = next_change(&mut med_events).await;
    assert_eq!(ev.event, "updated");
    assert_eq!(next_change(&mut med_events).await.event, "schedule_changed");
    // A consultation is no one's schedule: no such session to move.
    let consultation = my_item(ctx, &lawyer, |i| i["kind"] == "consultation").await;
    let consultation = consultation["id"].as_i64().unwrap();
    assert!(!state.reschedule(consultation, slot, None).await.unwrap());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn operators_mark_sessions_and_schedule_changes_reach_room_and_mediator() {
    let tuning = ServerTuning {
        heartbeat: Duration::from_millis(200),
        ..Default::default()
    };
    let ctx = sqlite_tuned(tuning.clone()).await;
    schedule_change_case(&ctx).await;
    ctx.stop().await;
    if let Some(url) = postgres_url() {
        let ctx = postgres_tuned(&url, tuning).await;
        schedule_change_case(&ctx).await;
        ctx.stop().await;
    }
}

/// Stopping the server ends open event streams at once: a shutdown does not
/// wait for their next heartbeat (15 s by default), and the client sees its
/// stream end rather than hang.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_shutdown_ends_open_event_streams_at_once() {
    let ctx = crate::support::sqlite().await;
    let t = ctx.login("lawyer").await;
    let mut events = subscribe(&ctx, &t).await;
    assert_eq!(next(&mut events, Duration::from_secs(5)).await.event, "heartbeat");
    let started = Instant::now();
    tokio::time::timeout(Duration::from_secs(5), ctx.stop())
        .await
        .expect("the server stopped without waiting for a heartbeat");
    let end = tokio::time::timeout(Duration::from_secs(5), events.next())
        .await
        .expect("the stream ended");
    assert!(!matches!(end, Some(Ok(_))), "no more events: {end:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}
