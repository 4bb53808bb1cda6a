//! `:`: type part of a screen's or an action's name, in either language,
//! and Enter runs it.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::labels;
use crate::tui::message::Message;

/// Actions that make no sense from a list of names.
const HIDDEN: [Action; 7] = [
    Action::Back,
    Action::Up,
    Action::Down,
    Action::PageUp,
    Action::PageDown,
    Action::Palette,
    Action::Filter,
];

pub struct Palette {
    pub query: String,
    pub selected: usize,
    /// What it offers: the current screen's own actions and the global
    /// ones, those that make sense for the role and what the screen shows.
    /// An action runs on what the screen shows (Claim on the detail takes
    /// the open item).
    pub offered: Vec<Action>,
}

impl Default for Palette {
    fn default() -> Self {
        Palette {
            query: String::new(),
            selected: 0,
            offered: Action::ALL.to_vec(),
        }
    }
}

impl Palette {
    /// The palette offering these actions (the model picks them for the
    /// screen and role: `roles::offered`).
    pub fn offering(offered: Vec<Action>) -> Self {
        Palette {
            offered,
            ..Palette::default()
        }
    }

    /// The actions whose name matches, in either language, ignoring case.
    pub fn matches(&self) -> Vec<Action> {
        let q = self.query.trim().to_lowercase();
        self.offered
            .iter()
            .copied()
            .filter(|a| !HIDDEN.contains(a))
            .filter(|a| {
                let (en, zh) = labels::both(&a.label_key());
                q.is_empty() || en.to_lowercase().contains(&q) || zh.contains(&q) || a.name().contains(&q)
            })
            .collect()
    }
}

impl Dialog for Palette {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Enter => {
                // The action runs on the model once the palette is closed.
                return match self.matches().get(self.selected).copied() {
                    Some(action) => KeyResult::CloseWith(Message::Run(action)),
                    None => KeyResult::Close(None),
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(self.matches().len().saturating_sub(1)),
            KeyCode::Backspace => {
                self.query.pop();
                self.selected = 0;
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                self.query.push(c);
                self.selected = 0;
            }
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(frame, centered(area, 50, 14), &t!("tui.palette.title"), theme);
        let mut lines = vec![Line::from(vec![
            Span::styled(": ", theme.header()),
            Span::raw(sanitize::clean(&self.query)),
            Span::styled("▏", theme.muted()),
        ])];
        let found = self.matches();
        if found.is_empty() {
            lines.push(Line::styled(t!("tui.palette.none").into_owned(), theme.muted()));
        }
        let room = inner.height.saturating_sub(1) as usize;
        let start = self.selected.saturating_sub(room.saturating_sub(1));
        for (i, a) in found.iter().enumerate().skip(start).take(room) {
            let style = if i == self.selected {
                theme.selected()
            } else {
                theme.base()
            };
            lines.push(Line::styled(
                sanitize::fit(&a.label(), inner.width as usize),
                style,
            ));
        }
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
