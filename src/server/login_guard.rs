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
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::http::HeaderMap;
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use super::db::Store;
use crate::domain::EpochMs;

/// One of the guard's counts: at most `max` failures per `window_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window_ms: i64,
}

const MINUTE_MS: i64 = 60_000;
pub const PER_NAME_AND_CLIENT: Limit = Limit {
    scope: "name_client",
    max: 5,
    window_ms: 15 * MINUTE_MS,
};
pub const PER_CLIENT: Limit = Limit {
    scope: "client",
    max: 100,
    window_ms: 15 * MINUTE_MS,
};
pub const PER_NAME: Limit = Limit {
    scope: "name",
    max: 30,
    window_ms: 60 * MINUTE_MS,
};
/// The longest window: rows older than this count for nothing.
const LONGEST_WINDOW_MS: i64 = 60 * MINUTE_MS;
/// Rows kept at most (a few MB); see [`PRUNE_EVERY`] for the slack.
pub const DEFAULT_MAX_ROWS: i64 = 100_000;
/// The table is pruned every this many attempts (per instance), so it may
/// exceed its cap by at most three rows per attempt in between.
pub const PRUNE_EVERY: u64 = 64;

/// Why and for how long an attempt was refused.
#[derive(Debug, Clone, Copy)]
pub struct Refused {
    pub wait: Duration,
    pub limit: Limit,
}

pub struct LoginGuard {
    store: Store,
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

impl LoginGuard {
    pub fn new(store: Store, max_rows: i64, trusted_proxies: Vec<IpAddr>) -> LoginGuard {
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
    ) -> Result<Option<Refused>, sqlx::Error> {
        let name = name_hash(username);
        let mut w = self.store.begin_write().await?;
        let refused = 'check: {
            let (mine, since) = bump(&mut w.tx, PER_NAME_AND_CLIENT, &name, client, now).await?;
            if mine > PER_NAME_AND_CLIENT.max {
                break 'check Some(refusal(PER_NAME_AND_CLIENT, since, now));
            }
            let (from_client, since) = bump(&mut w.tx, PER_CLIENT, "", client, now).await?;
            if from_client > PER_CLIENT.max {
                break 'check Some(refusal(PER_CLIENT, since, now));
            }
            let (everywhere, since) = bump(&mut w.tx, PER_NAME, &name, "", now).await?;
            // Past the global limit only an address that has not failed
            // this name yet gets a try (`mine` counts this attempt).
            (everywhere > PER_NAME.max && mine > 1).then(|| refusal(PER_NAME, since, now))
        };
        w.tx.commit().await?;
        // Let go of SQLite's writer lock before pruning takes it again.
        drop(w.guard);
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
    pub async fn succeeded(&self, username: &str, client: &str) -> Result<(), sqlx::Error> {
        let name = name_hash(username);
        let mut w = self.store.begin_write().await?;
        sqlx::query("DELETE FROM login_guard WHERE scope = $1 AND name_hash = $2 AND client = $3")
            .bind(PER_NAME_AND_CLIENT.scope)
            .bind(&name)
            .bind(client)
            .execute(&mut *w.tx)
            .await?;
        for (limit, name, client) in [(PER_CLIENT, "", client), (PER_NAME, name.as_str(), "")] {
            sqlx::query(
                "UPDATE login_guard SET failures = failures - 1 \
                 WHERE scope = $1 AND name_hash = $2 AND client = $3 AND failures > 0",
            )
            .bind(limit.scope)
            .bind(name)
            .bind(client)
            .execute(&mut *w.tx)
            .await?;
        }
        w.tx.commit().await
    }

    /// Drops expired rows; past the cap, the least telling rows go first
    /// (fewest failures, then oldest), so a lock outlives a spray of names.
    pub async fn prune(&self, now: EpochMs) -> Result<(), sqlx::Error> {
        let mut w = self.store.begin_write().await?;
        sqlx::query("DELETE FROM login_guard WHERE window_start < $1")
            .bind(now - LONGEST_WINDOW_MS)
            .execute(&mut *w.tx)
            .await?;
        let (rows,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM login_guard")
            .fetch_one(&mut *w.tx)
            .await?;
        if rows > self.max_rows {
            sqlx::query(
                "DELETE FROM login_guard WHERE (scope, name_hash, client) IN \
                 (SELECT scope, name_hash, client FROM login_guard \
                  ORDER BY failures, window_start LIMIT $1)",
            )
            .bind(rows - self.max_rows)
            .execute(&mut *w.tx)
            .await?;
        }
        w.tx.commit().await
    }

    /// Rows held now (for tests and the curious).
    pub async fn rows(&self) -> Result<i64, sqlx::Error> {
        let (rows,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM login_guard")
            .fetch_one(&self.store.pool)
            .await?;
        Ok(rows)
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

fn refusal(limit: Limit, since: EpochMs, now: EpochMs) -> Refused {
    let left = (since + limit.window_ms - now).max(1);
    Refused {
        wait: Duration::from_millis(u64::try_from(left).unwrap_or(1)),
        limit,
    }
}

/// Adds one failure to a count, starting a new window when the old one has
/// passed; returns the count with this one and when its window began.
async fn bump(
    tx: &mut Transaction<'static, Any>,
    limit: Limit,
    name: &str,
    client: &str,
    now: EpochMs,
) -> Result<(i64, EpochMs), sqlx::Error> {
    // SET sees the row as it was, so both CASEs test the old window.
    sqlx::query_as(
        "INSERT INTO login_guard (scope, name_hash, client, failures, window_start) \
         VALUES ($1, $2, $3, 1, $4) \
         ON CONFLICT (scope, name_hash, client) DO UPDATE SET \
           failures = CASE WHEN login_guard.window_start <= $5 THEN 1 ELSE login_guard.failures + 1 END, \
           window_start = CASE WHEN login_guard.window_start <= $5 THEN $4 ELSE login_guard.window_start END \
         RETURNING failures, window_start",
    )
    .bind(limit.scope)
    .bind(name)
    .bind(client)
    .bind(now)
    .bind(now - limit.window_ms)
    .fetch_one(&mut **tx)
    .await
}
