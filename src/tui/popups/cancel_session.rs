//! Cancelling a session, with the reason the parties will be told. Sent at
//! once; the reason stays on the dialog until the server answered.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::WorkItem;
use crate::api::intake::CancelRequest;
use crate::tui::context::Context;
use crate::tui::message::Command;
use crate::tui::message::SessionRefusal;
use crate::tui::time;

/// The longest reason the dialog takes (a sentence or two).
pub const MAX_REASON_CHARS: usize = 500;

pub struct CancelForm {
    pub item_id: i64,
    pub version: i64,
    /// "#12 物业费纠纷 · 第一调解室 09:30–10:30"
    pub what: String,
    pub reason: String,
    pub error: Option<String>,
    pub sending: bool,
}

impl CancelForm {
    pub fn new(session: &WorkItem) -> Self {
        let when = session
            .mediation
            .as_ref()
            .map(|m| {
                format!(
                    " · {} {} {}–{}",
                    m.room_name,
                    time::date_of(m.scheduled_start),
                    time::hm(m.scheduled_start),
                    time::hm(m.scheduled_end)
                )
            })
            .unwrap_or_default();
        CancelForm {
            item_id: session.id,
            version: session.version,
            what: sanitize::clean(&format!("#{} {}{when}", session.id, session.title)),
            reason: String::new(),
            error: None,
            sending: false,
        }
    }

    pub fn validate(&self) -> Result<CancelRequest, String> {
        let reason = self.reason.trim();
        if reason.is_empty() {
            return Err(t!("schedule_tui.reason_needed").into_owned());
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(t!("schedule_tui.reason_too_long", max = MAX_REASON_CHARS).into_owned());
        }
        Ok(CancelRequest {
            reason: reason.to_string(),
            version: self.version,
        })
    }

    pub fn refused(&mut self, refusal: SessionRefusal) {
        self.sending = false;
        self.error = Some(sanitize::clean(&refusal.message));
    }
}

impl Dialog for CancelForm {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        if key.code == KeyCode::Esc {
            return KeyResult::Close(None);
        }
        if self.sending {
            return KeyResult::Consumed(None);
        }
        match key.code {
            KeyCode::Enter => match self.validate() {
                Ok(request) => {
                    self.error = None;
                    self.sending = true;
                    let item_id = self.item_id;
                    return KeyResult::Consumed(Some(Command::CancelSession { item_id, request }));
                }
                Err(e) => self.error = Some(e),
            },
            KeyCode::Backspace => {
                self.reason.pop();
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => self.reason.push(c),
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let inner = frame_popup(
            frame,
            centered(area, 64, 10),
            &t!("schedule_tui.cancel_title"),
            theme,
        );
        let label_w = 10;
        let w = (inner.width as usize).saturating_sub(label_w);
        let status = match (&self.error, self.sending) {
            (_, true) => Line::styled(t!("schedule_tui.sending").into_owned(), theme.muted()),
            (Some(e), false) => Line::styled(e.clone(), theme.error()),
            (None, false) => Line::styled(t!("schedule_tui.cancel_hint").into_owned(), theme.muted()),
        };
        let lines = vec![
            Line::raw(sanitize::cell(&self.what, inner.width as usize)),
            Line::raw(""),
            Line::from(vec![
                Span::raw(sanitize::fit(&t!("schedule_tui.reason"), label_w)),
                Span::styled(sanitize::cell(&self.reason, w), theme.selected()),
            ]),
            Line::raw(""),
            status,
        ];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
