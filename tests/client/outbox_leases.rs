//! One send per write, whoever else works on the same store: the timer's
//! time logged once when two sessions stop it, an entry in flight not
//! retried or edited (that would re-key it), a lease taken over not settled
//! by its old holder.

use dutydesk::client::store::StoreError;

use crate::support::{Home, activity_entry, offline_home, open_store};

fn time_entries(store_entries: &[dutydesk::client::store::OutboxEntry]) -> usize {
    store_entries.iter().filter(|e| e.path.contains("time")).count()
}

#[tokio::test]
async fn two_sessions_stopping_the_timer_at_once_log_its_time_once() {
    let home = offline_home();
    for round in 1..=4 {
        home.cmd().args(["start", "7"]).assert().success();
        // Two SSH sessions type `stop` at the same moment.
        let outputs: Vec<std::process::Output> = std::thread::scope(|s| {
            let runs: Vec<_> = (0..2)
                .map(|_| {
                    s.spawn(|| {
                        home.cmd()
                            .arg("stop")
                            .env("DUTYDESK_TOKEN", "t")
                            .output()
                            .unwrap()
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let saved = outputs
            .iter()
            .filter(|o| String::from_utf8_lossy(&o.stdout).contains("on #7"))
            .count();
        assert_eq!(saved, 1, "round {round}: {outputs:?}");
        let store = open_store(&home).await;
        assert_eq!(time_entries(&store.outbox().await.unwrap()), round);
        assert_eq!(store.timer().await.unwrap(), None);
        store.close().await;
    }
}

#[tokio::test]
async fn concurrent_stops_in_one_store_queue_one_entry_and_start_logs_the_old_timer() {
    let home = offline_home();
    let a = open_store(&home).await;
    let b = open_store(&home).await;
    a.start_timer_logged(7, 1_000, |_| activity_entry(0))
        .await
        .unwrap();
    let (x, y) = tokio::join!(
        a.stop_timer_logged(|_| activity_entry(1)),
        b.stop_timer_logged(|_| activity_entry(2))
    );
    let stopped = [x.unwrap(), y.unwrap()].into_iter().flatten().count();
    assert_eq!(stopped, 1);
    assert_eq!(a.outbox().await.unwrap().len(), 1);
    // Starting over a running timer logs the old one: its time is not lost.
    b.start_timer_logged(8, 2_000, |_| activity_entry(3))
        .await
        .unwrap();
    let logged = a
        .start_timer_logged(9, 3_000, |t| activity_entry(t.item_id))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(logged.1.body["count"], 8);
    assert_eq!(a.timer().await.unwrap().map(|t| t.item_id), Some(9));
    assert_eq!(a.outbox().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_entry_being_sent_cannot_be_retried_or_edited_and_its_sender_still_settles_it() {
    let home = Home::new();
    let store = open_store(&home).await;
    let id = store.enqueue(activity_entry(1)).await.unwrap();
    let claim = store.claim_next("host:1:a", 60_000).await.unwrap().unwrap();
    let edited = serde_json::json!({ "indicator": "trainings", "count": 2 });
    let err = store.retry_entry(&id, Some(edited)).await.unwrap_err();
    assert!(matches!(err, StoreError::NotRetryable(_)), "{err}");
    assert!(err.to_string().contains("no sync is sending it"), "{err}");
    // The sender's answer still finds its entry: it leaves the outbox once.
    store.mark_sent(&claim).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
}

#[tokio::test]
async fn a_sender_whose_lease_was_taken_over_does_not_settle_the_entry() {
    let home = Home::new();
    let store = open_store(&home).await;
    store.enqueue(activity_entry(1)).await.unwrap();
    // The first lease has already run out; another process takes it over.
    let stale = store.claim_next("host:1:a", -1).await.unwrap().unwrap();
    let current = store.claim_next("host:2:b", 60_000).await.unwrap().unwrap();
    store.mark_failed(&stale, "refused").await.unwrap();
    store.mark_sent(&stale).await.unwrap();
    let left = store.outbox().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].state, dutydesk::client::store::EntryState::Pending);
    store.mark_sent(&current).await.unwrap();
    assert!(store.outbox().await.unwrap().is_empty());
}
