//! The coordinator's Dispatch screen as state and pure steps: the unit's
//! open work in views (unassigned, overdue, all, one person's), the assign
//! picker, and what the server's answers do. No I/O: the backend fetches
//! (`Command::FetchDispatch`) and assigns (`Command::Assign`).

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Message, Model, Screen};
use super::popups::Popup;
use super::popups::assign::AssignPicker;

use super::screens::dispatch::DispatchView;
use crate::api::dispatch::UnitPerson;
use crate::api::intake::ConflictEntry;
use crate::api::{UnitRef, WorkItem};
use crate::text as sanitize;

/// Opening the screen: the unit's work and people are fetched each time
/// (what shows meanwhile is the last answer).
pub fn go(model: &mut Model) -> Option<Command> {
    model.screen = Screen::Dispatch;
    model.dispatch.loading = true;
    Some(fetch(model))
}

/// The fetch of the unit chosen: the own unit (`None`) or one below.
pub fn fetch(model: &Model) -> Command {
    let d = &model.dispatch;
    Command::FetchDispatch(d.units.get(d.at).filter(|_| d.at > 0).map(|u| u.0))
}

pub fn apply(model: &mut Model, action: Action) -> Option<Command> {
    let now = model.now;
    let d = &mut model.dispatch;
    match action {
        Action::DispatchNextTab | Action::DispatchPrevTab => {
            let views = d.views();
            let at = views.iter().position(|v| *v == d.view).unwrap_or(0);
            let n = views.len();
            let next = if action == Action::DispatchNextTab {
                (at + 1) % n
            } else {
                (at + n - 1) % n
            };
            d.view = views[next];
            d.selected = 0;
            None
        }
        Action::Assign => {
            let item = d.selected_item(now)?.clone();
            let picker = AssignPicker::assign(&item, &d.people);
            model.popup = Some(Popup::Assign(Box::new(picker)));
            None
        }
        Action::ToPool => {
            let item = d.selected_item(now)?.clone();
            if item.assignee.is_none() {
                model.warn(t!("dispatch.already_pooled", id = item.id));
                return None;
            }
            let mut picker = AssignPicker::assign(&item, &d.people);
            picker.selected = 0;
            model.popup = Some(Popup::Assign(Box::new(picker)));
            None
        }
        Action::NextUnit if d.units.len() > 1 => {
            d.at = (d.at + 1) % d.units.len();
            d.loading = true;
            d.selected = 0;
            Some(fetch(model))
        }
        _ => None,
    }
}

/// A lawyer gives their own item (on the detail screen) back to the pool.
pub fn release(model: &mut Model) -> Option<Command> {
    let item = model.detail_item()?.clone();
    model.popup = Some(Popup::Assign(Box::new(AssignPicker::release(&item))));
    None
}

pub fn move_selection(model: &mut Model, by: isize) {
    let n = model.dispatch.rows(model.now).len();
    model.dispatch.selected = super::screens::step(model.dispatch.selected, n, by);
}

/// The unit's work and people as the server has them now; the answer for
/// a unit no longer chosen (a slow one after `u`) is dropped.
pub fn on_loaded(
    model: &mut Model,
    unit: (i64, String),
    items: Vec<WorkItem>,
    people: Vec<UnitPerson>,
    below: Vec<UnitRef>,
) {
    let d = &mut model.dispatch;
    match d.units.get(d.at) {
        Some(chosen) if chosen.0 != unit.0 => return,
        // The own unit's answer says which units are below it.
        None | Some(_) if d.at == 0 => {
            d.units = std::iter::once(unit.clone())
                .chain(below.into_iter().map(|u| (u.id, u.name)))
                .collect();
        }
        _ => {}
    }
    let selected_id = d.selected_item(model.now).map(|i| i.id);
    // A person's view stays on that person, wherever they are in the list.
    let person = match d.view {
        DispatchView::Person(i) => d.people.get(i).map(|p| p.id),
        _ => None,
    };
    d.unit = Some(unit);
    d.items = items;
    d.people = people;
    d.loading = false;
    if let Some(id) = person {
        d.view = match d.people.iter().position(|p| p.id == id) {
            Some(i) => DispatchView::Person(i),
            None => DispatchView::Open,
        };
    }
    let rows = d.rows(model.now);
    let n = rows.len();
    d.selected = selected_id
        .and_then(|id| rows.iter().position(|i| i.id == id))
        .unwrap_or(d.selected)
        .min(n.saturating_sub(1));
}

/// The server gave the item out (or back): said, with any conflicts of
/// interest, and what shows it is fetched again.
pub fn on_assigned(model: &mut Model, item: WorkItem, conflicts: Vec<ConflictEntry>) -> Option<Command> {
    let text = match &item.assignee {
        Some(a) => t!(
            "dispatch.assigned",
            id = item.id,
            name = sanitize::clean(&a.display_name)
        ),
        None => t!("dispatch.pooled", id = item.id),
    };
    model.notify(text);
    // The same warning, to acknowledge, as on intake and on a claim.
    if !conflicts.is_empty() {
        let warning = crate::client::intake_queue::Warning {
            item_id: item.id,
            version: item.version,
            title: item.title.clone(),
            conflicts,
        };
        super::intake_actions::on_message(model, Message::ConflictsFound(warning));
    }
    if model.screen == Screen::Dispatch {
        if let Some(row) = model.dispatch.items.iter_mut().find(|i| i.id == item.id) {
            *row = item;
        }
        return Some(fetch(model));
    }
    Some(super::follow::reload(model, Some(item.id)))
}

/// Someone changed the item since it was loaded (409): said, and the list
/// is fetched again so the next try has the current version.
pub fn on_stale(model: &mut Model, item_id: i64) -> Option<Command> {
    model.warn(t!("dispatch.stale", id = item_id));
    if model.screen == Screen::Dispatch {
        Some(fetch(model))
    } else {
        Some(super::follow::reload(model, Some(item_id)))
    }
}
