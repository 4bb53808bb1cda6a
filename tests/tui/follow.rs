//! A pool item's detail, palette actions on what the screen shows, writes
//! that show at once on every screen, `^r`, and the moves asked first.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dutydesk::domain::{ItemStatus, Role, Yuan};
use dutydesk::tui::model::{QueueTab, SessionMark};
use dutydesk::tui::popups::Popup;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, lang};
use crate::{press, render, typed};

fn lawyer() -> Model {
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Lawyer,
            user_id: 7,
        },
    );
    m
}

fn on_pool(m: &mut Model) {
    while m.queue.tab() != QueueTab::Pool {
        press(m, KeyCode::Tab);
    }
}

/// The detail of `id` with the server's detail loaded.
fn detail(m: &mut Model, id: i64) {
    let item = m
        .items
        .iter()
        .chain(m.pool.iter())
        .find(|i| i.id == id)
        .cloned()
        .expect("fixture item");
    m.detail_id = Some(id);
    m.screen = Screen::Detail;
    update(m, Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&item))));
}

fn ctrl(c: char) -> Message {
    Message::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

#[test]
fn a_pool_items_detail_offers_claim_with_a_yes_and_nothing_that_needs_it_mine() {
    let _l = lang("en");
    let mut m = lawyer();
    on_pool(&mut m);
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::FetchDetail(21)));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("c Claim"), "{screen}");
    assert!(
        screen.contains("In the on-duty pool: nobody's yet. c claims it."),
        "{screen}"
    );
    for key in ["t Timer", "a Accept", "o Outcome", "m Add time"] {
        assert!(!screen.contains(key), "{key} offered on a pool item:\n{screen}");
    }
    for c in ['t', 'a', 'x', 'o', 'm', 'n', 'f'] {
        assert_eq!(press(&mut m, KeyCode::Char(c)), None, "{c} on a pool item");
        assert!(m.popup.is_none(), "{c} opened {:?}", m.popup);
    }
    assert!(m.timer.is_none(), "no timer on someone's else or nobody's item");
    let notice = m.notice.as_ref().expect("says why").text.clone();
    assert!(notice.contains("claim it first (c)"), "{notice}");
    // Claim, after a yes.
    assert_eq!(press(&mut m, KeyCode::Char('c')), None);
    assert!(matches!(m.popup, Some(Popup::Confirm(_))));
    assert!(render(&mut m, 80, 24).contains("Claim #21"));
    assert_eq!(press(&mut m, KeyCode::Char('n')), None, "no: nothing claimed");
    press(&mut m, KeyCode::Char('c'));
    assert_eq!(press(&mut m, KeyCode::Char('y')), Some(Command::Claim(21)));
    // My own item's detail offers no claim.
    detail(&mut m, 1);
    assert_eq!(press(&mut m, KeyCode::Char('c')), None);
    assert!(m.popup.is_none());
}

#[test]
fn palette_claim_on_the_detail_claims_the_open_item() {
    let _l = lang("en");
    let mut m = lawyer();
    on_pool(&mut m);
    // The pool tab's row is #21; the detail shows #22.
    assert_eq!(m.selected_item().map(|i| i.id), Some(21));
    detail(&mut m, 22);
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "claim");
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(matches!(m.popup, Some(Popup::Confirm(_))));
    assert_eq!(press(&mut m, KeyCode::Char('y')), Some(Command::Claim(22)));
    // The palette on my own item's detail offers its actions, not claim.
    detail(&mut m, 1);
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "claim");
    let Some(Popup::Palette(p)) = &m.popup else {
        panic!("palette")
    };
    assert!(p.matches().is_empty(), "{:?}", p.matches());
}

#[test]
fn the_detail_follows_time_outcome_status_typical_and_notes_at_once() {
    let _l = lang("en");
    let mut m = lawyer();
    detail(&mut m, 1);
    assert!(render(&mut m, 80, 24).contains("Time logged: 25 min"));
    press(&mut m, KeyCode::Char('m'));
    typed(&mut m, "45");
    let Some(Command::SaveTime { entry, request }) = press(&mut m, KeyCode::Enter) else {
        panic!("time saved")
    };
    assert_eq!(entry.minutes, 45);
    update(&mut m, Message::Saved { request });
    let screen = render(&mut m, 80, 24);
    assert!(
        screen.contains("Time logged: 70 min"),
        "45 more at once:\n{screen}"
    );
    // f: flagged at once.
    assert!(matches!(
        press(&mut m, KeyCode::Char('f')),
        Some(Command::FlagTypical { typical: true, .. })
    ));
    assert!(render(&mut m, 80, 24).contains("[typical case]"));
    // n: the note in the history at once.
    press(&mut m, KeyCode::Char('n'));
    typed(&mut m, "已电话回访");
    assert!(matches!(
        press(&mut m, KeyCode::Enter),
        Some(Command::AddNote { .. })
    ));
    assert!(render(&mut m, 80, 24).contains("已电话回访"));
    // x: the new status at once, in the detail and the queue's row.
    press(&mut m, KeyCode::Char('x'));
    assert!(matches!(
        press(&mut m, KeyCode::Enter),
        Some(Command::Transition {
            to: ItemStatus::InProgress,
            ..
        })
    ));
    assert!(render(&mut m, 80, 24).contains("Working"));
    let row = m.items.iter().find(|i| i.id == 1).expect("item 1");
    assert_eq!(row.status, ItemStatus::InProgress);
    // The server's answer to a write about the open item reloads it.
    assert_eq!(
        update(&mut m, Message::ItemWritten(1)),
        Some(Command::Reload {
            item_id: Some(1),
            date: None
        })
    );
}

#[test]
fn an_outcome_with_full_width_numbers_closes_the_item_at_once() {
    let _l = lang("en");
    let mut m = lawyer();
    detail(&mut m, 4);
    press(&mut m, KeyCode::Char('o'));
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "４５");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "１２００。５");
    let cmd = press(&mut m, KeyCode::Enter);
    let Some(Command::SaveOutcome { outcome, .. }) = cmd else {
        panic!("saved: {cmd:?} {:?}", m.popup)
    };
    assert_eq!(outcome.minutes, Some(45));
    assert_eq!(outcome.settled_amount, Some(Yuan::parse("1200.50").unwrap()));
    let row = m.items.iter().find(|i| i.id == 4).expect("item 4");
    assert_eq!(row.status, ItemStatus::Closed);
    press(&mut m, KeyCode::Esc);
    assert!(render(&mut m, 80, 24).contains("Time logged: 70 min"));
}

#[test]
fn full_width_minutes_in_the_time_form() {
    let _l = lang("zh-CN");
    let mut m = lawyer();
    detail(&mut m, 1);
    press(&mut m, KeyCode::Char('m'));
    typed(&mut m, "３０");
    let Some(Command::SaveTime { entry, .. }) = press(&mut m, KeyCode::Enter) else {
        panic!("３０ is 30: {:?}", m.popup)
    };
    assert_eq!(entry.minutes, 30);
}

#[test]
fn the_schedule_row_follows_marks_and_a_no_show_is_asked_first() {
    let _l = lang("zh-CN");
    let mut m = lawyer();
    press(&mut m, KeyCode::Char('2'));
    update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
    assert!(matches!(
        press(&mut m, KeyCode::Char('b')),
        Some(Command::MarkSession {
            mark: SessionMark::Started,
            ..
        })
    ));
    let row = |m: &mut Model| {
        render(m, 80, 24)
            .lines()
            .find(|l| l.contains("物业费纠纷"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row(&mut m).contains("办理中"), "{}", row(&mut m));
    assert!(matches!(
        press(&mut m, KeyCode::Char('e')),
        Some(Command::MarkSession {
            mark: SessionMark::Ended,
            item_id: 4,
            version: 4
        })
    ));
    let after = row(&mut m);
    assert!(!after.contains("办理中") && after.contains("待跟进"), "{after}");
    // A no-show cannot be undone: asked, and nothing on no. (The day as
    // the server has it again: #4 accepted.)
    update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
    assert_eq!(press(&mut m, KeyCode::Char('n')), None);
    assert!(matches!(m.popup, Some(Popup::Confirm(_))));
    assert!(render(&mut m, 80, 24).contains("不可撤销"));
    assert_eq!(press(&mut m, KeyCode::Esc), None);
    press(&mut m, KeyCode::Char('n'));
    assert_eq!(
        press(&mut m, KeyCode::Char('y')),
        Some(Command::MarkSession {
            item_id: 4,
            mark: SessionMark::NoShow,
            version: 3
        })
    );
}

#[test]
fn ctrl_r_shows_that_it_refreshes_and_when_it_is_done() {
    let _l = lang("en");
    let mut m = lawyer();
    press(&mut m, KeyCode::Char('2'));
    assert_eq!(
        update(&mut m, ctrl('r')),
        Some(Command::Reload {
            item_id: None,
            date: Some("2026-11-24".into())
        })
    );
    assert!(render(&mut m, 80, 24).contains("Refreshing…"));
    update(&mut m, Message::Synced(fixtures::NOW + 60_000));
    assert!(render(&mut m, 80, 24).contains("Up to date (10:01)"));
    // Offline, it says so instead.
    update(&mut m, ctrl('r'));
    update(&mut m, Message::Online(false));
    assert!(render(&mut m, 80, 24).contains("Cannot reach the server"));
}

#[test]
fn a_timer_changed_elsewhere_shows_at_once() {
    let _l = lang("en");
    let mut m = lawyer();
    update(
        &mut m,
        Message::TimerChanged(Some(dutydesk::tui::RunningTimer {
            item_id: 3,
            started_at: fixtures::NOW - 60_000,
        })),
    );
    assert!(render(&mut m, 80, 24).contains("#3 00:01:00"));
    // `dutydesk stop` in another shell: the backend's watch says so.
    update(&mut m, Message::TimerChanged(None));
    assert!(!render(&mut m, 80, 24).contains("#3 00:"));
}

#[test]
fn a_duty_check_out_shows_at_once() {
    let _l = lang("en");
    let mut m = lawyer();
    press(&mut m, KeyCode::Char('3'));
    update(&mut m, Message::DutyLoaded(fixtures::shifts()));
    assert_eq!(press(&mut m, KeyCode::Char('o')), Some(Command::CheckOut(31)));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("checked out 10:00"), "{screen}");
}

#[test]
fn a_claim_shows_as_mine_at_once_and_a_lost_race_takes_it_off() {
    let _l = lang("en");
    let mut m = lawyer();
    on_pool(&mut m);
    assert_eq!(press(&mut m, KeyCode::Char('c')), Some(Command::Claim(21)));
    assert!(!m.pool.iter().any(|i| i.id == 21), "left the pool at once");
    let mine = m.items.iter().find(|i| i.id == 21).expect("mine at once");
    assert_eq!(mine.assignee.as_ref().map(|a| a.id), Some(7));
    assert!(
        !render(&mut m, 80, 24).contains("快递员工伤认定咨询"),
        "not on the pool tab"
    );
    update(
        &mut m,
        Message::ClaimConflict {
            item_id: 21,
            taken_by: "李律师".into(),
        },
    );
    assert!(!m.items.iter().any(|i| i.id == 21), "someone else's after all");
}
