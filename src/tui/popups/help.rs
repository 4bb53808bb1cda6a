//! `?`: every key of the current screen and the global ones, read from
//! the live keymap, so an override in config.toml shows here at once.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{KeyResult, centered, frame_popup};
use crate::domain::FrontlineGroup;
use crate::text as sanitize;
use crate::tui::labels;
use crate::tui::model::Model;

pub fn handle_key(key: KeyEvent) -> KeyResult {
    match key.code {
        KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') | KeyCode::Char('q') => KeyResult::Close(None),
        _ => KeyResult::Consumed(None),
    }
}

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    let theme = &model.theme;
    let actions: Vec<_> = model
        .keymap
        .for_screen(model.screen)
        .into_iter()
        .filter(|a| crate::tui::roles::may(model, *a))
        .collect();
    let rows = actions.len().div_ceil(2) as u16;
    let legend = legend(model);
    let rect = centered(area, 76, rows + 2 + legend.len() as u16);
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
    let mut lines: Vec<Line> = (0..half)
        .map(|r| {
            let mut spans = cell(r);
            spans.extend(cell(r + half));
            Line::from(spans)
        })
        .collect();
    lines.extend(legend);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// What the queue's green-channel markers (●军, ●社, ●志 …) stand for, as
/// many to a line as fit the dialog.
fn legend(model: &Model) -> Vec<Line<'static>> {
    let theme = &model.theme;
    let mut lines = vec![Line::styled(
        t!("roles.legend.title", mark = theme.mark()).into_owned(),
        theme.header(),
    )];
    let width = 72;
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut used = 0;
    for g in FrontlineGroup::ALL {
        let marker = format!("{}{}", theme.mark(), labels::group(g));
        let text = labels::group_name(g);
        let w = sanitize::width(&marker) + 1 + sanitize::width(&text) + 2;
        if used + w > width && !spans.is_empty() {
            lines.push(Line::from(std::mem::take(&mut spans)));
            used = 0;
        }
        used += w;
        spans.push(Span::styled(marker, theme.green_channel()));
        spans.push(Span::raw(format!(" {text}  ")));
    }
    if !spans.is_empty() {
        lines.push(Line::from(spans));
    }
    lines
}
