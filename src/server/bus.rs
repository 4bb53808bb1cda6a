//! The event bus: how a committed change reaches the event streams of every
//! instance. A write announces its changes inside its own transaction
//! ([`EventBus::announce`]), so a rolled-back write is never announced;
//! each instance then loads the changed item once and fans it out to its
//! own streams ([`EventBus::subscribe`]), which filter by what each
//! subscriber may see (`events.rs`).
//!
//! Two buses: [`LocalBus`] for SQLite, which is one instance only (a second
//! `serve` on the same file is refused, see `instance_lock.rs`), and [`PgBus`] for
//! PostgreSQL: `pg_notify` in the write transaction with a small payload
//! (ids and the change number), one `LISTEN` connection per instance, and a
//! resync of every stream after that connection was lost.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI32, Ordering};
use std::time::Duration;

use serde::{Deserialize, Serialize};
use sqlx::{Any, Transaction};

use super::hub::Hub;
use super::storage::ItemRow;
use super::storage::pg_listen;
// Re-exported: whoever makes a `PgBus` names its channel with it.
pub use super::storage::pg_listen::channel_for;
use crate::api::ChangeKind;
use crate::domain::EpochMs;

/// One change, with what is needed to decide who may hear of it. Short
/// field names: it travels in a `pg_notify` payload (capped near 8 KB).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    #[serde(rename = "k")]
    pub kind: ChangeKind,
    #[serde(rename = "a", default)]
    pub assignee_id: Option<i64>,
    #[serde(rename = "p", default)]
    pub previous_assignee_id: Option<i64>,
    #[serde(rename = "u")]
    pub unit_id: i64,
    #[serde(rename = "o", default)]
    pub room_operator_id: Option<i64>,
}

impl Change {
    pub fn for_item(kind: ChangeKind, row: &ItemRow, previous: Option<i64>) -> Change {
        Change {
            kind,
            assignee_id: row.item.assignee.as_ref().map(|a| a.id),
            previous_assignee_id: previous,
            unit_id: row.item.unit_id,
            room_operator_id: row.room_operator_id,
        }
    }
}

/// The changes one write made to one item, as announced: the item's id and
/// change number, and who is to hear of what.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Announcement {
    #[serde(rename = "i")]
    pub item_id: i64,
    /// The item's change number after the write (`items.change_seq`).
    #[serde(rename = "s")]
    pub seq: i64,
    #[serde(rename = "t")]
    pub at: EpochMs,
    #[serde(rename = "c")]
    pub changes: Vec<Change>,
}

/// An announcement with the item as this instance read it after the write
/// (once, for all its streams), and that item's JSON, made once too.
#[derive(Debug)]
pub struct Announced {
    pub announcement: Announcement,
    /// `None`: the item is gone.
    pub row: Option<ItemRow>,
    pub item_json: Option<String>,
}

impl Announced {
    pub fn new(announcement: Announcement, row: Option<ItemRow>) -> Announced {
        // Plain derive(Serialize) data with string keys: cannot fail.
        let item_json = row.as_ref().and_then(|r| serde_json::to_string(&r.item).ok());
        Announced {
            announcement,
            row,
            item_json,
        }
    }
}

/// What an instance's streams receive.
#[derive(Debug, Clone)]
pub enum Delivery {
    Change(Arc<Announced>),
    /// Changes may have been missed (the listener's connection was lost):
    /// every stream tells its client to resync by change number.
    Resync,
    /// These tokens were revoked or their user disabled: their streams end.
    Revoked(Arc<Vec<i64>>),
}

pub type BusFuture<'a> = Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 'a>>;

/// Publish (inside the write transaction, then after its commit) and
/// subscribe (this instance's streams).
pub trait EventBus: Send + Sync {
    /// Inside the write transaction, before it commits.
    fn announce<'a>(&'a self, tx: &'a mut Transaction<'static, Any>, a: &'a Announcement) -> BusFuture<'a>;
    /// After the commit, with the item as committed.
    fn committed(&self, a: Announcement, row: ItemRow);
    /// This instance's streams.
    fn hub(&self) -> &Arc<Hub>;
    /// Sends to this instance's streams only (token revocations).
    fn deliver(&self, d: Delivery) {
        self.hub().dispatch(d);
    }
    /// PostgreSQL: the backend pid of this instance's `LISTEN` connection
    /// (`None` while it is down, or on other buses).
    fn listener_pid(&self) -> Option<i32> {
        None
    }
}

/// One instance, in process: what commits here is all there is to hear.
pub struct LocalBus {
    hub: Arc<Hub>,
}

impl LocalBus {
    pub fn new() -> LocalBus {
        LocalBus { hub: Arc::default() }
    }
}

impl Default for LocalBus {
    fn default() -> Self {
        LocalBus::new()
    }
}

impl EventBus for LocalBus {
    fn announce<'a>(&'a self, _tx: &'a mut Transaction<'static, Any>, _a: &'a Announcement) -> BusFuture<'a> {
        Box::pin(async { Ok(()) })
    }
    fn committed(&self, a: Announcement, row: ItemRow) {
        self.deliver(Delivery::Change(Arc::new(Announced::new(a, Some(row)))));
    }
    fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }
}

/// PostgreSQL: `pg_notify` in the transaction, `LISTEN` on one connection.
pub struct PgBus {
    channel: String,
    hub: Arc<Hub>,
    /// The listener connection's backend pid (0 while down), for operators
    /// and for the test that cuts it.
    listener_pid: AtomicI32,
}

impl PgBus {
    /// A bus on `channel` (see [`channel_for`]); nothing is heard until
    /// [`PgBus::listen`] runs.
    pub fn new(channel: String) -> PgBus {
        PgBus {
            channel,
            hub: Arc::default(),
            listener_pid: AtomicI32::new(0),
        }
    }

    /// Listens until `closing` turns true: each notification's item is
    /// loaded once and delivered; a lost connection is reopened, and then
    /// every stream resyncs, since notifications sent meanwhile are gone.
    /// Returns once listening (the first time), so no commit after it is missed.
    pub async fn listen(
        self: Arc<Self>,
        url: String,
        pool: sqlx::AnyPool,
        mut closing: tokio::sync::watch::Receiver<bool>,
    ) -> anyhow::Result<()> {
        let listener = self.connect(&url).await?;
        tokio::spawn(async move {
            let mut listener = Some(listener);
            let mut delay = Duration::from_millis(100);
            loop {
                let Some(l) = listener.as_mut() else {
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = closing.wait_for(|c| *c) => return,
                    }
                    match self.connect(&url).await {
                        Ok(l) => {
                            tracing::info!("event listener reconnected; streams resync");
                            listener = Some(l);
                            delay = Duration::from_millis(100);
                            self.deliver(Delivery::Resync);
                        }
                        Err(e) => {
                            tracing::warn!(error = %e, "event listener: cannot reconnect yet");
                            delay = (delay * 2).min(Duration::from_secs(5));
                        }
                    }
                    continue;
                };
                let next = tokio::select! {
                    n = l.try_recv() => n,
                    _ = closing.wait_for(|c| *c) => return,
                };
                match next {
                    Ok(Some(n)) => self.on_notification(&pool, n.payload()).await,
                    Ok(None) | Err(_) => {
                        tracing::warn!("event listener lost its connection; reconnecting");
                        self.listener_pid.store(0, Ordering::Relaxed);
                        listener = None;
                    }
                }
            }
        });
        Ok(())
    }

    async fn connect(&self, url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
        let (l, pid) = pg_listen::listen(url, &self.channel).await?;
        self.listener_pid.store(pid, Ordering::Relaxed);
        Ok(l)
    }

    async fn on_notification(&self, pool: &sqlx::AnyPool, payload: &str) {
        let a: Announcement = match serde_json::from_str(payload) {
            Ok(a) => a,
            Err(e) => {
                tracing::warn!(error = %e, "event listener: unreadable notification ignored");
                return;
            }
        };
        match super::storage::sql::item_rows::load_item(pool, a.item_id).await {
            Ok(row) => self.deliver(Delivery::Change(Arc::new(Announced::new(a, row)))),
            Err(e) => {
                tracing::warn!(error = %e, "event listener: cannot load the changed item; streams resync");
                self.deliver(Delivery::Resync);
            }
        }
    }
}

impl EventBus for PgBus {
    fn announce<'a>(&'a self, tx: &'a mut Transaction<'static, Any>, a: &'a Announcement) -> BusFuture<'a> {
        Box::pin(async move {
            // Plain derive(Serialize) data with string keys: cannot fail.
            let payload = serde_json::to_string(a).unwrap_or_default();
            pg_listen::notify(tx, &self.channel, &payload).await
        })
    }
    fn committed(&self, _a: Announcement, _row: ItemRow) {
        // Heard back through LISTEN, like every other instance's writes.
    }
    fn listener_pid(&self) -> Option<i32> {
        Some(self.listener_pid.load(Ordering::Relaxed)).filter(|p| *p != 0)
    }
    fn hub(&self) -> &Arc<Hub> {
        &self.hub
    }
}

/// The bus for this store: on PostgreSQL a [`PgBus`], listening before
/// this returns; otherwise a [`LocalBus`].
pub async fn start(
    url: &str,
    store: &super::Store,
    closing: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<Arc<dyn EventBus>> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Ok(Arc::new(LocalBus::new()));
    }
    let bus = Arc::new(PgBus::new(channel_for(&store.pool).await?));
    bus.clone()
        .listen(url.to_string(), store.pool.clone(), closing)
        .await?;
    Ok(bus)
}
