//! Adding a note to an item's history.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::tui::context::Context;
use crate::tui::message::Command;

pub struct NoteForm {
    pub item_id: i64,
    pub text: TextArea<'static>,
}

impl NoteForm {
    pub fn new(item_id: i64) -> Self {
        NoteForm {
            item_id,
            text: TextArea::default(),
        }
    }
}

impl Dialog for NoteForm {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult {
        match key.code {
            KeyCode::Esc => KeyResult::Close(None),
            KeyCode::Enter => {
                let note = self.text.lines().join("\n");
                if note.trim().is_empty() {
                    return KeyResult::Close(None);
                }
                KeyResult::Close(Some(Command::AddNote {
                    request: cx.requests.take(),
                    item_id: self.item_id,
                    note,
                }))
            }
            _ => {
                self.text.input(key);
                KeyResult::Consumed(None)
            }
        }
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(frame, centered(area, 60, 7), &t!("tui.note.title"), theme);
        let text_area = Rect::new(inner.x, inner.y, inner.width, inner.height.saturating_sub(1));
        frame.render_widget(&self.text, text_area);
        let hint = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        frame.render_widget(
            Paragraph::new(Line::styled(t!("tui.note.hint").into_owned(), theme.muted())),
            hint,
        );
    }
}
