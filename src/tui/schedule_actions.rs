//! The room operator's actions on the selected session of the day.

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Model, SessionMark, SessionRefusal};
use super::popups::Popup;
use super::popups::cancel_session::CancelForm;
use super::popups::confirm::Confirm;
use super::popups::session_form::SessionForm;
use super::{labels, sanitize};
use crate::api::WorkItem;
use crate::domain::ItemStatus;

pub fn apply(model: &mut Model, action: Action) -> Option<Command> {
    if action == Action::BookSession {
        return book(model);
    }
    let session = model.schedule.selected_session()?.clone();
    let mark = match action {
        Action::MarkStarted => SessionMark::Started,
        Action::MarkEnded => SessionMark::Ended,
        Action::MarkNoShow => SessionMark::NoShow,
        Action::CopyLink => {
            let Some(link) = session.mediation.as_ref().and_then(|m| m.join_link.clone()) else {
                model.warn(t!("tui.schedule.no_link"));
                return None;
            };
            let link = sanitize::clean(&link);
            // OSC 52 may be refused by the terminal or tmux; the link is
            // shown too so it can be selected by hand.
            model.schedule.shown_link = Some(link.clone());
            model.notify(t!("tui.schedule.copied"));
            return Some(Command::CopyToClipboard(link));
        }
        Action::MoveSession | Action::CancelSession => return change(model, action, &session),
        _ => return None,
    };
    // The status a mark moves to is the client core's one mapping.
    let to = mark.status();
    if let Err(_e) = session.status.check_transition(session.kind, to) {
        model.warn(t!(
            "tui.notice.cannot_mark",
            status = labels::status(session.status)
        ));
        return None;
    }
    let command = Command::MarkSession {
        item_id: session.id,
        mark,
        version: session.version,
    };
    if mark == SessionMark::NoShow {
        // A no-show ends the session for good: asked first.
        model.popup = Some(final_move_question(&session, ItemStatus::NoShow, command));
        return None;
    }
    Some(command)
}

/// "Mark #4 物业费纠纷… as no-show? It cannot be undone." before a move
/// that ends an item for good (no-show, cancelled).
pub fn final_move_question(item: &crate::api::WorkItem, to: ItemStatus, command: Command) -> Popup {
    Popup::Confirm(Confirm {
        question: t!(
            "roles.final_move_question",
            id = item.id,
            title = sanitize::clean(&item.title),
            status = labels::status(to)
        )
        .into_owned(),
        command,
    })
}

/// Whether a move ends the item for good (nothing moves it back).
pub fn is_final(to: ItemStatus) -> bool {
    matches!(to, ItemStatus::NoShow | ItemStatus::Cancelled)
}

/// Who books, moves and cancels sessions: the room's operator, the
/// coordinator, an admin (the server decides per room; before `/me` has

fn book(model: &mut Model) -> Option<Command> {
    let form = SessionForm::book(&model.context(), &model.schedule);
    if form.rooms.is_empty() {
        model.warn(t!("schedule_tui.no_rooms"));
        return None;
    }
    model.popup = Some(Popup::Session(Box::new(form)));
    None
}

/// Move or cancel the selected session; a finished one is not changed.
fn change(model: &mut Model, action: Action, session: &WorkItem) -> Option<Command> {
    if session.status.is_finished() {
        model.warn(t!(
            "schedule_tui.finished",
            id = session.id,
            status = labels::status(session.status)
        ));
        return None;
    }
    model.popup = Some(if action == Action::MoveSession {
        Popup::Session(Box::new(SessionForm::move_session(
            &model.context(),
            &model.schedule,
            session,
        )))
    } else {
        Popup::CancelSession(Box::new(CancelForm::new(session)))
    });
    None
}

/// The server answered a booking, move or cancel: done closes the dialog
/// and reloads the day; a refusal stays on the dialog that sent it.
pub fn answered(
    model: &mut Model,
    item_id: i64,
    result: Result<Box<WorkItem>, SessionRefusal>,
) -> Option<Command> {
    let waiting = match &model.popup {
        Some(Popup::Session(f)) => f.sending == Some(item_id),
        Some(Popup::CancelSession(f)) => f.sending && f.item_id == item_id,
        _ => false,
    };
    match result {
        Ok(item) => {
            if waiting {
                model.popup = None;
            }
            let text = match &item.mediation {
                _ if item.status == ItemStatus::Cancelled => t!("schedule_tui.cancelled", id = item_id),
                Some(m) => t!(
                    "schedule_tui.booked",
                    id = item_id,
                    room = sanitize::clean(&m.room_name),
                    date = super::time::date_of(m.scheduled_start),
                    start = super::time::hm(m.scheduled_start),
                    end = super::time::hm(m.scheduled_end)
                ),
                None => t!("schedule_tui.saved", id = item_id),
            };
            model.notify(text);
            // The day the session is on now, so the operator sees it there.
            if let Some(m) = &item.mediation {
                model.schedule.date = super::time::date_of(m.scheduled_start);
            }
            super::follow::on_item_changed(model, *item);
            Some(Command::FetchSchedule(model.schedule.date.clone()))
        }
        Err(refusal) => {
            model.warn(t!("schedule_tui.refused", id = item_id));
            match &mut model.popup {
                Some(Popup::Session(f)) if waiting => f.refused(refusal),
                Some(Popup::CancelSession(f)) if waiting => f.refused(refusal),
                _ => model.warn(sanitize::clean(&refusal.message)),
            }
            None
        }
    }
}
