//! The outbox's keys: retry or discard the entry under the cursor (a
//! discard is asked first).

use crate::text as sanitize;
use rust_i18n::t;

use crate::tui::keymap::Action;
use crate::tui::message::Command;
use crate::tui::popups::Popup;
use crate::tui::popups::confirm::Confirm;
use crate::tui::reply::Reply;

use crate::tui::screens::{ListState, step};
use crate::tui::shared::OutboxSummary;

pub fn apply(outbox: &OutboxSummary, st: &ListState, action: Action) -> Reply {
    let Some(entry) = outbox.entries.get(st.selected) else {
        return Reply::default();
    };
    match action {
        Action::Retry => Reply::run(Command::RetryOutbox(entry.id.clone())),
        Action::Discard => Reply::open(Popup::Confirm(Confirm {
            question: t!("tui.outbox.discard_question", what = sanitize::clean(&entry.what)).into_owned(),
            command: Command::DiscardOutbox(entry.id.clone()),
        })),
        _ => Reply::default(),
    }
}

pub fn move_selection(outbox: &OutboxSummary, st: &mut ListState, by: isize) {
    st.selected = step(st.selected, outbox.entries.len(), by);
}
