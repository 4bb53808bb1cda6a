//! The actions on one item: from the detail screen on its item, from the
//! queue on the selected row.

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Model, RunningTimer, Screen};
use super::popups::outcome::OutcomeForm;
use super::popups::{Popup, note, time_form, transition};
use super::{labels, time};
use crate::domain::ItemStatus;

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
        Action::Accept => match item.status.check_transition(item.kind, ItemStatus::Accepted) {
            Ok(()) => Some(Command::Transition {
                id: item.id,
                to: ItemStatus::Accepted,
                version: item.version,
            }),
            Err(_) => {
                model.warn(t!(
                    "tui.notice.cannot_accept",
                    status = labels::status(item.status)
                ));
                None
            }
        },
        Action::Transition => {
            let picker = transition::TransitionPicker::new(item.id, item.version, item.kind, item.status);
            model.popup = Some(Popup::Transition(picker));
            None
        }
        Action::LogOutcome => {
            if !item.status.accepts_outcome() {
                model.warn(t!("tui.notice.no_outcome", status = labels::status(item.status)));
                return None;
            }
            let form = OutcomeForm::new(item.id, item.kind, &item.title, timer_minutes);
            model.popup = Some(Popup::Outcome(Box::new(form)));
            None
        }
        Action::AddTime => {
            model.popup = Some(Popup::Time(Box::new(time_form::TimeForm::new(
                item.id,
                timer_minutes,
            ))));
            None
        }
        Action::AddNote => {
            model.popup = Some(Popup::Note(Box::new(note::NoteForm::new(item.id))));
            None
        }
        Action::FlagTypical => Some(Command::FlagTypical {
            id: item.id,
            typical: !item.typical_case,
            version: item.version,
        }),
        _ => None,
    }
}
