//! The server's clock: the system's, or a settable one for tests that must
//! stand at a known day (a period open or closed, a record "in the future").
//! Records and statistics read it; tokens and logins keep the system clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use crate::domain::EpochMs;

#[derive(Debug, Clone, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock (production).
    pub fn system() -> Self {
        Clock(None)
    }

    /// A clock standing at `at` until [`Clock::set`] moves it.
    pub fn fixed(at: EpochMs) -> Self {
        Clock(Some(Arc::new(AtomicI64::new(at))))
    }

    /// Moves a fixed clock; the system clock ignores it.
    pub fn set(&self, at: EpochMs) {
        if let Some(t) = &self.0 {
            t.store(at, Ordering::SeqCst);
        }
    }

    pub fn now(&self) -> EpochMs {
        match &self.0 {
            Some(t) => t.load(Ordering::SeqCst),
            None => crate::domain::clock::now_ms(),
        }
    }
}
