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

pub fn spawn(backend: ClientBackend, tx: mpsc::Sender<Message>) {
    let (events_tx, mut events) = mpsc::channel::<SyncEvent>(64);
    let api = backend.engine.api().clone();
    // Ends when the translator below drops its receiver.
    let stream = backend.handle.spawn(run_events(api, events_tx, POLL_EVERY));
    let handle = backend.handle.clone();
    let live = backend.live.clone();
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
    live.lock()
        .unwrap_or_else(|e| e.into_inner())
        .extend([stream.abort_handle(), translator.abort_handle()]);
}
