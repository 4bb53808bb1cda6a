//! When a duty shift may be checked in to or out of: during its hours,
//! with a grace before and after (a lawyer arriving early, a hotline call
//! that runs over), never days away from it.

use super::EpochMs;

/// The span in which check-in and check-out are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DutyWindow {
    pub opens: EpochMs,
    pub closes: EpochMs,
}

impl DutyWindow {
    pub fn of_shift(starts_at: EpochMs, ends_at: EpochMs, grace_ms: EpochMs) -> Self {
        DutyWindow {
            opens: starts_at.saturating_sub(grace_ms),
            closes: ends_at.saturating_add(grace_ms),
        }
    }

    pub fn contains(&self, at: EpochMs) -> bool {
        self.opens <= at && at <= self.closes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::HOUR_MS;

    #[test]
    fn the_shift_with_grace_either_side() {
        let w = DutyWindow::of_shift(10 * HOUR_MS, 18 * HOUR_MS, 2 * HOUR_MS);
        assert!(w.contains(8 * HOUR_MS) && w.contains(20 * HOUR_MS) && w.contains(12 * HOUR_MS));
        assert!(!w.contains(8 * HOUR_MS - 1) && !w.contains(20 * HOUR_MS + 1));
        assert!(!w.contains(-3 * 24 * HOUR_MS));
    }
}
