//! Booking, moving and cancelling sessions on the room schedule: the
//! dialogs, a typo refused with what to type, and a clash kept on the
//! dialog with the clashing session named, at 80x24 and 120x40 in both
//! languages; the one command each send emits, and what the answer does.

use crossterm::event::KeyCode;
use dutydesk::api::intake::{CancelRequest, ScheduleRequest};
use dutydesk::domain::{ItemStatus, Role};
use dutydesk::tui::model::{Clash, SessionRefusal};
use dutydesk::tui::popups::Popup;
use dutydesk::tui::{Command, Message, Model, update};

use crate::fixtures::{self, HOUR, NOW, lang};
use crate::{press, render, typed};

/// The room operator on the day's schedule.
fn operator() -> Model {
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Operator,
            user_id: 3,
        },
    );
    press(&mut m, KeyCode::Char('2'));
    update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
    m
}

/// `a`, then request 57 in the second room, 14:00 for an hour.
fn fill_booking(m: &mut Model, start: &str) {
    assert_eq!(press(m, KeyCode::Char('a')), None);
    assert!(matches!(m.popup, Some(Popup::Session(_))), "{:?}", m.popup);
    typed(m, "57");
    press(m, KeyCode::Tab);
    press(m, KeyCode::Right);
    press(m, KeyCode::Tab);
    typed(m, start);
    press(m, KeyCode::Tab);
    typed(m, "+60");
}

fn clash() -> SessionRefusal {
    SessionRefusal {
        message: "the room is booked then by item 4".into(),
        clash: Some(Clash {
            item_id: 6,
            title: "工伤赔偿电话调解（退役军人）".into(),
            room_taken: true,
            start: NOW + 5 * HOUR,
            end: NOW + 6 * HOUR,
            room: "第二调解室".into(),
            mediator: "王律师".into(),
        }),
    }
}

#[test]
fn booking_dialogs_in_both_languages_and_sizes() {
    for code in ["zh-CN", "en"] {
        let _l = lang(code);
        for (w, h) in [(80, 24), (120, 40)] {
            let mut m = operator();
            fill_booking(&mut m, "14:00");
            insta::assert_snapshot!(format!("session_book_{code}_{w}x{h}"), render(&mut m, w, h));

            // A typo: refused before sending, saying what to type.
            let mut m = operator();
            fill_booking(&mut m, "25:00");
            assert_eq!(press(&mut m, KeyCode::Enter), None, "nothing is sent");
            insta::assert_snapshot!(format!("session_bad_time_{code}_{w}x{h}"), render(&mut m, w, h));

            // The clash: the dialog stays, with the session it clashed with.
            let mut m = operator();
            fill_booking(&mut m, "15:30");
            assert!(matches!(
                press(&mut m, KeyCode::Enter),
                Some(Command::BookSession { item_id: 57, .. })
            ));
            update(
                &mut m,
                Message::SessionAnswered {
                    item_id: 57,
                    result: Err(clash()),
                },
            );
            insta::assert_snapshot!(format!("session_clash_{code}_{w}x{h}"), render(&mut m, w, h));

            let mut m = operator();
            press(&mut m, KeyCode::Char('m'));
            insta::assert_snapshot!(format!("session_move_{code}_{w}x{h}"), render(&mut m, w, h));

            let mut m = operator();
            press(&mut m, KeyCode::Char('x'));
            typed(&mut m, "当事人申请延期");
            insta::assert_snapshot!(format!("session_cancel_{code}_{w}x{h}"), render(&mut m, w, h));
        }
    }
}

#[test]
fn a_booking_is_sent_once_and_kept_until_the_server_answers() {
    let _l = lang("en");
    let mut m = operator();
    fill_booking(&mut m, "1400");
    let Some(Command::BookSession { item_id, request }) = press(&mut m, KeyCode::Enter) else {
        panic!("a booking is sent")
    };
    assert_eq!(item_id, 57);
    // 2026-11-24 14:00–15:00 in Beijing, in the second room.
    assert_eq!(
        request,
        ScheduleRequest {
            room_id: 2,
            start: NOW + 4 * HOUR,
            end: NOW + 5 * HOUR,
            mediator_id: None,
            join_link: None,
        }
    );
    // Waiting: Enter again sends nothing, keys change nothing.
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    typed(&mut m, "99");
    let Some(Popup::Session(form)) = &m.popup else {
        panic!("the dialog stays open")
    };
    assert_eq!((form.start.as_str(), form.end.as_str()), ("1400", "+60"));
    // A clash: the input is still there, and can be sent again.
    update(
        &mut m,
        Message::SessionAnswered {
            item_id: 57,
            result: Err(clash()),
        },
    );
    assert!(render(&mut m, 120, 40).contains("#6"));
    assert!(matches!(
        press(&mut m, KeyCode::Enter),
        Some(Command::BookSession { item_id: 57, .. })
    ));
    // Booked: the dialog closes and the day is read again.
    let mut item = fixtures::my_items()[3].clone();
    item.id = 57;
    let cmd = update(
        &mut m,
        Message::SessionAnswered {
            item_id: 57,
            result: Ok(Box::new(item)),
        },
    );
    assert!(m.popup.is_none());
    assert_eq!(cmd, Some(Command::FetchSchedule("2026-11-24".into())));
}

#[test]
fn a_move_keeps_the_item_and_a_cancel_needs_a_reason() {
    let _l = lang("zh-CN");
    let mut m = operator();
    press(&mut m, KeyCode::Char('m'));
    // The start is focused, filled with the session's: type a new one.
    for _ in 0..5 {
        press(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "下午4点");
    press(&mut m, KeyCode::Tab);
    for _ in 0..5 {
        press(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "17：00");
    let Some(Command::BookSession { item_id, request }) = press(&mut m, KeyCode::Enter) else {
        panic!("the move is sent")
    };
    assert_eq!((item_id, request.room_id), (4, 1));
    assert_eq!((request.start, request.end), (NOW + 6 * HOUR, NOW + 7 * HOUR));

    let mut m = operator();
    press(&mut m, KeyCode::Char('x'));
    assert_eq!(press(&mut m, KeyCode::Enter), None, "no reason, nothing sent");
    assert!(render(&mut m, 80, 24).contains("原因"));
    typed(&mut m, "当事人撤回申请");
    assert_eq!(
        press(&mut m, KeyCode::Enter),
        Some(Command::CancelSession {
            item_id: 4,
            request: CancelRequest {
                reason: "当事人撤回申请".into(),
                version: 3
            }
        })
    );
    let mut item = fixtures::my_items()[3].clone();
    item.status = ItemStatus::Cancelled;
    update(
        &mut m,
        Message::SessionAnswered {
            item_id: 4,
            result: Ok(Box::new(item)),
        },
    );
    assert!(m.popup.is_none());
    assert!(render(&mut m, 80, 24).contains("#4 已取消"));
}

#[test]
fn lawyers_are_not_offered_booking() {
    let _l = lang("en");
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Lawyer,
            user_id: 7,
        },
    );
    press(&mut m, KeyCode::Char('2'));
    update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
    assert_eq!(press(&mut m, KeyCode::Char('a')), None);
    assert!(m.popup.is_none(), "{:?}", m.popup);
}

#[test]
fn a_session_moved_elsewhere_reloads_the_day_on_screen() {
    let _l = lang("en");
    let mut m = operator();
    let ev = dutydesk::api::ChangeEvent {
        item_id: Some(4),
        gone: true,
        ..dutydesk::api::ChangeEvent::bare(dutydesk::api::ChangeKind::ScheduleChanged, NOW)
    };
    assert_eq!(
        update(&mut m, Message::Pushed(ev)),
        Some(Command::Reload {
            item_id: None,
            date: Some("2026-11-24".into())
        })
    );
}

#[test]
fn cancel_acts_on_the_session_selected() {
    let _l = lang("en");
    let mut m = operator();
    press(&mut m, KeyCode::Char('j'));
    press(&mut m, KeyCode::Char('x'));
    let Some(Popup::CancelSession(form)) = &m.popup else {
        panic!("the cancel dialog is open: {:?}", m.popup)
    };
    assert_eq!(form.item_id, 6);
    // Esc keeps the session: nothing is sent.
    assert_eq!(press(&mut m, KeyCode::Esc), None);
    assert!(m.popup.is_none());
}

#[test]
fn the_request_field_offers_cached_requests_without_a_session() {
    let _l = lang("en");
    let mut m = operator();
    let mut items = fixtures::my_items();
    let mut unbooked = items[3].clone();
    unbooked.id = 57;
    unbooked.mediation = None;
    items.push(unbooked);
    update(&mut m, Message::ItemsLoaded(items));
    press(&mut m, KeyCode::Char('a'));
    press(&mut m, KeyCode::Right);
    let Some(Popup::Session(form)) = &m.popup else {
        panic!("the booking dialog is open")
    };
    // #4 and #6 have sessions: only #57 is offered.
    assert_eq!((form.requests.clone(), form.item.as_str()), (vec![57], "57"));
    assert!(render(&mut m, 80, 24).contains("#57 物业费纠纷"));
}
