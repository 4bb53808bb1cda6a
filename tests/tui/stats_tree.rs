//! Down the unit tree on the Stats screen: the bureau's coordinator sees a
//! row set per unit below (`by=unit`), Enter asks for the chosen unit's
//! form, Esc/Backspace go back up. Pure `update` in and out.

use crossterm::event::KeyCode;
use dutydesk::api::rollup::UnitRows;
use dutydesk::api::{HoursSummary, StatsScope, UnitRef};
use dutydesk::domain::Role;
use dutydesk::domain::campaign::period;
use dutydesk::tui::model::Screen;
use dutydesk::tui::{Command, Message, Model, update};

use crate::fixtures::{self, NOW, lang};
use crate::stats_fixtures::{self as sf};
use crate::{press, render};

fn unit(id: i64, name: &str) -> UnitRef {
    UnitRef {
        id,
        name: name.into(),
    }
}

/// The demo's tree: 钟楼区司法局 (4) over two law firms, a grassroots
/// office, the legal aid centre and a notary office.
const BUREAU: i64 = 4;
const CHILDREN: &[(i64, &str, i64)] = &[
    (1, "明德律师事务所", 1_230),
    (2, "城关基层法律服务所", 300),
    (3, "钟楼区法律援助中心", 90),
    (5, "正衡律师事务所", 480),
    (6, "钟楼公证处", 0),
];

/// The form of unit `of` broken down by unit, as the backend answers it.
fn loaded(of: UnitRef, children: &[(i64, &str, i64)]) -> Message {
    let d = sf::def(0);
    let p = period::period_of(&d, NOW);
    let mut form = sf::form(&p, StatsScope::Unit);
    form.unit = Some(of);
    form.units = children
        .iter()
        .map(|(id, name, minutes)| UnitRows {
            unit: unit(*id, name),
            rows: form.rows.clone(),
            hours: HoursSummary {
                total_minutes: *minutes,
                ..HoursSummary::default()
            },
        })
        .collect();
    Message::StatsLoaded {
        periods: dutydesk::api::PeriodList::of(&d, NOW),
        form: Box::new(form),
        hours_by_day: vec![0; 15],
    }
}

fn fetched(cmd: Option<Command>) -> (StatsScope, Option<i64>, bool) {
    match cmd {
        Some(Command::FetchStats {
            scope, unit, by_unit, ..
        }) => (scope, unit, by_unit),
        other => panic!("expected FetchStats, got {other:?}"),
    }
}

/// The bureau coordinator (demo login `bureau`) on the Stats screen with
/// the bureau's form by unit.
fn bureau_on_stats(m: &mut Model) {
    m.role = Some(Role::Coordinator);
    m.stats.scope = StatsScope::Unit;
    assert_eq!(press(m, KeyCode::Char('5')), Some(Command::FetchCampaigns));
    // The coordinator's unit form comes broken down by the units below it.
    assert_eq!(
        fetched(update(m, sf::campaigns())),
        (StatsScope::Unit, None, true)
    );
    update(m, loaded(unit(BUREAU, "钟楼区司法局"), CHILDREN));
}

#[test]
fn the_bureau_sees_its_units_in_both_languages_and_sizes() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut m = fixtures::model();
            bureau_on_stats(&mut m);
            press(&mut m, KeyCode::Down);
            insta::assert_snapshot!(format!("stats_tree_{code}_{w}x{h}"), render(&mut m, w, h));
            // One level down: the grassroots office's form, nothing below it.
            press(&mut m, KeyCode::Enter);
            update(&mut m, loaded(unit(2, "城关基层法律服务所"), &[]));
            insta::assert_snapshot!(format!("stats_tree_child_{code}_{w}x{h}"), render(&mut m, w, h));
        }
    }
}

#[test]
fn enter_asks_for_the_chosen_units_form_and_esc_comes_back_up() {
    let _l = lang("en");
    let mut m = fixtures::model();
    bureau_on_stats(&mut m);
    let screen = render(&mut m, 120, 40);
    assert!(screen.contains("正衡律师事务所"), "{screen}");
    assert!(
        screen.contains("Open unit"),
        "the help bar names the key:\n{screen}"
    );
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Down);
    assert_eq!(
        fetched(press(&mut m, KeyCode::Enter)),
        (StatsScope::Unit, Some(5), true)
    );
    // Enter again before the answer: the list on screen is the old one.
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    // A late answer for the bureau is not the unit now open.
    update(&mut m, loaded(unit(BUREAU, "钟楼区司法局"), CHILDREN));
    update(&mut m, loaded(unit(5, "正衡律师事务所"), &[]));
    let screen = render(&mut m, 120, 40);
    assert!(screen.contains("My unit › 正衡律师事务所"), "{screen}");
    assert!(!screen.contains("钟楼公证处"), "{screen}");
    // Esc goes back up to the bureau's own form, not to the queue.
    assert_eq!(
        fetched(press(&mut m, KeyCode::Esc)),
        (StatsScope::Unit, None, true)
    );
    assert_eq!(m.screen, Screen::Stats);
    assert!(m.stats.unit_path.is_empty());
    update(&mut m, loaded(unit(BUREAU, "钟楼区司法局"), CHILDREN));
    // Backspace does the same from a unit below.
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.stats.unit_path.len(), 1);
    assert_eq!(
        fetched(press(&mut m, KeyCode::Backspace)),
        (StatsScope::Unit, None, true)
    );
    // At the top, Esc leaves the screen as before.
    update(&mut m, loaded(unit(BUREAU, "钟楼区司法局"), CHILDREN));
    assert_eq!(press(&mut m, KeyCode::Esc), None);
    assert_eq!(m.screen, Screen::Queue);
}

#[test]
fn a_lawyer_asks_for_no_breakdown() {
    let _l = lang("en");
    let mut m = fixtures::model();
    m.role = Some(Role::Lawyer);
    press(&mut m, KeyCode::Char('5'));
    assert_eq!(
        fetched(update(&mut m, sf::campaigns())),
        (StatsScope::Me, None, false)
    );
    assert_eq!(
        fetched(press(&mut m, KeyCode::Char('u'))),
        (StatsScope::Unit, None, false)
    );
}
