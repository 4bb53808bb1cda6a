//! `?`: every key of the current screen and the global ones, read from
//! the live keymap, so an override in config.toml shows here at once.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::domain::FrontlineGroup;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::labels;

/// The keys of what the user may do where the help was opened (the model
/// picks them for the screen and role: `roles::offered`).
pub struct Help {
    pub actions: Vec<Action>,
}

impl Dialog for Help {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        match key.code {
            KeyCode::Esc | KeyCode::Enter | KeyCode::Char('?') | KeyCode::Char('q') => KeyResult::Close(None),
            _ => KeyResult::Consumed(None),
        }
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        draw(&self.actions, cx, frame, area)
    }
}

fn draw(actions: &[Action], cx: &Context, frame: &mut Frame, area: Rect) {
    let theme = cx.theme;
    let rows = actions.len().div_ceil(2) as u16;
    let legend = legend(cx);
    let rect = centered(area, 76, rows + 2 + legend.len() as u16);
    let title = t!("tui.help.title", screen = cx.screen.label());
    let inner = frame_popup(frame, rect, &title, theme);
    let col = (inner.width / 2) as usize;
    let cell = |i: usize| -> Vec<Span<'static>> {
        match actions.get(i) {
            Some(a) => vec![
                Span::styled(sanitize::fit(&cx.keymap.keys_text(*a), 12), theme.header()),
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
fn legend(cx: &Context) -> Vec<Line<'static>> {
    let theme = cx.theme;
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
