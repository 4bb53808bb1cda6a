//! The intake desk's screen and form, and conflict warnings (on intake
//! and on a claim): what `update` hands here. No I/O.

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Message, Model, Screen};
use super::popups::Popup;
use super::popups::conflict::ConflictPopup;
use super::popups::intake_form::{FormState, IntakeForm};
use super::popups::message::MessageBox;
use crate::client::intake_queue::Warning;

pub fn on_message(model: &mut Model, msg: Message) -> Option<Command> {
    match msg {
        Message::IntakeUnitsLoaded(units) => {
            if let Some(Popup::IntakeForm(form)) = &mut model.popup
                && form.unit >= units.len()
            {
                form.unit = 0;
                form.assignee = 0;
            }
            model.intake.units = Some(units);
        }
        Message::IntakeLoaded(view) => {
            model.intake.view = view;
            let n = model.intake.rows();
            model.intake.selected = model.intake.selected.min(n.saturating_sub(1));
        }
        Message::ConflictsFound(warning) => show(model, warning),
        Message::ConflictReviewed { warning, later } => return reviewed(model, warning, later),
        Message::ConflictAcked(id) => model.notify(t!("intake_tui.conflict.acked", id = id)),
        // Said once, in a dialog: the status bar would cut the command.
        Message::SignInRefused { password_change } if !model.intake.signin_said => {
            model.intake.signin_said = true;
            let (title, text) = if password_change {
                ("intake_tui.password.title", "intake_tui.password.text")
            } else {
                ("intake_tui.signed_out.title", "intake_tui.signed_out.text")
            };
            if model.popup.is_none() {
                model.popup = Some(Popup::Message(MessageBox {
                    title: t!(title).into_owned(),
                    text: t!(text).into_owned(),
                }));
            }
            model.warn(t!("intake_tui.password.short"));
        }
        _ => {}
    }
    None
}

/// The conflict dialog's answer: acknowledged now (sent), or kept on the
/// list the review key opens again.
fn reviewed(model: &mut Model, warning: Warning, later: bool) -> Option<Command> {
    let id = warning.item_id;
    if !later {
        model.intake.later.retain(|w| w.item_id != id);
        model.notify(t!("intake_tui.conflict.acking", id = id));
        return Some(Command::AckConflicts {
            item_id: id,
            version: warning.version,
        });
    }
    if !model.intake.later.iter().any(|w| w.item_id == id) {
        model.intake.later.push(warning);
    }
    let key = model
        .keymap
        .keys(Action::ReviewConflicts)
        .first()
        .map(|k| k.display())
        .unwrap_or_default();
    model.remind(t!(
        "intake_tui.conflict.later",
        n = model.intake.later.len(),
        key = key
    ));
    None
}

/// Shows a warning, unless a dialog is open: then it waits, marked, for
/// the review key (a form being typed is never replaced).
fn show(model: &mut Model, warning: Warning) {
    match &model.popup {
        None => model.popup = Some(Popup::Conflict(Box::new(ConflictPopup::new(warning)))),
        // The form that registered it, stored and sent: the warning replaces it.
        Some(Popup::IntakeForm(form)) if form.state != FormState::Editing => {
            model.popup = Some(Popup::Conflict(Box::new(ConflictPopup::new(warning))))
        }
        Some(_) => {
            if !model.intake.later.iter().any(|w| w.item_id == warning.item_id) {
                model.intake.later.push(warning);
            }
            let key = model.keymap.keys_text(Action::ReviewConflicts);
            model.remind(t!(
                "intake_tui.conflict.later",
                n = model.intake.later.len(),
                key = key
            ));
        }
    }
}

pub fn apply(model: &mut Model, action: Action) -> Option<Command> {
    match action {
        Action::GoIntake => {
            model.screen = Screen::Intake;
            Some(Command::FetchIntake)
        }
        Action::NewIntake => {
            model.popup = Some(Popup::IntakeForm(Box::default()));
            model.intake.units.is_none().then_some(Command::FetchIntake)
        }
        Action::ReviewConflicts => {
            let on_row = (model.screen == Screen::Intake)
                .then(|| model.intake.selected_registered())
                .flatten()
                .filter(|r| !r.conflicts.is_empty() && !r.acked)
                .map(|r| Warning {
                    item_id: r.item_id,
                    version: r.version,
                    title: r.title.clone(),
                    conflicts: r.conflicts.clone(),
                });
            let unacked = || {
                model
                    .intake
                    .view
                    .registered
                    .iter()
                    .find(|r| !r.conflicts.is_empty() && !r.acked)
                    .map(|r| Warning {
                        item_id: r.item_id,
                        version: r.version,
                        title: r.title.clone(),
                        conflicts: r.conflicts.clone(),
                    })
            };
            match on_row
                .or_else(|| model.intake.later.first().cloned())
                .or_else(unacked)
            {
                Some(w) => model.popup = Some(Popup::Conflict(Box::new(ConflictPopup::new(w)))),
                None => model.notify(t!("intake_tui.conflict.none_waiting")),
            }
            None
        }
        _ => None,
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

/// Moves the desk screen's cursor.
pub fn move_selection(model: &mut Model, by: isize) {
    let n = model.intake.rows();
    model.intake.selected = super::screens::step(model.intake.selected, n, by);
}

/// The form, for tests and the palette.
pub fn open_form() -> IntakeForm {
    IntakeForm::default()
}
