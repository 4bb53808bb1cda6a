//! The actions on one item, model side: which item (the detail screen's,
//! or the queue's selected row) and the running timer; the rest is the
//! detail screen's keys (`screens::detail::keys`).

use super::keymap::Action;
use super::model::{Command, Model, RunningTimer, Screen};
use super::time;

pub fn apply(model: &mut Model, action: Action) -> Option<Command> {
    // From the queue these act on the selected row; on Detail, on its item.
    let item = match model.screen {
        Screen::Detail => model.detail_item()?,
        Screen::Queue => model.selected_item()?,
        _ => return None,
    }
    .clone();
    let timer_minutes = model
        .timer
        .as_ref()
        .filter(|t| t.item_id == item.id)
        .map(|t| time::timer_minutes(t.started_at, model.now));
    match action {
        Action::Timer => match &model.timer {
            Some(t) if t.item_id == item.id => {
                model.timer = None;
                Some(Command::StopTimer)
            }
            _ => {
                model.timer = Some(RunningTimer {
                    item_id: item.id,
                    started_at: model.now,
                });
                Some(Command::StartTimer(item.id))
            }
        },
        _ => {
            let reply = super::screens::detail::keys::apply(&item, timer_minutes, action);
            model.apply(reply)
        }
    }
}
