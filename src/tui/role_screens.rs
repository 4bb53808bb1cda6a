//! The screens each role works on, and the words that say so: read by the
//! screens (through the context) as well as by `roles`, so kept apart from
//! the model.

use rust_i18n::t;

use super::context::Context;
use super::keymap::Action;
use super::shared::Screen;
use crate::domain::Role;

/// The screens a role works on; everything while the role is not known
/// yet (the first start before `/me` answered).
pub fn screens(role: Option<Role>) -> &'static [Screen] {
    use Screen::*;
    match role {
        // Room operators keep the rooms' day; they have no work of their own.
        Some(Role::Operator) => &[Schedule, Duty, Outbox],
        // Coordinators read the unit's forms, dispatch its work and keep the
        // rooms' day.
        Some(Role::Coordinator) => &[Stats, Dispatch, Schedule, Duty, Outbox],
        // The intake desk registers work and sees what it registered, and
        // what waits to be sent.
        Some(Role::Intake) => &[Intake, Outbox],
        // Those who take work register and dispatch none.
        Some(Role::Lawyer | Role::Mediator) => &[Queue, Detail, Schedule, Duty, Outbox, Stats],
        // Admins oversee every unit: every screen.
        Some(Role::Admin) | None => &Screen::ALL,
    }
}

/// The action that opens a screen.
pub fn go_action(screen: Screen) -> Option<Action> {
    match screen {
        Screen::Queue => Some(Action::GoQueue),
        Screen::Schedule => Some(Action::GoSchedule),
        Screen::Duty => Some(Action::GoDuty),
        Screen::Outbox => Some(Action::GoOutbox),
        Screen::Stats => Some(Action::GoStats),
        Screen::Dispatch => Some(Action::GoDispatch),
        Screen::Intake => Some(Action::GoIntake),
        Screen::Detail => None,
    }
}

/// The role's name in the user's language.
pub fn role_label(role: Role) -> String {
    let key = format!("roles.role.{}", role.as_str());
    t!(&key).into_owned()
}

/// "As a room operator you work on: Schedule (2) · Duty (3) · Outbox (4)".
pub fn what_role_may_do(cx: &Context) -> String {
    let screens: Vec<String> = screens(cx.role)
        .iter()
        .filter_map(|s| {
            let key = cx.keymap.keys(go_action(*s)?).first()?.display();
            Some(format!("{} ({key})", s.label()))
        })
        .collect();
    let list = screens.join(&t!("roles.list_separator"));
    match cx.role {
        Some(role) => t!("roles.may_do", role = role_label(role), screens = list).into_owned(),
        None => t!("roles.may_do_unknown", screens = list).into_owned(),
    }
}

/// Where a role starts when it is not the queue: room operators keep the
/// day's sessions running, coordinators read and file the forms.
pub fn home_action(role: Role) -> Option<Action> {
    match role {
        Role::Operator => Some(Action::GoSchedule),
        Role::Coordinator => Some(Action::GoStats),
        Role::Intake => Some(Action::GoIntake),
        Role::Lawyer | Role::Mediator | Role::Admin => None,
    }
}

/// Who books, moves and cancels sessions: the room's operator, the
/// coordinator, an admin (the server decides per room; before `/me` has
/// answered it is offered).
pub fn may_book(role: Option<Role>) -> bool {
    role.is_none_or(|r| matches!(r, Role::Operator | Role::Coordinator | Role::Admin))
}
