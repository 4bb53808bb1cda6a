//! The Stats screen: snapshots in both languages and sizes, and its keys:
//! periods, scope, campaigns and export, pure `update` in and out.

use crossterm::event::KeyCode;
use dutydesk::api::StatsScope;
use dutydesk::tui::model::ExportState;
use dutydesk::tui::{Command, Message, Model, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixtures::{self, HOUR, NOW, lang};
use crate::stats_fixtures::{self as sf, on_stats};
use crate::{press, render};

const DAY: i64 = 24 * HOUR;

type Setup = fn(&mut Model);

const CASES: &[(&str, Setup)] = &[
    ("stats", on_stats),
    ("stats_near_deadline", |m| {
        on_stats(m);
        // 11-30 10:00 in Beijing: the form is due by the end of 12-01.
        update(m, Message::Tick(NOW + 6 * DAY));
    }),
    ("stats_export_done", |m| {
        on_stats(m);
        press(m, KeyCode::Char('e'));
        press(m, KeyCode::Char('x'));
        update(
            m,
            Message::ExportDone {
                path: "/home/wang/文档/双促双助统计表-2026-11-16.xlsx".into(),
            },
        );
    }),
    ("stats_help", |m| {
        on_stats(m);
        press(m, KeyCode::Char('?'));
    }),
];

#[test]
fn stats_screen_in_both_languages_and_sizes() {
    crate::snapshots::each_case_in_both_languages_and_sizes!(CASES, fixtures::model, lang, render);
}

fn fetched(cmd: Option<Command>) -> (String, Option<(String, String)>, StatsScope) {
    match cmd {
        Some(Command::FetchStats {
            campaign_id,
            period,
            scope,
            ..
        }) => (campaign_id, period, scope),
        other => panic!("expected FetchStats, got {other:?}"),
    }
}

fn period(a: &str, b: &str) -> Option<(String, String)> {
    Some((a.into(), b.into()))
}

#[test]
fn opening_stats_asks_for_campaigns_then_the_current_period_of_mine() {
    let _l = lang("en");
    let mut m = fixtures::model();
    assert_eq!(press(&mut m, KeyCode::Char('5')), Some(Command::FetchCampaigns));
    assert!(render(&mut m, 80, 24).contains("Loading…"));
    let (id, p, scope) = fetched(update(&mut m, sf::campaigns()));
    assert_eq!(
        (id.as_str(), p, scope),
        ("form1-enterprise-service", None, StatsScope::Me)
    );
    // Back again later: the campaigns are known, the form is asked at once.
    press(&mut m, KeyCode::Char('1'));
    assert!(matches!(
        press(&mut m, KeyCode::Char('5')),
        Some(Command::FetchStats { .. })
    ));
}

#[test]
fn period_keys_step_through_the_campaigns_periods_and_drop_stale_answers() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    let (_, p, _) = fetched(press(&mut m, KeyCode::Left));
    assert_eq!(p, period("2026-11-01", "2026-11-15"));
    // The answer for the period shown before arrives late: ignored.
    update(&mut m, sf::loaded_at(NOW, StatsScope::Me));
    update(&mut m, sf::loaded_at(NOW - 10 * DAY, StatsScope::Me));
    assert!(render(&mut m, 80, 24).contains("2026-11-01 to 2026-11-15 (closed)"));
    update(&mut m, sf::loaded_at(NOW, StatsScope::Me));
    assert!(render(&mut m, 80, 24).contains("2026-11-01 to 2026-11-15"));
    let (_, p, _) = fetched(press(&mut m, KeyCode::Char(']')));
    assert_eq!(p, period("2026-11-16", "2026-11-30"));
    update(&mut m, sf::loaded_at(NOW, StatsScope::Me));
    let (_, p, _) = fetched(press(&mut m, KeyCode::Right));
    assert_eq!(p, period("2026-12-01", "2026-12-15"));
}

#[test]
fn there_is_no_period_before_the_campaigns_first() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    // 2026-03-05: the campaign's first half-month.
    update(&mut m, sf::loaded_at(NOW - 264 * DAY, StatsScope::Me));
    assert_eq!(press(&mut m, KeyCode::Left), None);
    let (_, p, _) = fetched(press(&mut m, KeyCode::Right));
    assert_eq!(p, period("2026-03-16", "2026-03-31"));
}

#[test]
fn scope_keys_switch_between_mine_and_my_unit() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    on_stats(&mut m);
    let (_, p, scope) = fetched(press(&mut m, KeyCode::Char('u')));
    assert_eq!((p, scope), (None, StatsScope::Unit));
    assert_eq!(press(&mut m, KeyCode::Char('u')), None, "already my unit");
    update(&mut m, sf::loaded_at(NOW, StatsScope::Unit));
    assert!(render(&mut m, 80, 24).contains("│ 本单位"));
    let (_, _, scope) = fetched(press(&mut m, KeyCode::Char('m')));
    assert_eq!(scope, StatsScope::Me);
    assert!(render(&mut m, 80, 24).contains("│ 本人"));
    // A form of my unit answering late is not taken for mine.
    press(&mut m, KeyCode::Char('u'));
    update(&mut m, sf::loaded_at(NOW - 10 * DAY, StatsScope::Me));
    let shown = m.stats.form.as_ref().map(|f| f.period.start.clone());
    assert_eq!(shown.as_deref(), Some("2026-11-16"));
}

#[test]
fn campaign_key_cycles_the_campaigns_from_their_current_period() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    let (id, p, _) = fetched(press(&mut m, KeyCode::Char('c')));
    assert_eq!((id.as_str(), p), ("form2-legal-aid", None));
    assert!(render(&mut m, 80, 24).contains("Loading…"));
    let (id, _, _) = fetched(press(&mut m, KeyCode::Tab));
    assert_eq!(id, "form1-enterprise-service");
}

#[test]
fn export_asks_for_a_format_then_emits_the_shown_form_and_reports_the_result() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    assert!(render(&mut m, 80, 24).contains("e: export to CSV or XLSX"));
    assert_eq!(press(&mut m, KeyCode::Char('e')), None);
    assert!(render(&mut m, 80, 24).contains("Export as: c CSV"));
    match press(&mut m, KeyCode::Char('c')) {
        Some(Command::ExportStats { format, form }) => {
            assert_eq!(format, dutydesk::report::Format::Csv);
            assert_eq!(Some(&*form), m.stats.form.as_ref());
        }
        other => panic!("expected ExportStats, got {other:?}"),
    }
    assert!(render(&mut m, 80, 24).contains("Exporting CSV…"));
    update(
        &mut m,
        Message::ExportFailed {
            message: "/mnt/u: permission denied".into(),
        },
    );
    assert!(render(&mut m, 80, 24).contains("Export failed: /mnt/u: permission denied"));
    // Any key but c or x cancels, and does nothing else.
    press(&mut m, KeyCode::Char('e'));
    assert_eq!(press(&mut m, KeyCode::Char('q')), None);
    assert_eq!(m.stats.export, ExportState::Idle);
    assert!(!m.quitting);
}

#[test]
fn nothing_to_export_before_a_form_is_shown() {
    let _l = lang("en");
    let mut m = fixtures::model();
    press(&mut m, KeyCode::Char('5'));
    assert_eq!(press(&mut m, KeyCode::Char('e')), None);
    assert_eq!(m.stats.export, ExportState::Idle);
}

#[test]
fn unsent_records_are_shown_apart_from_the_confirmed_totals() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    let screen = render(&mut m, 120, 40);
    assert!(screen.contains("2 record(s) not sent yet"), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.starts_with("Legal consultations"))
        .expect("consultations row");
    // 46 + 8 + 31 confirmed; the unsent one only under Pending.
    assert!(row.contains(" 85 ") && row.contains(" +1 "), "{row}");
    let money = screen
        .lines()
        .find(|l| l.starts_with("Enterprise losses recovered"))
        .expect("money row");
    assert!(
        money.contains("12.35") && money.contains("15.91") && money.contains("+0.80"),
        "{money}"
    );
}

/// The style of the first cell of `needle` on screen.
fn style_of(m: &mut Model, needle: &str) -> Option<ratatui::style::Style> {
    update(m, Message::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal.draw(|f| view(m, f)).expect("draw");
    let buf = terminal.backend().buffer();
    let first = needle.chars().next()?.to_string();
    for y in 0..24 {
        let line: String = (0..80).map(|x| buf[(x, y)].symbol()).collect();
        if let Some(at) = line.find(needle) {
            let x = line[..at].chars().count() as u16;
            assert_eq!(buf[(x, y)].symbol(), first);
            return Some(buf[(x, y)].style());
        }
    }
    None
}

#[test]
fn the_countdown_warns_in_the_last_two_days_only() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    let calm = style_of(&mut m, "Next deadline 12-01: 7d 14h left").expect("countdown");
    assert_ne!(calm.add_modifier, m.theme.deadline_near().add_modifier);
    // 12-01 ends at 12-02 00:00 Beijing; two days before it the warning starts.
    update(&mut m, Message::Tick(NOW + 5 * DAY + 14 * HOUR));
    let near = style_of(&mut m, "Due soon: 12-01, 2d 0h left").expect("warning");
    let want = m.theme.deadline_near();
    assert_eq!(
        (near.fg, near.bg, near.add_modifier),
        (want.fg, want.bg, want.add_modifier)
    );
    // After the deadline the next one counts down.
    update(&mut m, Message::Tick(NOW + 8 * DAY));
    assert!(render(&mut m, 80, 24).contains("Next deadline 12-16"));
}

#[test]
fn a_form_longer_than_the_screen_scrolls_and_says_what_is_below() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    on_stats(&mut m);
    fetched(press(&mut m, KeyCode::Char('c')));
    update(&mut m, sf::loaded_form2());
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("法律援助统计表 (2/2)"), "{screen}");
    assert!(screen.contains("↓ 还有 4 行"), "{screen}");
    assert!(!screen.contains("免收法律服务费"), "{screen}");
    for _ in 0..10 {
        press(&mut m, KeyCode::Down);
    }
    let screen = render(&mut m, 80, 24);
    assert!(
        screen.contains("免收法律服务费") && !screen.contains("还有"),
        "{screen}"
    );
    // Scrolled no further than needed: one step up shows "more" again.
    press(&mut m, KeyCode::Up);
    assert!(render(&mut m, 80, 24).contains("↓ 还有 1 行"));
    // Tall enough, everything shows.
    assert!(!render(&mut m, 120, 40).contains("还有"));
}

#[test]
fn ascii_borders_draw_bars_and_hours_without_block_characters() {
    let _l = lang("en");
    let over: toml::Table = "borders = \"ascii\"".parse().expect("toml");
    let mut m = fixtures::model();
    m.theme = dutydesk::tui::theme::Theme::load("default", Some(&over), false).expect("theme");
    on_stats(&mut m);
    let screen = render(&mut m, 80, 24);
    assert!(!screen.contains('█') && !screen.contains('▃'), "{screen}");
    let row = screen
        .lines()
        .find(|l| l.starts_with("Legal consultations"))
        .expect("row");
    assert!(row.ends_with("########"), "{row}");
    let hours = screen
        .lines()
        .find(|l| l.starts_with("My hours/day "))
        .expect("hours");
    assert!(hours.contains('#'), "{hours}");
}

#[test]
fn switching_period_keeps_the_old_numbers_marked_as_loading() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_stats(&mut m);
    assert!(!render(&mut m, 80, 24).contains("Loading"));
    press(&mut m, KeyCode::Left);
    let screen = render(&mut m, 80, 24);
    assert!(
        screen.contains("Loading…") && screen.contains("2026-11-16"),
        "{screen}"
    );
    update(&mut m, sf::loaded_at(NOW - 10 * DAY, StatsScope::Me));
    assert!(!render(&mut m, 80, 24).contains("Loading"));
}

#[test]
fn unsent_records_count_by_the_campaigns_rules_in_their_period_only() {
    use dutydesk::domain::campaign::{RecordFact, RecordKind};
    use dutydesk::domain::{Category, ItemKind, OutcomeCode, Profession};
    use dutydesk::tui::model::StatsPending;
    let mediation = |code, settled_fen, at| RecordFact {
        record: RecordKind::Outcome,
        kind: Some(ItemKind::Mediation),
        code: Some(code),
        category: Some(Category::Wages),
        green_channel: false,
        channel: None,
        enterprise_party: true,
        settled_fen,
        fee_waived_fen: 0,
        minutes: 0,
        activity: None,
        indicator: None,
        count: 0,
        count2: 0,
        occurred_at: at,
        profession: Profession::Lawyer,
        unit_id: 1,
        user_id: 7,
    };
    let facts = [
        mediation(OutcomeCode::Agreement, 800_000, NOW),
        mediation(OutcomeCode::NoAgreement, 0, NOW),
        // Last half-month's: not this period's pending.
        mediation(OutcomeCode::Agreement, 500_000, NOW - 10 * DAY),
    ];
    let p = StatsPending::from_facts(&sf::def(0), "2026-11-16", &facts);
    assert_eq!(p.records, 1);
    let get = |code: &str| p.by_indicator.get(code).map(|c| c.value1);
    assert_eq!(get("disputes_mediated"), Some(1));
    assert_eq!(get("labour_disputes"), Some(1), "wages is a labour category");
    assert_eq!(get("losses_recovered"), Some(800_000));
}

/// The period's dates and the deadline are the server's words too: no
/// escape sequence of theirs reaches the terminal.
#[test]
fn hostile_period_dates_are_cleaned_before_drawing() {
    let _l = lang("en");
    let mut m = fixtures::model();
    press(&mut m, KeyCode::Char('5'));
    update(&mut m, sf::campaigns());
    let Message::StatsLoaded {
        mut periods,
        mut form,
        hours_by_day,
    } = sf::loaded_at(NOW, StatsScope::Me)
    else {
        unreachable!()
    };
    form.period.end.push_str("\x1b]52;c;SGVsbG8=\x07");
    for p in &mut periods.periods {
        p.deadline.push_str("\x1b[2J");
    }
    update(
        &mut m,
        Message::StatsLoaded {
            periods,
            form,
            hours_by_day,
        },
    );
    let screen = render(&mut m, 120, 40);
    assert!(
        screen.contains("Enterprises visited"),
        "the form is shown:\n{screen}"
    );
    assert!(
        !screen.contains('\x1b') && !screen.contains("52;c") && !screen.contains("[2J"),
        "{screen:?}"
    );
}
