//! The one wall clock and the one time zone, for server, client and TUI.

use super::EpochMs;

/// Now, as epoch milliseconds.
pub fn now_ms() -> EpochMs {
    jiff::Timestamp::now().as_millisecond()
}

/// Asia/Shanghai, the users' zone. China has kept no daylight saving since
/// 1991, so the fixed +08:00 is exact and needs no tz database.
pub fn shanghai() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8))
}
