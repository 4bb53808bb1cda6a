//! `?`: every key of the current screen and the global ones, read from
//! the live keymap, so an override in config.toml shows here at once.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{KeyResult, centered, frame_popup};
use crate::tui::model::Model;
use crate::tui::sanitize;

pub fn handle_key(key: KeyEvent) -> KeyResult {
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') | KeyCode::Char('q') => KeyResult::Close(None),
        _ => KeyResult::Consumed(None),
    }
}

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let actions = model.keymap.for_screen(model.screen);
    let rows = actions.len().div_ceil(2) as u16;
    let rect = centered(area, 76, rows + 2);
    let title = t!("tui.help.title", screen = model.screen.label());
    let inner = frame_popup(frame, rect, &title, theme);
    let col = (inner.width / 2) as usize;
    let cell = |i: usize| -> Vec<Span<'static>> {
        match actions.get(i) {
            Some(a) => vec![
                Span::styled(sanitize::fit(&model.keymap.keys_text(*a), 12), theme.header()),
                Span::raw(sanitize::fit(&a.label(), col.saturating_sub(12))),
            ],
            None => vec![],
        }
    };
    let half = rows as usize;
    let lines: Vec<Line> = (0..half)
        .map(|r| {
            let mut spans = cell(r);
            spans.extend(cell(r + half));
            Line::from(spans)
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
