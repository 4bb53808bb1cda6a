//! The intake desk: its screen, the form (checked by the domain, queued
//! as one command), and the conflict warning that must be acknowledged
//! (Enter) or is kept for later (Esc), never dropped.

use crossterm::event::KeyCode;
use dutydesk::api::intake::ConflictEntry;
use dutydesk::api::intake_units::IntakeUnit;
use dutydesk::api::{UnitRef, WorkItem};
use dutydesk::client::intake_queue::Warning;
use dutydesk::domain::{ItemKind, Role};
use dutydesk::tui::popups::Popup;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, HOUR, NOW, lang, user};
use crate::{press, render, typed};

fn units() -> Vec<IntakeUnit> {
    vec![
        IntakeUnit {
            unit: UnitRef {
                id: 3,
                name: "钟楼区法律援助中心".into(),
            },
            people: vec![user(3, "王芳")],
        },
        IntakeUnit {
            unit: UnitRef {
                id: 5,
                name: "正衡律师事务所".into(),
            },
            people: vec![user(9, "孙伟律师")],
        },
    ]
}

/// The demo's intake desk, on its home screen with its units known.
fn desk() -> Model {
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Intake,
            user_id: 12,
        },
    );
    update(&mut m, Message::IntakeUnitsLoaded(units()));
    m
}

/// Tabs to the field `n` places after the focused one.
fn tab(m: &mut Model, n: usize) {
    for _ in 0..n {
        press(m, KeyCode::Tab);
    }
}

/// Kind mediation, a title, both parties with phone and ID, sent to the
/// second unit's lawyer.
fn fill(m: &mut Model) {
    press(m, KeyCode::Char('n'));
    press(m, KeyCode::Left); // consultation → mediation
    tab(m, 1);
    typed(m, "恒达餐饮劳务费纠纷调解");
    tab(m, 5);
    typed(m, "李明");
    tab(m, 2);
    typed(m, "13700005678");
    tab(m, 1);
    typed(m, "320404199001011234");
    tab(m, 1);
    typed(m, "周建华");
    tab(m, 2);
    typed(m, "13900001234");
    tab(m, 2);
    press(m, KeyCode::Right);
    tab(m, 1);
    press(m, KeyCode::Right);
}

fn warning() -> Warning {
    let conflict = |id: i64, reason: &str, assignee: Option<&str>| ConflictEntry {
        item_id: id,
        created_at: NOW - 48 * HOUR,
        assignee: assignee.map(|a| user(9, a)),
        party: "周建华".into(),
        reason: reason.into(),
    };
    Warning {
        item_id: 88,
        version: 1,
        title: "恒达餐饮劳务费纠纷调解".into(),
        conflicts: vec![
            conflict(61, "opposite_side", Some("孙伟律师")),
            conflict(61, "represented_opponent", Some("孙伟律师")),
            conflict(62, "opposite_side", None),
        ],
    }
}

#[test]
fn the_desk_starts_on_its_screen_and_registers_through_one_command() {
    let _l = lang("en");
    let mut m = desk();
    assert_eq!(m.screen, Screen::Intake);
    fill(&mut m);
    let Some(Command::RegisterItem { request, item }) = press(&mut m, KeyCode::Enter) else {
        panic!("Enter registers: {:?}", m.popup);
    };
    assert_eq!(item.kind, ItemKind::Mediation);
    assert_eq!((item.unit_id, item.assignee_id), (5, Some(9)));
    assert_eq!(item.parties.len(), 2);
    assert_eq!(item.parties[1].phone.as_deref(), Some("13900001234"));
    // Saved: still open, saying so; sent: closed.
    update(&mut m, Message::Saved { request });
    assert!(render(&mut m, 80, 24).contains("Saved on this computer"));
    update(&mut m, Message::Sent { request });
    assert!(m.popup.is_none());
}

#[test]
fn the_domain_checks_the_form_before_anything_is_queued() {
    let _l = lang("en");
    let mut m = desk();
    press(&mut m, KeyCode::Char('n'));
    press(&mut m, KeyCode::Left); // mediation
    tab(&mut m, 1);
    typed(&mut m, "调解");
    tab(&mut m, 5);
    typed(&mut m, "李明");
    // A mediation needs both sides: nothing is queued, the form says why.
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("both sides"), "{screen}");
}

#[test]
fn a_warning_is_acknowledged_with_enter_and_kept_for_later_with_esc() {
    let _l = lang("en");
    let mut m = desk();
    update(&mut m, Message::ConflictsFound(warning()));
    assert!(matches!(m.popup, Some(Popup::Conflict(_))));
    // Esc: closed, but kept and marked.
    assert_eq!(press(&mut m, KeyCode::Esc), None);
    assert!(m.popup.is_none());
    assert_eq!(m.intake.later.len(), 1);
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("Conflicts 1: W"), "{screen}");
    // The review key shows it again; Enter acknowledges it.
    press(&mut m, KeyCode::Char('W'));
    assert!(matches!(m.popup, Some(Popup::Conflict(_))));
    assert_eq!(
        press(&mut m, KeyCode::Enter),
        Some(Command::AckConflicts {
            item_id: 88,
            version: 1
        })
    );
    assert!(m.intake.later.is_empty() && m.popup.is_none());
}

#[test]
fn a_warning_never_replaces_a_form_being_typed() {
    let _l = lang("en");
    let mut m = fixtures::model();
    fill_outcome_like(&mut m);
    update(&mut m, Message::ConflictsFound(warning()));
    assert!(!matches!(m.popup, Some(Popup::Conflict(_))));
    assert_eq!(m.intake.later.len(), 1);
}

fn fill_outcome_like(m: &mut Model) {
    let item: WorkItem = m.items[0].clone();
    m.detail_id = Some(item.id);
    m.screen = Screen::Detail;
    press(m, KeyCode::Char('n'));
    assert!(m.popup.is_some());
}

#[test]
fn the_form_and_the_warning_at_80x24_in_both_languages() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        let mut m = desk();
        fill(&mut m);
        let screen = render(&mut m, 80, 24);
        // Numbers not being typed show masked.
        assert!(screen.contains("137****5678"), "{screen}");
        assert!(!screen.contains("13900001234") && !screen.contains("320404199001011234"));
        insta::assert_snapshot!(format!("intake_form_{code}_80x24"), screen);
        m.popup = None;
        update(&mut m, Message::ConflictsFound(warning()));
        let screen = render(&mut m, 80, 24);
        assert!(screen.contains("#61") && screen.contains("孙伟律师"), "{screen}");
        insta::assert_snapshot!(format!("intake_conflict_{code}_80x24"), screen);
    }
}

#[test]
fn a_refused_sign_in_says_what_to_run_once_in_both_languages() {
    for (code, title) in [("en", "New password needed"), ("zh-CN", "需要设置新密码")] {
        let _l = lang(code);
        let mut m = fixtures::model();
        update(
            &mut m,
            Message::SignInRefused {
                password_change: true,
            },
        );
        let screen = render(&mut m, 80, 24);
        assert!(screen.contains(title), "{screen}");
        assert!(screen.contains("dutydesk login"), "{screen}");
        press(&mut m, KeyCode::Enter);
        update(
            &mut m,
            Message::SignInRefused {
                password_change: false,
            },
        );
        assert!(m.popup.is_none(), "said once");
    }
}
