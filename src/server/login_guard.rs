//! The login guard: wrong passwords counted in the database, so every
//! instance on one PostgreSQL counts the same guesses, and a restart does
//! not forget them.
//!
//! Three counts, checked in this order (see `migrations/server/0007_*`):
//! - one username from one client address: [`PER_NAME_AND_CLIENT`], the
//!   lock a user meets after five wrong passwords;
//! - any username from one address: [`PER_CLIENT`], so one address cannot
//!   spray names;
//! - one username from anywhere: [`PER_NAME`], slower. Past it, an address
//!   that already failed this name is refused, but one that has not still
//!   gets its try: guessing from many addresses is slowed, yet a lock set
//!   from elsewhere never keeps the rightful user out from their own desk.
//!
//! An attempt counts as a failure before the password is checked (one
//! atomic upsert per count), so parallel guesses on several instances
//! cannot slip past a limit; a right password takes it back. Names are
//! kept only as a SHA-256 of the name as looked up (trimmed); the table is
//! pruned of expired rows and capped, evicting single stray failures before
//! real locks, so a flood of made-up names neither grows it nor goes
//! uncounted.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};

use super::storage::{LoginGuardStore, StorageResult};
use crate::domain::EpochMs;

pub use super::storage::{Limit, PER_CLIENT, PER_NAME, PER_NAME_AND_CLIENT, Refused};

/// Rows kept at most (a few MB); see [`PRUNE_EVERY`] for the slack.
pub const DEFAULT_MAX_ROWS: i64 = 100_000;
/// The table is pruned every this many attempts (per instance), so it may
/// exceed its cap by at most three rows per attempt in between.
pub const PRUNE_EVERY: u64 = 64;

pub struct LoginGuard<S> {
    /// Where the counts are kept.
    store: Arc<S>,
    max_rows: i64,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    trusted_proxies: Vec<IpAddr>,
    attempts: AtomicU64,
    /// How long checking a password takes here, in µs (a moving average),
    /// so that a refusal is answered as slowly as a wrong password.
    verify_micros: AtomicU64,
}

/// The name as the server looks it up (trimmed), hashed: the table never
/// holds a name, and every key has the same small size.
pub fn name_hash(username: &str) -> String {
    hex::encode(Sha256::digest(username.trim().as_bytes()))
}

/// The client's address as the guard counts it: the peer, or what a
/// trusted proxy says it saw (the last `X-Forwarded-For` entry, the one the
/// proxy added); an IPv6 address by its /64, which one host usually holds
/// whole.
pub fn client_key(peer: Option<SocketAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let mut ip = peer.map(|p| canonical(p.ip()));
    if ip.is_some_and(|p| trusted.iter().any(|t| canonical(*t) == p)) {
        let forwarded = headers
            .get_all("x-forwarded-for")
            .iter()
            .next_back()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .and_then(|s| s.trim().parse::<IpAddr>().ok());
        if let Some(f) = forwarded {
            ip = Some(canonical(f));
        }
    }
    match ip {
        None => "unknown".to_string(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
    }
}

/// An IPv4 address reached over IPv6 (`::ffff:a.b.c.d`) is that IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

impl<S: LoginGuardStore> LoginGuard<S> {
    pub fn new(store: Arc<S>, max_rows: i64, trusted_proxies: Vec<IpAddr>) -> LoginGuard<S> {
        LoginGuard {
            store,
            max_rows: max_rows.max(1),
            trusted_proxies,
            attempts: AtomicU64::new(0),
            verify_micros: AtomicU64::new(0),
        }
    }

    pub fn client(&self, peer: Option<SocketAddr>, headers: &HeaderMap) -> String {
        client_key(peer, headers, &self.trusted_proxies)
    }

    /// Counts a sign-in attempt as a failure; `Some` when it must be refused
    /// without looking at the password.
    pub async fn attempt(
        &self,
        username: &str,
        client: &str,
        now: EpochMs,
    ) -> StorageResult<Option<Refused>> {
        let refused = self
            .store
            .count_login_attempt(&name_hash(username), client, now)
            .await?;
        if self
            .attempts
            .fetch_add(1, Ordering::Relaxed)
            .is_multiple_of(PRUNE_EVERY)
        {
            // The attempt is counted; a failed prune (another instance
            // pruning the same rows) waits for the next turn.
            if let Err(e) = self.prune(now).await {
                tracing::warn!(error = %e, "pruning the login guard's table");
            }
        }
        Ok(refused)
    }

    /// The right password: this address's count for the name starts over,
    /// and the attempt is taken back from the other two.
    pub async fn succeeded(&self, username: &str, client: &str) -> StorageResult<()> {
        self.store.forgive_login(&name_hash(username), client).await
    }

    /// Drops expired rows; past the cap, the least telling rows go first
    /// (fewest failures, then oldest), so a lock outlives a spray of names.
    pub async fn prune(&self, now: EpochMs) -> StorageResult<()> {
        self.store.prune_login_guard(now, self.max_rows).await
    }

    /// Rows held now (for tests and the curious).
    pub async fn rows(&self) -> StorageResult<i64> {
        self.store.login_guard_rows().await
    }

    /// How long a password check takes here; zero until one was timed.
    pub fn typical_verify(&self) -> Duration {
        Duration::from_micros(self.verify_micros.load(Ordering::Relaxed))
    }

    /// Takes one password check's time into the average.
    pub fn verified(&self, took: Duration) {
        let took = u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        let old = self.verify_micros.load(Ordering::Relaxed);
        let new = if old == 0 { took } else { (old * 7 + took) / 8 };
        self.verify_micros.store(new, Ordering::Relaxed);
    }
}
