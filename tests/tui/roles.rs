//! Each role's screens (lawyer, mediator, room operator, coordinator) at
//! 80x24 in both languages, none waiting on a "loading" that a 403 would
//! never end; what a role cannot use says once what it may do.

use crossterm::event::KeyCode;
use dutydesk::api::StatsScope;
use dutydesk::domain::Role;
use dutydesk::tui::popups::Popup;
use dutydesk::tui::{Command, Message, Model, Screen, roles, update};

use crate::fixtures::{self, NOW, lang};
use crate::stats_fixtures as sf;
use crate::{press, render};

/// A model signed in as `role` (user 7 is the fixtures' assignee).
fn signed_in(role: Role, user_id: i64) -> Model {
    let mut m = fixtures::model();
    update(&mut m, Message::SignedIn { role, user_id });
    m
}

/// Opens `screen` as its key does, and answers its fetch with data.
fn open(m: &mut Model, screen: Screen) {
    match screen {
        Screen::Queue => {
            press(m, KeyCode::Char('1'));
        }
        Screen::Schedule => {
            press(m, KeyCode::Char('2'));
            update(m, Message::ScheduleLoaded(fixtures::schedule()));
        }
        Screen::Duty => {
            press(m, KeyCode::Char('3'));
            update(m, Message::DutyLoaded(fixtures::shifts()));
        }
        Screen::Outbox => {
            press(m, KeyCode::Char('4'));
        }
        Screen::Stats => {
            let scope = m.stats.scope;
            press(m, KeyCode::Char('5'));
            update(m, sf::campaigns());
            update(m, sf::loaded_at(NOW, scope));
            update(m, Message::StatsPending(sf::pending()));
        }
        Screen::Dispatch => {
            press(m, KeyCode::Char('7'));
            update(m, crate::dispatch_fixtures::loaded());
        }
        Screen::Detail => {
            press(m, KeyCode::Char('1'));
            press(m, KeyCode::Enter);
            let item = m.detail_item().cloned().expect("a row to open");
            update(
                m,
                Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&fixtures::with_parties(&item)))),
            );
        }
        Screen::Intake => {
            press(m, KeyCode::Char('8'));
            update(m, Message::IntakeUnitsLoaded(Vec::new()));
        }
    }
}

fn assert_not_loading(screen: &str, what: &str) {
    for loading in ["Loading", "正在加载"] {
        assert!(!screen.contains(loading), "{what} is stuck loading:\n{screen}");
    }
}

const ROLES: [(Role, i64); 4] = [
    (Role::Lawyer, 7),
    (Role::Mediator, 7),
    (Role::Operator, 3),
    (Role::Coordinator, 9),
];

#[test]
fn each_roles_screens_in_both_languages() {
    for (role, user) in ROLES {
        for code in ["zh-CN", "en"] {
            let _l = lang(code);
            let mut screens = roles::screens(Some(role)).to_vec();
            if role.takes_work() {
                screens.push(Screen::Detail);
            }
            for screen in screens {
                let mut m = signed_in(role, user);
                if role == Role::Coordinator {
                    m.stats.scope = StatsScope::Unit;
                }
                open(&mut m, screen);
                assert_eq!(m.screen, screen, "{role:?} reaches {screen:?}");
                let text = render(&mut m, 80, 24);
                assert_not_loading(&text, &format!("{role:?} {screen:?}"));
                let name = format!("role_{}_{}_{code}_80x24", role.as_str(), screen.name());
                insta::assert_snapshot!(name, text);
            }
        }
    }
}

#[test]
fn a_screen_of_another_role_says_what_this_one_may_do() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        let mut m = signed_in(Role::Operator, 3);
        // Signed in as the room operator: off the queue, onto the schedule.
        assert_eq!(m.screen, Screen::Schedule);
        update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
        assert_eq!(press(&mut m, KeyCode::Char('5')), None, "no statistics fetched");
        assert_eq!(m.screen, Screen::Schedule);
        assert!(matches!(m.popup, Some(Popup::Message(_))));
        let text = render(&mut m, 80, 24);
        insta::assert_snapshot!(format!("role_operator_refused_stats_{code}_80x24"), text);
        press(&mut m, KeyCode::Esc);
        assert!(m.notice.is_none(), "nothing left in the status bar");
        // Queue keys are not the operator's either.
        assert_eq!(press(&mut m, KeyCode::Char('1')), None);
        assert_eq!(m.screen, Screen::Schedule);
    }
}

#[test]
fn a_403_is_said_once_on_the_screen_never_loading_nor_in_the_status_bar() {
    let _l = lang("en");
    // Before `/me` answered the role is not known: the key is tried.
    let mut m = fixtures::model();
    assert_eq!(press(&mut m, KeyCode::Char('5')), Some(Command::FetchCampaigns));
    update(&mut m, Message::NotForRole(Screen::Stats));
    assert!(matches!(m.popup, Some(Popup::Message(_))), "said once");
    press(&mut m, KeyCode::Enter);
    let text = render(&mut m, 80, 24);
    assert_not_loading(&text, "stats after a 403");
    assert!(text.contains("You work on:"), "{text}");
    assert!(m.notice.is_none(), "not in the status bar");
    // Said once: a second refusal does not open the dialog again.
    update(&mut m, Message::NotForRole(Screen::Stats));
    assert!(m.popup.is_none());
    // The schedule likewise.
    press(&mut m, KeyCode::Char('2'));
    update(&mut m, Message::NotForRole(Screen::Schedule));
    press(&mut m, KeyCode::Esc);
    let text = render(&mut m, 80, 24);
    assert_not_loading(&text, "schedule after a 403");
}

#[test]
fn a_coordinator_reads_the_schedule_but_marks_nothing() {
    let _l = lang("en");
    let mut m = signed_in(Role::Coordinator, 9);
    assert_eq!(m.screen, Screen::Stats, "coordinators start on the statistics");
    open(&mut m, Screen::Schedule);
    assert_eq!(press(&mut m, KeyCode::Char('b')), None);
    let notice = m.notice.as_ref().expect("says why").text.clone();
    assert_eq!(notice, "“Started” is not for a coordinator.");
    let text = render(&mut m, 80, 24);
    let help_bar = text.lines().nth(22).unwrap_or_default();
    assert!(!help_bar.contains("Started"), "no mark keys offered: {help_bar}");
}

#[test]
fn a_pool_items_detail_in_both_languages() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        let mut m = signed_in(Role::Lawyer, 7);
        while m.queue.tab() != dutydesk::tui::model::QueueTab::Pool {
            press(&mut m, KeyCode::Tab);
        }
        press(&mut m, KeyCode::Enter);
        let item = m.detail_item().cloned().expect("the pool row");
        update(
            &mut m,
            Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&fixtures::with_parties(&item)))),
        );
        let text = render(&mut m, 80, 24);
        assert_not_loading(&text, "a pool item's detail");
        insta::assert_snapshot!(format!("role_lawyer_pool_detail_{code}_80x24"), text);
    }
}
