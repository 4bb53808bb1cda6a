//! Live updates from `/api/v1/events`. When the stream drops, the task says
//! so, asks for polling until it is back, and reconnects with backoff.

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::api::ChangeEvent;
use crate::client::http::Api;

#[derive(Debug, Clone)]
pub enum SyncEvent {
    /// The stream is open.
    Connected,
    /// Something the caller sees changed: pull.
    Change(ChangeEvent),
    /// The stream dropped; the message says why. Poll until `Connected`.
    StreamLost(String),
    /// While the stream is down: time to poll.
    PollDue,
}

/// Runs until the receiver is dropped.
pub async fn run_events(api: Api, tx: mpsc::Sender<SyncEvent>, poll_every: Duration) {
    let mut delay = Duration::from_secs(1);
    loop {
        match api.events().await {
            Ok(resp) => {
                delay = Duration::from_secs(1);
                if tx.send(SyncEvent::Connected).await.is_err() {
                    return;
                }
                let mut stream = resp.bytes_stream().eventsource();
                let reason = loop {
                    match stream.next().await {
                        Some(Ok(ev)) => {
                            if let Ok(change) = serde_json::from_str::<ChangeEvent>(&ev.data)
                                && tx.send(SyncEvent::Change(change)).await.is_err()
                            {
                                return;
                            }
                        }
                        Some(Err(e)) => break e.to_string(),
                        None => break "closed by the server".to_string(),
                    }
                };
                if tx.send(SyncEvent::StreamLost(reason)).await.is_err() {
                    return;
                }
            }
            Err(e) => {
                if tx.send(SyncEvent::StreamLost(e.to_string())).await.is_err() {
                    return;
                }
            }
        }
        // Poll while waiting to reconnect, so changes still arrive.
        let mut waited = Duration::ZERO;
        while waited < delay {
            let step = poll_every.min(delay - waited);
            tokio::time::sleep(step).await;
            waited += step;
            if tx.send(SyncEvent::PollDue).await.is_err() {
                return;
            }
        }
        delay = (delay * 2).min(Duration::from_secs(60));
    }
}
