//! The conflict-of-interest warning (利益冲突提示): each earlier item that
//! touches this one, with its date, its assignee and why. A warning, not a
//! block, but it must be read: Enter acknowledges it (recorded in the
//! item's history); Esc leaves it for later, marked in the status line and
//! on the desk's screen, and the review key shows it again. Names only:
//! the warning carries no phone or ID number.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::intake::ConflictEntry;
use crate::client::intake_queue::Warning;
use crate::tui::context::Context;
use crate::tui::message::Message;
use crate::tui::time;

pub struct ConflictPopup {
    pub warning: Warning,
    /// Conflicts scrolled off the top.
    pub scroll: usize,
}

/// One conflict in words.
pub fn describe(c: &ConflictEntry) -> String {
    let who = c
        .assignee
        .as_ref()
        .map(|a| sanitize::clean(&a.display_name))
        .unwrap_or_else(|| t!("intake_tui.conflict.nobody").into_owned());
    let key = if c.reason == "represented_opponent" {
        "intake_tui.conflict.represented"
    } else {
        "intake_tui.conflict.other_side"
    };
    t!(
        key,
        id = c.item_id,
        date = time::md_hm(c.created_at),
        assignee = who,
        party = sanitize::clean(&c.party)
    )
    .into_owned()
}

impl ConflictPopup {
    pub fn new(warning: Warning) -> Self {
        ConflictPopup { warning, scroll: 0 }
    }
}

impl Dialog for ConflictPopup {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        match key.code {
            // What follows changes the intake screen's list and the notice:
            // the model's part, through `update`.
            KeyCode::Enter | KeyCode::Esc => KeyResult::CloseWith(Message::ConflictReviewed {
                warning: self.warning.clone(),
                later: key.code == KeyCode::Esc,
            }),
            KeyCode::Down | KeyCode::Char('j') => {
                self.scroll = (self.scroll + 1).min(self.warning.conflicts.len().saturating_sub(1));
                KeyResult::Consumed(None)
            }
            KeyCode::Up | KeyCode::Char('k') => {
                self.scroll = self.scroll.saturating_sub(1);
                KeyResult::Consumed(None)
            }
            _ => KeyResult::Consumed(None),
        }
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(
            frame,
            centered(area, 76, 16),
            &t!("intake_tui.conflict.heading"),
            theme,
        );
        let w = self.warning.clone();
        let mut lines = vec![
            Line::styled(
                t!(
                    "intake_tui.conflict.intro",
                    id = w.item_id,
                    title = sanitize::clean(&w.title),
                    n = w.conflicts.len()
                )
                .into_owned(),
                theme.title(),
            ),
            Line::raw(""),
        ];
        for c in w.conflicts.iter().skip(self.scroll) {
            lines.push(Line::styled(format!("• {}", describe(c)), theme.base()));
        }
        let text_h = inner.height.saturating_sub(2);
        frame.render_widget(
            Paragraph::new(lines).wrap(Wrap { trim: false }),
            Rect::new(inner.x, inner.y, inner.width, text_h),
        );
        let hint = Line::styled(t!("intake_tui.conflict.hint").into_owned(), theme.error());
        frame.render_widget(
            Paragraph::new(hint).wrap(Wrap { trim: true }),
            Rect::new(inner.x, inner.y + text_h, inner.width, inner.height - text_h),
        );
    }
}
