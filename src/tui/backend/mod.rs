//! The TUI's [`Backend`] over the client core: every command runs on a
//! tokio task, writes go durably into the outbox before the UI hears
//! "saved", then one flush tells "sent" or "failed" per entry.

mod dispatch_flow;
mod intake_flow;
mod live;
mod screens_flow;
mod session_flow;
mod stats_flow;
mod writes_flow;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::runtime::Handle;
use tokio::sync::mpsc;

use super::model::{Command, Draft, Message, OutboxRow, OutboxState, OutboxSummary, RunningTimer, Screen};
use super::run::Backend;
use crate::client::store::{EntryState, LocalStore, MINE, POOL};
use crate::client::sync::{Engine, Fetch, ME_KEY, PullError};
use crate::client::workflow;
use screens_flow::not_for_role;

/// The key an outcome form's draft is kept under in the store's drafts.
pub fn draft_key(item_id: i64) -> String {
    format!("{}{item_id}", draft_key_prefix())
}

/// What every outcome form's draft key starts with.
pub fn draft_key_prefix() -> String {
    "outcome:".to_string()
}

/// Cheap to clone: every field is a handle.
#[derive(Clone)]
pub struct ClientBackend {
    engine: Engine,
    handle: Handle,
    /// Outbox entry id → the form request waiting to hear about it.
    requests: Arc<Mutex<HashMap<String, u64>>>,
    /// Outbox entry id → the pool item a claim entry asked for.
    claims: Arc<Mutex<HashMap<String, i64>>>,
    /// Outbox entry id → the item it writes to, reloaded once the server
    /// answered (its word replaces what the screen showed at once).
    written: Arc<Mutex<HashMap<String, i64>>>,
    /// The timer the app was last told of (item, start): the watch on the
    /// store's timer row compares with it, so a start and stop by another
    /// process between two looks, or one this backend announced itself,
    /// is never missed.
    shown_timer: Arc<Mutex<Option<(i64, i64)>>>,
    /// One flush at a time from this process, so each report is complete.
    flushing: Arc<tokio::sync::Mutex<()>>,
    /// The live-update tasks, stopped when the app ends: an open event
    /// stream would otherwise keep a server's graceful shutdown waiting.
    live: Arc<Mutex<Vec<tokio::task::AbortHandle>>>,
    /// Where the Stats screen writes exports: the directory the app was
    /// started in, like any command-line tool's output.
    export_dir: std::path::PathBuf,
    /// What the integrity check after the first frame found wrong with the
    /// store, if anything: the app ends and the store is moved aside.
    damaged: Arc<Mutex<Option<String>>>,
}

impl ClientBackend {
    /// `handle` must belong to a multi-thread runtime: `save_draft_now`
    /// blocks in place on it.
    pub fn new(engine: Engine, handle: Handle) -> Self {
        ClientBackend {
            engine,
            handle,
            requests: Arc::default(),
            claims: Arc::default(),
            written: Arc::default(),
            shown_timer: Arc::default(),
            flushing: Arc::default(),
            live: Arc::default(),
            export_dir: std::env::current_dir().unwrap_or_else(|_| ".".into()),
            damaged: Arc::default(),
        }
    }

    /// Exports go to `dir` instead of the current directory.
    pub fn with_export_dir(mut self, dir: impl Into<std::path::PathBuf>) -> Self {
        self.export_dir = dir.into();
        self
    }

    /// What the integrity check after the first frame found, if the store
    /// is damaged.
    pub fn damaged(&self) -> Option<String> {
        self.damaged.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Stops the live updates (the app has ended).
    pub fn stop(&self) {
        let tasks = std::mem::take(&mut *self.live.lock().unwrap_or_else(|e| e.into_inner()));
        for task in tasks {
            task.abort();
        }
    }

    fn store(&self) -> &LocalStore {
        self.engine.store()
    }

    async fn execute(&self, cmd: Command, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        use crate::client::writes;
        match cmd {
            // In this order: a list read from the cache must never arrive
            // after the fresher one a refresh sends.
            Command::Start => {
                // The integrity check the first frame did not wait for: a
                // damaged store ends the app, which moves it aside.
                if let Some(problem) = self
                    .store()
                    .integrity_problem()
                    .await
                    .map_err(|e| e.to_string())?
                {
                    *self.damaged.lock().unwrap_or_else(|e| e.into_inner()) = Some(problem);
                    send(tx, Message::StoreDamaged).await;
                    return Ok(());
                }
                self.send_cached_lists(tx).await?;
                let refreshed = self.refresh(tx).await;
                self.fetch_deadlines(tx).await;
                self.fetch_overdue(tx).await;
                refreshed
            }
            Command::Refresh => self.refresh(tx).await,
            Command::Reload { item_id, date } => self.reload(item_id, date, tx).await,
            Command::Claim(id) => {
                let queued = workflow::claim(self.store(), id).await;
                self.write(None, Some(id), queued, tx).await
            }
            Command::Transition { id, to, version } => {
                let moved = workflow::move_item(self.store(), id, to, version).await;
                self.moved(moved, tx).await
            }
            Command::MarkSession {
                item_id,
                mark,
                version,
            } => {
                let moved = workflow::mark_session(self.store(), item_id, mark, version).await;
                self.moved(moved, tx).await
            }
            Command::SaveOutcome {
                request,
                item_id,
                outcome,
            } => {
                let queued = workflow::record(self.store(), writes::outcome(item_id, &outcome)).await;
                self.write(Some(request), None, queued, tx).await
            }
            Command::SaveTime { request, entry } => {
                let queued = workflow::record(self.store(), writes::time_entry(&entry)).await;
                self.write(Some(request), None, queued, tx).await
            }
            Command::CheckIn(id) | Command::CheckOut(id) => {
                let entry = if matches!(cmd, Command::CheckIn(_)) {
                    writes::check_in(id)
                } else {
                    writes::check_out(id)
                };
                let queued = workflow::record(self.store(), entry).await;
                self.write(None, None, queued, tx).await?;
                // The roster as the server now has it (a refusal undoes
                // what the screen showed at once).
                Box::pin(self.execute(Command::FetchDuty, tx)).await
            }
            Command::SaveActivity { request, activity } => {
                let queued = workflow::record(self.store(), writes::activity(&activity)).await;
                self.write(Some(request), None, queued, tx).await
            }
            Command::AddNote {
                request,
                item_id,
                note,
            } => {
                let queued = workflow::record(self.store(), writes::note(item_id, &note)).await;
                self.write(Some(request), None, queued, tx).await
            }
            Command::FlagTypical { id, typical, version } => {
                let body = crate::api::TypicalCaseRequest { typical, version };
                let queued = workflow::record(self.store(), writes::typical(id, &body)).await;
                self.write(None, None, queued, tx).await
            }
            Command::SaveDraft(draft) => {
                let json = serde_json::to_string(&draft).map_err(|e| e.to_string())?;
                let key = draft_key(draft.item_id);
                self.store()
                    .save_draft(&key, &json)
                    .await
                    .map_err(|e| e.to_string())
            }
            Command::DiscardDraft(id) => self
                .store()
                .delete_draft(&draft_key(id))
                .await
                .map_err(|e| e.to_string()),
            Command::StartTimer(id) => self.start_timer(id, tx).await,
            Command::StopTimer => self.stop_timer(tx).await,
            Command::FetchDetail(id) => {
                // The whole item from the store first (at once, offline
                // too), then the server's detail.
                if let Ok(Some(whole)) = self.store().cached_item(id).await {
                    send(tx, Message::CachedItem(Box::new(whole))).await;
                }
                let detail = self.shown(self.engine.item_detail(id).await, tx)?;
                send(tx, Message::ItemDetailLoaded(Box::new(detail))).await;
                Ok(())
            }
            Command::FetchSchedule(date) => {
                let fetched = self.engine.schedule(&date).await;
                if let Some(schedule) = self.shown_on(Screen::Schedule, fetched, tx).await? {
                    send(tx, Message::ScheduleLoaded(schedule)).await;
                }
                Ok(())
            }
            Command::FetchDuty => {
                let fetched = self.engine.duty().await;
                if let Some(duty) = self.shown_on(Screen::Duty, fetched, tx).await? {
                    send(tx, Message::DutyLoaded(duty.shifts)).await;
                }
                Ok(())
            }
            Command::RetryOutbox(id) => {
                self.store()
                    .retry_entry(&id, None)
                    .await
                    .map_err(|e| e.to_string())?;
                self.flush(tx).await;
                Ok(())
            }
            Command::DiscardOutbox(id) => {
                self.store().discard_entry(&id).await.map_err(|e| e.to_string())?;
                self.outbox_changed(tx).await;
                Ok(())
            }
            Command::FetchCampaigns => self.fetch_campaigns(tx).await,
            Command::FetchStats {
                campaign_id,
                period,
                scope,
                unit,
                by_unit,
            } => {
                let whose = stats_flow::Whose { scope, unit, by_unit };
                self.fetch_stats(&campaign_id, period, whose, tx).await
            }
            Command::ExportStats { format, form } => self.export_stats(format, &form, tx).await,
            Command::FetchDispatch(unit) => self.fetch_dispatch(unit, tx).await,
            cmd @ Command::Assign { .. } => self.assign(cmd, tx).await,
            Command::BookSession { item_id, request } => {
                self.book_session(item_id, &request, tx).await;
                Ok(())
            }
            Command::CancelSession { item_id, request } => {
                self.cancel_session(item_id, &request, tx).await;
                Ok(())
            }
            Command::FetchIntake => self.fetch_intake(tx).await,
            Command::RegisterItem { request, item } => self.register(request, &item, tx).await,
            Command::AckConflicts { item_id, version } => self.acknowledge(item_id, version, tx).await,
            // The event loop handles these itself.
            Command::Quit | Command::CopyToClipboard(_) | Command::Bell => Ok(()),
        }
    }

    /// Flush, then pull what changed, then show the lists that changed
    /// (decoding a 10,000-item list again for nothing is not free).
    async fn refresh(&self, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        self.flush(tx).await;
        match self.engine.pull().await {
            Ok(report) => {
                if report.items_changed > 0 {
                    self.send_list(MINE, tx).await?;
                }
                if report.pool_changed {
                    self.send_list(POOL, tx).await?;
                }
                // Who is signed in: `/me` was read (or fetched) by the pull.
                if let Ok(Some(me)) = self.engine.cached_doc::<crate::api::User>(ME_KEY).await {
                    send(
                        tx,
                        Message::SignedIn {
                            role: me.role,
                            user_id: me.id,
                        },
                    )
                    .await;
                }
                send(tx, Message::Online(true)).await;
                send(tx, Message::Synced(crate::domain::clock::now_ms())).await;
                Ok(())
            }
            // Offline shows in the status bar; the cache stays on screen.
            Err(PullError::Http(h)) if h.is_transient() => {
                send(tx, Message::Online(false)).await;
                Ok(())
            }
            Err(e) => Err(self.offline(e, tx)),
        }
    }

    /// A fetch's value; a copy the engine fell back to while offline shows
    /// as offline in the status bar.
    fn shown<T>(
        &self,
        fetched: Result<Fetch<T>, PullError>,
        tx: &mpsc::Sender<Message>,
    ) -> Result<T, String> {
        match fetched {
            Ok(f) => {
                if f.stale.is_some() {
                    let _ = tx.try_send(Message::Online(false));
                }
                Ok(f.value)
            }
            Err(e) => Err(self.offline(e, tx)),
        }
    }

    async fn send_cached_lists(&self, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        self.send_list(MINE, tx).await?;
        self.send_list(POOL, tx).await
    }

    /// A cached list as the queue keeps it (what it draws and sorts by),
    /// after its parties' names (what its filter reads).
    async fn send_list(&self, list: &str, tx: &mpsc::Sender<Message>) -> Result<(), String> {
        let err = |e: crate::client::store::StoreError| e.to_string();
        let names = self.store().party_names(list).await.map_err(err)?;
        let rows = self.store().queue_items(list).await.map_err(err)?;
        send(tx, Message::PartyNames(names)).await;
        let loaded = if list == POOL {
            Message::PoolLoaded(rows)
        } else {
            Message::ItemsLoaded(rows)
        };
        send(tx, loaded).await;
        Ok(())
    }

    /// A failed fetch: offline when the network is the cause; the text for
    /// the status line either way.
    fn offline(&self, e: PullError, tx: &mpsc::Sender<Message>) -> String {
        if let PullError::Http(h) = &e
            && h.is_transient()
        {
            let _ = tx.try_send(Message::Online(false));
        }
        // A token refused, or good only to change the password: say what to do.
        use crate::client::http::HttpError;
        match &e {
            PullError::Http(HttpError::Unauthorized { .. }) => {
                let _ = tx.try_send(Message::SignInRefused {
                    password_change: false,
                });
            }
            PullError::Http(HttpError::Refused { problem })
                if problem.code == crate::api::ProblemCode::PasswordChangeRequired =>
            {
                let _ = tx.try_send(Message::SignInRefused {
                    password_change: true,
                });
            }
            _ => {}
        }
        e.to_string()
    }

    async fn outbox_changed(&self, tx: &mpsc::Sender<Message>) {
        match outbox_summary(self.store()).await {
            Ok(summary) => send(tx, Message::OutboxChanged(summary)).await,
            Err(e) => send(tx, Message::Error(e)).await,
        }
    }

    async fn timer_changed(&self, tx: &mpsc::Sender<Message>) {
        match self.store().timer().await {
            Ok(t) => {
                let now = t.map(|t| (t.item_id, t.started_at));
                self.tell_timer(now, tx).await;
            }
            Err(e) => send(tx, Message::Error(e.to_string())).await,
        }
    }

    /// Tells the app the timer is `now` and remembers that it was told.
    pub(super) async fn tell_timer(&self, now: Option<(i64, i64)>, tx: &mpsc::Sender<Message>) {
        *self.shown_timer.lock().unwrap_or_else(|e| e.into_inner()) = now;
        let timer = now.map(|(item_id, started_at)| RunningTimer { item_id, started_at });
        send(tx, Message::TimerChanged(timer)).await
    }

    /// The timer the app was last told of.
    pub(super) fn shown_timer(&self) -> Option<(i64, i64)> {
        *self.shown_timer.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Backend for ClientBackend {
    fn run(&self, cmd: Command, tx: mpsc::Sender<Message>) {
        let this = self.clone();
        self.handle.spawn(async move {
            if let Err(message) = this.execute(cmd, &tx).await {
                send(&tx, Message::Error(message)).await;
            }
        });
    }

    fn save_draft_now(&self, draft: &Draft) -> anyhow::Result<()> {
        let json = serde_json::to_string(draft)?;
        let key = draft_key(draft.item_id);
        let store = self.store().clone();
        // Called from the event loop on SIGTERM/SIGHUP, and the process ends
        // right after: wait until the draft is on disk. The app builds a
        // multi-thread runtime, where blocking in place is allowed.
        tokio::task::block_in_place(|| self.handle.block_on(store.save_draft(&key, &json)))?;
        Ok(())
    }

    fn start(&self, tx: mpsc::Sender<Message>) {
        live::spawn(self.clone(), tx);
    }
}

/// The outbox as the outbox screen shows it.
pub async fn outbox_summary(store: &LocalStore) -> Result<OutboxSummary, String> {
    let entries = store.outbox().await.map_err(|e| e.to_string())?;
    Ok(OutboxSummary {
        entries: entries
            .into_iter()
            .map(|e| OutboxRow {
                id: e.id,
                what: e.summary,
                state: match e.state {
                    EntryState::Pending => OutboxState::Pending,
                    EntryState::Failed => OutboxState::Failed,
                },
                message: e.last_error,
                created_at: e.created_at,
            })
            .collect(),
    })
}

/// A closed channel means the app has ended; nothing is waiting any more.
async fn send(tx: &mpsc::Sender<Message>, msg: Message) {
    let _ = tx.send(msg).await;
}
