//! What the read path keeps in memory so that an unchanged list costs no
//! database round trip: signed-in tokens (by their hash), each user's list
//! stamp (the change number behind `GET /items`), and encoded list bodies
//! (by their ETag, which names the user, the cursor and the stamp).
//!
//! Correctness rules:
//! - Everything this instance hears on its bus invalidates at once: a change
//!   forgets the stamps of the users it concerns (assignee, previous
//!   assignee, the one it left), a resync forgets every stamp, a revocation
//!   (the sweep, from any instance or the command line) forgets those
//!   tokens. Revocations made through this instance (logout, password
//!   change, a new sign-in replacing a device's token) forget the user's
//!   tokens before their request is answered.
//! - What the bus cannot tell (the command line editing the database
//!   directly: a disabled user, a moved unit, an imported item) is picked
//!   up within [`FRESH_FOR`]: no entry is used longer than that after it
//!   was read from the database.
//! - A value read from the database is only kept when nothing was
//!   invalidated while it was being read (a generation number), so a read
//!   racing a change or a revocation never stores the older value.
//! - Bounded: least recently used entries go first; a body is a few KB.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use lru::LruCache;

use super::bus::{Announcement, Delivery};
use super::storage::ItemRow;
use crate::api::User;

/// The longest any entry is used after it was read from the database.
pub const FRESH_FOR: Duration = Duration::from_secs(1);
/// Tokens and stamps kept at most (each well under 1 KB).
const MAX_TOKENS: usize = 50_000;
const MAX_STAMPS: usize = 50_000;
/// Encoded list bodies kept at most, by count and by bytes in total.
const MAX_BODIES: usize = 4_096;
const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

#[derive(Clone)]
struct TokenEntry {
    token_id: i64,
    user: User,
    read_at: Instant,
}

#[derive(Clone, Copy)]
struct StampEntry {
    stamp: i64,
    read_at: Instant,
}

struct Inner {
    tokens: LruCache<String, TokenEntry>,
    stamps: LruCache<i64, StampEntry>,
    bodies: LruCache<String, (Bytes, Instant)>,
    body_bytes: usize,
}

/// A generation to pass back to `keep_*`: taken before the database read.
#[derive(Debug, Clone, Copy)]
pub struct Generation(u64);

pub struct ReadCache {
    inner: Mutex<Inner>,
    /// Bumped by every token invalidation.
    token_gen: AtomicU64,
    /// Bumped by every stamp invalidation.
    stamp_gen: AtomicU64,
}

fn cap(n: usize) -> NonZeroUsize {
    NonZeroUsize::new(n).unwrap_or(NonZeroUsize::MIN)
}

impl Default for ReadCache {
    fn default() -> Self {
        ReadCache {
            inner: Mutex::new(Inner {
                tokens: LruCache::new(cap(MAX_TOKENS)),
                stamps: LruCache::new(cap(MAX_STAMPS)),
                bodies: LruCache::new(cap(MAX_BODIES)),
                body_bytes: 0,
            }),
            token_gen: AtomicU64::new(0),
            stamp_gen: AtomicU64::new(0),
        }
    }
}

fn fresh(read_at: Instant) -> bool {
    read_at.elapsed() < FRESH_FOR
}

impl ReadCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // Plain maps: a panic elsewhere while holding the lock leaves them usable.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    // Tokens.

    pub fn token_generation(&self) -> Generation {
        Generation(self.token_gen.load(Ordering::Acquire))
    }

    /// The token's id and user, when read from the database within [`FRESH_FOR`].
    pub fn token(&self, token_hash: &str) -> Option<(i64, User)> {
        let mut inner = self.lock();
        let entry = inner.tokens.get(token_hash)?;
        if fresh(entry.read_at) {
            return Some((entry.token_id, entry.user.clone()));
        }
        inner.tokens.pop(token_hash);
        None
    }

    /// Keeps a token found valid, unless a token was invalidated since `g`.
    pub fn keep_token(&self, g: Generation, token_hash: &str, token_id: i64, user: &User, read_at: Instant) {
        let mut inner = self.lock();
        // Checked under the lock that invalidations take too.
        if self.token_gen.load(Ordering::Acquire) != g.0 {
            return;
        }
        inner.tokens.put(
            token_hash.to_string(),
            TokenEntry {
                token_id,
                user: user.clone(),
                read_at,
            },
        );
    }

    fn forget_tokens_where(&self, gone: impl Fn(&TokenEntry) -> bool) {
        let mut inner = self.lock();
        self.token_gen.fetch_add(1, Ordering::AcqRel);
        let doomed: Vec<String> = inner
            .tokens
            .iter()
            .filter(|(_, e)| gone(e))
            .map(|(k, _)| k.clone())
            .collect();
        for k in doomed {
            inner.tokens.pop(&k);
        }
    }

    /// These tokens were revoked.
    pub fn forget_token_ids(&self, ids: &[i64]) {
        self.forget_tokens_where(|e| ids.contains(&e.token_id));
    }

    /// Some of this user's tokens were revoked.
    pub fn forget_user_tokens(&self, user_id: i64) {
        self.forget_tokens_where(|e| e.user.id == user_id);
    }

    /// Some of this user's tokens were revoked (by username).
    pub fn forget_username_tokens(&self, username: &str) {
        self.forget_tokens_where(|e| e.user.username == username);
    }

    // List stamps.

    pub fn stamp_generation(&self) -> Generation {
        Generation(self.stamp_gen.load(Ordering::Acquire))
    }

    pub fn stamp(&self, user_id: i64) -> Option<i64> {
        let mut inner = self.lock();
        let entry = *inner.stamps.get(&user_id)?;
        if fresh(entry.read_at) {
            return Some(entry.stamp);
        }
        inner.stamps.pop(&user_id);
        None
    }

    /// Keeps a stamp read from the database, unless a change was heard since `g`.
    pub fn keep_stamp(&self, g: Generation, user_id: i64, stamp: i64, read_at: Instant) {
        let mut inner = self.lock();
        if self.stamp_gen.load(Ordering::Acquire) != g.0 {
            return;
        }
        inner.stamps.put(user_id, StampEntry { stamp, read_at });
    }

    fn forget_stamps(&self, users: impl IntoIterator<Item = i64>) {
        let mut inner = self.lock();
        self.stamp_gen.fetch_add(1, Ordering::AcqRel);
        for u in users {
            inner.stamps.pop(&u);
        }
    }

    fn forget_all_stamps(&self) {
        let mut inner = self.lock();
        self.stamp_gen.fetch_add(1, Ordering::AcqRel);
        inner.stamps.clear();
    }

    // Encoded bodies, by ETag (which names the user, the cursor and the stamp).

    pub fn body(&self, etag: &str) -> Option<Bytes> {
        let mut inner = self.lock();
        let (body, read_at) = inner.bodies.get(etag)?.clone();
        if fresh(read_at) {
            return Some(body);
        }
        if let Some((old, _)) = inner.bodies.pop(etag) {
            inner.body_bytes -= old.len();
        }
        None
    }

    /// Keeps an encoded body; its rows were read after the stamp in its
    /// ETag, so it is never older than the tag says.
    pub fn keep_body(&self, etag: &str, body: Bytes, read_at: Instant) {
        if body.len() > MAX_BODY_BYTES / 16 {
            return;
        }
        let mut inner = self.lock();
        inner.body_bytes += body.len();
        if let Some((_, (old, _))) = inner.bodies.push(etag.to_string(), (body, read_at)) {
            inner.body_bytes -= old.len();
        }
        while inner.body_bytes > MAX_BODY_BYTES {
            match inner.bodies.pop_lru() {
                Some((_, (old, _))) => inner.body_bytes -= old.len(),
                None => break,
            }
        }
    }

    /// An item changed (`row`: as it is now; `None`: gone). Called for a
    /// write made here right after its commit, before it is answered (on
    /// PostgreSQL its notification comes back later), and again for
    /// everything the bus delivers.
    pub fn changed(&self, a: &Announcement, row: Option<&ItemRow>) {
        let mut users = Vec::with_capacity(4);
        match row {
            Some(row) => {
                users.extend(row.item.assignee.as_ref().map(|u| u.id));
                users.extend(row.previous_assignee_id);
            }
            // The item is gone: whose lists it left is unknown here.
            None => return self.forget_all_stamps(),
        }
        for c in &a.changes {
            users.extend(c.assignee_id);
            users.extend(c.previous_assignee_id);
        }
        self.forget_stamps(users);
    }

    /// What this instance's bus delivers, before any stream hears it.
    pub fn observe(&self, d: &Delivery) {
        match d {
            Delivery::Change(a) => self.changed(&a.announcement, a.row.as_ref()),
            Delivery::Resync => self.forget_all_stamps(),
            Delivery::Revoked(ids) => self.forget_token_ids(ids),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::UnitRef;
    use crate::domain::{Profession, Role};

    fn user(id: i64) -> User {
        User {
            id,
            username: format!("u{id}"),
            display_name: format!("U{id}"),
            role: Role::Lawyer,
            profession: Profession::Lawyer,
            unit: UnitRef {
                id: 1,
                name: "centre".into(),
            },
        }
    }

    #[test]
    fn a_revocation_during_the_read_keeps_the_older_answer_out() {
        let cache = ReadCache::default();
        let g = cache.token_generation();
        cache.forget_token_ids(&[7]);
        cache.keep_token(g, "h", 7, &user(1), Instant::now());
        assert!(cache.token("h").is_none());
        let g = cache.token_generation();
        cache.keep_token(g, "h", 7, &user(1), Instant::now());
        assert_eq!(cache.token("h").map(|(id, _)| id), Some(7));
        cache.forget_user_tokens(1);
        assert!(cache.token("h").is_none());
    }

    #[test]
    fn entries_are_used_for_a_second_at_most() {
        let cache = ReadCache::default();
        let old = Instant::now() - FRESH_FOR;
        cache.keep_token(cache.token_generation(), "h", 7, &user(1), old);
        cache.keep_stamp(cache.stamp_generation(), 1, 5, old);
        cache.keep_body("\"e\"", Bytes::from_static(b"{}"), old);
        assert!(cache.token("h").is_none());
        assert!(cache.stamp(1).is_none());
        assert!(cache.body("\"e\"").is_none());
    }

    #[test]
    fn bodies_stay_within_their_byte_budget() {
        let cache = ReadCache::default();
        let big = Bytes::from(vec![b' '; MAX_BODY_BYTES / 16]);
        for i in 0..40 {
            cache.keep_body(&i.to_string(), big.clone(), Instant::now());
        }
        assert!(cache.lock().body_bytes <= MAX_BODY_BYTES);
        assert!(cache.body("39").is_some());
        assert!(cache.body("0").is_none());
    }
}
