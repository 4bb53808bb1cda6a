//! Failed sign-ins per username. After [`MAX_FAILURES`] wrong passwords
//! within [`WINDOW`], that username is refused (429, with `Retry-After`)
//! until the window of its first failure has passed, whatever password is
//! sent: guessing a lawyer's password then takes years, not hours. Unknown
//! usernames are counted the same way, so the answer never tells which
//! names exist. A right password before the limit clears the count.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub const MAX_FAILURES: u32 = 5;
pub const WINDOW: Duration = Duration::from_secs(15 * 60);
/// Names remembered at most: a spray of made-up names cannot grow memory
/// without bound (past it, expired entries go; new names go uncounted
/// until there is room).
const MAX_NAMES: usize = 10_000;

#[derive(Debug, Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, Failures>>,
}

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    since: Instant,
}

/// Usernames are counted as the server looks them up: trimmed, exact case
/// (a guess against another spelling is not a guess at this account).
fn key(username: &str) -> String {
    username.trim().to_string()
}

impl LoginThrottle {
    /// `Err(wait)`: this name is refused for `wait` more.
    pub fn check(&self, username: &str, now: Instant) -> Result<(), Duration> {
        let map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        match map.get(&key(username)) {
            Some(f) if f.count >= MAX_FAILURES => {
                let until = f.since + WINDOW;
                if until > now { Err(until - now) } else { Ok(()) }
            }
            _ => Ok(()),
        }
    }

    pub fn failed(&self, username: &str, now: Instant) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let name = key(username);
        if map.len() >= MAX_NAMES && !map.contains_key(&name) {
            map.retain(|_, f| f.since + WINDOW > now);
            if map.len() >= MAX_NAMES {
                return;
            }
        }
        let entry = map.entry(name).or_insert(Failures { count: 0, since: now });
        if entry.since + WINDOW <= now {
            *entry = Failures { count: 0, since: now };
        }
        entry.count += 1;
    }

    pub fn succeeded(&self, username: &str) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        map.remove(&key(username));
    }
}
