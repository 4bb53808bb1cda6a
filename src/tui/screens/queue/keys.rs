//! The queue's keys: tabs, sort, the filter as it is typed, the cursor.
//! On the queue's own state and the read-only context; opening an item
//! and claiming it change more than the queue and stay with `update`.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{QueueState, QueueTab};
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::reply::Reply;
use crate::tui::shared::Screen;

/// Typing in the queue's filter: every key narrows the list at once.
pub fn filter_key(q: &mut QueueState, cx: &Context, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            q.filter.clear();
            q.filtering = false;
        }
        KeyCode::Enter => q.filtering = false,
        KeyCode::Backspace => {
            q.filter.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => q.filter.push(c),
        KeyCode::Up | KeyCode::Down => {
            q.filtering = false;
            return;
        }
        _ => return,
    }
    // What was typed changed the rows: start from the top of them.
    q.rebuild(cx.items, cx.pool, cx.now);
    q.selected = 0;
}

/// Tabs, sort and filter.
pub fn apply(q: &mut QueueState, cx: &Context, action: Action) -> Reply {
    match action {
        Action::NextTab | Action::PrevTab => {
            let n = QueueTab::ALL.len();
            let step = if action == Action::NextTab { 1 } else { n - 1 };
            q.tab_index = (q.tab_index + step) % n;
            q.rebuild(cx.items, cx.pool, cx.now);
            q.selected = 0;
        }
        Action::Filter => {
            q.filtering = true;
            return Reply::go(Screen::Queue);
        }
        Action::Sort => {
            q.sort = q.sort.next();
            q.rebuild(cx.items, cx.pool, cx.now);
        }
        _ => {}
    }
    Reply::default()
}

pub fn move_selection(q: &mut QueueState, by: isize) {
    q.selected = crate::tui::screens::step(q.selected, q.index.rows.len(), by);
}
