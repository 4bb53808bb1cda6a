//! The one validation of what a lawyer logs — outcomes, time entries and
//! stand-alone activities — used by the server before it stores a record
//! and by the CLI and the TUI before they save one to the outbox. Pure:
//! the campaigns, the clock and what the user logged that day are passed in.
//!
//! Each refusal has a stable problem code ([`Refusal::code`]) and an
//! English message that names the fix; the client words the code in its
//! user's language (catalog key `problem.<code>`).

use std::fmt;

use jiff::civil::Date;

use super::campaign::period::{due_by, local_date, period_of};
use super::campaign::rules::Rule;
use super::campaign::{CampaignDef, RecordFact, contributions};
use super::{EpochMs, ItemStatus, MINUTE_MS, Role};

/// The longest note (on an outcome, a time entry, an activity or an item),
/// in characters.
pub const MAX_NOTE_CHARS: usize = 4000;
/// The longest indicator code, in characters.
pub const MAX_INDICATOR_CHARS: usize = 64;
/// What one activity may add to a row unless its campaign says otherwise
/// (`max_count` on the indicator).
pub const DEFAULT_MAX_COUNT: i64 = 10_000;
/// Half a day: the most one entry may hold (minutes for hours is the usual typo).
pub const MAX_MINUTES_PER_ENTRY: i64 = 12 * 60;
/// What one person can work in one day.
pub const MAX_MINUTES_PER_DAY: i64 = 24 * 60;
/// How far ahead of the server's clock a record may be dated (clock skew).
pub const MAX_AHEAD_MS: EpochMs = 5 * MINUTE_MS;
/// 2000-01-01T00:00:00Z: nothing logged here happened before.
pub const EARLIEST_MS: EpochMs = 946_684_800_000;

/// Why a record is refused. The fields are what the messages need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Only the roles that do the work count it.
    RoleDoesNotCount {
        role: Role,
    },
    /// No running campaign counts this indicator from activities.
    UnknownIndicator {
        indicator: String,
        valid: Vec<ActivityTarget>,
    },
    IndicatorTooLong {
        chars: usize,
    },
    CountOutOfRange {
        field: &'static str,
        value: i64,
        max: i64,
    },
    SecondValueRequired {
        indicator: String,
    },
    SecondValueNotTaken {
        indicator: String,
    },
    MinutesOutOfRange {
        value: i64,
        max: i64,
    },
    /// The day's entries would pass 24 hours.
    DayOverfull {
        day: Date,
        logged: i64,
        adding: i64,
    },
    NoteTooLong {
        chars: usize,
    },
    InTheFuture {
        minutes_ahead: i64,
    },
    OccurredAtOutOfRange {
        at: EpochMs,
    },
    /// The record is dated in a period whose form is due already.
    PeriodClosed {
        campaign: String,
        period: String,
        deadline: Date,
    },
    /// Time on an item that is closed or cancelled.
    ItemFinished {
        item_id: i64,
        status: ItemStatus,
    },
}

impl Refusal {
    /// The stable problem code (`api::ProblemCode` spells the same names).
    pub fn code(&self) -> &'static str {
        match self {
            Self::RoleDoesNotCount { .. } => "role_does_not_count",
            Self::UnknownIndicator { .. } => "unknown_indicator",
            Self::IndicatorTooLong { .. } => "indicator_too_long",
            Self::CountOutOfRange { .. } => "count_out_of_range",
            Self::SecondValueRequired { .. } => "second_value_required",
            Self::SecondValueNotTaken { .. } => "second_value_not_taken",
            Self::MinutesOutOfRange { .. } => "minutes_out_of_range",
            Self::DayOverfull { .. } => "day_overfull",
            Self::NoteTooLong { .. } => "note_too_long",
            Self::InTheFuture { .. } => "occurred_in_future",
            Self::OccurredAtOutOfRange { .. } => "occurred_at_out_of_range",
            Self::PeriodClosed { .. } => "period_closed",
            Self::ItemFinished { .. } => "item_finished",
        }
    }

    /// The request field the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::RoleDoesNotCount { .. } => "",
            Self::UnknownIndicator { .. } | Self::IndicatorTooLong { .. } => "indicator",
            Self::CountOutOfRange { field, .. } => field,
            Self::SecondValueRequired { .. } | Self::SecondValueNotTaken { .. } => "count2",
            Self::MinutesOutOfRange { .. } | Self::DayOverfull { .. } => "minutes",
            Self::NoteTooLong { .. } => "note",
            Self::InTheFuture { .. } | Self::OccurredAtOutOfRange { .. } | Self::PeriodClosed { .. } => {
                "occurred_at"
            }
            Self::ItemFinished { .. } => "item_id",
        }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RoleDoesNotCount { role } => write!(
                f,
                "a {} logs no work of their own on the forms; only lawyers, mediators, notaries and \
                 grassroots legal service workers log outcomes, time and activities — ask the one who did the work to log it",
                role.as_str()
            ),
            Self::UnknownIndicator { indicator, valid } => {
                write!(
                    f,
                    "no running campaign counts “{indicator}” from activities (work done on items counts from their outcomes); use one of: "
                )?;
                let list: Vec<String> = valid
                    .iter()
                    .map(|t| format!("{} ({} / {})", t.code, t.name_zh, t.name_en))
                    .collect();
                if list.is_empty() {
                    f.write_str("none — no campaign is running on that day")
                } else {
                    f.write_str(&list.join(", "))
                }
            }
            Self::IndicatorTooLong { chars } => write!(
                f,
                "an indicator code has at most {MAX_INDICATOR_CHARS} characters, this one {chars}; use a code the campaign lists"
            ),
            Self::CountOutOfRange { field, value, max } => write!(
                f,
                "{field} must be between 1 and {max}, got {value}; check the number, or split a larger one over several entries"
            ),
            Self::SecondValueRequired { indicator } => write!(
                f,
                "“{indicator}” is a two-valued row (e.g. sessions and attendees); give the second value as count2"
            ),
            Self::SecondValueNotTaken { indicator } => {
                write!(f, "“{indicator}” has one value; leave count2 out")
            }
            Self::MinutesOutOfRange { value, max } => write!(
                f,
                "minutes must be between 1 and {max} per entry, got {value}; log a long day as several entries"
            ),
            Self::DayOverfull { day, logged, adding } => write!(
                f,
                "{logged} minutes are logged for {day} already; {adding} more would pass 24 hours — check the minutes (or the date) of this entry"
            ),
            Self::NoteTooLong { chars } => write!(
                f,
                "a note holds at most {MAX_NOTE_CHARS} characters, this one has {chars}; shorten or split it"
            ),
            Self::InTheFuture { minutes_ahead } => write!(
                f,
                "the record is dated {minutes_ahead} minutes in the future; log work once it is done, and check this computer's clock"
            ),
            Self::OccurredAtOutOfRange { at } => write!(
                f,
                "occurred_at {at} is not a plausible time; send milliseconds since 1970 (UTC)"
            ),
            Self::PeriodClosed {
                campaign,
                period,
                deadline,
            } => write!(
                f,
                "the period {period} of {campaign} was due on {deadline} and is closed; log the work in the current period \
                 with its real date in the note, or ask your unit's coordinator to reopen {period}"
            ),
            Self::ItemFinished { item_id, status } => write!(
                f,
                "item {item_id} is {} and takes no more time; log time before the outcome, or with the outcome's minutes",
                status.as_str()
            ),
        }
    }
}

impl std::error::Error for Refusal {}

/// Who may count work: the roles that do it, each for themselves. Operators,
/// coordinators and admins run the service and log nothing of their own.
pub fn may_count(role: Role) -> Result<(), Refusal> {
    if role.takes_work() {
        Ok(())
    } else {
        Err(Refusal::RoleDoesNotCount { role })
    }
}

/// An indicator a stand-alone activity may be logged against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityTarget {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Needs a second value (sessions / attendees).
    pub two_valued: bool,
    /// The most one activity may add to each value.
    pub max_count: i64,
}

impl ActivityTarget {
    /// Several campaigns may count one code: the strictest cap wins, and a
    /// second value is needed if any of them has one.
    pub fn merge(targets: Vec<ActivityTarget>) -> Vec<ActivityTarget> {
        let mut out: Vec<ActivityTarget> = Vec::new();
        for t in targets {
            match out.iter_mut().find(|o| o.code == t.code) {
                Some(o) => {
                    o.two_valued |= t.two_valued;
                    o.max_count = o.max_count.min(t.max_count);
                }
                None => out.push(t),
            }
        }
        out
    }
}

/// Whether the campaign runs on the day `at` falls on, in its zone.
pub fn runs_on(def: &CampaignDef, at: EpochMs) -> bool {
    let day = local_date(def, at);
    def.starts_on <= day && day <= def.ends_on
}

/// The indicators that campaigns running at `at` count from activities.
pub fn activity_targets<'a>(
    defs: impl IntoIterator<Item = &'a CampaignDef>,
    at: EpochMs,
) -> Vec<ActivityTarget> {
    let mut all = Vec::new();
    for def in defs.into_iter().filter(|d| runs_on(d, at)) {
        for rule in &def.rules {
            let Rule::Activity { indicators } = rule else {
                continue;
            };
            for code in indicators {
                if let Some(ind) = def.indicator(code) {
                    all.push(ActivityTarget {
                        code: ind.code.clone(),
                        name_zh: ind.name_zh.clone(),
                        name_en: ind.name_en.clone(),
                        two_valued: ind.two_valued(),
                        max_count: ind.max_count(),
                    });
                }
            }
        }
    }
    ActivityTarget::merge(all)
}

/// A note, when given, is not longer than [`MAX_NOTE_CHARS`].
pub fn check_note(note: Option<&str>) -> Result<(), Refusal> {
    let chars = note.map(|n| n.chars().count()).unwrap_or(0);
    if chars > MAX_NOTE_CHARS {
        return Err(Refusal::NoteTooLong { chars });
    }
    Ok(())
}

/// A record's time is not ahead of `now` (by more than clock skew) and not absurdly early.
pub fn check_occurred_at(at: EpochMs, now: EpochMs) -> Result<(), Refusal> {
    if at < EARLIEST_MS {
        return Err(Refusal::OccurredAtOutOfRange { at });
    }
    if at > now.saturating_add(MAX_AHEAD_MS) {
        let minutes_ahead = (at.saturating_sub(now)) / MINUTE_MS;
        return Err(Refusal::InTheFuture { minutes_ahead });
    }
    Ok(())
}

/// Minutes of one entry: 1..=[`MAX_MINUTES_PER_ENTRY`], or up to the
/// shift's own length for a duty shift's check-out.
pub fn check_minutes(minutes: i64, shift_minutes: Option<i64>) -> Result<(), Refusal> {
    let max = shift_minutes.map_or(MAX_MINUTES_PER_ENTRY, |s| {
        s.clamp(MAX_MINUTES_PER_ENTRY, MAX_MINUTES_PER_DAY)
    });
    if !(1..=max).contains(&minutes) {
        return Err(Refusal::MinutesOutOfRange { value: minutes, max });
    }
    Ok(())
}

/// The day's total with this entry stays within 24 hours.
pub fn check_day_total(day: Date, logged: i64, adding: i64) -> Result<(), Refusal> {
    if logged.saturating_add(adding) > MAX_MINUTES_PER_DAY {
        return Err(Refusal::DayOverfull { day, logged, adding });
    }
    Ok(())
}

/// Time goes only on items still open or waiting (a no-show session's
/// wait counts): not on closed or cancelled ones.
pub fn check_item_takes_time(item_id: i64, status: ItemStatus) -> Result<(), Refusal> {
    if matches!(status, ItemStatus::Closed | ItemStatus::Cancelled) {
        return Err(Refusal::ItemFinished { item_id, status });
    }
    Ok(())
}

/// What an activity carries, as typed.
#[derive(Debug, Clone, Copy)]
pub struct ActivityInput<'a> {
    pub indicator: &'a str,
    pub count: i64,
    pub count2: Option<i64>,
    pub note: Option<&'a str>,
    pub occurred_at: EpochMs,
}

/// Checks an activity against the indicators running campaigns count from
/// activities at its time (see [`activity_targets`]).
pub fn check_activity(
    a: &ActivityInput<'_>,
    targets: &[ActivityTarget],
    now: EpochMs,
) -> Result<(), Refusal> {
    check_note(a.note)?;
    let indicator = a.indicator.trim();
    let chars = indicator.chars().count();
    if chars > MAX_INDICATOR_CHARS {
        return Err(Refusal::IndicatorTooLong { chars });
    }
    check_occurred_at(a.occurred_at, now)?;
    let Some(target) = targets.iter().find(|t| t.code == indicator) else {
        return Err(Refusal::UnknownIndicator {
            indicator: indicator.to_string(),
            valid: targets.to_vec(),
        });
    };
    let max = target.max_count;
    if !(1..=max).contains(&a.count) {
        return Err(Refusal::CountOutOfRange {
            field: "count",
            value: a.count,
            max,
        });
    }
    match (target.two_valued, a.count2) {
        (true, None) => {
            return Err(Refusal::SecondValueRequired {
                indicator: indicator.to_string(),
            });
        }
        (false, Some(_)) => {
            return Err(Refusal::SecondValueNotTaken {
                indicator: indicator.to_string(),
            });
        }
        (true, Some(v)) if !(1..=max).contains(&v) => {
            return Err(Refusal::CountOutOfRange {
                field: "count2",
                value: v,
                max,
            });
        }
        _ => {}
    }
    Ok(())
}

/// Refuses a record that would add to a campaign's period whose form is
/// due already (closed): a filed form's numbers never change except by
/// `admin stats rebuild`. A campaign the record adds nothing to is no matter.
pub fn check_periods_open<'a>(
    defs: impl IntoIterator<Item = &'a CampaignDef>,
    fact: &RecordFact,
    now: EpochMs,
) -> Result<(), Refusal> {
    for def in defs {
        if contributions(def, fact).is_empty() {
            continue;
        }
        check_period_open(def, fact.occurred_at, now)?;
    }
    Ok(())
}

/// The period `at` falls in, in this campaign, is still open at `now`.
pub fn check_period_open(def: &CampaignDef, at: EpochMs, now: EpochMs) -> Result<(), Refusal> {
    let period = period_of(def, at);
    if now >= due_by(def, &period) {
        return Err(Refusal::PeriodClosed {
            campaign: def.id.clone(),
            period: period.label(),
            deadline: period.deadline,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::campaign::{SHIPPED, parse_definition};

    fn defs() -> Vec<CampaignDef> {
        SHIPPED
            .iter()
            .map(|(_, s)| parse_definition(s).unwrap())
            .collect()
    }

    fn beijing(y: i16, m: i8, d: i8, h: i8) -> EpochMs {
        let tz = crate::domain::clock::shanghai();
        tz.to_timestamp(jiff::civil::date(y, m, d).at(h, 0, 0, 0))
            .unwrap()
            .as_millisecond()
    }

    fn input(indicator: &str, count: i64, count2: Option<i64>, at: EpochMs) -> ActivityInput<'_> {
        ActivityInput {
            indicator,
            count,
            count2,
            note: None,
            occurred_at: at,
        }
    }

    #[test]
    fn only_working_roles_count() {
        assert!(may_count(Role::Lawyer).is_ok() && may_count(Role::Mediator).is_ok());
        for r in [Role::Operator, Role::Coordinator, Role::Admin] {
            assert_eq!(may_count(r).unwrap_err().code(), "role_does_not_count");
        }
    }

    #[test]
    fn activities_only_against_rows_counted_from_activities() {
        let defs = defs();
        let at = beijing(2026, 4, 10, 10);
        let targets = activity_targets(&defs, at);
        assert!(targets.iter().any(|t| t.code == "enterprises_visited"));
        // Counted from tickets, not typed in.
        for code in [
            "consultations",
            "walk_in_consultations",
            "remote_consultations",
            "foo",
        ] {
            let err = check_activity(&input(code, 1, None, at), &targets, at).unwrap_err();
            assert_eq!(err.code(), "unknown_indicator", "{code}");
            assert!(
                err.to_string()
                    .contains("enterprises_visited (走访企业 / Enterprises visited)")
            );
        }
        // Outside every campaign's dates nothing is counted.
        let early = beijing(2026, 2, 10, 10);
        assert!(activity_targets(&defs, early).is_empty());
    }

    #[test]
    fn counts_and_second_values() {
        let defs = defs();
        let at = beijing(2026, 4, 10, 10);
        let t = activity_targets(&defs, at);
        let code = |i: ActivityInput<'_>| check_activity(&i, &t, at).map_err(|e| e.code());
        assert_eq!(
            code(input("contact_cards", 0, None, at)),
            Err("count_out_of_range")
        );
        assert_eq!(
            code(input("contact_cards", 10_001, None, at)),
            Err("count_out_of_range")
        );
        assert_eq!(code(input("contact_cards", 10_000, None, at)), Ok(()));
        assert_eq!(
            code(input("trainings", 1, None, at)),
            Err("second_value_required")
        );
        assert_eq!(
            code(input("trainings", 1, Some(0), at)),
            Err("count_out_of_range")
        );
        assert_eq!(code(input("trainings", 1, Some(30), at)), Ok(()));
        assert_eq!(
            code(input("contact_cards", 1, Some(3), at)),
            Err("second_value_not_taken")
        );
        // Two-valued on form 2, one value on form 1: the second value is needed.
        assert_eq!(
            code(input("petition_reception", 1, None, at)),
            Err("second_value_required")
        );
        let long = "x".repeat(65);
        assert_eq!(code(input(&long, 1, None, at)), Err("indicator_too_long"));
        let note = "字".repeat(MAX_NOTE_CHARS + 1);
        let with_note = ActivityInput {
            note: Some(&note),
            ..input("contact_cards", 1, None, at)
        };
        assert_eq!(code(with_note), Err("note_too_long"));
    }

    #[test]
    fn time_limits() {
        assert!(check_minutes(720, None).is_ok());
        assert_eq!(
            check_minutes(721, None).unwrap_err().code(),
            "minutes_out_of_range"
        );
        assert_eq!(check_minutes(0, None).unwrap_err().code(), "minutes_out_of_range");
        // A 16-hour duty shift's check-out may log the whole shift.
        assert!(check_minutes(960, Some(960)).is_ok());
        let day = jiff::civil::date(2026, 4, 10);
        assert!(check_day_total(day, 1000, 440).is_ok());
        assert_eq!(
            check_day_total(day, 1000, 441).unwrap_err().code(),
            "day_overfull"
        );
        assert!(check_item_takes_time(1, ItemStatus::NoShow).is_ok());
        assert_eq!(
            check_item_takes_time(1, ItemStatus::Cancelled)
                .unwrap_err()
                .code(),
            "item_finished"
        );
    }

    #[test]
    fn dates() {
        let now = beijing(2026, 4, 10, 10);
        assert!(check_occurred_at(now + MAX_AHEAD_MS, now).is_ok());
        assert_eq!(
            check_occurred_at(now + MAX_AHEAD_MS + 1, now).unwrap_err().code(),
            "occurred_in_future"
        );
        assert_eq!(
            check_occurred_at(i64::MAX, now).unwrap_err().code(),
            "occurred_in_future"
        );
        assert_eq!(
            check_occurred_at(i64::MIN, now).unwrap_err().code(),
            "occurred_at_out_of_range"
        );
        let defs = defs();
        let form1 = &defs[0];
        // 1–15 April is due on the 16th: open through the 16th, closed on the 17th.
        let early_april = beijing(2026, 4, 3, 10);
        assert!(check_period_open(form1, early_april, beijing(2026, 4, 16, 23)).is_ok());
        let err = check_period_open(form1, early_april, beijing(2026, 4, 17, 0)).unwrap_err();
        assert_eq!(err.code(), "period_closed");
        let text = err.to_string();
        assert!(
            text.contains("2026-04-01..2026-04-15") && text.contains("coordinator"),
            "{text}"
        );
    }
}
