//! The intake desk's keys and its own answers: the screen, a new form,
//! reviewing conflict warnings, the list the backend read, warnings kept
//! for later. On the desk's own state (and the read-only context or the
//! keymap); the rest is a `Reply`. What decides between dialogs stays in
//! `tui::intake_actions`.

use rust_i18n::t;

use super::{IntakeState, IntakeView};
use crate::client::intake_queue::{Registered, Warning};
use crate::tui::context::Context;
use crate::tui::keymap::{Action, Keymap};
use crate::tui::message::Command;
use crate::tui::popups::Popup;
use crate::tui::popups::conflict::ConflictPopup;
use crate::tui::popups::message::MessageBox;
use crate::tui::reply::Reply;
use crate::tui::shared::Screen;

pub fn apply(st: &IntakeState, cx: &Context, action: Action) -> Reply {
    match action {
        Action::GoIntake => Reply::go(Screen::Intake).and_run(Command::FetchIntake),
        Action::NewIntake => Reply {
            popup: Some(Popup::IntakeForm(Box::default())),
            ..Reply::from(st.units.is_none().then_some(Command::FetchIntake))
        },
        Action::ReviewConflicts => review(st, cx),
        _ => Reply::default(),
    }
}

/// The warning under the cursor (on the desk), else the first left for
/// later, else the first registration not yet acknowledged.
fn review(st: &IntakeState, cx: &Context) -> Reply {
    let waiting = |r: &&Registered| !r.conflicts.is_empty() && !r.acked;
    let warning = |r: &Registered| Warning {
        item_id: r.item_id,
        version: r.version,
        title: r.title.clone(),
        conflicts: r.conflicts.clone(),
    };
    let on_row = (cx.screen == Screen::Intake)
        .then(|| st.selected_registered())
        .flatten()
        .filter(waiting)
        .map(warning);
    let unacked = || st.view.registered.iter().find(waiting).map(warning);
    match on_row.or_else(|| st.later.first().cloned()).or_else(unacked) {
        Some(w) => Reply::open(Popup::Conflict(Box::new(ConflictPopup::new(w)))),
        None => Reply::notice(t!("intake_tui.conflict.none_waiting"), false),
    }
}

/// Moves the desk screen's cursor.
pub fn move_selection(st: &mut IntakeState, by: isize) {
    st.selected = crate::tui::screens::step(st.selected, st.rows(), by);
}

/// What the desk registered, as the backend read it from the store.
pub fn on_loaded(st: &mut IntakeState, view: IntakeView) {
    st.view = view;
    st.selected = st.selected.min(st.rows().saturating_sub(1));
}

/// The conflict dialog's answer: acknowledged now (sent), or kept on the
/// list the review key opens again.
pub fn reviewed(st: &mut IntakeState, keymap: &Keymap, warning: Warning, later: bool) -> Reply {
    let id = warning.item_id;
    if !later {
        st.later.retain(|w| w.item_id != id);
        return Reply::notice(t!("intake_tui.conflict.acking", id = id), false).and_run(
            Command::AckConflicts {
                item_id: id,
                version: warning.version,
            },
        );
    }
    if !st.later.iter().any(|w| w.item_id == id) {
        st.later.push(warning);
    }
    let key = keymap
        .keys(Action::ReviewConflicts)
        .first()
        .map(|k| k.display())
        .unwrap_or_default();
    Reply::remind(t!("intake_tui.conflict.later", n = st.later.len(), key = key))
}

/// A warning that came while another dialog is open: it waits, marked,
/// for the review key.
pub fn keep_for_later(st: &mut IntakeState, keymap: &Keymap, warning: Warning) -> Reply {
    if !st.later.iter().any(|w| w.item_id == warning.item_id) {
        st.later.push(warning);
    }
    let key = keymap.keys_text(Action::ReviewConflicts);
    Reply::remind(t!("intake_tui.conflict.later", n = st.later.len(), key = key))
}

/// The server refused the sign-in: said once per run, in a dialog when
/// none is open (the status bar would cut the command).
pub fn signin_refused(st: &mut IntakeState, password_change: bool, dialog_open: bool) -> Reply {
    if st.signin_said {
        return Reply::default();
    }
    st.signin_said = true;
    let (title, text) = if password_change {
        ("intake_tui.password.title", "intake_tui.password.text")
    } else {
        ("intake_tui.signed_out.title", "intake_tui.signed_out.text")
    };
    let said = Reply::warn(t!("intake_tui.password.short"));
    if dialog_open {
        return said;
    }
    Reply {
        popup: Some(Popup::Message(MessageBox {
            title: t!(title).into_owned(),
            text: t!(text).into_owned(),
        })),
        ..said
    }
}
