//! Writes: durably into the outbox, "saved", then a flush whose report
//! becomes "sent" or "failed" for the form that asked.

use rust_i18n::t;
use tokio::sync::mpsc;

use super::{ClientBackend, send};
use crate::api::{ProblemCode, WorkItem};
use crate::client::store::StoreError;
use crate::client::workflow::{self, Queued};
use crate::tui::model::Message;

/// Locks a map even if a task panicked while holding it: the maps only
/// pair ids, a half-done insert cannot leave them inconsistent.
fn lock<T>(m: &std::sync::Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl ClientBackend {
    /// After the workflow queued a write: "saved" (or why not) to whoever
    /// waits, then one flush. `request` is the form waiting for it,
    /// `claim_of` the pool item when it is a claim.
    pub(super) async fn write(
        &self,
        request: Option<u64>,
        claim_of: Option<i64>,
        queued: Result<Queued, StoreError>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let id = match queued {
            Ok(q) => self.track(q),
            Err(e) => {
                let message = e.to_string();
                return match request {
                    Some(request) => {
                        send(tx, Message::Failed { request, message }).await;
                        Ok(())
                    }
                    None => Err(message),
                };
            }
        };
        if let Some(request) = request {
            lock(&self.requests).insert(id.clone(), request);
            send(tx, Message::Saved { request }).await;
        }
        if let Some(item_id) = claim_of {
            lock(&self.claims).insert(id, item_id);
        }
        self.outbox_changed(tx).await;
        self.flush(tx).await;
        Ok(())
    }

    /// Remembers which item a queued entry writes to; returns its id.
    fn track(&self, queued: Queued) -> String {
        if let Some(item) = workflow::item_of(&queued.entry) {
            lock(&self.written).insert(queued.id.clone(), item);
        }
        queued.id
    }

    /// A move the workflow queued: the item as it now stands shows at once.
    pub(super) async fn moved(
        &self,
        moved: Result<(Queued, Option<WorkItem>), StoreError>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let queued = match moved {
            Ok((queued, item)) => {
                if let Some(item) = item {
                    send(tx, Message::ItemChanged(Box::new(item))).await;
                }
                Ok(queued)
            }
            Err(e) => Err(e),
        };
        self.write(None, None, queued, tx).await
    }

    /// Sends what is pending and reports each entry to whoever waits on it.
    pub(super) async fn flush(&self, tx: &mpsc::Sender<Message>) {
        let _one_at_a_time = self.flushing.lock().await;
        let report = match self.engine.flush_once().await {
            Ok(r) => r,
            Err(e) => {
                send(tx, Message::Error(e.to_string())).await;
                return;
            }
        };
        for sent in &report.sent {
            lock(&self.claims).remove(&sent.id);
            let item = lock(&self.written).remove(&sent.id);
            if let Some(item) = item {
                send(tx, Message::ItemWritten(item)).await;
            }
            let request = lock(&self.requests).remove(&sent.id);
            if let Some(request) = request {
                send(tx, Message::Sent { request }).await;
            }
            self.after_sent(sent, tx).await;
        }
        for (id, summary, message) in &report.failed {
            // Refused: what the screen showed at once was not so; the
            // server's word replaces it.
            let item = lock(&self.written).remove(id);
            if let Some(item) = item {
                send(tx, Message::ItemWritten(item)).await;
            }
            let claimed = lock(&self.claims).remove(id);
            let lost_race = report
                .refused_codes
                .iter()
                .any(|(e, code)| e == id && *code == ProblemCode::AlreadyClaimed);
            if let (Some(item_id), true) = (claimed, lost_race) {
                // Someone else was quicker; the entry has no use any more.
                let _ = self.store().discard_entry(id).await;
                // The refusal's `claimed_by` (a lawyer may not read another's
                // item, so it is the one place that says who took it).
                let taken_by = report
                    .holders
                    .iter()
                    .find(|(e, _)| e == id)
                    .map(|(_, holder)| holder.clone())
                    .unwrap_or_else(|| t!("app.someone_else").into_owned());
                send(tx, Message::ClaimConflict { item_id, taken_by }).await;
                continue;
            }
            let request = lock(&self.requests).remove(id);
            let msg = match request {
                Some(request) => Message::Failed {
                    request,
                    message: message.clone(),
                },
                None => Message::Failed {
                    request: 0,
                    message: format!("{summary}: {message}"),
                },
            };
            send(tx, msg).await;
        }
        if report.unauthorized {
            send(tx, Message::Error(t!("app.signed_out").into_owned())).await;
        }
        send(tx, Message::Online(report.offline.is_none())).await;
        self.outbox_changed(tx).await;
    }

    /// Starts working on an item as `dutydesk start` does: the timer (a
    /// running one's time logged in the same transaction) and the item
    /// moved to in progress.
    pub(super) async fn start_timer(&self, item_id: i64, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        let now = crate::domain::clock::now_ms();
        let started = workflow::start(self.store(), Some(&self.engine), item_id, now)
            .await
            .map_err(|e| e.to_string())?;
        self.timer_changed(tx).await;
        if let Some(item) = started.item.clone().filter(|_| !started.moves.is_empty()) {
            send(tx, Message::ItemChanged(Box::new(item))).await;
        }
        if !started.queued() {
            return Ok(());
        }
        for queued in started.previous.into_iter().chain(started.moves) {
            self.track(queued);
        }
        self.outbox_changed(tx).await;
        self.flush(tx).await;
        Ok(())
    }

    pub(super) async fn stop_timer(&self, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        let stopped = workflow::stop(self.store()).await.map_err(|e| e.to_string())?;
        self.timer_changed(tx).await;
        // Another session stopped it first: its time is logged once, there.
        let Some(stopped) = stopped else {
            return Ok(());
        };
        self.track(stopped);
        send(tx, Message::Saved { request: 0 }).await;
        self.outbox_changed(tx).await;
        self.flush(tx).await;
        Ok(())
    }
}
