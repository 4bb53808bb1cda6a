//! A message to acknowledge, e.g. "someone else took this item".

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::tui::context::Context;

pub struct MessageBox {
    pub title: String,
    pub text: String,
}

impl Dialog for MessageBox {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char(' ') | KeyCode::Char('q') => KeyResult::Close(None),
            _ => KeyResult::Consumed(None),
        }
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(frame, centered(area, 50, 7), &self.title, theme);
        let lines = vec![
            Line::raw(sanitize::clean(&self.text)),
            Line::raw(""),
            Line::styled(t!("tui.message.hint").into_owned(), theme.muted()),
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
    }
}
