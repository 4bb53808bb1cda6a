//! The outcome form: the codes valid for the item's kind, minutes
//! (prefilled from the timer), settled amount and fee waived where the code
//! takes them, a multi-line note. Checked by the domain rules before it is
//! saved; says "saved" only when the outbox has it, "sent" when the server
//! confirmed.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::NewOutcome;
use crate::domain::{ItemKind, OutcomeCode, OutcomeFields, OutcomeRuleError, Yuan};
use crate::tui::context::Context;
use crate::tui::labels;
use crate::tui::message::Command;
use crate::tui::shared::Draft;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Code,
    Minutes,
    Settled,
    FeeWaived,
    Note,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormState {
    Editing,
    Saving(u64),
    Saved(u64),
    Sent,
    /// Not saved (the local store failed): still editable, to save again.
    Failed(String),
    /// Saved, then refused by the server: the entry waits in the outbox to
    /// be edited and retried there, so this form saves nothing more.
    Refused(String),
}

pub struct OutcomeForm {
    pub item_id: i64,
    pub kind: ItemKind,
    pub title: String,
    pub code_index: usize,
    pub minutes: String,
    pub settled: String,
    pub fee_waived: String,
    pub note: TextArea<'static>,
    pub focus: Field,
    pub error: Option<String>,
    pub state: FormState,
}

impl OutcomeForm {
    pub fn new(item_id: i64, kind: ItemKind, title: &str, minutes: Option<i64>) -> Self {
        OutcomeForm {
            item_id,
            kind,
            title: sanitize::clean(title),
            code_index: 0,
            minutes: minutes.map(|m| m.to_string()).unwrap_or_default(),
            settled: String::new(),
            fee_waived: String::new(),
            note: TextArea::default(),
            focus: Field::Code,
            error: None,
            state: FormState::Editing,
        }
    }

    pub fn from_draft(draft: &Draft, kind: ItemKind, title: &str) -> Self {
        let mut form = Self::new(draft.item_id, kind, title, None);
        let codes = OutcomeCode::for_kind(kind);
        if let Some(i) = draft
            .code
            .as_deref()
            .and_then(|c| codes.iter().position(|k| k.as_str() == c))
        {
            form.code_index = i;
        }
        form.minutes = draft.minutes.clone();
        form.settled = draft.settled_amount.clone();
        form.fee_waived = draft.fee_waived.clone();
        form.note = TextArea::new(draft.note.lines().map(String::from).collect());
        form
    }

    pub fn code(&self) -> OutcomeCode {
        let codes = OutcomeCode::for_kind(self.kind);
        codes[self.code_index % codes.len()]
    }

    pub fn note_text(&self) -> String {
        self.note.lines().join("\n")
    }

    /// The form as a draft, when anything was entered.
    pub fn draft(&self) -> Option<Draft> {
        if self.state != FormState::Editing {
            return None;
        }
        Some(Draft {
            item_id: self.item_id,
            code: Some(self.code().as_str().to_string()),
            minutes: self.minutes.clone(),
            settled_amount: self.settled.clone(),
            fee_waived: self.fee_waived.clone(),
            note: self.note_text(),
        })
    }

    fn fields(&self) -> Vec<Field> {
        let mut f = vec![Field::Code, Field::Minutes];
        if self.kind == ItemKind::Mediation && self.code().takes_settled_amount() {
            f.push(Field::Settled);
        }
        if self.kind == ItemKind::ProBono {
            f.push(Field::FeeWaived);
        }
        f.push(Field::Note);
        f
    }

    fn move_focus(&mut self, step: isize) {
        let fields = self.fields();
        let at = fields.iter().position(|f| *f == self.focus).unwrap_or(0) as isize;
        let n = fields.len() as isize;
        self.focus = fields[((at + step).rem_euclid(n)) as usize];
    }

    /// The outcome the form describes, or what is wrong with it in words.
    pub fn validate(&self) -> Result<NewOutcome, String> {
        let minutes = match self.minutes.trim() {
            "" => None,
            m => Some(
                crate::domain::number::parse_whole(m)
                    .map_err(|_| t!("tui.form.bad_minutes", value = sanitize::clean(m)).into_owned())?,
            ),
        };
        let money = |text: &str, field: &str| -> Result<Option<Yuan>, String> {
            match text.trim() {
                "" => Ok(None),
                v => Yuan::parse(v).map(Some).map_err(|_| {
                    t!("tui.form.bad_amount", field = field, value = sanitize::clean(v)).into_owned()
                }),
            }
        };
        let fields = self.fields();
        let settled = if fields.contains(&Field::Settled) {
            money(&self.settled, &t!("tui.form.settled"))?
        } else {
            None
        };
        let fee_waived = if fields.contains(&Field::FeeWaived) {
            money(&self.fee_waived, &t!("tui.form.fee_waived"))?
        } else {
            None
        };
        let rules = OutcomeFields {
            kind: self.kind,
            code: self.code(),
            minutes,
            settled_amount: settled,
            fee_waived,
        };
        rules.check().map_err(|e| rule_message(&e))?;
        let note = self.note_text();
        crate::domain::records::check_note(Some(&note))
            .map_err(|r| crate::client::counting::refusal_text(&r))?;
        Ok(NewOutcome {
            code: self.code(),
            minutes,
            settled_amount: settled,
            fee_waived,
            note: (!note.trim().is_empty()).then_some(note),
            occurred_at: None,
        })
    }

    fn submit(&mut self, cx: &Context) -> KeyResult {
        match self.validate() {
            Ok(outcome) => {
                let request = cx.requests.take();
                self.error = None;
                self.state = FormState::Saving(request);
                KeyResult::Consumed(Some(Command::SaveOutcome {
                    request,
                    item_id: self.item_id,
                    outcome,
                }))
            }
            Err(message) => {
                self.error = Some(message);
                KeyResult::Consumed(None)
            }
        }
    }

    fn edit(&mut self, key: KeyEvent) {
        let n = OutcomeCode::for_kind(self.kind).len();
        let text = match self.focus {
            Field::Code => {
                match key.code {
                    KeyCode::Up | KeyCode::Char('k') => self.code_index = (self.code_index + n - 1) % n,
                    KeyCode::Down | KeyCode::Char('j') | KeyCode::Char(' ') => {
                        self.code_index = (self.code_index + 1) % n
                    }
                    _ => {}
                }
                return;
            }
            Field::Note => {
                self.note.input(key);
                return;
            }
            Field::Minutes => &mut self.minutes,
            Field::Settled => &mut self.settled,
            Field::FeeWaived => &mut self.fee_waived,
        };
        match key.code {
            KeyCode::Backspace => {
                text.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => text.push(c),
            _ => {}
        }
    }
}

/// The domain's rule errors in the user's language.
pub fn rule_message(e: &OutcomeRuleError) -> String {
    match e {
        OutcomeRuleError::WrongKind { .. } => t!("tui.rule.wrong_kind").into_owned(),
        OutcomeRuleError::SettledAmountNotAllowed => t!("tui.rule.settled_not_allowed").into_owned(),
        OutcomeRuleError::FeeWaivedNotAllowed => t!("tui.rule.fee_not_allowed").into_owned(),
        OutcomeRuleError::FeeWaivedRequired => t!("tui.rule.fee_required").into_owned(),
        OutcomeRuleError::MinutesOutOfRange(m) => t!(
            "tui.rule.minutes_range",
            minutes = m,
            max = crate::domain::outcome::MAX_MINUTES_PER_ENTRY
        )
        .into_owned(),
    }
}

impl Dialog for OutcomeForm {
    fn handle_key(&mut self, key: KeyEvent, cx: &Context) -> KeyResult {
        if !matches!(self.state, FormState::Editing | FormState::Failed(_)) {
            // Saving or saved: only closing is left to do.
            return match key.code {
                KeyCode::Esc | KeyCode::Enter => KeyResult::Close(None),
                _ => KeyResult::Consumed(None),
            };
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => return KeyResult::Close(Some(Command::DiscardDraft(self.item_id))),
            KeyCode::Char('s') if ctrl => return self.submit(cx),
            KeyCode::Tab => self.move_focus(1),
            KeyCode::BackTab => self.move_focus(-1),
            KeyCode::Enter if self.focus != Field::Note => return self.submit(cx),
            _ => self.edit(key),
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let rect = centered(area, 64, 18);
        let title = t!("tui.form.outcome_title", title = self.title.as_str());
        let inner = frame_popup(frame, rect, &title, theme);
        // "调解金额(元)" and a space.
        let label_w = 14;
        let field_style = |f: Field| {
            if self.focus == f {
                theme.selected()
            } else {
                theme.base()
            }
        };
        let mut lines: Vec<Line> = Vec::new();
        let codes: Vec<String> = OutcomeCode::for_kind(self.kind)
            .iter()
            .map(|c| labels::outcome(*c))
            .collect();
        let code_text = format!(
            "◀ {} ▶  ({}/{})",
            codes[self.code_index % codes.len()],
            self.code_index + 1,
            codes.len()
        );
        lines.push(Line::from(vec![
            Span::raw(sanitize::fit(&t!("tui.form.code"), label_w)),
            Span::styled(code_text, field_style(Field::Code)),
        ]));
        let mut text_line = |f: Field, key: &str, value: &str| {
            lines.push(Line::from(vec![
                Span::raw(sanitize::fit(&t!(key), label_w)),
                Span::styled(sanitize::fit(value, 20), field_style(f)),
            ]));
        };
        text_line(Field::Minutes, "tui.form.minutes", &self.minutes);
        let fields = self.fields();
        if fields.contains(&Field::Settled) {
            text_line(Field::Settled, "tui.form.settled", &self.settled);
        }
        if fields.contains(&Field::FeeWaived) {
            text_line(Field::FeeWaived, "tui.form.fee_waived", &self.fee_waived);
        }
        lines.push(Line::styled(
            t!("tui.form.note").into_owned(),
            field_style(Field::Note),
        ));
        let head = lines.len() as u16;
        frame.render_widget(Paragraph::new(lines), inner);
        let note_area = Rect::new(
            inner.x,
            inner.y + head,
            inner.width,
            inner.height.saturating_sub(head + 2),
        );
        frame.render_widget(&self.note, note_area);
        let (status, style) = match &self.state {
            FormState::Editing => (
                self.error
                    .clone()
                    .unwrap_or_else(|| t!("tui.form.hint").into_owned()),
                if self.error.is_some() {
                    theme.error()
                } else {
                    theme.muted()
                },
            ),
            FormState::Saving(_) => (t!("tui.form.saving").into_owned(), theme.muted()),
            FormState::Saved(_) => (t!("tui.form.saved").into_owned(), theme.ok()),
            FormState::Sent => (t!("tui.form.sent").into_owned(), theme.ok()),
            FormState::Failed(m) => (
                t!("tui.form.failed", message = sanitize::clean(m)).into_owned(),
                theme.error(),
            ),
            FormState::Refused(m) => (
                t!("tui.form.refused", message = sanitize::clean(m)).into_owned(),
                theme.error(),
            ),
        };
        let status_area = Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1);
        frame.render_widget(
            Paragraph::new(Line::styled(
                sanitize::truncate(&status, inner.width as usize),
                style,
            )),
            status_area,
        );
    }
}
