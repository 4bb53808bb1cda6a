//! The room operator's actions on the selected session of the day.

use rust_i18n::t;

use super::keymap::Action;
use super::model::{Command, Model, SessionMark};
use super::popups::Popup;
use super::popups::confirm::Confirm;
use super::screens::schedule;
use super::{labels, sanitize};
use crate::domain::ItemStatus;

pub fn apply(model: &mut Model, action: Action) -> Option<Command> {
    let session = schedule::selected_session(model)?.clone();
    let (mark, to) = match action {
        Action::MarkStarted => (SessionMark::Started, ItemStatus::InProgress),
        Action::MarkEnded => (SessionMark::Ended, ItemStatus::Waiting),
        Action::MarkNoShow => (SessionMark::NoShow, ItemStatus::NoShow),
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
        _ => return None,
    };
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
