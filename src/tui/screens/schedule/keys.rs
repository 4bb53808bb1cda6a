//! The schedule's keys: the day shown, marks on the selected session, its
//! join link, booking, moving and cancelling (the dialogs). On the
//! schedule's own state and the read-only context; the rest is a `Reply`.

use crate::text as sanitize;
use rust_i18n::t;

use super::ScheduleState;
use crate::api::WorkItem;
use crate::client::workflow::SessionMark;
use crate::domain::ItemStatus;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::message::Command;
use crate::tui::popups::Popup;
use crate::tui::popups::cancel_session::CancelForm;
use crate::tui::popups::confirm::Confirm;
use crate::tui::popups::session_form::SessionForm;
use crate::tui::reply::Reply;
use crate::tui::{labels, time};

pub fn apply(st: &mut ScheduleState, cx: &Context, action: Action) -> Reply {
    match action {
        Action::BookSession => return book(st, cx),
        Action::PrevDay | Action::NextDay => {
            let step = if action == Action::NextDay { 1 } else { -1 };
            st.date = time::shift_day(&st.date, step);
            st.selected = 0;
            st.shown_link = None;
            return Reply::run(Command::FetchSchedule(st.date.clone()));
        }
        _ => {}
    }
    let Some(session) = st.selected_session().cloned() else {
        return Reply::default();
    };
    let mark = match action {
        Action::MarkStarted => SessionMark::Started,
        Action::MarkEnded => SessionMark::Ended,
        Action::MarkNoShow => SessionMark::NoShow,
        Action::CopyLink => {
            let Some(link) = session.mediation.as_ref().and_then(|m| m.join_link.clone()) else {
                return Reply::warn(t!("tui.schedule.no_link"));
            };
            let link = sanitize::clean(&link);
            // OSC 52 may be refused by the terminal or tmux; the link is
            // shown too so it can be selected by hand.
            st.shown_link = Some(link.clone());
            return Reply::notice(t!("tui.schedule.copied"), false).and_run(Command::CopyToClipboard(link));
        }
        Action::MoveSession | Action::CancelSession => return change(st, cx, action, &session),
        _ => return Reply::default(),
    };
    // The status a mark moves to is the client core's one mapping.
    let to = mark.status();
    if let Err(_e) = session.status.check_transition(session.kind, to) {
        return Reply::warn(t!(
            "tui.notice.cannot_mark",
            status = labels::status(session.status)
        ));
    }
    let command = Command::MarkSession {
        item_id: session.id,
        mark,
        version: session.version,
    };
    if mark == SessionMark::NoShow {
        // A no-show ends the session for good: asked first.
        return Reply::open(final_move_question(&session, ItemStatus::NoShow, command));
    }
    Reply::run(command)
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

fn book(st: &ScheduleState, cx: &Context) -> Reply {
    let form = SessionForm::book(cx, st);
    if form.rooms.is_empty() {
        return Reply::warn(t!("schedule_tui.no_rooms"));
    }
    Reply::open(Popup::Session(Box::new(form)))
}

/// Move or cancel the selected session; a finished one is not changed.
fn change(st: &ScheduleState, cx: &Context, action: Action, session: &WorkItem) -> Reply {
    if session.status.is_finished() {
        return Reply::warn(t!(
            "schedule_tui.finished",
            id = session.id,
            status = labels::status(session.status)
        ));
    }
    Reply::open(if action == Action::MoveSession {
        Popup::Session(Box::new(SessionForm::move_session(cx, st, session)))
    } else {
        Popup::CancelSession(Box::new(CancelForm::new(session)))
    })
}
