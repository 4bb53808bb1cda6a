//! The Dispatch screen's answers that touch more than the screen: an
//! assignment said, its conflicts warned of, and what shows the item
//! fetched again. The screen's keys and the unit's answer are in
//! `screens::dispatch::keys`. No I/O.

use rust_i18n::t;

use super::model::{Command, Message, Model, Screen};
use super::screens::dispatch::keys;
use crate::api::WorkItem;
use crate::api::intake::ConflictEntry;
use crate::text as sanitize;

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
        return Some(keys::fetch(&model.dispatch));
    }
    Some(super::follow::reload(model, Some(item.id)))
}

/// Someone changed the item since it was loaded (409): said, and the list
/// is fetched again so the next try has the current version.
pub fn on_stale(model: &mut Model, item_id: i64) -> Option<Command> {
    model.warn(t!("dispatch.stale", id = item_id));
    if model.screen == Screen::Dispatch {
        Some(keys::fetch(&model.dispatch))
    } else {
        Some(super::follow::reload(model, Some(item_id)))
    }
}
