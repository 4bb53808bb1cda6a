//! [`SqlStorage`]: the storage traits on sqlx's `AnyPool`, in portable SQL
//! for SQLite and PostgreSQL. One file per trait (see `storage::stores`
//! and `storage::reports`), plus the helpers they share: item rows,
//! announcing changes, idempotency, group commit.

pub mod accounts;
mod announce;
mod conflicts;
mod corrections;
mod dispatch;
pub mod group_commit;
pub mod idempotency;
pub mod intake;
pub mod item_list;
pub mod item_rows;
mod items;
mod login_guard;
mod notes;
mod people;
mod record_rows;
pub mod records;
pub mod rollup;
pub mod schedule;
pub mod script;
mod stamps;
pub mod stats;
pub mod submissions;
mod time_entries;
pub mod users;

use std::sync::Arc;

use super::{HealthStore, StorageResult};
use crate::server::bus::{EventBus, LocalBus};
use crate::server::db::Store;

#[derive(Clone)]
pub struct SqlStorage {
    pub store: Store,
    /// Where item changes are announced, inside their transactions.
    pub bus: Arc<dyn EventBus>,
    /// SQLite: the writer task that commits keyed records in groups,
    /// started on first use (inside the runtime).
    group_commit: Arc<std::sync::OnceLock<group_commit::GroupCommit>>,
    /// Where the group commit reports its batches (`/metrics`), if set
    /// before its first write.
    batch_metrics: Arc<std::sync::OnceLock<group_commit::BatchMetrics>>,
}

impl SqlStorage {
    /// Storage whose changes only this process hears (one instance).
    pub fn new(store: Store) -> SqlStorage {
        SqlStorage::with_bus(store, Arc::new(LocalBus::new()))
    }

    pub fn with_bus(store: Store, bus: Arc<dyn EventBus>) -> SqlStorage {
        SqlStorage {
            store,
            bus,
            group_commit: Arc::default(),
            batch_metrics: Arc::default(),
        }
    }

    /// Reports the group commit's batch sizes and times into `metrics`.
    pub fn count_write_batches(&self, metrics: group_commit::BatchMetrics) {
        let _ = self.batch_metrics.set(metrics);
    }

    /// The group committer on SQLite; `None` on PostgreSQL.
    fn group_commit(&self) -> Option<&group_commit::GroupCommit> {
        if self.store.is_postgres() {
            return None;
        }
        Some(self.group_commit.get_or_init(|| {
            let metrics = self.batch_metrics.get().cloned();
            group_commit::GroupCommit::start(self.store.clone(), metrics)
        }))
    }
}

impl HealthStore for SqlStorage {
    async fn ping(&self) -> StorageResult<()> {
        sqlx::query("SELECT 1").execute(&self.store.pool).await?;
        Ok(())
    }
}
