//! The event bus across instances (PostgreSQL `LISTEN/NOTIFY`), rolled-back
//! writes, a lost listener connection, revoked tokens' streams, and one
//! instance per SQLite file.

use std::time::{Duration, Instant};

use dutydesk::api::ChangeKind;
use dutydesk::server::bus::{Announcement, Change};
use dutydesk::server::{ServerConfig, ServerTuning, start_tuned};
use eventsource_stream::{Event, Eventsource};
use futures_util::StreamExt;
use serde_json::{Value, json};

use crate::support::{Ctx, json, postgres_pair, postgres_tuned, postgres_url, sqlite_tuned};

type Events = std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Event, String>> + Send>>;

async fn subscribe(ctx: &Ctx, token: &str) -> Events {
    let resp = ctx.get(token, "/api/v1/events").await;
    assert_eq!(resp.status(), 200);
    let mut events = resp
        .bytes_stream()
        .eventsource()
        .map(|r| r.map_err(|e| e.to_string()))
        .boxed();
    let hello = next(&mut events, Duration::from_secs(10)).await;
    assert_eq!(hello.event, "heartbeat", "a stream opens with a heartbeat");
    events
}

async fn next(events: &mut Events, within: Duration) -> Event {
    tokio::time::timeout(within, events.next())
        .await
        .expect("an event in time")
        .expect("the stream stays open")
        .expect("a well-formed event")
}

/// The next event that is not a heartbeat, within `within`.
async fn next_change(events: &mut Events, within: Duration) -> Event {
    let deadline = Instant::now() + within;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let ev = next(events, left).await;
        if ev.event != "heartbeat" {
            return ev;
        }
    }
}

fn data(ev: &Event) -> Value {
    serde_json::from_str(&ev.data).unwrap()
}

async fn a_pool_item(ctx: &Ctx, token: &str) -> i64 {
    let pool = json(ctx.get(token, "/api/v1/pool").await, 200).await;
    pool["items"][0]["id"].as_i64().expect("the demo pool has items")
}

fn tuning() -> ServerTuning {
    ServerTuning {
        heartbeat: Duration::from_millis(300),
        ..Default::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_claim_through_one_instance_reaches_streams_on_the_other_with_the_item() {
    let Some(url) = postgres_url() else {
        eprintln!("SKIP: two instances need PostgreSQL (DUTYDESK_TEST_POSTGRES_URL)");
        return;
    };
    let (one, two) = postgres_pair(&url, tuning()).await;
    let lawyer = one.login("lawyer").await;
    let colleague = two.login("lawyer2").await;
    let admin = two.login("admin").await;
    let mut colleague_events = subscribe(&two, &colleague).await;
    let mut admin_events = subscribe(&two, &admin).await;
    let id = a_pool_item(&one, &lawyer).await;

    let claimed = one
        .post(&lawyer, &format!("/api/v1/items/{id}/claim"), json!({}))
        .await;
    assert_eq!(claimed.status(), 200);
    // Committed before the answer: from here the other instance has 1 s.
    let ev = next_change(&mut colleague_events, Duration::from_secs(1)).await;
    assert_eq!(ev.event, "pool_changed");
    let d = data(&ev);
    assert_eq!(d["item_id"], id);
    assert_eq!(d["gone"], true, "no longer in the colleague's pool: a tombstone");
    assert!(
        d.get("item").is_none(),
        "nothing of an item they may not see: {d}"
    );
    assert!(d["change_seq"].as_i64().unwrap() > 0);

    let ev = next_change(&mut admin_events, Duration::from_secs(1)).await;
    assert_eq!(ev.event, "assigned");
    let d = data(&ev);
    assert_eq!(d["item"]["id"], id, "the item itself, no refetch needed: {d}");
    assert_eq!(d["item"]["assignee"]["username"], "lawyer");
    assert_eq!(d["item"]["status"], "accepted");
    two.stop().await;
    one.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_write_that_rolls_back_is_never_announced() {
    let Some(url) = postgres_url() else {
        eprintln!("SKIP: the cross-instance announcement needs PostgreSQL (DUTYDESK_TEST_POSTGRES_URL)");
        return;
    };
    let (one, two) = postgres_pair(&url, tuning()).await;
    let lawyer = one.login("lawyer").await;
    let admin = two.login("admin").await;
    let mut events = subscribe(&two, &admin).await;
    let pool_item = a_pool_item(&one, &lawyer).await;
    let me = json(one.get(&admin, "/api/v1/me").await, 200).await;

    // A write announces inside its transaction, then fails and rolls back.
    let state = one.server.as_ref().unwrap().state.clone();
    let mut w = state.storage.store.begin_write().await.unwrap();
    let doomed = Announcement {
        item_id: 999_999,
        seq: 999_999,
        at: 0,
        changes: vec![Change {
            kind: ChangeKind::Updated,
            assignee_id: None,
            previous_assignee_id: None,
            unit_id: me["unit"]["id"].as_i64().unwrap(),
            room_operator_id: None,
        }],
    };
    state.bus.announce(&mut w.tx, &doomed).await.unwrap();
    w.tx.rollback().await.unwrap();
    drop(w.guard);

    // The next thing the stream hears is the next committed write.
    let claimed = one
        .post(&lawyer, &format!("/api/v1/items/{pool_item}/claim"), json!({}))
        .await;
    assert_eq!(claimed.status(), 200);
    let ev = next_change(&mut events, Duration::from_secs(10)).await;
    assert_eq!(
        data(&ev)["item_id"],
        pool_item,
        "the rolled-back write was announced: {ev:?}"
    );
    two.stop().await;
    one.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_lost_listener_connection_resyncs_its_streams_and_no_change_is_lost() {
    let Some(url) = postgres_url() else {
        eprintln!("SKIP: the LISTEN connection needs PostgreSQL (DUTYDESK_TEST_POSTGRES_URL)");
        return;
    };
    let (one, two) = postgres_pair(&url, tuning()).await;
    let colleague = two.login("lawyer2").await;
    let me = json(two.get(&colleague, "/api/v1/me").await, 200).await;
    let list = json(two.get(&colleague, "/api/v1/items").await, 200).await;
    let cursor = list["cursor"].as_str().unwrap().to_string();
    let mut events = subscribe(&two, &colleague).await;
    let lawyer = one.login("lawyer").await;
    let id = a_pool_item(&one, &lawyer).await;

    let bus = two.server.as_ref().unwrap().state.bus.clone();
    let pid = bus.listener_pid().expect("instance 2 listens");
    sqlx::any::install_default_drivers();
    let admin = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .execute(&admin)
        .await
        .unwrap();
    admin.close().await;
    // Meanwhile, through instance 1, the item goes to lawyer2.
    let state = &one.server.as_ref().unwrap().state;
    assert!(state.reassign(id, me["id"].as_i64(), None).await.unwrap());

    // Instance 2 tells its stream to resync (its notification may be lost)…
    let mut resynced = false;
    while !resynced {
        let ev = next_change(&mut events, Duration::from_secs(20)).await;
        resynced = ev.event == "updated" && data(&ev).get("item_id").is_none();
    }
    let new_pid = bus.listener_pid().expect("listening again");
    assert_ne!(new_pid, pid, "a new LISTEN connection");
    // …and the client's pull by change number brings the change.
    let delta = json(
        two.get(&colleague, &format!("/api/v1/items?since={cursor}"))
            .await,
        200,
    )
    .await;
    let got = delta["items"].as_array().unwrap().iter().find(|i| i["id"] == id);
    assert_eq!(
        got.expect("the change reached the client")["assignee"]["username"],
        "lawyer2"
    );
    two.stop().await;
    one.stop().await;
}

async fn revoked_stream_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let mut events = subscribe(ctx, &token).await;
    let out = ctx.post(&token, "/api/v1/auth/logout", json!({})).await;
    assert!(out.status().is_success(), "{}", out.status());
    // Heartbeats every 300 ms; the stream must end, not keep beating.
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(ev) = events.next().await {
            if ev.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "[{}] the revoked token's stream is still open",
        ctx.backend
    );
    let again = ctx.get(&token, "/api/v1/events").await;
    assert_eq!(again.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_revoked_tokens_open_stream_ends_within_a_heartbeat() {
    let ctx = sqlite_tuned(tuning()).await;
    revoked_stream_case(&ctx).await;
    ctx.stop().await;
    if let Some(url) = postgres_url() {
        let ctx = postgres_tuned(&url, tuning()).await;
        revoked_stream_case(&ctx).await;
        ctx.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_serve_on_one_sqlite_file_is_refused() {
    let mut ctx = sqlite_tuned(tuning()).await;
    let path = ctx.sqlite_path.clone().unwrap();
    let config = ServerConfig {
        db: Some(path.to_string_lossy().into_owned()),
        listen: "127.0.0.1:0".into(),
        demo: false,
        ..Default::default()
    };
    let second = start_tuned(config.clone(), tuning()).await;
    let err = second
        .err()
        .expect("a second instance on the same SQLite file is refused");
    let msg = err.to_string();
    assert!(msg.contains("already using the SQLite database"), "{msg}");
    assert!(msg.contains("PostgreSQL"), "says what to do: {msg}");
    ctx.server.take().unwrap().shutdown().await.unwrap();
    let again = start_tuned(config, tuning())
        .await
        .expect("free once the first stopped");
    again.shutdown().await.unwrap();
    ctx.stop().await;
}
