//! The intake desk's answers that touch more than its screen: the form
//! dialog (units loaded, saved, sent, refused) and which dialog a conflict
//! warning takes. The desk's keys and own answers are in
//! `screens::intake::keys`. No I/O.

use rust_i18n::t;

use super::model::{Command, Message, Model};
use super::popups::Popup;
use super::popups::conflict::ConflictPopup;
use super::popups::intake_form::FormState;
use super::reply::Reply;
use super::screens::intake::keys;
use crate::client::intake_queue::Warning;

pub fn on_message(model: &mut Model, msg: Message) -> Option<Command> {
    let reply = match msg {
        Message::IntakeUnitsLoaded(units) => {
            if let Some(Popup::IntakeForm(form)) = &mut model.popup
                && form.unit >= units.len()
            {
                form.unit = 0;
                form.assignee = 0;
            }
            model.intake.units = Some(units);
            return None;
        }
        Message::IntakeLoaded(view) => {
            keys::on_loaded(&mut model.intake, view);
            return None;
        }
        Message::ConflictsFound(warning) => show(model, warning),
        Message::ConflictReviewed { warning, later } => {
            keys::reviewed(&mut model.intake, &model.keymap, warning, later)
        }
        Message::ConflictAcked(id) => {
            model.notify(t!("intake_tui.conflict.acked", id = id));
            return None;
        }
        Message::SignInRefused { password_change } => {
            keys::signin_refused(&mut model.intake, password_change, model.popup.is_some())
        }
        _ => return None,
    };
    model.apply(reply)
}

/// Shows a warning, unless a dialog is open: then it waits, marked, for
/// the review key (a form being typed is never replaced).
fn show(model: &mut Model, warning: Warning) -> Reply {
    match &model.popup {
        None => Reply::open(Popup::Conflict(Box::new(ConflictPopup::new(warning)))),
        // The form that registered it, stored and sent: the warning replaces it.
        Some(Popup::IntakeForm(form)) if form.state != FormState::Editing => {
            Reply::open(Popup::Conflict(Box::new(ConflictPopup::new(warning))))
        }
        Some(_) => keys::keep_for_later(&mut model.intake, &model.keymap, warning),
    }
}

/// The form's record is in the outbox: it says so, and stays until sent.
pub fn on_saved(model: &mut Model, request: u64) -> bool {
    match &mut model.popup {
        Some(Popup::IntakeForm(form)) if form.state == FormState::Saving(request) => {
            form.state = FormState::Saved(request);
            true
        }
        _ => false,
    }
}

/// The server has it: the form closes (a warning may follow).
pub fn on_sent(model: &mut Model, request: u64) {
    if let Some(Popup::IntakeForm(form)) = &model.popup
        && form.state == FormState::Saved(request)
    {
        model.popup = None;
    }
}

/// Not stored, or refused: the form shows why, with what was typed.
pub fn on_failed(model: &mut Model, request: u64, message: &str) {
    if let Some(Popup::IntakeForm(form)) = &mut model.popup
        && matches!(form.state, FormState::Saving(r) | FormState::Saved(r) if r == request)
    {
        form.state = FormState::Editing;
        form.error = Some(crate::text::clean(message));
    }
}
