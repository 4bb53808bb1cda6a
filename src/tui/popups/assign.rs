//! The assign picker: the unit's people, each with their open load, and
//! the on-duty pool; a reason line (needed to send work back to the pool).
//! A lawyer's release is the same dialog with the reason only.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::WorkItem;
use crate::api::dispatch::UnitPerson;
use crate::tui::context::Context;
use crate::tui::message::Command;

use crate::tui::theme::Theme;

/// The longest reason kept (the server's history note has room for it).
const MAX_REASON: usize = 500;

pub struct AssignPicker {
    pub item_id: i64,
    pub version: i64,
    pub title: String,
    /// Who holds the item now.
    pub current: Option<i64>,
    /// Empty for a release: only the pool is offered.
    pub people: Vec<UnitPerson>,
    pub release_only: bool,
    /// 0 is the pool; `n` is `people[n - 1]`.
    pub selected: usize,
    pub reason: String,
    pub error: Option<String>,
}

impl AssignPicker {
    /// A coordinator's choice for `item`: the least loaded person who does
    /// not hold it already comes selected.
    pub fn assign(item: &WorkItem, people: &[UnitPerson]) -> Self {
        let current = item.assignee.as_ref().map(|a| a.id);
        let best = people
            .iter()
            .enumerate()
            .filter(|(_, p)| Some(p.id) != current)
            .min_by_key(|(i, p)| (p.overdue_items, p.open_items, *i))
            .map(|(i, _)| i + 1);
        AssignPicker {
            item_id: item.id,
            version: item.version,
            title: sanitize::clean(&item.title),
            current,
            people: people.to_vec(),
            release_only: false,
            selected: best.unwrap_or(0),
            reason: String::new(),
            error: None,
        }
    }

    /// A lawyer gives their own item back to the pool, saying why.
    pub fn release(item: &WorkItem) -> Self {
        AssignPicker {
            release_only: true,
            selected: 0,
            ..AssignPicker::assign(item, &[])
        }
    }

    /// The chosen person's id; `None` is the pool.
    pub fn target(&self) -> Option<i64> {
        self.selected
            .checked_sub(1)
            .and_then(|i| self.people.get(i))
            .map(|p| p.id)
    }

    fn confirm(&mut self) -> KeyResult {
        let to = self.target();
        let reason = self.reason.trim().to_string();
        if to == self.current {
            self.error = Some(match to {
                None => t!("dispatch.picker.already_pooled").into_owned(),
                Some(_) => t!("dispatch.picker.already_theirs").into_owned(),
            });
            return KeyResult::Consumed(None);
        }
        if to.is_none() && reason.is_empty() {
            self.error = Some(t!("dispatch.picker.reason_needed").into_owned());
            return KeyResult::Consumed(None);
        }
        KeyResult::Close(Some(Command::Assign {
            item_id: self.item_id,
            assignee_id: to,
            version: self.version,
            reason: (!reason.is_empty()).then_some(reason),
        }))
    }

    /// The role and load of a person, as the picker's right columns show them.
    fn load(p: &UnitPerson) -> (String, String, String) {
        let role = match p.role {
            crate::domain::Role::Mediator => t!("dispatch.role.mediator").into_owned(),
            _ => t!("dispatch.role.lawyer").into_owned(),
        };
        let open = t!("dispatch.picker.open", n = p.open_items).into_owned();
        let overdue = if p.overdue_items > 0 {
            t!("dispatch.picker.overdue", n = p.overdue_items).into_owned()
        } else {
            String::new()
        };
        (role, open, overdue)
    }

    fn row_line(&self, theme: &Theme, row: usize, cols: usize) -> Line<'static> {
        let selected = row == self.selected;
        let pick = |s| if selected { theme.selected() } else { s };
        let marker = if selected { "▶ " } else { "  " };
        let Some(p) = row.checked_sub(1).and_then(|i| self.people.get(i)) else {
            let mut text = format!("{marker}{}", t!("dispatch.picker.pool"));
            if self.current.is_none() {
                text.push_str(&t!("dispatch.picker.current"));
            }
            return Line::styled(sanitize::fit(&text, cols), pick(theme.base()));
        };
        // Columns the same on every row: the widest role and load decide.
        let widths = |f: fn(&(String, String, String)) -> usize| {
            self.people.iter().map(|q| f(&Self::load(q))).max().unwrap_or(0)
        };
        let role_w = widths(|l| sanitize::width(&l.0));
        let load_w = widths(|l| sanitize::width(&l.1) + sanitize::width(&l.2));
        let (role, open, overdue) = Self::load(p);
        let mut name = sanitize::clean(&p.display_name);
        if Some(p.id) == self.current {
            name.push_str(&t!("dispatch.picker.current"));
        }
        let name_w = cols.saturating_sub(2 + 1 + role_w + 1 + load_w).max(6);
        let overdue_style = if p.overdue_items > 0 {
            theme.overdue()
        } else {
            theme.base()
        };
        let pad = load_w.saturating_sub(sanitize::width(&open) + sanitize::width(&overdue));
        Line::from(vec![
            Span::styled(marker.to_string(), pick(theme.base())),
            Span::styled(sanitize::fit(&name, name_w), pick(theme.base())),
            Span::styled(format!(" {} ", sanitize::fit(&role, role_w)), pick(theme.muted())),
            Span::styled(open, pick(theme.base())),
            Span::styled(overdue, pick(overdue_style)),
            Span::styled(" ".repeat(pad), pick(theme.base())),
        ])
    }
}

/// The last `cols` display columns of `text`, with `…` in front when cut.
fn tail_fit(text: &str, cols: usize) -> String {
    if sanitize::width(text) <= cols {
        return text.to_string();
    }
    let mut out: Vec<char> = Vec::new();
    let mut used = 1;
    for c in text.chars().rev() {
        let w = sanitize::width(c.encode_utf8(&mut [0; 4]));
        if used + w > cols {
            break;
        }
        used += w;
        out.push(c);
    }
    out.reverse();
    format!("…{}", out.into_iter().collect::<String>())
}

impl Dialog for AssignPicker {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        let rows = self.people.len() + 1;
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Up if !self.release_only => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down if !self.release_only => self.selected = (self.selected + 1).min(rows - 1),
            KeyCode::Backspace => {
                self.reason.pop();
            }
            KeyCode::Enter => return self.confirm(),
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                if self.reason.chars().count() < MAX_REASON {
                    self.reason.push(c);
                }
            }
            _ => return KeyResult::Consumed(None),
        }
        self.error = None;
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let list_rows = if self.release_only {
            0
        } else {
            self.people.len() + 1
        };
        // The frame, the item line, a gap, the reason and the hint around the list.
        let room = (area.height as usize).saturating_sub(8).max(1);
        let shown = list_rows.min(room);
        let h = (shown + 6) as u16;
        let w = area.width.saturating_sub(4).min(66);
        let key = if self.release_only {
            "dispatch.picker.release_title"
        } else {
            "dispatch.picker.title"
        };
        let title = t!(key, id = self.item_id);
        let inner = frame_popup(frame, centered(area, w, h), &title, theme);
        let cols = inner.width as usize;
        let mut lines = vec![Line::styled(sanitize::fit(&self.title, cols), theme.muted())];
        let start = crate::tui::screens::window_start(self.selected, shown);
        for row in (0..list_rows).skip(start).take(shown) {
            lines.push(self.row_line(theme, row, cols));
        }
        lines.push(Line::raw(""));
        let label = t!("dispatch.picker.reason");
        let cursor = "▏";
        let room = cols.saturating_sub(sanitize::width(&label) + 2);
        let text = sanitize::clean(&self.reason);
        // The end of a long reason stays in view as it is typed.
        let tail = tail_fit(&text, room);
        lines.push(Line::from(vec![
            Span::styled(format!("{label} "), theme.header()),
            Span::styled(format!("{tail}{cursor}"), theme.base()),
        ]));
        lines.push(match &self.error {
            Some(e) => Line::styled(sanitize::fit(e, cols), theme.error()),
            None => {
                let hint = if self.release_only {
                    t!("dispatch.picker.release_hint")
                } else {
                    t!("dispatch.picker.hint")
                };
                Line::styled(sanitize::fit(&hint, cols), theme.muted())
            }
        });
        frame.render_widget(Paragraph::new(lines).style(theme.popup()), inner);
    }
}
