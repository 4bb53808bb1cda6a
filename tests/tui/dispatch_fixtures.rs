//! The Dispatch screen's fixtures: a law firm's open work and people.

use crossterm::event::KeyCode;
use dutydesk::api::WorkItem;
use dutydesk::api::dispatch::UnitPerson;
use dutydesk::api::intake::ConflictEntry;
use dutydesk::domain::Role;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, NOW, user};
use crate::press;

pub fn person(id: i64, name: &str, role: Role, open: i64, overdue: i64) -> UnitPerson {
    UnitPerson {
        id,
        username: format!("u{id}"),
        display_name: name.into(),
        role,
        open_items: open,
        overdue_items: overdue,
    }
}

pub fn people() -> Vec<UnitPerson> {
    vec![
        person(7, "王律师", Role::Lawyer, 8, 1),
        person(2, "李华律师", Role::Lawyer, 3, 0),
        person(12, "郑凯律师", Role::Lawyer, 1, 0),
        person(3, "王芳", Role::Mediator, 2, 0),
    ]
}

/// The unit's open work: the pool's two, the fixtures' eight (王律师's),
/// two of them given to 李华律师.
pub fn unit_items() -> Vec<WorkItem> {
    let mut items = fixtures::pool_items();
    for mut i in fixtures::my_items() {
        if i.id == 8 || i.id == 9 {
            i.assignee = Some(user(2, "李华律师"));
        }
        items.push(i);
    }
    items.sort_by_key(|i| (!i.green_channel, i.due_at, i.id));
    items
}

pub fn loaded() -> Message {
    Message::DispatchLoaded {
        unit: (1, "明德律师事务所".into()),
        items: unit_items(),
        people: people(),
        units_below: vec![],
    }
}

/// A coordinator on the Dispatch screen with the unit loaded.
pub fn coordinator_on_dispatch(m: &mut Model) {
    update(
        m,
        Message::SignedIn {
            role: Role::Coordinator,
            user_id: 5,
        },
    );
    assert_eq!(press(m, KeyCode::Char('7')), Some(Command::FetchDispatch(None)));
    assert_eq!(m.screen, Screen::Dispatch);
    update(m, loaded());
}

pub fn conflict() -> ConflictEntry {
    ConflictEntry {
        item_id: 17,
        created_at: NOW - 48 * fixtures::HOUR,
        assignee: Some(user(8, "孙伟律师")),
        party: "周建华".into(),
        reason: "opposite_side".into(),
    }
}
