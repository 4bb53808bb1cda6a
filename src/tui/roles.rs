//! What the signed-in role works on: the screens it is offered and the
//! actions that make sense on what a screen shows. The server decides
//! (every check is there); this keeps the app from offering what would
//! only be refused later (a claim on one's own item, a timer on a pool
//! item, statistics a room operator has none of).

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Model, QueueTab, Screen};
use super::popups::Popup;
use super::popups::confirm::Confirm;
use super::popups::message::MessageBox;
use crate::api::WorkItem;
use crate::domain::Role;

pub use super::role_screens::{go_action, home_action, may_book, role_label, screens, what_role_may_do};

pub fn has_screen(model: &Model, screen: Screen) -> bool {
    // The detail is reached from the queue; it goes with it.
    let screen = if screen == Screen::Detail {
        Screen::Queue
    } else {
        screen
    };
    screens(model.role).contains(&screen)
}

fn screen_of(action: Action) -> Option<Screen> {
    match action {
        Action::GoQueue => Some(Screen::Queue),
        Action::GoSchedule => Some(Screen::Schedule),
        Action::GoDuty => Some(Screen::Duty),
        Action::GoOutbox => Some(Screen::Outbox),
        Action::GoStats => Some(Screen::Stats),
        Action::GoDispatch => Some(Screen::Dispatch),
        Action::GoIntake => Some(Screen::Intake),
        _ => None,
    }
}

/// Lawyers and mediators take and work items (admins may act on any).
fn works_items(role: Option<Role>) -> bool {
    role.is_none_or(|r| r.takes_work() || r == Role::Admin)
}

/// The item the current screen's item actions act on: the open item on
/// the detail screen, the selected row on the queue.
pub fn subject(model: &Model) -> Option<&WorkItem> {
    match model.screen {
        Screen::Detail => model.detail_item(),
        Screen::Queue => model.selected_item(),
        _ => None,
    }
}

/// The signed-in user's own item (assigned to them); a pool item is
/// nobody's until claimed.
pub fn is_mine(model: &Model, item: &WorkItem) -> bool {
    match (model.me_id, item.assignee.as_ref()) {
        (_, None) => false,
        (Some(me), Some(a)) => a.id == me || model.role == Some(Role::Admin),
        // Not known yet who I am: my list holds my items.
        (None, Some(_)) => model.items.iter().any(|i| i.id == item.id),
    }
}

/// Whether the signed-in role logs work of its own (activities, time);
/// before `/me` has answered, it is offered and the server decides.
pub fn counts_work(model: &Model) -> bool {
    model
        .role
        .is_none_or(|r| crate::domain::records::may_count(r).is_ok())
}

/// Whether `action` is offered on the current screen to this role, for
/// what the screen shows.
/// What the help and the palette offer where the user is: the screen's
/// own actions and the global ones this role may take here.
pub fn offered(model: &Model) -> Vec<Action> {
    model
        .keymap
        .for_screen(model.screen)
        .into_iter()
        .filter(|a| may(model, *a))
        .collect()
}

pub fn may(model: &Model, action: Action) -> bool {
    let role = model.role;
    if let Some(screen) = screen_of(action) {
        return has_screen(model, screen);
    }
    match action {
        Action::NextTab | Action::PrevTab | Action::Filter | Action::Sort | Action::Open => {
            has_screen(model, Screen::Queue)
        }
        Action::Claim => {
            works_items(role)
                && subject(model).is_some_and(|i| i.assignee.is_none())
                && (model.screen != Screen::Queue || model.queue.tab() == QueueTab::Pool)
        }
        Action::Timer
        | Action::Accept
        | Action::Transition
        | Action::LogOutcome
        | Action::AddTime
        | Action::AddNote
        | Action::FlagTypical => works_items(role) && subject(model).is_some_and(|i| is_mine(model, i)),
        // Coordinators read the rooms' day; the rest keep it running.
        Action::MarkStarted | Action::MarkEnded | Action::MarkNoShow => role != Some(Role::Coordinator),
        Action::PrevPeriod | Action::NextPeriod | Action::NextCampaign | Action::Export => {
            has_screen(model, Screen::Stats)
        }
        Action::ScopeMe => has_screen(model, Screen::Stats) && works_items(role),
        Action::ScopeUnit => has_screen(model, Screen::Stats),
        Action::OpenUnit => crate::tui::screens::stats::tree::can_open(&model.stats, model.screen),
        Action::UnitUp => !model.stats.unit_path.is_empty(),
        Action::LogActivity => counts_work(model),
        Action::Assign | Action::ToPool | Action::DispatchNextTab | Action::DispatchPrevTab => {
            has_screen(model, Screen::Dispatch)
        }
        // A coordinator over units below moves among them.
        Action::NextUnit => has_screen(model, Screen::Dispatch) && model.dispatch.units.len() > 1,
        // A lawyer gives their own unfinished item back to the pool.
        Action::Release => {
            works_items(role)
                && model.screen == Screen::Detail
                && subject(model).is_some_and(|i| is_mine(model, i) && !i.status.is_finished())
        }
        Action::BookSession | Action::MoveSession | Action::CancelSession => {
            super::role_screens::may_book(role)
        }
        Action::NewIntake => has_screen(model, Screen::Intake),
        _ => true,
    }
}

/// Says what the role may do, once, in a dialog (not in the status bar,
/// where it would stay).
fn explain(model: &mut Model) {
    model.popup = Some(Popup::Message(MessageBox {
        title: t!("roles.title").into_owned(),
        text: what_role_may_do(&model.context()),
    }));
}

/// An action not offered here: a screen of another role says what this
/// role works on; an item action on a pool item says to claim it first.
pub fn refuse(model: &mut Model, action: Action) -> Option<Command> {
    if screen_of(action).is_some() || !has_screen(model, model.screen) {
        explain(model);
        return None;
    }
    let item = subject(model).cloned();
    match (action, item) {
        (Action::Claim, Some(item)) if item.assignee.is_some() => {
            model.warn(t!("roles.not_in_pool", id = item.id));
        }
        (_, Some(item)) if item.assignee.is_none() && works_items(model.role) => {
            let key = model
                .keymap
                .keys(Action::Claim)
                .first()
                .map(|k| k.display())
                .unwrap_or_default();
            model.warn(t!("roles.claim_first", id = item.id, key = key));
        }
        _ => {
            let text = match model.role {
                Some(role) => t!(
                    "roles.action_not_for_role",
                    action = action.label(),
                    role = role_label(role)
                )
                .into_owned(),
                None => what_role_may_do(&model.context()),
            };
            model.warn(text);
        }
    }
    None
}

/// Who is signed in, from `/me`: a role seen for the first time (or a
/// different one) moves off a screen it does not use, to where it works.
/// Returns where to go, for `update` to apply.
pub fn on_signed_in(model: &mut Model, role: Role, user_id: i64) -> Option<Action> {
    let changed = model.role != Some(role);
    model.role = Some(role);
    model.me_id = Some(user_id);
    if !changed || has_screen(model, model.screen) {
        return None;
    }
    home_action(role).or_else(|| screens(Some(role)).first().copied().and_then(go_action))
}

/// The server refused a screen's data to this role: the screen says so
/// instead of loading, and the dialog says it once.
pub fn on_not_for_role(model: &mut Model, screen: Screen) {
    if screen == Screen::Stats {
        model.stats.loading = false;
    }
    let first = model.refused.insert(screen);
    if first && model.screen == screen {
        explain(model);
    }
}

/// Claim: on the detail, the open item after a yes (taking work is not
/// undone by a key); on the queue's pool tab, the selected row.
pub fn claim(model: &mut Model) -> Option<Command> {
    if model.screen == Screen::Detail {
        let item = model.detail_item()?;
        model.popup = Some(Popup::Confirm(Confirm {
            question: t!(
                "roles.claim_question",
                id = item.id,
                title = crate::text::clean(&item.title)
            )
            .into_owned(),
            command: Command::Claim(item.id),
        }));
        return None;
    }
    let id = model
        .selected_item()
        .filter(|_| model.queue.tab() == QueueTab::Pool)?
        .id;
    model.notify(t!("tui.notice.claiming", id = id));
    Some(Command::Claim(id))
}
