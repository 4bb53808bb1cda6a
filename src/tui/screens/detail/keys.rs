//! The actions on one item (from the detail screen on its item, from the
//! queue on the selected row): accept, move, outcome, time, note, typical.
//! On the item and the read-only context; the dialogs and warnings are a
//! `Reply`. Which item, and the timer (model state), are `detail_actions`'.

use rust_i18n::t;

use crate::api::WorkItem;
use crate::domain::ItemStatus;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::message::Command;
use crate::tui::popups::outcome::OutcomeForm;
use crate::tui::popups::{Popup, note, time_form, transition};
use crate::tui::reply::Reply;

/// `timer_minutes`: what the running timer on this item has counted, to
/// fill in a form.
pub fn apply(item: &WorkItem, timer_minutes: Option<i64>, action: Action) -> Reply {
    match action {
        Action::Accept => match item.status.check_transition(item.kind, ItemStatus::Accepted) {
            Ok(()) => Reply::run(Command::Transition {
                id: item.id,
                to: ItemStatus::Accepted,
                version: item.version,
            }),
            Err(_) => Reply::warn(t!(
                "tui.notice.cannot_accept",
                status = labels::status(item.status)
            )),
        },
        Action::Transition => {
            let picker = transition::TransitionPicker::new(item.id, item.version, item.kind, item.status);
            Reply::open(Popup::Transition(picker))
        }
        Action::LogOutcome => {
            if !item.status.accepts_outcome() {
                return Reply::warn(t!("tui.notice.no_outcome", status = labels::status(item.status)));
            }
            let form = OutcomeForm::new(item.id, item.kind, &item.title, timer_minutes);
            Reply::open(Popup::Outcome(Box::new(form)))
        }
        Action::AddTime => Reply::open(Popup::Time(Box::new(time_form::TimeForm::new(
            item.id,
            timer_minutes,
        )))),
        Action::AddNote => Reply::open(Popup::Note(Box::new(note::NoteForm::new(item.id)))),
        Action::FlagTypical => Reply::run(Command::FlagTypical {
            id: item.id,
            typical: !item.typical_case,
            version: item.version,
        }),
        _ => Reply::default(),
    }
}
