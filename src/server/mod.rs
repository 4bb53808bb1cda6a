//! The reference server: routes, auth, storage, demo data.
//! Entry points: [`start`] (in-process, used by tests and `dutydesk demo`)
//! and [`serve`] (the `dutydesk serve` command).

// Row tuples mirror their SELECT column lists; naming each would only hide them.
#![allow(clippy::type_complexity)]

pub mod accounts;
pub mod admin;
pub mod admin_units;
pub mod aggregate;
pub mod auth;
pub mod bus;
pub mod clock;
pub mod corrections;
pub mod demo;
mod demo_items;
pub mod demo_work;
pub mod error;
pub mod events;
pub mod hub;
pub mod idempotency;
pub mod import;
mod instance_lock;
pub mod intake;
pub mod items;
pub mod listen;
pub mod login_guard;
pub mod metrics;
pub mod notes;
pub mod people;
mod plain_http;
pub mod read_cache;
pub mod rebuild;
pub mod records;
pub mod revocations;
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
use tokio::sync::oneshot;

pub use db::Store;
// The pool and migrations live with the rest of the storage code;
// `server::db` stays their short path.
pub use storage::db;
pub use storage::sql::SqlStorage;
use storage::{NewSlot, Storage};

use crate::api::{MAX_BODY_BYTES, paths};

/// What every handler shares, generic over the storage behind it
/// (`SqlStorage` in the server; see `storage` for why not `dyn`).
pub struct AppState<S: Storage = SqlStorage> {
    /// Every handler's way to the data: the storage traits, nothing else.
    pub storage: Arc<S>,
    /// Item changes, from every instance, for this instance's event streams.
    pub bus: Arc<dyn bus::EventBus>,
    /// How often an idle event stream gets a `heartbeat`.
    pub heartbeat: Duration,
    /// How long before a duty shift starts and after it ends check-in and
    /// check-out are still accepted.
    pub duty_grace: Duration,
    /// Wrong passwords per username and address, to stop guessing (its
    /// counts kept by the storage, `LoginGuardStore`).
    pub login_guard: login_guard::LoginGuard<S>,
    /// What `/metrics` reports.
    pub metrics: metrics::Metrics,
    /// Set when the server stops: open event streams end at once instead
    /// of at their next heartbeat, so a shutdown does not wait on them.
    pub closing: tokio::sync::watch::Sender<bool>,
    /// What records and statistics take as now.
    pub clock: clock::Clock,
}

impl<S: Storage> AppState<S> {
    /// Reassigns an item as the system (no acting user, no policy: tests
    /// and tooling) and tells both the old and the new assignee. People
    /// assign through `POST /items/{id}/assign`, which asks `domain::policy`.
    pub async fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
    ) -> Result<bool, storage::StorageError> {
        let now = crate::domain::clock::now_ms();
        Ok(self.storage.reassign(item_id, to, actor_id, now).await?.is_some())
    }

    /// As the system (no policy; people book through `POST
    /// /items/{id}/schedule`, which refuses clashes): moves a mediation
    /// session to another time or room and tells the
    /// operators of both rooms and the mediator. False when no such session.
    pub async fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
    ) -> Result<bool, storage::StorageError> {
        let now = crate::domain::clock::now_ms();
        Ok(self
            .storage
            .reschedule(item_id, slot, actor_id, now)
            .await?
            .is_some())
    }
}

/// The state as handlers take it (`State<Shared<S>>`); the server's is
/// `Shared<SqlStorage>`.
pub type Shared<S = SqlStorage> = Arc<AppState<S>>;

#[derive(Debug, Clone, Default)]
pub struct ServerConfig {
    /// `--db`: a path, `sqlite://...` or `postgres://...`; `None` = data dir.
    pub db: Option<String>,
    pub listen: String,
    /// Fill an empty database with demo data.
    pub demo: bool,
    /// Serve HTTPS with these PEM files.
    pub tls: Option<listen::TlsFiles>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Knobs a test or an embedding caller may turn; `Default` is production.
#[derive(Debug, Clone)]
pub struct ServerTuning {
    /// The SSE heartbeat interval (15 s by default).
    pub heartbeat: Duration,
    /// The system clock by default; tests stand it at a known day.
    pub clock: clock::Clock,
    /// Duty check-in/out is accepted this long around a shift (2 h by default).
    pub duty_grace: Duration,
    /// Rows the login guard keeps at most.
    pub login_guard_rows: i64,
    /// How long a connection may take to send a request's head (30 s by
    /// default): a client that never finishes one is cut off.
    pub head_deadline: Duration,
}

impl Default for ServerTuning {
    fn default() -> Self {
        ServerTuning {
            heartbeat: Duration::from_secs(15),
            clock: clock::Clock::system(),
            duty_grace: Duration::from_secs(2 * 60 * 60),
            login_guard_rows: login_guard::DEFAULT_MAX_ROWS,
            head_deadline: Duration::from_secs(30),
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
    /// SQLite: this instance's hold on the database (released on drop).
    _instance_lock: Option<std::fs::File>,
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

pub fn router<S: Storage>(state: Shared<S>) -> Router {
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
        .route(paths::ITEMS, get(items::list).post(intake::create))
        .route(paths::ITEM_ASSIGN, post(intake::assign))
        .route(paths::ITEM_SCHEDULE, post(intake::schedule))
        .route(paths::ITEM_CANCEL, post(intake::cancel))
        .route(paths::ITEM_CONFLICTS, get(intake::conflicts))
        .route(paths::ITEM_CONFLICTS_ACK, post(intake::ack_conflicts))
        .route(paths::ITEM_REVEAL, post(intake::reveal))
        .route(paths::ITEM_AUDIT, get(intake::audit))
        .route(paths::UNIT_ITEMS, get(intake::unit_items))
        .route(paths::UNIT_PEOPLE, get(people::unit_people))
        .route(paths::ME_PASSWORD, post(accounts::change_password))
        .route(paths::INTAKE_UNITS, get(intake::intake_units))
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
        .route(paths::CAMPAIGN_PERIODS, get(stats::periods))
        .route(paths::CAMPAIGN_STATS, get(stats::stats))
        .route(
            paths::SUBMISSIONS,
            get(submissions::list).post(submissions::submit),
        )
        .route(paths::SUBMISSION_STEP, post(submissions::step))
        .route(paths::TIME_ENTRY_WITHDRAW, post(corrections::withdraw_time_entry))
        .route(paths::ACTIVITY_WITHDRAW, post(corrections::withdraw_activity))
        .route(paths::OUTCOME_CORRECTIONS, post(corrections::correct_outcome))
        .route(paths::EVENTS, get(events::stream))
        .route(metrics::READYZ, get(metrics::readyz))
        .route(metrics::METRICS, get(metrics::metrics))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::track::<S>,
        ))
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
    let instance_lock = instance_lock::acquire(&url)?;
    let store = Store::connect(&url).await?;
    if config.demo {
        demo::seed_if_empty(&store, tuning.clock.now()).await?;
    }
    // Rows from before the lists were written by the database (migration 0012).
    storage::sql::item_list::fill_parties_shown(&store).await?;
    let closing = tokio::sync::watch::Sender::new(false);
    let bus = bus::start(&url, &store, closing.subscribe()).await?;
    let metrics = metrics::Metrics::new()?;
    bus.hub().count_published(metrics.published_counter());
    // The one place the storage is chosen.
    let storage = SqlStorage::with_bus(store.clone(), bus.clone());
    storage.count_write_batches(metrics.write_batches());
    let storage = Arc::new(storage);
    let state = Arc::new(AppState {
        login_guard: login_guard::LoginGuard::new(
            storage.clone(),
            tuning.login_guard_rows,
            config.trusted_proxies,
        ),
        storage,
        bus,
        heartbeat: tuning.heartbeat,
        duty_grace: tuning.duty_grace,
        metrics,
        closing,
        clock: tuning.clock.clone(),
    });
    revocations::spawn(
        store.clone(),
        state.bus.clone(),
        tuning.heartbeat,
        state.closing.subscribe(),
    );
    let shared = state.clone();
    let (tx, rx) = oneshot::channel::<()>();
    let (addr, task) = listen::bind_and_serve(
        &config.listen,
        config.tls.as_ref(),
        tuning.head_deadline,
        router(state),
        rx,
    )
    .await?;
    Ok(RunningServer {
        addr,
        store,
        state: shared,
        shutdown: Some(tx),
        task,
        _instance_lock: instance_lock,
    })
}

/// `dutydesk serve`: runs until SIGINT or SIGTERM, then shuts down cleanly.
pub async fn serve(config: ServerConfig) -> anyhow::Result<()> {
    serve_tuned(config, ServerTuning::default()).await
}

/// [`serve`] with the operator's tuning (`--duty-grace-minutes`).
pub async fn serve_tuned(config: ServerConfig, tuning: ServerTuning) -> anyhow::Result<()> {
    let demo = config.demo;
    let tls = config.tls.is_some();
    let server = start_tuned(config, tuning).await?;
    if tls {
        say(&rust_i18n::t!("ops.listening_tls", addr = server.addr));
    } else {
        say(&rust_i18n::t!("server.listening", addr = server.addr));
    }
    if !tls && listen::beyond_loopback(server.addr) {
        say(&rust_i18n::t!(
            "ops.plain_http_beyond_loopback",
            addr = server.addr
        ));
        tracing::warn!(addr = %server.addr, "serving plain HTTP beyond loopback: passwords and tokens cross the network readable");
    }
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
