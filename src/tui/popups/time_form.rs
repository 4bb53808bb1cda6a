//! Adding time to an item: minutes, what the time was spent on, a note.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::NewTimeEntry;
use crate::domain::TimeActivity;
use crate::domain::outcome::check_minutes;
use crate::tui::context::Context;
use crate::tui::labels;
use crate::tui::message::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Minutes,
    Activity,
    Note,
}

pub struct TimeForm {
    pub item_id: i64,
    pub minutes: String,
    pub activity: usize,
    pub note: String,
    pub focus: Field,
    pub error: Option<String>,
    pub saving: Option<u64>,
}

impl TimeForm {
    pub fn new(item_id: i64, minutes: Option<i64>) -> Self {
        TimeForm {
            item_id,
            minutes: minutes.map(|m| m.to_string()).unwrap_or_default(),
            activity: 0,
            note: String::new(),
            focus: Field::Minutes,
            error: None,
            saving: None,
        }
    }

    pub fn validate(&self) -> Result<NewTimeEntry, String> {
        let text = self.minutes.trim();
        let minutes = crate::domain::number::parse_whole(text)
            .map_err(|_| t!("tui.form.bad_minutes", value = sanitize::clean(text)).into_owned())?;
        check_minutes(Some(minutes)).map_err(|e| super::outcome::rule_message(&e))?;
        crate::domain::records::check_note(Some(&self.note))
            .map_err(|r| crate::client::counting::refusal_text(&r))?;
        Ok(NewTimeEntry {
            item_id: self.item_id,
            minutes,
            activity: TimeActivity::ALL[self.activity % TimeActivity::ALL.len()],
            note: (!self.note.trim().is_empty()).then(|| self.note.clone()),
            occurred_at: None,
        })
    }
}

impl Dialog for TimeForm {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult {
        if self.saving.is_some() {
            return match key.code {
                KeyCode::Esc | KeyCode::Enter => KeyResult::Close(None),
                _ => KeyResult::Consumed(None),
            };
        }
        let n = TimeActivity::ALL.len();
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Tab | KeyCode::Down if self.focus != Field::Activity || key.code == KeyCode::Tab => {
                self.focus = match self.focus {
                    Field::Minutes => Field::Activity,
                    Field::Activity => Field::Note,
                    Field::Note => Field::Minutes,
                }
            }
            KeyCode::Enter => match self.validate() {
                Ok(entry) => {
                    let request = cx.requests.take();
                    self.saving = Some(request);
                    return KeyResult::Consumed(Some(Command::SaveTime { request, entry }));
                }
                Err(e) => self.error = Some(e),
            },
            KeyCode::Up | KeyCode::Left if self.focus == Field::Activity => {
                self.activity = (self.activity + n - 1) % n
            }
            KeyCode::Down | KeyCode::Right | KeyCode::Char(' ') if self.focus == Field::Activity => {
                self.activity = (self.activity + 1) % n
            }
            KeyCode::Backspace => {
                match self.focus {
                    Field::Minutes => self.minutes.pop(),
                    Field::Note => self.note.pop(),
                    Field::Activity => None,
                };
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => match self.focus {
                Field::Minutes => self.minutes.push(c),
                Field::Note => self.note.push(c),
                Field::Activity => {}
            },
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(frame, centered(area, 56, 9), &t!("tui.form.time_title"), theme);
        let style = |f: Field| {
            if self.focus == f {
                theme.selected()
            } else {
                theme.base()
            }
        };
        let w = inner.width.saturating_sub(12) as usize;
        let activity = labels::activity(TimeActivity::ALL[self.activity % TimeActivity::ALL.len()]);
        let row = |key: &str, value: String, f: Field| {
            Line::from(vec![
                Span::raw(sanitize::fit(&t!(key), 12)),
                Span::styled(sanitize::fit(&value, w.min(30)), style(f)),
            ])
        };
        let status = match (&self.error, self.saving) {
            (_, Some(_)) => Line::styled(t!("tui.form.saving").into_owned(), theme.muted()),
            (Some(e), None) => Line::styled(e.clone(), theme.error()),
            (None, None) => Line::styled(t!("tui.form.time_hint").into_owned(), theme.muted()),
        };
        let lines = vec![
            row("tui.form.minutes", self.minutes.clone(), Field::Minutes),
            row("tui.form.activity", format!("◀ {activity} ▶"), Field::Activity),
            row("tui.form.note", self.note.clone(), Field::Note),
            Line::raw(""),
            status,
        ];
        frame.render_widget(Paragraph::new(lines), inner);
    }
}
