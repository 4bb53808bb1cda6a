//! A session's time slot as a person types it, forgiving: `9`, `930`,
//! `9:30`, `09.30`, `9：30` (a Chinese input method's colon), `14h30`,
//! `2:30pm`, optionally after a day (`11-27 9:30`, `2026-11-27 9:30`,
//! `11/27 9:30`); the end may also be a length (`+90`, `+1h`, `+1h30`,
//! `90m`, `90分钟`, `1小时`). Times are Beijing time (UTC+8, no daylight
//! saving). Pure: the day the dialog shows is passed in.

use jiff::civil::{Date, DateTime};

use super::{EpochMs, MINUTE_MS};

/// The longest session the dialog books (a mediation that runs all day).
pub const MAX_SESSION_MINUTES: i64 = 12 * 60;

/// Which of the two times was wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlotField {
    Start,
    End,
}

/// Why a typed slot was refused; the client words each in the user's
/// language, naming the field and what to type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SlotError {
    /// Nothing typed.
    Empty(SlotField),
    /// Not a time (nor, for the end, a length): the text as typed.
    NotATime(SlotField, String),
    /// A day that does not exist (`02-30`), or an hour past 23 / minute past 59.
    OutOfRange(SlotField, String),
    /// The end is not after the start.
    EndNotAfterStart,
    /// Longer than [`MAX_SESSION_MINUTES`].
    TooLong { minutes: i64 },
}

impl SlotError {
    pub fn field(&self) -> SlotField {
        match self {
            Self::Empty(f) | Self::NotATime(f, _) | Self::OutOfRange(f, _) => *f,
            Self::EndNotAfterStart | Self::TooLong { .. } => SlotField::End,
        }
    }
}

/// A join link for a remote session: a web address (video) or a `tel:`
/// number (phone).
pub fn is_join_link(link: &str) -> bool {
    let link = link.trim();
    ["https://", "http://", "tel:"]
        .iter()
        .any(|p| link.len() > p.len() && link.starts_with(p))
        && !link.chars().any(char::is_whitespace)
}

/// `[start, end)` as epoch ms, from what was typed, on `day` unless the
/// start names another day; the end is on the start's day.
pub fn parse_slot(day: Date, start: &str, end: &str) -> Result<(EpochMs, EpochMs), SlotError> {
    let start_at = parse_at(day, start, SlotField::Start)?;
    let start_ms =
        beijing_ms(start_at).ok_or_else(|| SlotError::OutOfRange(SlotField::Start, start.into()))?;
    let end_ms = match parse_length(end) {
        Some(minutes) => start_ms.saturating_add(minutes.saturating_mul(MINUTE_MS)),
        None => {
            let end_at = parse_at(start_at.date(), end, SlotField::End)?;
            beijing_ms(end_at).ok_or_else(|| SlotError::OutOfRange(SlotField::End, end.into()))?
        }
    };
    if end_ms <= start_ms {
        return Err(SlotError::EndNotAfterStart);
    }
    let minutes = (end_ms - start_ms) / MINUTE_MS;
    if minutes > MAX_SESSION_MINUTES {
        return Err(SlotError::TooLong { minutes });
    }
    Ok((start_ms, end_ms))
}

fn beijing_ms(at: DateTime) -> Option<EpochMs> {
    super::clock::shanghai()
        .to_timestamp(at)
        .ok()
        .map(|t| t.as_millisecond())
}

/// Full-width digits and punctuation as ASCII, lower case, trimmed.
fn normalize(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            '：' => ':',
            '．' | '。' => '.',
            '／' => '/',
            '－' | '—' => '-',
            '＋' => '+',
            '　' => ' ',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// A day and a time of day.
fn parse_at(day: Date, text: &str, field: SlotField) -> Result<DateTime, SlotError> {
    let t = normalize(text);
    if t.is_empty() {
        return Err(SlotError::Empty(field));
    }
    let bad = || SlotError::NotATime(field, text.trim().to_string());
    let range = || SlotError::OutOfRange(field, text.trim().to_string());
    let (date, clock) = match t.split_once([' ', 't']) {
        Some((d, c)) if d.contains(['-', '/']) => (parse_date(day, d.trim(), field, text)?, c.trim()),
        _ => (day, t.as_str()),
    };
    let (h, m) = parse_clock(clock).ok_or_else(bad)?;
    if h > 23 || m > 59 {
        return Err(range());
    }
    Ok(date.at(h as i8, m as i8, 0, 0))
}

fn parse_date(day: Date, d: &str, field: SlotField, text: &str) -> Result<Date, SlotError> {
    let bad = || SlotError::NotATime(field, text.trim().to_string());
    let parts: Vec<&str> = d.split(['-', '/']).collect();
    let num = |s: &str| s.parse::<i32>().map_err(|_| bad());
    let (y, m, dd) = match parts.as_slice() {
        [y, m, dd] => (num(y)?, num(m)?, num(dd)?),
        [m, dd] => (i32::from(day.year()), num(m)?, num(dd)?),
        _ => return Err(bad()),
    };
    let range = || SlotError::OutOfRange(field, text.trim().to_string());
    let (y, m, dd) = (
        i16::try_from(y).map_err(|_| range())?,
        i8::try_from(m).map_err(|_| range())?,
        i8::try_from(dd).map_err(|_| range())?,
    );
    Date::new(y, m, dd).map_err(|_| range())
}

/// `9`, `930`, `0930`, `9:30`, `9.30`, `14h30`, `14h`, `2pm`, `2:30pm`,
/// `9点`, `9点30`, `9点半`, `下午2点`.
fn parse_clock(text: &str) -> Option<(u32, u32)> {
    let mut t = text.trim().to_string();
    let mut pm = false;
    let mut am = false;
    for (suffix, is_pm) in [("pm", true), ("p", true), ("am", false), ("a", false)] {
        if let Some(rest) = t.strip_suffix(suffix) {
            t = rest.trim().to_string();
            (pm, am) = (is_pm, !is_pm);
            break;
        }
    }
    for (prefix, is_pm) in [("下午", true), ("晚上", true), ("上午", false), ("早上", false)] {
        if let Some(rest) = t.strip_prefix(prefix) {
            t = rest.trim().to_string();
            (pm, am) = (is_pm, !is_pm);
            break;
        }
    }
    let t = t
        .replace("点半", ":30")
        .replace(['点', '时', 'h'], ":")
        .replace('分', "");
    let t = t.trim_end_matches(':');
    let (h, m) = match t.split_once([':', '.']) {
        Some((h, m)) => (digits(h)?, if m.is_empty() { 0 } else { digits(m)? }),
        None => {
            let n = digits(t)?;
            match t.len() {
                1 | 2 => (n, 0),
                3 | 4 => (n / 100, n % 100),
                _ => return None,
            }
        }
    };
    let h = match (pm, am) {
        (true, _) if (1..12).contains(&h) => h + 12,
        (_, true) if h == 12 => 0,
        _ => h,
    };
    Some((h, m))
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// A length in minutes: `+90`, `+1h`, `+1h30`, `90m`, `90min`, `1.5h`,
/// `90分钟`, `1小时`, `1小时30分`. A bare number is a time, not a length.
fn parse_length(text: &str) -> Option<i64> {
    let t = normalize(text);
    let plus = t.starts_with('+');
    // `14h30` alone is a time of day; `+1h30` and `1小时30分` are lengths.
    let explicit = plus || t.contains("小时");
    let t = t.trim_start_matches('+').trim();
    let t = t.replace("小时", "h").replace("分钟", "m").replace('分', "m");
    let t = t.trim_end_matches("in").trim();
    if let Some((h, rest)) = t.split_once('h') {
        let hours: f64 = h.trim().parse().ok()?;
        let rest = rest.trim().trim_end_matches('m');
        if !explicit && !rest.is_empty() {
            return None;
        }
        let minutes = if rest.is_empty() { 0 } else { digits(rest)? };
        if !(0.0..=24.0).contains(&hours) {
            return None;
        }
        return Some((hours * 60.0).round() as i64 + i64::from(minutes));
    }
    if let Some(m) = t.strip_suffix('m') {
        return digits(m.trim()).map(i64::from);
    }
    if plus {
        return digits(t).map(i64::from);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> Date {
        jiff::civil::date(2026, 11, 27)
    }

    fn hm(ms: EpochMs) -> String {
        jiff::Timestamp::from_millisecond(ms)
            .unwrap()
            .to_zoned_datetime(crate::domain::clock::shanghai())
            .strftime("%m-%d %H:%M")
            .to_string()
    }

    fn slot(start: &str, end: &str) -> (String, String) {
        let (a, b) = parse_slot(day(), start, end).unwrap();
        (hm(a), hm(b))
    }

    #[test]
    fn times_are_read_the_ways_people_type_them() {
        for (typed, want) in [
            ("9", "11-27 09:00"),
            ("930", "11-27 09:30"),
            ("0930", "11-27 09:30"),
            ("9:30", "11-27 09:30"),
            ("9.30", "11-27 09:30"),
            ("9：30", "11-27 09:30"),
            ("１４：００", "11-27 14:00"),
            ("14h30", "11-27 14:30"),
            ("2:30pm", "11-27 14:30"),
            ("下午2点半", "11-27 14:30"),
            ("9点", "11-27 09:00"),
            ("11-28 9:30", "11-28 09:30"),
            ("2026-12-01 10:00", "12-01 10:00"),
            ("12/01 10:00", "12-01 10:00"),
        ] {
            assert_eq!(slot(typed, "+30").0, want, "{typed}");
        }
    }

    #[test]
    fn the_end_is_a_time_or_a_length() {
        for (typed, want) in [
            ("10:30", "11-27 10:30"),
            ("+90", "11-27 10:30"),
            ("+1h30", "11-27 10:30"),
            ("1.5h", "11-27 10:30"),
            ("90m", "11-27 10:30"),
            ("90min", "11-27 10:30"),
            ("90分钟", "11-27 10:30"),
            ("1小时30分", "11-27 10:30"),
            ("10h30", "11-27 10:30"),
        ] {
            assert_eq!(slot("9", typed).1, want, "{typed}");
        }
        // On the start's day, not the dialog's.
        assert_eq!(slot("11-28 9:00", "10:00").1, "11-28 10:00");
    }

    #[test]
    fn bad_input_names_the_field_and_the_text() {
        let e = |s: &str, e: &str| parse_slot(day(), s, e).unwrap_err();
        assert_eq!(e("", "10"), SlotError::Empty(SlotField::Start));
        assert_eq!(e("9", " "), SlotError::Empty(SlotField::End));
        assert_eq!(
            e("nine", "10"),
            SlotError::NotATime(SlotField::Start, "nine".into())
        );
        assert_eq!(
            e("25:00", "10"),
            SlotError::OutOfRange(SlotField::Start, "25:00".into())
        );
        assert_eq!(
            e("9:75", "10"),
            SlotError::OutOfRange(SlotField::Start, "9:75".into())
        );
        assert_eq!(
            e("02-30 9:00", "10"),
            SlotError::OutOfRange(SlotField::Start, "02-30 9:00".into())
        );
        assert_eq!(
            e("9", "tomorrow"),
            SlotError::NotATime(SlotField::End, "tomorrow".into())
        );
        assert_eq!(e("10", "9"), SlotError::EndNotAfterStart);
        assert_eq!(e("10", "10:00"), SlotError::EndNotAfterStart);
        assert_eq!(e("8", "+13h"), SlotError::TooLong { minutes: 780 });
        assert_eq!(e("10", "9").field(), SlotField::End);
    }
}
