//! "Are you sure?" before something that cannot be undone.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::tui::context::Context;
use crate::tui::message::Command;

pub struct Confirm {
    pub question: String,
    /// Run on yes.
    pub command: Command,
}

impl Dialog for Confirm {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => KeyResult::Close(Some(self.command.clone())),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Esc => KeyResult::Close(None),
            _ => KeyResult::Consumed(None),
        }
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(frame, centered(area, 50, 7), &t!("tui.confirm.title"), theme);
        let lines = vec![
            Line::raw(sanitize::clean(&self.question)),
            Line::raw(""),
            Line::styled(t!("tui.confirm.hint").into_owned(), theme.muted()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
