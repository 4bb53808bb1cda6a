//! Live updates from `/api/v1/events`. When the stream drops, the task says
//! so, asks for polling until it is back, and reconnects with backoff. A
//! line longer than [`MAX_SSE_LINE_BYTES`] drops the stream with a warning:
//! a server (or anything on the path) that never ends a line would
//! otherwise grow the parser's buffer, and rescan it, for ever.

use std::time::Duration;

use eventsource_stream::Eventsource;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::api::ChangeEvent;
use crate::client::http::Api;

/// The longest line of the event stream (our events are a few hundred bytes).
pub const MAX_SSE_LINE_BYTES: usize = 1024 * 1024;

/// Why the byte stream under the event parser ended.
#[derive(Debug, thiserror::Error)]
enum StreamError {
    #[error("{0}")]
    Http(#[from] reqwest::Error),
    #[error("{}", rust_i18n::t!("net.sse.line_too_long", limit_kb = MAX_SSE_LINE_BYTES / 1024))]
    LineTooLong,
}

/// The response's bytes, cut off with [`StreamError::LineTooLong`] once a
/// line runs past the cap. Counts only; the parser keeps the bytes.
fn capped_lines(
    resp: reqwest::Response,
) -> impl futures_util::Stream<Item = Result<impl AsRef<[u8]>, StreamError>> {
    resp.bytes_stream().scan((0usize, false), |(line, over), chunk| {
        let next = if *over {
            None
        } else {
            match chunk {
                Err(e) => Some(Err(StreamError::from(e))),
                Ok(chunk) => {
                    *line = match chunk.iter().rposition(|b| *b == b'\n' || *b == b'\r') {
                        Some(i) => chunk.len() - i - 1,
                        None => *line + chunk.len(),
                    };
                    *over = *line > MAX_SSE_LINE_BYTES;
                    Some(if *over {
                        Err(StreamError::LineTooLong)
                    } else {
                        Ok(chunk)
                    })
                }
            }
        };
        futures_util::future::ready(next)
    })
}

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
                let mut stream = capped_lines(resp).eventsource();
                let reason = loop {
                    match stream.next().await {
                        Some(Ok(ev)) => {
                            if let Ok(change) = serde_json::from_str::<ChangeEvent>(&ev.data)
                                && tx.send(SyncEvent::Change(change)).await.is_err()
                            {
                                return;
                            }
                        }
                        Some(Err(e)) => {
                            tracing::warn!(error = %e, "event stream dropped; polling instead");
                            break e.to_string();
                        }
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
