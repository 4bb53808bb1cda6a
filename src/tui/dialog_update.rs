//! `update`'s part for the open dialog: its keys go to the dialog (on its
//! own state and the read-only context), and what the dialog hands back is
//! applied here, on the model. Also the answers to what a dialog sent.

use crate::text as sanitize;
use crossterm::event::KeyEvent;
use rust_i18n::t;

use super::model::{Command, Draft, Message, Model, context};
use super::popups::outcome::FormState;
use super::popups::{KeyResult, Popup};

use super::screens::schedule;

/// Gives the open dialog a key; `Some(message)` is for `update` to take
/// next (a palette's action, a conflict put off).
pub fn on_key(model: &mut Model, key: KeyEvent) -> Result<Option<Command>, Box<Message>> {
    let Some(mut popup) = model.popup.take() else {
        return Ok(None);
    };
    let result = popup.dialog_mut().handle_key(key, &context!(model));
    let picked_status = matches!(popup, Popup::Transition(_));
    match result {
        KeyResult::Consumed(cmd) => {
            model.popup = Some(popup);
            Ok(cmd)
        }
        KeyResult::NotConsumed => {
            model.popup = Some(popup);
            Ok(None)
        }
        KeyResult::CloseWith(msg) => Err(Box::new(msg)),
        // Cancelling or a no-show cannot be undone: asked first.
        KeyResult::Close(Some(cmd @ Command::Transition { id, to, .. }))
            if picked_status && schedule::keys::is_final(to) =>
        {
            match model.detail_item().filter(|i| i.id == id).cloned() {
                Some(item) => {
                    model.popup = Some(schedule::keys::final_move_question(&item, to, cmd));
                    Ok(None)
                }
                None => Ok(Some(cmd)),
            }
        }
        KeyResult::Close(cmd) => Ok(cmd),
    }
}

/// A form's record is in the outbox.
pub fn on_saved(model: &mut Model, request: u64) -> Option<Command> {
    super::intake_actions::on_saved(model, request);
    match &mut model.popup {
        Some(Popup::Outcome(form)) if form.state == FormState::Saving(request) => {
            form.state = FormState::Saved(request);
            let item_id = form.item_id;
            model.notify(t!("tui.notice.saved"));
            // The outcome is in the outbox now; a draft of it is stale.
            return Some(Command::DiscardDraft(item_id));
        }
        Some(Popup::Time(form)) if form.saving == Some(request) => model.popup = None,
        Some(Popup::Activity(form)) if form.saving == Some(request) => model.popup = None,
        _ => {}
    }
    model.notify(t!("tui.notice.saved"));
    None
}

/// The server confirmed a form's record.
pub fn on_sent(model: &mut Model, request: u64) {
    super::intake_actions::on_sent(model, request);
    if let Some(Popup::Outcome(form)) = &mut model.popup
        && form.state == FormState::Saved(request)
    {
        form.state = FormState::Sent;
    }
    model.notify(t!("tui.notice.sent"));
}

/// The server refused a form's record, or it could not be stored: the
/// form that sent it says so.
pub fn on_failed(model: &mut Model, request: u64, message: String) {
    super::intake_actions::on_failed(model, request, &message);
    match &mut model.popup {
        Some(Popup::Outcome(form)) if form.state == FormState::Saving(request) => {
            form.state = FormState::Failed(message.clone());
        }
        Some(Popup::Outcome(form)) if form.state == FormState::Saved(request) => {
            form.state = FormState::Refused(message.clone());
        }
        Some(Popup::Time(form)) if form.saving == Some(request) => {
            form.saving = None;
            form.error = Some(sanitize::clean(&message));
        }
        Some(Popup::Activity(form)) if form.saving == Some(request) => {
            form.saving = None;
            form.error = Some(sanitize::clean(&message));
        }
        _ => {}
    }
    model.warn(t!("tui.notice.failed", message = sanitize::clean(&message)));
}

/// A changed open form is handed out to be kept as a draft.
pub fn autosave(model: &mut Model) -> Option<Command> {
    let draft = open_draft(model)?;
    if model.saved_draft.as_ref() == Some(&draft) {
        return None;
    }
    model.saved_draft = Some(draft.clone());
    Some(Command::SaveDraft(draft))
}

/// The draft to save when the app is stopped with a form open.
pub fn open_draft(model: &Model) -> Option<Draft> {
    match &model.popup {
        Some(Popup::Outcome(form)) => form.draft(),
        _ => None,
    }
}
