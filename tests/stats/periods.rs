use dutydesk::domain::EpochMs;
use dutydesk::domain::campaign::period::{current, next, periods, previous};
use dutydesk::domain::campaign::{CampaignDef, Period, PeriodError, parse_period, period_of};
use jiff::Timestamp;
use jiff::civil::{Date, date};

use super::shipped;

fn utc(text: &str) -> EpochMs {
    text.parse::<Timestamp>().unwrap().as_millisecond()
}

fn half() -> CampaignDef {
    shipped("form1-enterprise-service")
}

fn monthly() -> CampaignDef {
    shipped("form2-legal-aid")
}

fn p(start: Date, end: Date, deadline: Date) -> Period {
    Period { start, end, deadline }
}

#[test]
fn late_on_the_15th_in_beijing_is_still_the_first_half() {
    // 23:30 on the 15th in Beijing is 15:30 UTC the same day.
    let at = utc("2026-04-15T15:30:00Z");
    assert_eq!(
        period_of(&half(), at),
        p(date(2026, 4, 1), date(2026, 4, 15), date(2026, 4, 16))
    );
}

#[test]
fn ten_past_midnight_on_the_16th_in_beijing_is_the_second_half() {
    // 00:10 on the 16th in Beijing is 16:10 UTC on the 15th.
    let at = utc("2026-04-15T16:10:00Z");
    assert_eq!(
        period_of(&half(), at),
        p(date(2026, 4, 16), date(2026, 4, 30), date(2026, 5, 1))
    );
}

#[test]
fn month_ends_including_february_and_a_leap_year() {
    let def = half();
    // 2025: February has 28 days; 2024 is a leap year.
    let feb25 = period_of(&def, utc("2025-02-28T15:59:59Z"));
    assert_eq!(feb25, p(date(2025, 2, 16), date(2025, 2, 28), date(2025, 3, 1)));
    let mar25 = period_of(&def, utc("2025-02-28T16:00:00Z"));
    assert_eq!(mar25, p(date(2025, 3, 1), date(2025, 3, 15), date(2025, 3, 16)));
    let feb24 = period_of(&def, utc("2024-02-29T12:00:00Z"));
    assert_eq!(feb24, p(date(2024, 2, 16), date(2024, 2, 29), date(2024, 3, 1)));
    // The year's last half-month is due on New Year's Day.
    let dec = period_of(&def, utc("2026-12-31T15:00:00Z"));
    assert_eq!(dec, p(date(2026, 12, 16), date(2026, 12, 31), date(2027, 1, 1)));
    let jan = period_of(&def, utc("2026-12-31T16:00:00Z"));
    assert_eq!(jan.start, date(2027, 1, 1));
}

#[test]
fn monthly_periods_are_due_on_the_deadline_day_of_the_next_month() {
    let def = monthly();
    let feb24 = period_of(&def, utc("2024-02-29T15:59:00Z"));
    assert_eq!(feb24, p(date(2024, 2, 1), date(2024, 2, 29), date(2024, 3, 23)));
    let feb25 = period_of(&def, utc("2025-02-10T00:00:00Z"));
    assert_eq!(feb25, p(date(2025, 2, 1), date(2025, 2, 28), date(2025, 3, 23)));
    let dec = period_of(&def, utc("2026-12-05T00:00:00Z"));
    assert_eq!(dec.deadline, date(2027, 1, 23));
    // Midnight of the 1st in Beijing is still the previous day in UTC.
    let may = period_of(&def, utc("2026-04-30T16:00:00Z"));
    assert_eq!(may.start, date(2026, 5, 1));
}

#[test]
fn current_previous_and_next() {
    let def = half();
    let now = utc("2026-05-03T02:00:00Z");
    let cur = current(&def, now);
    assert_eq!(cur.start, date(2026, 5, 1));
    let prev = previous(&def, &cur);
    assert_eq!(prev, p(date(2026, 4, 16), date(2026, 4, 30), date(2026, 5, 1)));
    assert_eq!(previous(&def, &prev).start, date(2026, 4, 1));
    assert_eq!(next(&def, &prev), cur);
    assert_eq!(next(&def, &cur).start, date(2026, 5, 16));
}

#[test]
fn the_campaign_lists_its_periods_with_open_flags() {
    let def = half();
    // 2026-03-01 .. 2026-12-31: ten months, two halves each.
    let now = utc("2026-05-01T03:00:00Z"); // 11:00 on 1 May in Beijing
    let list = periods(&def, now);
    assert_eq!(list.len(), 20);
    assert_eq!(list[0].0.start, date(2026, 3, 1));
    assert_eq!(list[19].0.end, date(2026, 12, 31));
    let open_from = list.iter().position(|(_, open)| *open).unwrap();
    // The second half of April is due today, so it is still open.
    assert_eq!(list[open_from].0.start, date(2026, 4, 16));
    assert!(list[..open_from].iter().all(|(_, open)| !open));
    assert!(list[open_from..].iter().all(|(_, open)| *open));

    let monthly = periods(&monthly(), now);
    assert_eq!(monthly.len(), 10);
    // March was due on 23 April: closed; April is due on 23 May: open.
    assert!(!monthly[0].1 && monthly[1].1);
}

#[test]
fn periods_parse_from_their_label_and_nothing_else() {
    let def = half();
    let first = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    assert_eq!(first.deadline, date(2026, 4, 16));
    assert_eq!(first.label(), "2026-04-01..2026-04-15");
    let second = parse_period(&def, " 2024-02-16..2024-02-29 ").unwrap();
    assert_eq!(second.deadline, date(2024, 3, 1));
    assert!(matches!(
        parse_period(&def, "2026-04-01..2026-04-30"),
        Err(PeriodError::NotAPeriod(..))
    ));
    assert!(matches!(
        parse_period(&def, "2024-02-16..2024-02-28"),
        Err(PeriodError::NotAPeriod(..))
    ));
    assert!(matches!(
        parse_period(&def, "April"),
        Err(PeriodError::Malformed(_))
    ));
    assert!(matches!(
        parse_period(&def, "2026-04-01..soon"),
        Err(PeriodError::Malformed(_))
    ));
    let err = parse_period(&def, "2026-04-02..2026-04-15")
        .unwrap_err()
        .to_string();
    assert!(err.contains("1st to the 15th"), "{err}");
    assert!(parse_period(&monthly(), "2026-04-01..2026-04-30").is_ok());
}

/// The zone comes from the copy bundled into the binary when the machine
/// has no zoneinfo: run this binary again with TZDIR at an empty folder.
#[test]
fn beijing_time_without_the_systems_zoneinfo() {
    if std::env::var_os("DUTYDESK_TZ_CHILD").is_some() {
        let at = utc("2026-04-15T16:10:00Z");
        assert_eq!(period_of(&half(), at).start, date(2026, 4, 16));
        return;
    }
    let empty = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "periods::beijing_time_without_the_systems_zoneinfo",
            "--nocapture",
        ])
        .env("DUTYDESK_TZ_CHILD", "1")
        .env("TZDIR", empty.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && text.contains("1 passed"),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(jiff::tz::TimeZoneDatabase::bundled().get("Asia/Shanghai").is_ok());
}

#[test]
fn a_form_is_late_after_its_deadline_day_ends_in_beijing() {
    use dutydesk::domain::campaign::period::due_by;
    let def = half();
    let first = parse_period(&def, "2026-04-01..2026-04-15").unwrap();
    // Due on the 16th: late from midnight on the 17th Beijing time = 16:00 UTC on the 16th.
    assert_eq!(due_by(&def, &first), utc("2026-04-16T16:00:00Z"));
    let list = dutydesk::api::PeriodList::of(&def, utc("2026-04-16T15:59:00Z"));
    assert_eq!(list.campaign_id, "form1-enterprise-service");
    let april = list.periods.iter().find(|p| p.start == "2026-04-01").unwrap();
    assert!(april.open, "still open on the deadline day");
    assert_eq!(april.deadline, "2026-04-16");
    assert_eq!(april.due_by, utc("2026-04-16T16:00:00Z"));
    let later = dutydesk::api::PeriodList::of(&def, utc("2026-04-16T16:00:00Z"));
    assert!(
        !later
            .periods
            .iter()
            .find(|p| p.start == "2026-04-01")
            .unwrap()
            .open
    );
}
