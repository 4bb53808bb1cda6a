//! Choosing the next status of an item: only the moves the domain allows.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::domain::{ItemKind, ItemStatus};
use crate::tui::context::Context;
use crate::tui::labels;
use crate::tui::message::Command;

pub struct TransitionPicker {
    pub item_id: i64,
    pub version: i64,
    pub choices: Vec<ItemStatus>,
    pub selected: usize,
}

impl TransitionPicker {
    /// The statuses `from` may move to for this kind; closing needs an
    /// outcome, which the outcome form does, so it is not offered here.
    pub fn new(item_id: i64, version: i64, kind: ItemKind, from: ItemStatus) -> Self {
        let choices = ItemStatus::ALL
            .iter()
            .copied()
            .filter(|to| from.check_transition(kind, *to).is_ok())
            .collect();
        TransitionPicker {
            item_id,
            version,
            choices,
            selected: 0,
        }
    }
}

impl Dialog for TransitionPicker {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        let n = self.choices.len().max(1);
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Up | KeyCode::Char('k') => self.selected = (self.selected + n - 1) % n,
            KeyCode::Down | KeyCode::Char('j') => self.selected = (self.selected + 1) % n,
            KeyCode::Enter => {
                return KeyResult::Close(self.choices.get(self.selected).map(|to| Command::Transition {
                    id: self.item_id,
                    to: *to,
                    version: self.version,
                }));
            }
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let h = self.choices.len().max(1) as u16 + 2;
        let inner = frame_popup(frame, centered(area, 36, h), &t!("tui.transition.title"), theme);
        let lines: Vec<Line> = if self.choices.is_empty() {
            vec![Line::styled(
                t!("tui.transition.none").into_owned(),
                theme.muted(),
            )]
        } else {
            self.choices
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    let style = if i == self.selected {
                        theme.selected()
                    } else {
                        theme.base()
                    };
                    Line::styled(labels::status(*s), style)
                })
                .collect()
        };
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
