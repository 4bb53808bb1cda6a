//! This instance's open event streams, indexed by who may hear what, so a
//! change wakes only the streams it concerns (its assignee, the one who
//! lost it, the room's operator, the unit's pool and coordinators, admins),
//! not all 10,000 of them. Each stream still checks every change itself
//! (`events.rs`); the index only narrows whom to wake.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;

use super::bus::{Announced, Delivery};
use crate::api::ChangeKind;
use crate::domain::Role;

/// How many deliveries a stream may have waiting; a slower one is told to
/// resync instead ("lagged").
const QUEUE: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// Streams of this user (assignee, previous assignee, room operator).
    User(i64),
    /// Lawyers' and mediators' streams in this unit (its pool).
    Pool(i64),
    /// Coordinators' streams in this unit.
    Coordinators(i64),
    Admins,
}

struct Entry {
    token_id: i64,
    tx: mpsc::Sender<Delivery>,
    lagged: Arc<AtomicBool>,
    keys: Vec<Key>,
}

#[derive(Default)]
struct Index {
    entries: HashMap<u64, Entry>,
    by_key: HashMap<Key, HashSet<u64>>,
}

#[derive(Default)]
pub struct Hub {
    index: Mutex<Index>,
    next_id: AtomicU64,
    /// `/metrics`' count of changes announced to this instance, set once
    /// the server's registry exists.
    published: std::sync::OnceLock<prometheus::IntCounter>,
    /// The read path's caches, told of every delivery before any stream.
    pub cache: super::read_cache::ReadCache,
}

/// Who a stream belongs to, as the index needs it.
#[derive(Debug, Clone, Copy)]
pub struct Listener {
    pub user_id: i64,
    pub token_id: i64,
    pub role: Role,
    pub unit_id: i64,
}

/// A stream's end of the hub; leaving the hub when dropped.
pub struct Subscription {
    pub rx: mpsc::Receiver<Delivery>,
    /// Set when a delivery had to be dropped: resync.
    pub lagged: Arc<AtomicBool>,
    hub: Arc<Hub>,
    id: u64,
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut index = self.hub.lock();
        if let Some(entry) = index.entries.remove(&self.id) {
            for key in entry.keys {
                if let Some(set) = index.by_key.get_mut(&key) {
                    set.remove(&self.id);
                    if set.is_empty() {
                        index.by_key.remove(&key);
                    }
                }
            }
        }
    }
}

impl Hub {
    fn lock(&self) -> MutexGuard<'_, Index> {
        // A panic while holding the lock leaves plain maps; keep serving.
        self.index.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn subscribe(self: &Arc<Self>, who: Listener) -> Subscription {
        let (tx, rx) = mpsc::channel(QUEUE);
        let lagged = Arc::new(AtomicBool::new(false));
        let mut keys = vec![Key::User(who.user_id)];
        match who.role {
            Role::Admin => keys.push(Key::Admins),
            Role::Coordinator => keys.push(Key::Coordinators(who.unit_id)),
            Role::Lawyer | Role::Mediator => keys.push(Key::Pool(who.unit_id)),
            // Their own items' changes only, through `User`.
            Role::Operator | Role::Intake => {}
        }
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let mut index = self.lock();
        for key in &keys {
            index.by_key.entry(*key).or_default().insert(id);
        }
        index.entries.insert(
            id,
            Entry {
                token_id: who.token_id,
                tx,
                lagged: lagged.clone(),
                keys,
            },
        );
        Subscription {
            rx,
            lagged,
            hub: self.clone(),
            id,
        }
    }

    /// How many streams are open on this instance.
    pub fn streams(&self) -> usize {
        self.lock().entries.len()
    }

    /// Counts each announced change in `counter` from now on.
    pub fn count_published(&self, counter: prometheus::IntCounter) {
        let _ = self.published.set(counter);
    }

    pub fn dispatch(&self, d: Delivery) {
        self.cache.observe(&d);
        let index = self.lock();
        match &d {
            Delivery::Change(a) => {
                if let Some(c) = self.published.get() {
                    c.inc();
                }
                for id in recipients(&index, a) {
                    if let Some(e) = index.entries.get(&id) {
                        send(e, d.clone());
                    }
                }
            }
            Delivery::Resync => index.entries.values().for_each(|e| send(e, Delivery::Resync)),
            Delivery::Revoked(tokens) => index
                .entries
                .values()
                .filter(|e| tokens.contains(&e.token_id))
                .for_each(|e| send(e, d.clone())),
        }
    }
}

fn send(e: &Entry, d: Delivery) {
    if e.tx.try_send(d).is_err() {
        // Full (a slow reader) or closed (leaving): resync when it reads.
        e.lagged.store(true, Ordering::Relaxed);
    }
}

/// Every stream that may hear of any change in `a`, once each.
fn recipients(index: &Index, a: &Announced) -> HashSet<u64> {
    let mut ids = HashSet::new();
    let mut add = |key: Key| {
        if let Some(set) = index.by_key.get(&key) {
            ids.extend(set.iter().copied());
        }
    };
    add(Key::Admins);
    for c in &a.announcement.changes {
        for user in [c.assignee_id, c.previous_assignee_id, c.room_operator_id]
            .into_iter()
            .flatten()
        {
            add(Key::User(user));
        }
        add(Key::Coordinators(c.unit_id));
        if c.kind == ChangeKind::PoolChanged {
            add(Key::Pool(c.unit_id));
        }
    }
    ids
}
