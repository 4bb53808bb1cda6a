//! The reference server: routes, auth, storage, demo data.
//! Entry points: [`start`] (in-process, used by tests and `dutydesk demo`)
//! and [`serve`] (the `dutydesk serve` command).

// Row tuples mirror their SELECT column lists; naming each would only hide them.
#![allow(clippy::type_complexity)]

pub mod admin;
pub mod admin_units;
pub mod aggregate;
pub mod auth;
pub mod clock;
pub mod corrections;
pub mod db;
pub mod demo;
mod demo_items;
pub mod demo_work;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod items;
pub mod login_throttle;
pub mod notes;
pub mod rebuild;
pub mod records;
pub mod rollup;
pub mod schedule;
pub mod stats;
pub mod stats_admin;
pub mod storage;
pub mod submissions;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::header;
use axum::routing::{get, post};
use tokio::sync::{broadcast, oneshot};

pub use db::Store;
use events::Change;
pub use storage::sql::SqlStorage;
use storage::{ItemChange, NewSlot, Storage};

use crate::api::{MAX_BODY_BYTES, paths};

pub struct AppState {
    /// Every handler's way to the data.
    pub storage: Arc<dyn Storage>,
    /// The pool itself, for the parts not behind the trait yet (demo
    /// seeding, admin, statistics).
    pub store: Store,
    pub events: broadcast::Sender<Change>,
    /// How often an idle event stream gets a `heartbeat`.
    pub heartbeat: Duration,
    /// Wrong passwords per username, to stop guessing.
    pub login_failures: login_throttle::LoginThrottle,
    /// Set when the server stops: open event streams end at once instead
    /// of at their next heartbeat, so a shutdown does not wait on them.
    pub closing: tokio::sync::watch::Sender<bool>,
    /// What records and statistics take as now.
    pub clock: clock::Clock,
}

impl AppState {
    /// Reassigns an item and tells both the old and the new assignee.
    pub async fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
    ) -> Result<bool, error::ApiError> {
        let now = db::now_ms();
        match self.storage.reassign(item_id, to, actor_id, now).await? {
            Some(change) => {
                let kind = if to.is_some() {
                    crate::api::ChangeKind::Assigned
                } else {
                    crate::api::ChangeKind::PoolChanged
                };
                let previous = change.before.item.assignee.as_ref().map(|a| a.id);
                self.publish(Change::for_item(kind, &change.after, previous, now));
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// Moves a mediation session to another time or room and tells the
    /// operators of both rooms and the mediator. False when no such session.
    pub async fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
    ) -> Result<bool, error::ApiError> {
        let now = db::now_ms();
        match self.storage.reschedule(item_id, slot, actor_id, now).await? {
            Some(change) => {
                self.publish_schedule_change(&change, now);
                Ok(true)
            }
            None => Ok(false),
        }
    }

    /// `schedule_changed` for a session's change, to the room's operator
    /// and the mediator; also to the old room's operator when it moved.
    pub fn publish_schedule_change(&self, change: &ItemChange, at: crate::domain::EpochMs) {
        if change.after.item.mediation.is_none() {
            return;
        }
        let kind = crate::api::ChangeKind::ScheduleChanged;
        self.publish(Change::for_item(kind, &change.after, None, at));
        let old_operator = change.before.room_operator_id;
        if old_operator.is_some() && old_operator != change.after.room_operator_id {
            let mut old = Change::for_item(kind, &change.before, None, at);
            // Only the old room's operator: the mediator has heard already.
            old.assignee_id = None;
            self.publish(old);
        }
    }

    /// Tells every open event stream; nobody listening is fine.
    pub fn publish(&self, change: Change) {
        let _ = self.events.send(change);
    }
}

pub type Shared = Arc<AppState>;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// `--db`: a path, `sqlite://...` or `postgres://...`; `None` = data dir.
    pub db: Option<String>,
    pub listen: String,
    /// Fill an empty database with demo data.
    pub demo: bool,
}

/// Knobs a test or an embedding caller may turn; `Default` is production.
#[derive(Debug, Clone)]
pub struct ServerTuning {
    /// The SSE heartbeat interval (15 s by default).
    pub heartbeat: Duration,
    /// The system clock by default; tests stand it at a known day.
    pub clock: clock::Clock,
}

impl Default for ServerTuning {
    fn default() -> Self {
        ServerTuning {
            heartbeat: Duration::from_secs(15),
            clock: clock::Clock::system(),
        }
    }
}

pub struct RunningServer {
    pub addr: SocketAddr,
    pub store: Store,
    /// The live state, for in-process callers (tests, `dutydesk demo`).
    pub state: Shared,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// Stops accepting, lets running requests finish, then returns.
    pub async fn shutdown(mut self) -> anyhow::Result<()> {
        self.state.closing.send_replace(true);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        (&mut self.task).await??;
        self.store.close().await;
        Ok(())
    }

    /// Waits until the server ends on its own (it never does unless told).
    pub async fn wait(self) -> anyhow::Result<()> {
        self.task.await??;
        Ok(())
    }
}

pub fn router(state: Shared) -> Router {
    Router::new()
        .route(paths::HEALTHZ, get(|| async { "ok" }))
        .route(
            paths::OPENAPI,
            get(|| async {
                (
                    [(header::CONTENT_TYPE, "application/json")],
                    crate::api::openapi::document_json(),
                )
            }),
        )
        .route(paths::LOGIN, post(auth::login))
        .route(paths::LOGOUT, post(auth::logout))
        .route(paths::ME, get(auth::me))
        .route(paths::ITEMS, get(items::list))
        .route(paths::ITEM, get(items::detail))
        .route(paths::POOL, get(items::pool))
        .route(paths::ITEM_CLAIM, post(items::claim))
        .route(paths::ITEM_TRANSITION, post(items::transition))
        .route(paths::ITEM_OUTCOMES, post(records::post_outcome))
        .route(paths::ITEM_NOTES, post(notes::post_note))
        .route(paths::ITEM_TYPICAL, post(notes::set_typical))
        .route(paths::TIME_ENTRIES, post(records::post_time_entry))
        .route(paths::ACTIVITIES, post(records::post_activity))
        .route(paths::SCHEDULE, get(schedule::schedule))
        .route(paths::DUTY, get(schedule::duty))
        .route(paths::DUTY_CHECK_IN, post(schedule::check_in))
        .route(paths::DUTY_CHECK_OUT, post(schedule::check_out))
        .route(paths::CAMPAIGNS, get(schedule::campaigns))
        .route(crate::api::stats::CAMPAIGN_PERIODS, get(stats::periods))
        .route(crate::api::stats::CAMPAIGN_STATS, get(stats::stats))
        .route(
            crate::api::rollup::SUBMISSIONS,
            get(submissions::list).post(submissions::submit),
        )
        .route(crate::api::rollup::SUBMISSION_STEP, post(submissions::step))
        .route(
            corrections::TIME_ENTRY_WITHDRAW,
            post(corrections::withdraw_time_entry),
        )
        .route(
            corrections::ACTIVITY_WITHDRAW,
            post(corrections::withdraw_activity),
        )
        .route(paths::EVENTS, get(events::stream))
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(idempotency::echo_key))
        .layer(tower_http::trace::TraceLayer::new_for_http())
        .with_state(state)
}

/// Opens the store, seeds demo data when asked, binds and serves in a task.
pub async fn start(config: ServerConfig) -> anyhow::Result<RunningServer> {
    start_tuned(config, ServerTuning::default()).await
}

/// [`start`] with non-default tuning (e.g. a short heartbeat in tests).
pub async fn start_tuned(config: ServerConfig, tuning: ServerTuning) -> anyhow::Result<RunningServer> {
    let url = db::database_url(config.db.as_deref())?;
    let store = Store::connect(&url).await?;
    if config.demo {
        demo::seed_if_empty(&store, tuning.clock.now()).await?;
    }
    let (events, _) = broadcast::channel(256);
    let state = Arc::new(AppState {
        storage: Arc::new(SqlStorage::new(store.clone())),
        store: store.clone(),
        events,
        heartbeat: tuning.heartbeat,
        login_failures: login_throttle::LoginThrottle::default(),
        closing: tokio::sync::watch::Sender::new(false),
        clock: tuning.clock.clone(),
    });
    let shared = state.clone();
    let listener = tokio::net::TcpListener::bind(&config.listen)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr()?;
    let (tx, rx) = oneshot::channel::<()>();
    let app = router(state);
    let task = tokio::spawn(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = rx.await;
            })
            .await
    });
    Ok(RunningServer {
        addr,
        store,
        state: shared,
        shutdown: Some(tx),
        task,
    })
}

/// `dutydesk serve`: runs until SIGINT or SIGTERM, then shuts down cleanly.
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    let demo = config.demo;
    let server = start(config).await?;
    say(&rust_i18n::t!("server.listening", addr = server.addr));
    if demo {
        say(&rust_i18n::t!(
            "server.demo_logins",
            users = demo::DEMO_USERS.join(", ")
        ));
    }
    tracing::info!(addr = %server.addr, "listening");
    wait_for_signal().await;
    say(&rust_i18n::t!("server.stopping"));
    server.shutdown().await
}

/// Prints a line for whoever started the server. A closed stdout (piped
/// into `head`, or a supervisor that stopped reading) must not take the
/// server down, so write errors are ignored where `println!` would panic.
fn say(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}").and_then(|()| out.flush());
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
