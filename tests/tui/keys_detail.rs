//! `update` on the detail screen and its forms: keys in, model and
//! commands out. Pure.

use crossterm::event::KeyCode;
use dutydesk::domain::{ItemStatus, OutcomeCode, Yuan};
use dutydesk::tui::popups::Popup;
use dutydesk::tui::popups::outcome::FormState;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, NOW, lang};
use crate::{press, render, typed};

fn open_detail(m: &mut Model, id: i64) {
    m.detail_id = Some(id);
    m.screen = Screen::Detail;
}

#[test]
fn detail_timer_accept_transition_and_typical_case() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 6);
    assert_eq!(
        press(&mut m, KeyCode::Char('a')),
        Some(Command::Transition {
            id: 6,
            to: ItemStatus::Accepted,
            version: 3
        })
    );
    open_detail(&mut m, 2);
    assert_eq!(press(&mut m, KeyCode::Char('t')), Some(Command::StartTimer(2)));
    // `t` starts work as `dutydesk start` does: new → accepted → in progress.
    let item = m.items.iter().find(|i| i.id == 2).expect("item 2");
    assert_eq!((item.status, item.version), (ItemStatus::InProgress, 5));
    update(&mut m, Message::Tick(NOW + 12 * 60_000 + 5_000));
    assert!(
        render(&mut m, 80, 24).contains("⏱ #2 00:12:05"),
        "the status bar shows the timer"
    );
    assert_eq!(press(&mut m, KeyCode::Char('t')), Some(Command::StopTimer));
    assert!(m.timer.is_none());
    assert_eq!(
        press(&mut m, KeyCode::Char('f')),
        Some(Command::FlagTypical {
            id: 2,
            typical: true,
            version: 5
        })
    );
    // An accepted item cannot be accepted again: a message, no command.
    open_detail(&mut m, 1);
    assert_eq!(press(&mut m, KeyCode::Char('a')), None);
    assert!(m.notice.as_ref().is_some_and(|n| n.error));
    press(&mut m, KeyCode::Char('x'));
    let Some(Popup::Transition(p)) = &m.popup else {
        panic!("transition picker")
    };
    assert_eq!(p.choices, vec![ItemStatus::InProgress, ItemStatus::Cancelled]);
    press(&mut m, KeyCode::Down);
    // Cancelling cannot be undone: asked first, then sent on yes.
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(matches!(m.popup, Some(Popup::Confirm(_))), "{:?}", m.popup);
    assert_eq!(
        press(&mut m, KeyCode::Char('y')),
        Some(Command::Transition {
            id: 1,
            to: ItemStatus::Cancelled,
            version: 3
        })
    );
}

#[test]
fn outcome_form_prefills_timer_minutes_validates_and_reports_saved_then_sent() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 4); // a mediation
    press(&mut m, KeyCode::Char('t'));
    update(&mut m, Message::Tick(NOW + 44 * 60_000 + 1));
    assert_eq!(press(&mut m, KeyCode::Char('o')), None);
    let Some(Popup::Outcome(form)) = &m.popup else {
        panic!("outcome form")
    };
    assert_eq!(form.minutes, "45", "rounded up from the timer");
    assert_eq!(form.code(), OutcomeCode::Agreement);
    // Settled amount: a typo is explained, nothing is saved.
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "12,00x");
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("is not an amount of yuan"), "{screen}");
    for _ in 0..6 {
        press(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "¥12,000.50");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "双方同意分期");
    let cmd = update(&mut m, Message::Key(ctrl('s')));
    let Some(Command::SaveOutcome {
        request,
        item_id,
        outcome,
    }) = cmd
    else {
        panic!("save: {cmd:?}")
    };
    assert_eq!(item_id, 4);
    assert_eq!(outcome.code, OutcomeCode::Agreement);
    assert_eq!(outcome.minutes, Some(45));
    assert_eq!(outcome.settled_amount, Yuan::parse("12000.50").ok());
    assert_eq!(outcome.note.as_deref(), Some("双方同意分期"));
    // Not "saved" until the outbox says so.
    assert!(render(&mut m, 80, 24).contains("Saving…"));
    update(
        &mut m,
        Message::Sent {
            request: request + 99,
        },
    );
    assert_eq!(
        update(&mut m, Message::Saved { request }),
        Some(Command::DiscardDraft(4))
    );
    let Some(Popup::Outcome(form)) = &m.popup else {
        panic!("form stays open")
    };
    assert_eq!(form.state, FormState::Saved(request));
    update(&mut m, Message::Sent { request });
    assert!(render(&mut m, 80, 24).contains("Sent: the server has it."));
}

fn ctrl(c: char) -> crossterm::event::KeyEvent {
    crossterm::event::KeyEvent::new(KeyCode::Char(c), crossterm::event::KeyModifiers::CONTROL)
}

#[test]
fn outcome_form_applies_the_domain_rules_in_the_users_language() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    open_detail(&mut m, 8); // pro bono: "completed" must say the fee waived
    press(&mut m, KeyCode::Char('o'));
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(render(&mut m, 80, 24).contains("请填写减免费用"));
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "2000");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "0");
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(render(&mut m, 80, 24).contains("分钟数须在 1 到 720 之间"));
    press(&mut m, KeyCode::BackTab);
    for _ in 0..4 {
        press(&mut m, KeyCode::Backspace);
    }
    typed(&mut m, "20");
    assert!(matches!(
        press(&mut m, KeyCode::Enter),
        Some(Command::SaveOutcome { .. })
    ));
}

#[test]
fn a_failed_save_keeps_the_form_with_the_message() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    press(&mut m, KeyCode::Char('o'));
    let Some(Command::SaveOutcome { request, .. }) = press(&mut m, KeyCode::Enter) else {
        panic!()
    };
    update(
        &mut m,
        Message::Failed {
            request,
            message: "item is closed\x1b[2J".into(),
        },
    );
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("Not accepted: item is closed"), "{screen}");
}

/// Saved, then refused by the server: the form says so and where to fix
/// it, and saves nothing more (the entry already waits in the outbox).
#[test]
fn a_refusal_after_saving_shows_in_the_form_and_points_to_the_outbox() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    press(&mut m, KeyCode::Char('o'));
    let Some(Command::SaveOutcome { request, .. }) = press(&mut m, KeyCode::Enter) else {
        panic!()
    };
    update(&mut m, Message::Saved { request });
    update(
        &mut m,
        Message::Failed {
            request,
            message: "item is closed".into(),
        },
    );
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("Refused: item is closed"), "{screen}");
    assert!(screen.contains("Outbox (4)"), "{screen}");
    assert!(typed(&mut m, "30").is_empty(), "nothing to save again");
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(m.popup.is_none(), "Enter only closes it");
}

#[test]
fn draft_of_an_open_form_is_kept_and_offered_back() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    press(&mut m, KeyCode::Char('o'));
    press(&mut m, KeyCode::Down);
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "30");
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "未说完的备注");
    let draft = dutydesk::tui::update::open_draft(&m).expect("a draft");
    assert_eq!(draft.code.as_deref(), Some("referred_legal_aid"));
    assert_eq!(draft.note, "未说完的备注");
    // Next start: the draft comes back into the form.
    let mut again = fixtures::model();
    let item = again
        .items
        .iter()
        .find(|i| i.id == draft.item_id)
        .expect("the item");
    let item = Box::new(item.clone());
    update(&mut again, Message::DraftFound { draft, item });
    let Some(Popup::Outcome(form)) = &again.popup else {
        panic!("form reopened")
    };
    assert_eq!(form.minutes, "30");
    assert_eq!(form.code(), OutcomeCode::ReferredLegalAid);
    assert_eq!(form.note_text(), "未说完的备注");
}

#[test]
fn time_and_note_forms() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    press(&mut m, KeyCode::Char('m'));
    typed(&mut m, "40");
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Right);
    let Some(Command::SaveTime { request, entry }) = press(&mut m, KeyCode::Enter) else {
        panic!()
    };
    assert_eq!(
        (entry.item_id, entry.minutes, entry.activity.as_str()),
        (1, 40, "session")
    );
    update(&mut m, Message::Saved { request });
    assert!(m.popup.is_none());
    press(&mut m, KeyCode::Char('n'));
    typed(&mut m, "已电话回访");
    let Some(Command::AddNote { item_id, note, .. }) = press(&mut m, KeyCode::Enter) else {
        panic!()
    };
    assert_eq!((item_id, note.as_str()), (1, "已电话回访"));
}

#[test]
fn an_open_form_is_autosaved_once_per_change() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    assert_eq!(
        update(&mut m, Message::Tick(NOW + 1_000)),
        None,
        "no form, nothing to keep"
    );
    press(&mut m, KeyCode::Char('o'));
    press(&mut m, KeyCode::Tab);
    typed(&mut m, "15");
    let Some(Command::SaveDraft(draft)) = update(&mut m, Message::Tick(NOW + 2_000)) else {
        panic!()
    };
    assert_eq!((draft.item_id, draft.minutes.as_str()), (1, "15"));
    assert_eq!(update(&mut m, Message::Tick(NOW + 3_000)), None, "unchanged");
    typed(&mut m, "0");
    assert!(matches!(
        update(&mut m, Message::Tick(NOW + 4_000)),
        Some(Command::SaveDraft(_))
    ));
}

#[test]
fn detail_scrolls_to_show_long_history() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 1);
    let item = m.detail_item().cloned().expect("item");
    let mut detail = fixtures::detail_of(&item);
    let first = detail.history[0].clone();
    detail.history = (0..40)
        .map(|i| {
            let mut h = first.clone();
            h.note = format!("记录{i:02}");
            h
        })
        .collect();
    update(&mut m, Message::ItemDetailLoaded(Box::new(detail)));
    assert!(render(&mut m, 80, 24).contains("记录39"), "newest first");
    assert!(!render(&mut m, 80, 24).contains("记录00"));
    for _ in 0..60 {
        press(&mut m, KeyCode::Down);
    }
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("记录00"), "{screen}");
    // Scrolling past the end does not have to be undone key by key.
    press(&mut m, KeyCode::Up);
    assert!(!render(&mut m, 80, 24).contains("记录00"));
}

/// The history's entries read in the user's language, plain data included:
/// an outcome code, minutes, the typical-case flag.
#[test]
fn history_entries_read_in_the_users_language() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    let item = m.items.iter().find(|i| i.id == 2).expect("fixture #2").clone();
    let mut detail = fixtures::detail_of(&item);
    let entry = |action: &str, note: &str| dutydesk::api::HistoryEntry {
        at: NOW - 60_000,
        actor: None,
        action: dutydesk::api::HistoryAction::named(action),
        from_status: None,
        to_status: None,
        note: note.into(),
    };
    detail.history = vec![
        entry("outcome", "answered"),
        entry("time", "40"),
        entry("typical_case", "flagged"),
        entry("assigned", "李华律师"),
    ];
    m.detail_id = Some(2);
    m.screen = dutydesk::tui::Screen::Detail;
    update(&mut m, Message::ItemDetailLoaded(Box::new(detail)));
    let screen = render(&mut m, 80, 24);
    for shown in [
        "办理结果 已解答",
        "工时 40 分钟",
        "典型案例 已标记",
        "分派 李华律师",
    ] {
        assert!(screen.contains(shown), "{shown}:\n{screen}");
    }
    assert!(
        !screen.contains("answered") && !screen.contains("flagged"),
        "{screen}"
    );
}
