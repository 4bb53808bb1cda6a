//! The coordinator's Dispatch screen and the assign picker: views of the
//! unit's open work, the picker with each person's load, a reason to send
//! work back to the pool, a 409 that reloads, conflicts shown, live pushes;
//! a lawyer's release from the detail. Pure `update`, and snapshots in
//! both languages at 80x24 and 120x40.

use crossterm::event::KeyCode;
use dutydesk::api::{ChangeEvent, ChangeKind, WorkItem};
use dutydesk::domain::Role;
use dutydesk::tui::popups::Popup;
use dutydesk::tui::screens::dispatch::DispatchView;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::dispatch_fixtures::{conflict, coordinator_on_dispatch, loaded, people, unit_items};
use crate::fixtures::{self, NOW, lang, user};
use crate::{press, render, typed};

fn picker(m: &Model) -> &dutydesk::tui::popups::assign::AssignPicker {
    match &m.popup {
        Some(Popup::Assign(p)) => p,
        other => panic!("the assign picker is open, not {other:?}"),
    }
}

#[test]
fn views_cycle_unassigned_overdue_open_then_each_person() {
    let _l = lang("en");
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    let d = &m.dispatch;
    assert_eq!(d.view, DispatchView::Unassigned);
    assert_eq!(d.rows(NOW).iter().map(|i| i.id).collect::<Vec<_>>(), [21, 22]);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.dispatch.view, DispatchView::Overdue);
    assert_eq!(m.dispatch.rows(NOW).iter().map(|i| i.id).collect::<Vec<_>>(), [3]);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.dispatch.rows(NOW).len(), 10);
    press(&mut m, KeyCode::Tab);
    press(&mut m, KeyCode::Tab);
    assert_eq!(m.dispatch.view, DispatchView::Person(1));
    let ids: Vec<i64> = m.dispatch.rows(NOW).iter().map(|i| i.id).collect();
    assert_eq!(ids, [8, 9], "李华律师's");
    // A reload keeps the person's view on that person.
    let mut people = people();
    people.reverse();
    update(
        &mut m,
        Message::DispatchLoaded {
            unit: (1, "明德律师事务所".into()),
            items: unit_items(),
            people,
            units_below: vec![],
        },
    );
    assert_eq!(m.dispatch.view, DispatchView::Person(2));
    press(&mut m, KeyCode::BackTab);
    press(&mut m, KeyCode::BackTab);
    press(&mut m, KeyCode::BackTab);
    press(&mut m, KeyCode::BackTab);
    press(&mut m, KeyCode::BackTab);
    assert_eq!(m.dispatch.view, DispatchView::Unassigned);
}

#[test]
fn the_picker_assigns_with_the_version_and_suggests_the_least_loaded() {
    let _l = lang("en");
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    let p = picker(&m);
    assert_eq!((p.item_id, p.target()), (21, Some(12)), "郑凯律师 holds least");
    press(&mut m, KeyCode::Up);
    press(&mut m, KeyCode::Up);
    assert_eq!(picker(&m).target(), Some(7));
    let version = m.dispatch.items.iter().find(|i| i.id == 21).map(|i| i.version);
    assert_eq!(
        press(&mut m, KeyCode::Enter),
        Some(Command::Assign {
            item_id: 21,
            assignee_id: Some(7),
            version: version.unwrap_or_default(),
            reason: None,
        })
    );
    assert!(m.popup.is_none());
}

#[test]
fn back_to_the_pool_needs_a_reason() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    press(&mut m, KeyCode::Tab);
    // #3 is 王律师's and overdue: 'p' opens the picker on the pool.
    assert_eq!(press(&mut m, KeyCode::Char('p')), None);
    assert_eq!(picker(&m).target(), None);
    assert_eq!(press(&mut m, KeyCode::Enter), None);
    assert!(render(&mut m, 80, 24).contains("退回值班池须说明原因"));
    typed(&mut m, "当事人要求更换律师");
    let cmd = press(&mut m, KeyCode::Enter);
    assert_eq!(
        cmd,
        Some(Command::Assign {
            item_id: 3,
            assignee_id: None,
            version: 3,
            reason: Some("当事人要求更换律师".into()),
        })
    );
    // On the pool tab, 'p' says the item is in the pool already.
    press(&mut m, KeyCode::BackTab);
    assert_eq!(press(&mut m, KeyCode::Char('p')), None);
    assert!(m.popup.is_none());
    assert!(m.notice.as_ref().is_some_and(|n| n.text.contains("已在值班池")));
}

#[test]
fn a_stale_version_says_so_and_reloads_and_an_answer_reloads_too() {
    let _l = lang("en");
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    assert_eq!(
        update(&mut m, Message::AssignStale { item_id: 21 }),
        Some(Command::FetchDispatch(None))
    );
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.error && n.text.contains("changed by someone else"))
    );
    let mut item = unit_items().into_iter().find(|i| i.id == 21).expect("21");
    item.assignee = Some(user(12, "郑凯律师"));
    let cmd = update(
        &mut m,
        Message::Assigned {
            item: Box::new(item),
            conflicts: vec![],
        },
    );
    assert_eq!(cmd, Some(Command::FetchDispatch(None)));
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text == "#21 assigned to 郑凯律师")
    );
    assert!(m.popup.is_none(), "no conflicts, no dialog");
}

#[test]
fn conflicts_in_the_answer_are_shown() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    let mut item = unit_items().into_iter().find(|i| i.id == 22).expect("22");
    item.assignee = Some(user(2, "李华律师"));
    update(
        &mut m,
        Message::Assigned {
            item: Box::new(item),
            conflicts: vec![conflict()],
        },
    );
    assert!(matches!(m.popup, Some(Popup::Conflict(_))));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("利益冲突") && screen.contains("#17"), "{screen}");
}

#[test]
fn pushes_reload_the_screen_while_it_shows() {
    let mut m = fixtures::model();
    coordinator_on_dispatch(&mut m);
    let push = |kind| {
        Message::Pushed(ChangeEvent {
            kind,
            item_id: Some(21),
            at: NOW,
            change_seq: None,
            item: None,
            gone: false,
        })
    };
    assert_eq!(
        update(&mut m, push(ChangeKind::PoolChanged)),
        Some(Command::FetchDispatch(None))
    );
    assert_eq!(
        update(&mut m, push(ChangeKind::Updated)),
        Some(Command::FetchDispatch(None))
    );
    assert_eq!(update(&mut m, push(ChangeKind::Heartbeat)), None);
}

#[test]
fn a_lawyer_releases_their_item_from_the_detail_with_a_reason() {
    let _l = lang("en");
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Lawyer,
            user_id: 7,
        },
    );
    // Dispatch is not a lawyer's screen.
    press(&mut m, KeyCode::Char('7'));
    assert_ne!(m.screen, Screen::Dispatch);
    m.popup = None;
    m.detail_id = Some(1);
    m.screen = Screen::Detail;
    assert_eq!(press(&mut m, KeyCode::Char('r')), None);
    assert!(picker(&m).release_only);
    assert_eq!(press(&mut m, KeyCode::Enter), None, "a reason first");
    typed(&mut m, "conflict with the other side");
    assert_eq!(
        press(&mut m, KeyCode::Enter),
        Some(Command::Assign {
            item_id: 1,
            assignee_id: None,
            version: 3,
            reason: Some("conflict with the other side".into()),
        })
    );
    // Not on a pool item: that is claimed, not released.
    m.detail_id = Some(21);
    assert_eq!(press(&mut m, KeyCode::Char('r')), None);
    assert!(m.popup.is_none());
}

#[test]
fn a_coordinator_over_units_moves_among_them() {
    let _l = lang("zh-CN");
    let mut m = fixtures::model();
    update(
        &mut m,
        Message::SignedIn {
            role: Role::Coordinator,
            user_id: 10,
        },
    );
    press(&mut m, KeyCode::Char('7'));
    let unit = |id: i64, name: &str| dutydesk::api::UnitRef {
        id,
        name: name.into(),
    };
    let bureau = |items: Vec<WorkItem>| Message::DispatchLoaded {
        unit: (4, "钟楼区司法局".into()),
        items,
        people: vec![],
        units_below: vec![unit(1, "明德律师事务所"), unit(5, "正衡律师事务所")],
    };
    update(&mut m, bureau(vec![]));
    assert!(render(&mut m, 80, 24).contains("钟楼区司法局 （u：1/3）"));
    assert_eq!(
        press(&mut m, KeyCode::Char('u')),
        Some(Command::FetchDispatch(Some(1)))
    );
    // A late answer for the bureau is not the unit asked for now.
    update(&mut m, bureau(unit_items()));
    assert!(m.dispatch.items.is_empty());
    update(&mut m, loaded());
    assert_eq!(m.dispatch.unit, Some((1, "明德律师事务所".into())));
    assert_eq!(m.dispatch.units.len(), 3, "the bureau's units stay to move among");
    assert_eq!(
        press(&mut m, KeyCode::Char('u')),
        Some(Command::FetchDispatch(Some(5)))
    );
    assert_eq!(
        press(&mut m, KeyCode::Char('u')),
        Some(Command::FetchDispatch(None))
    );
    // A push refetches the unit shown.
    press(&mut m, KeyCode::Char('u'));
    let push = Message::Pushed(ChangeEvent {
        kind: ChangeKind::Updated,
        item_id: Some(21),
        at: NOW,
        change_seq: None,
        item: None,
        gone: false,
    });
    assert_eq!(update(&mut m, push), Some(Command::FetchDispatch(Some(1))));
}

type Setup = fn(&mut Model);

const CASES: &[(&str, Setup)] = &[
    ("dispatch_unassigned", coordinator_on_dispatch),
    ("dispatch_person", |m| {
        coordinator_on_dispatch(m);
        for _ in 0..3 {
            press(m, KeyCode::Tab);
        }
    }),
    ("dispatch_picker", |m| {
        coordinator_on_dispatch(m);
        press(m, KeyCode::Tab);
        press(m, KeyCode::Enter);
        typed(m, "案情需劳动法专长");
    }),
    ("dispatch_conflicts", |m| {
        coordinator_on_dispatch(m);
        let mut item = unit_items().into_iter().find(|i| i.id == 22).expect("22");
        item.assignee = Some(user(2, "李华律师"));
        update(
            m,
            Message::Assigned {
                item: Box::new(item),
                conflicts: vec![conflict()],
            },
        );
    }),
    ("dispatch_help", |m| {
        coordinator_on_dispatch(m);
        press(m, KeyCode::Char('?'));
    }),
    ("release_dialog", |m| {
        m.detail_id = Some(2);
        m.screen = Screen::Detail;
        update(
            m,
            Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&fixtures::my_items()[1]))),
        );
        press(m, KeyCode::Char('r'));
        typed(m, "需回避");
    }),
];

#[test]
fn dispatch_and_picker_in_both_languages_and_sizes() {
    crate::snapshots::each_case_in_both_languages_and_sizes!(CASES, fixtures::model, lang, render);
}
