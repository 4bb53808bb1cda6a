//! `update` on the queue, schedule, duty and outbox screens, the palette
//! and the keymap: keys in, model and commands out. Pure.

use crossterm::event::KeyCode;
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::model::{QueueTab, SessionMark, SortOrder};
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, NOW, lang};
use crate::{press, render, typed};

pub fn visible_ids(m: &Model) -> Vec<i64> {
    m.queue.index.rows.iter().map(|&r| m.tab_source()[r].id).collect()
}

pub fn on_tab(m: &mut Model, tab: QueueTab) {
    while m.queue.tab() != tab {
        press(m, KeyCode::Tab);
    }
}

#[test]
fn queue_sorts_overdue_first_and_green_channel_first_within_a_band() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_tab(&mut m, QueueTab::Consultations);
    // #3 is overdue; #2 (green channel, 2.5h) jumps #10 (2h) in the 1–4h band.
    assert_eq!(visible_ids(&m), vec![3, 2, 10, 1, 9]);
    press(&mut m, KeyCode::Char('s'));
    assert_eq!(m.queue.sort, SortOrder::Newest);
    assert_eq!(visible_ids(&m), vec![1, 2, 3, 9, 10]);
    press(&mut m, KeyCode::Char('s'));
    press(&mut m, KeyCode::Char('s'));
    assert_eq!(m.queue.sort, SortOrder::Due);
}

/// Closed, no-show and cancelled work has no deadline left: it goes after
/// open work in every order, without a countdown or the overdue style.
#[test]
fn finished_work_goes_last_without_a_countdown() {
    let _l = lang("en");
    let mut m = fixtures::model();
    let mut items = m.items.clone();
    // #3 was the overdue one at the top; now it is cancelled.
    let three = items.iter_mut().find(|i| i.id == 3).expect("fixture #3");
    three.status = dutydesk::domain::ItemStatus::Cancelled;
    update(&mut m, Message::ItemsLoaded(items));
    on_tab(&mut m, QueueTab::Consultations);
    assert_eq!(visible_ids(&m), vec![2, 10, 1, 9, 3]);
    let screen = render(&mut m, 80, 24);
    let row = screen
        .lines()
        .find(|l| l.contains("Cancelled"))
        .expect("#3's row");
    assert!(row.trim_end().ends_with('-') && !row.contains("-30m"), "{row}");
    for _ in 0..2 {
        press(&mut m, KeyCode::Char('s'));
        assert_eq!(visible_ids(&m).last(), Some(&3), "{:?}", m.queue.sort);
    }
}

#[test]
fn queue_tabs_hold_their_kinds_and_the_pool() {
    let _l = lang("en");
    let mut m = fixtures::model();
    assert_eq!(m.queue.tab(), QueueTab::Mediation);
    assert_eq!(visible_ids(&m), vec![4, 6]);
    on_tab(&mut m, QueueTab::ProBono);
    // Pro bono work and every green-channel request.
    assert_eq!(visible_ids(&m), vec![2, 6, 8]);
    on_tab(&mut m, QueueTab::Pool);
    assert_eq!(visible_ids(&m), vec![21, 22]);
    press(&mut m, KeyCode::BackTab);
    assert_eq!(m.queue.tab(), QueueTab::ProBono);
}

#[test]
fn filter_matches_title_party_and_category_in_both_languages() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    on_tab(&mut m, QueueTab::Consultations);
    press(&mut m, KeyCode::Char('/'));
    typed(&mut m, "工资");
    assert_eq!(
        visible_ids(&m),
        vec![2, 10],
        "category 工资 in Chinese, title too"
    );
    press(&mut m, KeyCode::Esc);
    assert_eq!(visible_ids(&m).len(), 5, "Esc clears the filter");
    press(&mut m, KeyCode::Char('/'));
    typed(&mut m, "WAGES");
    assert_eq!(
        visible_ids(&m),
        vec![2, 10],
        "the English category name, any case"
    );
    for _ in 0..5 {
        press(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "赵先生");
    assert_eq!(visible_ids(&m), vec![3], "a party's name");
    press(&mut m, KeyCode::Enter);
    assert!(!m.queue.filtering);
    assert_eq!(visible_ids(&m), vec![3], "Enter keeps the filter");
    // While filtering, letters are text, not keys: 'q' did not quit.
    press(&mut m, KeyCode::Char('/'));
    typed(&mut m, "q");
    assert!(!m.quitting);
}

#[test]
fn claim_only_from_the_pool_and_a_conflict_names_who_took_it() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_tab(&mut m, QueueTab::Consultations);
    assert_eq!(
        press(&mut m, KeyCode::Char('c')),
        None,
        "my own items are not claimed"
    );
    on_tab(&mut m, QueueTab::Pool);
    assert_eq!(press(&mut m, KeyCode::Char('c')), Some(Command::Claim(21)));
    let cmd = update(
        &mut m,
        Message::ClaimConflict {
            item_id: 21,
            taken_by: "李律师".into(),
        },
    );
    assert_eq!(cmd, Some(Command::Refresh));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("#21 was already taken by 李律师"), "{screen}");
    press(&mut m, KeyCode::Enter);
    assert!(m.popup.is_none());
}

#[test]
fn enter_opens_detail_and_esc_goes_back() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_tab(&mut m, QueueTab::Consultations);
    press(&mut m, KeyCode::Char('j'));
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::FetchDetail(2)));
    assert_eq!(m.screen, Screen::Detail);
    let item = m.detail_item().cloned().expect("cached row shown at once");
    update(
        &mut m,
        Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&item))),
    );
    assert!(render(&mut m, 80, 24).contains("已告知可协商解除"));
    press(&mut m, KeyCode::Esc);
    assert_eq!(m.screen, Screen::Queue);
}

#[test]
fn schedule_days_marks_and_join_link() {
    let _l = lang("en");
    let mut m = fixtures::model();
    assert_eq!(
        press(&mut m, KeyCode::Char('2')),
        Some(Command::FetchSchedule("2026-11-24".into()))
    );
    update(&mut m, Message::ScheduleLoaded(fixtures::schedule()));
    assert_eq!(
        press(&mut m, KeyCode::Char('b')),
        Some(Command::MarkSession {
            item_id: 4,
            mark: SessionMark::Started,
            version: 3
        })
    );
    press(&mut m, KeyCode::Char('j'));
    // #6 is new: it cannot have ended.
    assert_eq!(press(&mut m, KeyCode::Char('e')), None);
    assert_eq!(
        press(&mut m, KeyCode::Char('y')),
        Some(Command::CopyToClipboard("https://meet.example.cn/r/6".into()))
    );
    assert!(
        render(&mut m, 80, 24).contains("https://meet.example.cn/r/6"),
        "shown for selection too"
    );
    assert_eq!(
        press(&mut m, KeyCode::Char(']')),
        Some(Command::FetchSchedule("2026-11-25".into()))
    );
    assert_eq!(
        press(&mut m, KeyCode::Left),
        Some(Command::FetchSchedule("2026-11-24".into()))
    );
}

#[test]
fn duty_check_in_and_out() {
    let _l = lang("en");
    let mut m = fixtures::model();
    assert_eq!(press(&mut m, KeyCode::Char('3')), Some(Command::FetchDuty));
    update(&mut m, Message::DutyLoaded(fixtures::shifts()));
    assert_eq!(press(&mut m, KeyCode::Char('o')), Some(Command::CheckOut(31)));
    press(&mut m, KeyCode::Down);
    assert_eq!(press(&mut m, KeyCode::Char('i')), Some(Command::CheckIn(32)));
}

#[test]
fn outbox_retry_and_discard_with_confirmation() {
    let _l = lang("en");
    let mut m = fixtures::model();
    press(&mut m, KeyCode::Char('4'));
    assert_eq!(m.screen, Screen::Outbox);
    press(&mut m, KeyCode::Down);
    assert_eq!(
        press(&mut m, KeyCode::Char('r')),
        Some(Command::RetryOutbox("a2".into()))
    );
    assert_eq!(press(&mut m, KeyCode::Char('d')), None, "asks first");
    assert_eq!(press(&mut m, KeyCode::Char('n')), None);
    assert!(m.popup.is_none());
    press(&mut m, KeyCode::Char('d'));
    assert_eq!(
        press(&mut m, KeyCode::Char('y')),
        Some(Command::DiscardOutbox("a2".into()))
    );
}

#[test]
fn palette_finds_screens_and_actions_in_either_language() {
    let _l = lang("en");
    let mut m = fixtures::model();
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "值班");
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::FetchDuty));
    assert_eq!(m.screen, Screen::Duty);
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "outbox");
    press(&mut m, KeyCode::Enter);
    assert_eq!(m.screen, Screen::Outbox);
    press(&mut m, KeyCode::Char(':'));
    typed(&mut m, "quit");
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::Quit));
}

#[test]
fn keymap_overrides_change_keys_and_help_shows_them() {
    let _l = lang("en");
    let table: toml::Table = "claim = \"C\"\nquit = [\"Q\", \"ctrl-q\"]".parse().expect("toml");
    let mut m = fixtures::model();
    m.keymap = Keymap::with_overrides(Some(&table)).expect("valid overrides");
    on_tab(&mut m, QueueTab::Pool);
    assert_eq!(press(&mut m, KeyCode::Char('c')), None);
    assert_eq!(press(&mut m, KeyCode::Char('C')), Some(Command::Claim(21)));
    assert_eq!(press(&mut m, KeyCode::Char('q')), None);
    press(&mut m, KeyCode::Char('?'));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("C           Claim"), "{screen}");
    assert!(screen.contains("Q/^q"), "{screen}");
    press(&mut m, KeyCode::Esc);
    assert_eq!(press(&mut m, KeyCode::Char('Q')), Some(Command::Quit));
}

#[test]
fn keymap_mistakes_are_explained() {
    let _l = lang("en");
    let bad: toml::Table = "clam = \"c\"".parse().expect("toml");
    let err = Keymap::with_overrides(Some(&bad)).expect_err("unknown action");
    assert!(err.to_string().contains("clam is not an action"), "{err}");
    let bad: toml::Table = "claim = \"shift-enter-x\"".parse().expect("toml");
    let err = Keymap::with_overrides(Some(&bad)).expect_err("bad key");
    assert!(err.to_string().contains("not a key"), "{err}");
}

#[test]
fn pushed_assignment_notifies_and_rings_when_asked() {
    let _l = lang("en");
    let mut m = fixtures::model();
    let ev = dutydesk::api::ChangeEvent {
        item_id: Some(40),
        ..dutydesk::api::ChangeEvent::bare(dutydesk::api::ChangeKind::Assigned, NOW)
    };
    assert_eq!(
        update(&mut m, Message::Pushed(ev.clone())),
        Some(Command::Refresh)
    );
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("New assignment #40"), "{screen}");
    m.bell = true;
    assert_eq!(update(&mut m, Message::Pushed(ev)), Some(Command::Bell));
}

/// A refresh or another sort keeps the cursor on the item it was on, so the
/// next claim or Enter acts on what the lawyer picked.
#[test]
fn the_cursor_stays_on_its_item_through_a_refresh_and_a_sort() {
    let _l = lang("en");
    let mut m = fixtures::model();
    on_tab(&mut m, QueueTab::Consultations);
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Down);
    let picked = m.selected_item().expect("a row").id;
    // A refresh where an item due sooner arrives above it.
    let mut items = m.items.clone();
    let mut sooner = items.iter().find(|i| i.id == 1).expect("fixture #1").clone();
    sooner.id = 99;
    sooner.due_at = NOW - 3_600_000;
    items.push(sooner);
    update(&mut m, Message::ItemsLoaded(items));
    assert_eq!(m.selected_item().map(|i| i.id), Some(picked));
    press(&mut m, KeyCode::Char('s'));
    assert_eq!(m.selected_item().map(|i| i.id), Some(picked));
    // Another tab starts at the top.
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.queue.selected, 0);
}

/// Moving down a long day keeps the selected session on screen, whichever
/// room it is in (each room adds a head and a timeline line).
#[test]
fn the_selected_session_stays_on_screen_in_a_long_day() {
    let _l = lang("en");
    let mut m = fixtures::model();
    press(&mut m, KeyCode::Char('2'));
    let mut day = fixtures::schedule();
    let mut n = 0;
    for room in &mut day.rooms {
        let first = room.sessions[0].clone();
        room.sessions = (0..8)
            .map(|_| {
                n += 1;
                let mut s = first.clone();
                s.id = 500 + n;
                s.title = format!("Session number {n}");
                s
            })
            .collect();
    }
    let total = n;
    update(&mut m, Message::ScheduleLoaded(day));
    for k in 1..=total {
        let screen = render(&mut m, 80, 24);
        assert!(
            screen.contains(&format!("Session number {k} ")),
            "session {k}:\n{screen}"
        );
        press(&mut m, KeyCode::Char('j'));
    }
}
