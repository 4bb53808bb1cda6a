//! Reporting periods, counted in the campaign's zone: a record at 23:30 on
//! the 15th Beijing time is in the first half-month although it is 15:30 UTC.

use jiff::Timestamp;
use jiff::civil::Date;

use super::definition::{Cadence, CampaignDef};
use crate::domain::EpochMs;

/// One reporting period: `start..=end`, due on `deadline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Period {
    pub start: Date,
    pub end: Date,
    pub deadline: Date,
}

impl Period {
    /// `YYYY-MM-DD..YYYY-MM-DD`, as `--period` and `?period=` take it.
    pub fn label(&self) -> String {
        format!("{}..{}", self.start, self.end)
    }

    /// Still to be filed: the deadline day has not passed.
    pub fn is_open(&self, today: Date) -> bool {
        today <= self.deadline
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("“{0}” is not a period; write YYYY-MM-DD..YYYY-MM-DD, e.g. 2026-03-01..2026-03-15")]
    Malformed(String),
    #[error("{0} is not a period of this campaign; its periods run {1}")]
    NotAPeriod(String, String),
}

/// The calendar day of an instant in the campaign's zone.
pub fn local_date(def: &CampaignDef, at: EpochMs) -> Date {
    // Out-of-range instants (far beyond year 9999) clamp to the nearest end
    // rather than fail: a record's time was checked when it was stored.
    let ts = Timestamp::from_millisecond(at).unwrap_or(if at < 0 { Timestamp::MIN } else { Timestamp::MAX });
    def.timezone.to_datetime(ts).date()
}

/// The period a calendar day falls in.
pub fn period_containing(cadence: Cadence, day: Date) -> Period {
    let first = day.first_of_month();
    let last = day.last_of_month();
    // The 1st of the next month; saturating at the end of the calendar.
    let next_first = last.tomorrow().unwrap_or(last);
    match cadence {
        Cadence::HalfMonthly if day.day() <= 15 => Period {
            start: first,
            end: first.with().day(15).build().unwrap_or(last),
            deadline: first.with().day(16).build().unwrap_or(last),
        },
        Cadence::HalfMonthly => Period {
            start: first.with().day(16).build().unwrap_or(first),
            end: last,
            deadline: next_first,
        },
        Cadence::Monthly { deadline_day } => Period {
            start: first,
            end: last,
            // deadline_day is 1..=28, which every month has.
            deadline: next_first.with().day(deadline_day).build().unwrap_or(next_first),
        },
    }
}

/// The instant a period's form is late: the end of its deadline day in the
/// campaign's zone (the form is due *on* that day). For countdowns.
pub fn due_by(def: &CampaignDef, p: &Period) -> EpochMs {
    let day_after = p.deadline.tomorrow().unwrap_or(p.deadline);
    def.timezone
        .to_timestamp(day_after.to_datetime(jiff::civil::Time::midnight()))
        .map(|t| t.as_millisecond())
        // Only fails at the end of the calendar (year 9999).
        .unwrap_or(EpochMs::MAX)
}

/// The period an instant belongs to, in the campaign's zone.
pub fn period_of(def: &CampaignDef, at: EpochMs) -> Period {
    period_containing(def.cadence, local_date(def, at))
}

/// The period running now (`now` is passed in: the domain reads no clock).
pub fn current(def: &CampaignDef, now: EpochMs) -> Period {
    period_of(def, now)
}

/// The period before `p`.
pub fn previous(def: &CampaignDef, p: &Period) -> Period {
    period_containing(def.cadence, p.start.yesterday().unwrap_or(p.start))
}

/// The period after `p`.
pub fn next(def: &CampaignDef, p: &Period) -> Period {
    period_containing(def.cadence, p.end.tomorrow().unwrap_or(p.end))
}

/// Every period that overlaps the campaign's dates, oldest first, each with
/// whether it is still open on `now`'s day.
pub fn periods(def: &CampaignDef, now: EpochMs) -> Vec<(Period, bool)> {
    let today = local_date(def, now);
    let mut out = Vec::new();
    let mut p = period_containing(def.cadence, def.starts_on);
    while p.start <= def.ends_on {
        out.push((p, p.is_open(today)));
        let n = next(def, &p);
        if n == p {
            break;
        }
        p = n;
    }
    out
}

/// Parses `YYYY-MM-DD..YYYY-MM-DD` and checks it is one of the cadence's periods.
pub fn parse_period(def: &CampaignDef, text: &str) -> Result<Period, PeriodError> {
    let malformed = || PeriodError::Malformed(text.trim().to_string());
    let (a, b) = text.trim().split_once("..").ok_or_else(malformed)?;
    let start: Date = a.trim().parse().map_err(|_| malformed())?;
    let end: Date = b.trim().parse().map_err(|_| malformed())?;
    let p = period_containing(def.cadence, start);
    if p.start != start || p.end != end {
        let shape = match def.cadence {
            Cadence::HalfMonthly => "from the 1st to the 15th and from the 16th to the month's end",
            Cadence::Monthly { .. } => "from the 1st to the month's end",
        };
        return Err(PeriodError::NotAPeriod(
            text.trim().to_string(),
            shape.to_string(),
        ));
    }
    Ok(p)
}
