//! The intake desk's work on the backend: where it may send work (cached
//! for offline), its registrations (remembered ones and those still in the
//! outbox), a registration and an acknowledgment queued durably like any
//! write, and the conflicts a sent registration or claim came back with.

use tokio::sync::mpsc;

use super::{ClientBackend, send};
use crate::api::intake::{ItemWithConflicts, NewItem};
use crate::api::intake_units::IntakeUnits;
use crate::api::paths::INTAKE_UNITS;
use crate::client::intake_queue::{self, is_new_item, warning_in};
use crate::client::store::EntryState;
use crate::client::sync::SentEntry;
use crate::tui::model::{Message, Screen};
use crate::tui::screens::intake::{IntakeView, Waiting};

impl ClientBackend {
    /// The desk's units (from the server, or the copy fetched last) and
    /// its registrations.
    pub(super) async fn fetch_intake(&self, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        self.intake_changed(tx).await;
        let fetched = self
            .engine
            .fetch_or_cached::<IntakeUnits>(INTAKE_UNITS, "intake:units")
            .await;
        if let Some(units) = self.shown_on(Screen::Intake, fetched, tx).await? {
            send(tx, Message::IntakeUnitsLoaded(units.units)).await;
        }
        Ok(())
    }

    /// Tells the screen what the desk registered, as the store has it now.
    pub(super) async fn intake_changed(&self, tx: &mpsc::Sender<Message>) {
        match self.intake_view().await {
            Ok(view) => send(tx, Message::IntakeLoaded(view)).await,
            Err(e) => send(tx, Message::Error(e)).await,
        }
    }

    async fn intake_view(&self) -> Result<IntakeView, String> {
        let store = self.store();
        let entries = store.outbox().await.map_err(|e| e.to_string())?;
        let acking: Vec<i64> = entries
            .iter()
            .filter_map(|e| intake_queue::acked_item(&e.path))
            .collect();
        let mut waiting: Vec<Waiting> = entries
            .into_iter()
            .filter(|e| e.method == "POST" && is_new_item(&e.path))
            .filter_map(|e| {
                let item: NewItem = serde_json::from_value(e.body).ok()?;
                Some(Waiting {
                    kind: item.kind,
                    title: item.title,
                    created_at: e.created_at,
                    failed: (e.state == EntryState::Failed).then(|| e.last_error.unwrap_or_default()),
                })
            })
            .collect();
        waiting.reverse();
        let registered = intake_queue::recent(store).await.map_err(|e| e.to_string())?;
        Ok(IntakeView {
            waiting,
            registered,
            acking,
        })
    }

    /// Queues a registration: "saved" once it is on disk, then sent.
    pub(super) async fn register(
        &self,
        request: u64,
        item: &NewItem,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let queued = intake_queue::register(self.store(), item).await;
        let stored = queued.is_ok();
        if stored {
            self.intake_changed(tx).await;
        }
        self.write(Some(request), None, queued, tx).await
    }

    /// Queues the acknowledgment of a warning and sends it.
    pub(super) async fn acknowledge(
        &self,
        item_id: i64,
        version: i64,
        tx: &mpsc::Sender<Message>,
    ) -> Result<(), String> {
        let queued = intake_queue::acknowledge(self.store(), item_id, version).await;
        self.intake_changed(tx).await;
        self.write(None, None, queued, tx).await
    }

    /// A sent entry's answer: a registration is remembered; conflicts found
    /// on it (or on a claim) become a warning to acknowledge.
    pub(super) async fn after_sent(&self, sent: &SentEntry, tx: &mpsc::Sender<Message>) {
        if is_new_item(&sent.path)
            && let Ok(answer) = serde_json::from_value::<ItemWithConflicts>(sent.response.clone())
        {
            if let Err(e) = intake_queue::remember(self.store(), &answer).await {
                send(tx, Message::Error(e.to_string())).await;
            }
            self.intake_changed(tx).await;
        }
        if let Some(id) = intake_queue::acked_item(&sent.path) {
            send(tx, Message::ConflictAcked(id)).await;
            self.intake_changed(tx).await;
        }
        if let Some(warning) = warning_in(&sent.path, &sent.response) {
            send(tx, Message::ConflictsFound(warning)).await;
        }
    }
}
