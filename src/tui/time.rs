//! Times as the users read them: China Standard Time (UTC+8, no daylight
//! saving), so a fixed offset is exact and needs no zone database.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use crate::domain::EpochMs;

fn zone() -> TimeZone {
    crate::domain::clock::shanghai()
}

fn zoned(ms: EpochMs) -> Option<jiff::ZonedDateTime> {
    Timestamp::from_millisecond(ms)
        .ok()
        .map(|t| t.to_zoned_datetime(zone()))
}

/// `2026-11-24`
pub fn date_of(ms: EpochMs) -> String {
    zoned(ms).map(|z| z.date().to_string()).unwrap_or_default()
}

/// `14:05`
pub fn hm(ms: EpochMs) -> String {
    zoned(ms)
        .map(|z| format!("{:02}:{:02}", z.hour(), z.minute()))
        .unwrap_or_else(|| "--:--".into())
}

/// `11-24 14:05`
pub fn md_hm(ms: EpochMs) -> String {
    zoned(ms)
        .map(|z| {
            format!(
                "{:02}-{:02} {:02}:{:02}",
                z.month(),
                z.day(),
                z.hour(),
                z.minute()
            )
        })
        .unwrap_or_else(|| "--".into())
}

/// The day before or after `date` (`YYYY-MM-DD`); `date` itself when it
/// cannot be read.
pub fn shift_day(date: &str, days: i64) -> String {
    date.parse::<Date>()
        .ok()
        .and_then(|d| d.checked_add(days.days()).ok())
        .map(|d| d.to_string())
        .unwrap_or_else(|| date.to_string())
}

/// The start of a day in epoch ms, for placing sessions on a timeline.
pub fn day_start(date: &str) -> Option<EpochMs> {
    let d: Date = date.parse().ok()?;
    d.to_zoned_datetime(zone())
        .ok()
        .map(|z| z.timestamp().as_millisecond())
}

/// A compact countdown in the user's language: `45m`, `3h 20m`, `2d 9h`,
/// `5h`, `12d` (45分钟, 3小时20分, 2天9小时, 5小时, 12天); negative is overdue. At
/// most 10 columns with the sign, so it fits the queue's Due column.
pub fn countdown(due: EpochMs, now: EpochMs) -> (String, bool) {
    // Saturating: a server's due time is untrusted and may be absurd.
    let left = due.saturating_sub(now);
    let overdue = left < 0;
    let mins = left.saturating_abs() / 60_000;
    let (days, hours) = (mins / (24 * 60), (mins / 60) % 24);
    let text = if mins < 60 {
        rust_i18n::t!("firstrun.duration.minutes", m = mins)
    } else if mins < 24 * 60 && mins % 60 == 0 {
        rust_i18n::t!("firstrun.duration.whole_hours", h = mins / 60)
    } else if mins < 24 * 60 {
        rust_i18n::t!("firstrun.duration.hours", h = mins / 60, m = mins % 60)
    } else if days < 10 {
        rust_i18n::t!("firstrun.duration.days_hours", d = days, h = hours)
    } else {
        rust_i18n::t!("firstrun.duration.days", d = days)
    }
    .into_owned();
    if overdue {
        (format!("-{text}"), true)
    } else {
        (text, false)
    }
}

/// `01:02:03` for a running timer.
pub fn elapsed(since: EpochMs, now: EpochMs) -> String {
    let s = now.saturating_sub(since).max(0) / 1000;
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// Whole minutes a timer has run, at least 1 (for the outcome form).
pub fn timer_minutes(since: EpochMs, now: EpochMs) -> i64 {
    (now.saturating_sub(since).max(0).saturating_add(59_999) / 60_000).max(1)
}
