//! The terminal app's tests: pure `update` tests per screen, snapshots of
//! every screen and dialog, the sanitizer, themes and the keymap.

mod activity;
mod backend;
mod deadlines;
mod dispatch;
mod dispatch_fixtures;
mod first_screen;
mod fixtures;
mod follow;
mod intake;
mod keys;
mod keys_detail;
mod overdue;
mod pictures;
mod readme_pictures;
mod roles;
mod sanitize;
mod session;
mod slim_rows;
#[path = "../common/snapshots.rs"]
mod snapshots;
mod stats;
mod stats_fixtures;
mod stats_tree;
mod style;
mod svg;
#[path = "../common/work_item.rs"]
mod work_item;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dutydesk::tui::{Command, Message, Model, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use unicode_width::UnicodeWidthStr;

pub fn key(code: KeyCode) -> Message {
    Message::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Types `text` one key at a time; returns the commands emitted.
pub fn typed(model: &mut Model, text: &str) -> Vec<Command> {
    text.chars()
        .filter_map(|c| update(model, key(KeyCode::Char(c))))
        .collect()
}

pub fn press(model: &mut Model, code: KeyCode) -> Option<Command> {
    update(model, key(code))
}

/// The screen as text, one line per row, as a terminal would show it: a
/// wide character covers the cell after it.
pub fn render(model: &mut Model, w: u16, h: u16) -> String {
    update(model, Message::Resize(w, h));
    let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("test backend");
    terminal.draw(|f| view(model, f)).expect("draw");
    let buf = terminal.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut skip = 0;
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            if skip > 0 {
                skip -= 1;
                continue;
            }
            out.push_str(sym);
            skip = sym.width().saturating_sub(1);
        }
        out.push('\n');
    }
    out
}
