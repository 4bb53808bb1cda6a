//! Live updates: the server's event stream becomes `Pushed` and `Online`
//! messages; while the stream is down, polls refresh instead.

use std::time::Duration;

use tokio::sync::mpsc;

use super::ClientBackend;
use crate::client::sync::{SyncEvent, run_events};
use crate::tui::model::{Command, Message};
use crate::tui::run::Backend;

/// How often to poll while the event stream is down.
const POLL_EVERY: Duration = Duration::from_secs(30);

/// How often the store's timer row is read: a `dutydesk start`/`stop` in
/// another shell on the same store shows here within this (one indexed
/// row of a local file; off the render path).
const TIMER_EVERY: Duration = Duration::from_millis(500);

pub fn spawn(backend: ClientBackend, tx: mpsc::Sender<Message>) {
    let (events_tx, mut events) = mpsc::channel::<SyncEvent>(64);
    let api = backend.engine.api().clone();
    // Ends when the translator below drops its receiver.
    let stream = backend.handle.spawn(run_events(api, events_tx, POLL_EVERY));
    let handle = backend.handle.clone();
    let live = backend.live.clone();
    let watcher = backend.clone();
    let timer_tx = tx.clone();
    let translator = handle.spawn(async move {
        let mut was_lost = false;
        while let Some(ev) = events.recv().await {
            let msg = match ev {
                SyncEvent::Connected => {
                    // Whatever changed while the stream was down is pulled now.
                    if was_lost {
                        backend.run(Command::Refresh, tx.clone());
                    }
                    was_lost = false;
                    Message::Online(true)
                }
                SyncEvent::Change(change) => Message::Pushed(change),
                SyncEvent::StreamLost(why) => {
                    tracing::info!(reason = %why, "event stream lost; polling");
                    was_lost = true;
                    Message::Online(false)
                }
                SyncEvent::PollDue => {
                    backend.run(Command::Refresh, tx.clone());
                    continue;
                }
            };
            if tx.send(msg).await.is_err() {
                return;
            }
        }
    });
    let timer = handle.spawn(watch_timer(watcher, timer_tx));
    live.lock().unwrap_or_else(|e| e.into_inner()).extend([
        stream.abort_handle(),
        translator.abort_handle(),
        timer.abort_handle(),
    ]);
}

/// Tells the app when the timer row differs from what it was last told
/// (another process on the same store started or stopped it).
async fn watch_timer(backend: ClientBackend, tx: mpsc::Sender<Message>) {
    let mut every = tokio::time::interval(TIMER_EVERY);
    loop {
        every.tick().await;
        let Ok(now) = backend.store().timer().await else {
            continue;
        };
        let now = now.map(|t| (t.item_id, t.started_at));
        if now == backend.shown_timer() {
            continue;
        }
        if tx.is_closed() {
            return;
        }
        backend.tell_timer(now, &tx).await;
    }
}
