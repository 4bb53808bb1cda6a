//! Logging work that is not an item (an enterprise visit, a training,
//! contact cards): a picker of the rows the user's running campaigns count
//! from activities (names in the user's language), the count (and the
//! second value on two-valued rows), a note. Checked by the domain's record
//! rules before it is saved.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::{CampaignList, NewActivity};
use crate::client::counting::{refusal_text, target_name};
use crate::domain::EpochMs;
use crate::domain::records::{ActivityInput, ActivityTarget, check_activity};
use crate::tui::context::Context;
use crate::tui::message::Command;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Indicator,
    Count,
    Count2,
    Note,
}

pub struct ActivityForm {
    /// `None` until the campaigns are known.
    pub targets: Option<Vec<ActivityTarget>>,
    pub selected: usize,
    pub count: String,
    pub count2: String,
    pub note: String,
    pub focus: Field,
    pub error: Option<String>,
    pub saving: Option<u64>,
}

impl ActivityForm {
    /// The form over the campaigns known so far (`None`: still loading).
    pub fn new(campaigns: Option<&CampaignList>, now: EpochMs) -> Self {
        let mut form = ActivityForm {
            targets: None,
            selected: 0,
            count: "1".into(),
            count2: String::new(),
            note: String::new(),
            focus: Field::Indicator,
            error: None,
            saving: None,
        };
        if let Some(list) = campaigns {
            form.set_campaigns(list, now);
        }
        form
    }

    /// The campaigns arrived (or changed): the rows they take activities on.
    pub fn set_campaigns(&mut self, list: &CampaignList, now: EpochMs) {
        let chosen = self.target().map(|t| t.code.clone());
        let targets = list.activity_targets(now).unwrap_or_default();
        self.selected = chosen
            .and_then(|c| targets.iter().position(|t| t.code == c))
            .unwrap_or(0);
        self.targets = Some(targets);
    }

    pub fn target(&self) -> Option<&ActivityTarget> {
        self.targets.as_ref()?.get(self.selected)
    }

    fn two_valued(&self) -> bool {
        self.target().is_some_and(|t| t.two_valued)
    }

    /// The fields in the order Tab visits them; count2 only where it applies.
    fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Indicator, Field::Count];
        if self.two_valued() {
            f.push(Field::Count2);
        }
        f.push(Field::Note);
        f
    }

    pub fn validate(&self, now: EpochMs) -> Result<NewActivity, String> {
        let targets = self.targets.as_deref().unwrap_or_default();
        let target = self.target().ok_or_else(|| t!("counting.no_rows").into_owned())?;
        let number = |text: &str| {
            text.trim().parse::<i64>().map_err(|_| {
                t!("counting.form.bad_number", value = sanitize::clean(text.trim())).into_owned()
            })
        };
        let count = number(&self.count)?;
        // Left empty on a two-valued row: the domain says what is missing.
        let count2 = if target.two_valued && !self.count2.trim().is_empty() {
            Some(number(&self.count2)?)
        } else {
            None
        };
        let note = (!self.note.trim().is_empty()).then(|| self.note.clone());
        let input = ActivityInput {
            indicator: &target.code,
            count,
            count2,
            note: note.as_deref(),
            occurred_at: now,
        };
        check_activity(&input, targets, now).map_err(|r| refusal_text(&r))?;
        Ok(NewActivity {
            indicator: target.code.clone(),
            count,
            count2,
            note,
            occurred_at: Some(now),
        })
    }
}

impl Dialog for ActivityForm {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult {
        if self.saving.is_some() {
            return match key.code {
                KeyCode::Esc | KeyCode::Enter => KeyResult::Close(None),
                _ => KeyResult::Consumed(None),
            };
        }
        let n = self.targets.as_ref().map_or(0, Vec::len);
        let fields = self.fields();
        match key.code {
            KeyCode::Esc => return KeyResult::Close(None),
            KeyCode::Tab | KeyCode::BackTab => {
                let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0);
                let step = if key.code == KeyCode::Tab {
                    1
                } else {
                    fields.len() - 1
                };
                self.focus = fields[(at + step) % fields.len()];
            }
            KeyCode::Up if self.focus == Field::Indicator && n > 0 => {
                self.selected = (self.selected + n - 1) % n
            }
            KeyCode::Down if self.focus == Field::Indicator && n > 0 => {
                self.selected = (self.selected + 1) % n
            }
            KeyCode::Enter => match self.validate(cx.now) {
                Ok(activity) => {
                    let request = cx.requests.take();
                    self.saving = Some(request);
                    self.error = None;
                    return KeyResult::Consumed(Some(Command::SaveActivity { request, activity }));
                }
                Err(e) => self.error = Some(e),
            },
            KeyCode::Backspace => {
                match self.focus {
                    Field::Count => self.count.pop(),
                    Field::Count2 => self.count2.pop(),
                    Field::Note => self.note.pop(),
                    Field::Indicator => None,
                };
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => match self.focus {
                Field::Count => self.count.push(c),
                Field::Count2 => self.count2.push(c),
                Field::Note => self.note.push(c),
                Field::Indicator => {}
            },
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let height = area.height.clamp(8, 16);
        let inner = frame_popup(
            frame,
            centered(area, 64, height),
            &t!("counting.form.title"),
            theme,
        );
        let style = |f: Field| {
            if self.focus == f {
                theme.selected()
            } else {
                theme.base()
            }
        };
        let label_w = 12;
        let w = (inner.width as usize).saturating_sub(label_w);
        let row = |key: &str, value: String, f: Field| {
            Line::from(vec![
                Span::raw(sanitize::fit(&t!(key), label_w)),
                Span::styled(sanitize::fit(&value, w.min(40)), style(f)),
            ])
        };
        let mut lines = Vec::new();
        // The picker: as many rows as fit above the other fields.
        // The fields, and two lines for what is wrong (or the hint).
        let fixed = 2 + self.fields().len() as u16;
        let room = inner.height.saturating_sub(fixed).max(1) as usize;
        match &self.targets {
            None => lines.push(Line::styled(
                t!("counting.form.loading").into_owned(),
                theme.muted(),
            )),
            Some(t) if t.is_empty() => {
                lines.push(Line::styled(t!("counting.no_rows").into_owned(), theme.muted()))
            }
            Some(targets) => {
                let start = self.selected.saturating_sub(room.saturating_sub(1));
                for (i, target) in targets.iter().enumerate().skip(start).take(room) {
                    let mark = if i == self.selected { "▶ " } else { "  " };
                    let two = if target.two_valued { " [2]" } else { "" };
                    let text = format!("{mark}{}{two}", sanitize::clean(target_name(target)));
                    let s = if i == self.selected {
                        style(Field::Indicator)
                    } else {
                        theme.base()
                    };
                    lines.push(Line::styled(sanitize::fit(&text, inner.width as usize), s));
                }
            }
        }
        while lines.len() < room {
            lines.push(Line::raw(""));
        }
        lines.push(row("counting.form.count", self.count.clone(), Field::Count));
        if self.two_valued() {
            lines.push(row("counting.form.count2", self.count2.clone(), Field::Count2));
        }
        lines.push(row("tui.form.note", self.note.clone(), Field::Note));
        frame.render_widget(Paragraph::new(lines), inner);
        // What is wrong and the fix, wrapped under the fields.
        let status_h = inner.height.saturating_sub(fixed - 2).clamp(1, 2);
        let status_area = Rect::new(
            inner.x,
            inner.bottom().saturating_sub(status_h),
            inner.width,
            status_h,
        );
        let status = match (&self.error, self.saving) {
            (_, Some(_)) => Line::styled(t!("tui.form.saving").into_owned(), theme.muted()),
            (Some(e), None) => Line::styled(e.lines().next().unwrap_or_default().to_string(), theme.error()),
            (None, None) => Line::styled(t!("counting.form.hint").into_owned(), theme.muted()),
        };
        frame.render_widget(
            Paragraph::new(status).wrap(ratatui::widgets::Wrap { trim: true }),
            status_area,
        );
    }
}
