//! The Dispatch screen's keys and the unit's answer: views, the cursor,
//! the next unit, the assign picker. On the screen's own state and the
//! read-only context; the rest is a `Reply`. The answers to an assignment
//! touch more than this screen and stay in `tui::dispatch_actions`.

use rust_i18n::t;

use super::{DispatchState, DispatchView};
use crate::api::dispatch::UnitPerson;
use crate::api::{UnitRef, WorkItem};
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::message::Command;
use crate::tui::popups::Popup;
use crate::tui::popups::assign::AssignPicker;
use crate::tui::reply::Reply;
use crate::tui::shared::Screen;

/// Opening the screen: the unit's work and people are fetched each time
/// (what shows meanwhile is the last answer).
pub fn go(d: &mut DispatchState) -> Reply {
    d.loading = true;
    Reply::go(Screen::Dispatch).and_run(fetch(d))
}

/// The fetch of the unit chosen: the own unit (`None`) or one below.
pub fn fetch(d: &DispatchState) -> Command {
    Command::FetchDispatch(d.units.get(d.at).filter(|_| d.at > 0).map(|u| u.0))
}

pub fn apply(d: &mut DispatchState, cx: &Context, action: Action) -> Reply {
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
            Reply::default()
        }
        Action::Assign => {
            let Some(item) = d.selected_item(cx.now) else {
                return Reply::default();
            };
            let picker = AssignPicker::assign(item, &d.people);
            Reply::open(Popup::Assign(Box::new(picker)))
        }
        Action::ToPool => {
            let Some(item) = d.selected_item(cx.now) else {
                return Reply::default();
            };
            if item.assignee.is_none() {
                return Reply::warn(t!("dispatch.already_pooled", id = item.id));
            }
            let mut picker = AssignPicker::assign(item, &d.people);
            picker.selected = 0;
            Reply::open(Popup::Assign(Box::new(picker)))
        }
        Action::NextUnit if d.units.len() > 1 => {
            d.at = (d.at + 1) % d.units.len();
            d.loading = true;
            d.selected = 0;
            Reply::run(fetch(d))
        }
        _ => Reply::default(),
    }
}

/// A lawyer gives their own item (on the detail screen) back to the pool.
pub fn release(item: &WorkItem) -> Reply {
    Reply::open(Popup::Assign(Box::new(AssignPicker::release(item))))
}

pub fn move_selection(d: &mut DispatchState, cx: &Context, by: isize) {
    let n = d.rows(cx.now).len();
    d.selected = crate::tui::screens::step(d.selected, n, by);
}

/// The unit's work and people as the server has them now; the answer for
/// a unit no longer chosen (a slow one after `u`) is dropped.
pub fn on_loaded(
    d: &mut DispatchState,
    cx: &Context,
    unit: (i64, String),
    items: Vec<WorkItem>,
    people: Vec<UnitPerson>,
    below: Vec<UnitRef>,
) {
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
    let selected_id = d.selected_item(cx.now).map(|i| i.id);
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
    let rows = d.rows(cx.now);
    let n = rows.len();
    d.selected = selected_id
        .and_then(|id| rows.iter().position(|i| i.id == id))
        .unwrap_or(d.selected)
        .min(n.saturating_sub(1));
}
