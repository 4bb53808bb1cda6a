//! `update` per screen: keys in, model and commands out. Pure.

use crossterm::event::KeyCode;
use dutydesk::domain::{ItemStatus, OutcomeCode, Yuan};
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::model::{QueueTab, SessionMark, SortOrder};
use dutydesk::tui::popups::Popup;
use dutydesk::tui::popups::outcome::FormState;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, NOW, lang};
use crate::{press, render, typed};

fn visible_ids(m: &Model) -> Vec<i64> {
    m.queue.index.rows.iter().map(|&r| m.tab_source()[r].id).collect()
}

fn on_tab(m: &mut Model, tab: QueueTab) {
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

fn open_detail(m: &mut Model, id: i64) {
    m.detail_id = Some(id);
    m.screen = Screen::Detail;
}

#[test]
fn detail_timer_accept_transition_and_typical_case() {
    let _l = lang("en");
    let mut m = fixtures::model();
    open_detail(&mut m, 2);
    assert_eq!(press(&mut m, KeyCode::Char('t')), Some(Command::StartTimer(2)));
    update(&mut m, Message::Tick(NOW + 12 * 60_000 + 5_000));
    assert!(
        render(&mut m, 80, 24).contains("⏱ #2 00:12:05"),
        "the status bar shows the timer"
    );
    assert_eq!(press(&mut m, KeyCode::Char('t')), Some(Command::StopTimer));
    assert!(m.timer.is_none());
    assert_eq!(
        press(&mut m, KeyCode::Char('a')),
        Some(Command::Transition {
            id: 2,
            to: ItemStatus::Accepted,
            version: 3
        })
    );
    assert_eq!(
        press(&mut m, KeyCode::Char('f')),
        Some(Command::FlagTypical {
            id: 2,
            typical: true,
            version: 3
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
    assert_eq!(
        press(&mut m, KeyCode::Enter),
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
    assert!(render(&mut m, 80, 24).contains("分钟数须在 1 到 1440 之间"));
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
    update(&mut again, Message::DraftFound(draft));
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
        kind: dutydesk::api::ChangeKind::Assigned,
        item_id: Some(40),
        at: NOW,
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
