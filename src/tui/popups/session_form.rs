//! Booking a mediation session, or moving one: the request, the room, the
//! start and end (typed the forgiving way `domain::slot` reads), the
//! mediator and a join link for a video or phone session. Sent at once;
//! the dialog keeps what was typed until the server answered, and a clash
//! (409 `schedule_conflict`) stays on it, named, so another slot can be
//! picked.

use crate::text as sanitize;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};
use rust_i18n::t;

use super::session_parts::{clash_text, day_titles, known_title, mediators, rooms, slot_message, unbooked};
use super::{Dialog, KeyResult, centered, frame_popup};
use crate::api::intake::ScheduleRequest;
use crate::api::{UserRef, WorkItem};
use crate::domain::slot;
use crate::tui::context::Context;
use crate::tui::message::{Clash, Command, SessionRefusal};
use crate::tui::screens::schedule::ScheduleState;
use crate::tui::time;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Item,
    Room,
    Start,
    End,
    Mediator,
    Link,
}

const FIELDS: [Field; 6] = [
    Field::Item,
    Field::Room,
    Field::Start,
    Field::End,
    Field::Mediator,
    Field::Link,
];

pub struct SessionForm {
    /// Moving this session (its item fixed); `None`: booking a new one.
    pub moving: Option<i64>,
    pub item: String,
    /// The rooms of the day shown: (id, name).
    pub rooms: Vec<(i64, String)>,
    pub room: usize,
    pub start: String,
    pub end: String,
    /// 0: the request's own mediator; then these.
    pub mediators: Vec<UserRef>,
    pub mediator: usize,
    /// Mediation requests without a session that this user has cached,
    /// offered with ←/→ on the request field (a number may be typed too).
    pub requests: Vec<i64>,
    /// The titles of the day's sessions as the form opened, to name a
    /// typed request (the items on hand come from the context).
    pub day_titles: Vec<(i64, String)>,
    pub link: String,
    pub focus: Field,
    /// The day the times are on unless the start names another.
    pub date: String,
    pub error: Option<String>,
    pub clash: Option<Clash>,
    /// Sent for this item; waiting for the server.
    pub sending: Option<i64>,
}

impl SessionForm {
    /// A new session, on the day the schedule shows.
    pub fn book(cx: &Context, schedule: &ScheduleState) -> Self {
        SessionForm {
            moving: None,
            item: String::new(),
            rooms: rooms(schedule),
            room: 0,
            start: String::new(),
            end: String::new(),
            mediators: mediators(schedule),
            mediator: 0,
            requests: unbooked(cx),
            day_titles: day_titles(schedule),
            link: String::new(),
            focus: Field::Item,
            date: schedule.date.clone(),
            error: None,
            clash: None,
            sending: None,
        }
    }

    /// The selected session, its room and times filled in.
    pub fn move_session(cx: &Context, schedule: &ScheduleState, session: &WorkItem) -> Self {
        let mut form = Self::book(cx, schedule);
        form.moving = Some(session.id);
        form.item = session.id.to_string();
        if let Some(m) = &session.mediation {
            form.room = form.rooms.iter().position(|r| r.0 == m.room_id).unwrap_or(0);
            form.start = time::hm(m.scheduled_start);
            form.end = time::hm(m.scheduled_end);
            form.link = m.join_link.clone().unwrap_or_default();
            form.date = time::date_of(m.scheduled_start);
        }
        form.focus = Field::Start;
        form
    }

    /// What to send, checked: the item, and the request.
    pub fn validate(&self) -> Result<(i64, ScheduleRequest), String> {
        let item = self.item.trim().trim_start_matches('#');
        let item_id = item
            .parse::<i64>()
            .ok()
            .filter(|i| *i > 0)
            .ok_or_else(|| t!("schedule_tui.bad_item", value = sanitize::clean(item)).into_owned())?;
        let (room_id, _) = self
            .rooms
            .get(self.room)
            .ok_or_else(|| t!("schedule_tui.no_room").into_owned())?;
        let day = self
            .date
            .parse()
            .map_err(|_| t!("schedule_tui.bad_day", value = sanitize::clean(&self.date)).into_owned())?;
        let (start, end) = slot::parse_slot(day, &self.start, &self.end).map_err(|e| slot_message(&e))?;
        let link = self.link.trim();
        if !link.is_empty() && !slot::is_join_link(link) {
            return Err(t!("schedule_tui.bad_link", value = sanitize::clean(link)).into_owned());
        }
        Ok((
            item_id,
            ScheduleRequest {
                room_id: *room_id,
                start,
                end,
                mediator_id: self
                    .mediator
                    .checked_sub(1)
                    .and_then(|i| self.mediators.get(i))
                    .map(|u| u.id),
                join_link: (!link.is_empty()).then(|| link.to_string()),
            },
        ))
    }

    fn cycle(&mut self, forward: bool) {
        if self.focus == Field::Item && self.moving.is_none() {
            let n = self.requests.len();
            if n > 0 {
                let at = self
                    .requests
                    .iter()
                    .position(|r| r.to_string() == self.item.trim());
                let next = match (at, forward) {
                    (Some(i), true) => (i + 1) % n,
                    (Some(i), false) => (i + n - 1) % n,
                    (None, true) => 0,
                    (None, false) => n - 1,
                };
                self.item = self.requests[next].to_string();
            }
            return;
        }
        let (value, n) = match self.focus {
            Field::Room => (&mut self.room, self.rooms.len()),
            Field::Mediator => (&mut self.mediator, self.mediators.len() + 1),
            _ => return,
        };
        if n > 0 {
            *value = if forward {
                (*value + 1) % n
            } else {
                (*value + n - 1) % n
            };
        }
    }

    fn text_mut(&mut self) -> Option<&mut String> {
        match self.focus {
            Field::Item if self.moving.is_none() => Some(&mut self.item),
            Field::Start => Some(&mut self.start),
            Field::End => Some(&mut self.end),
            Field::Link => Some(&mut self.link),
            _ => None,
        }
    }

    /// The server's answer arrived: a refusal stays on the form.
    pub fn refused(&mut self, refusal: SessionRefusal) {
        self.sending = None;
        self.error = Some(sanitize::clean(&refusal.message));
        self.clash = refusal.clash;
        if self.clash.is_some() {
            self.focus = Field::Start;
        }
    }
}

impl Dialog for SessionForm {
    fn handle_key(&mut self, key: KeyEvent, _cx: &Context) -> KeyResult {
        if key.code == KeyCode::Esc {
            return KeyResult::Close(None);
        }
        if self.sending.is_some() {
            // What was typed stays until the server answered.
            return KeyResult::Consumed(None);
        }
        let at = FIELDS.iter().position(|f| *f == self.focus).unwrap_or(0);
        let first = if self.moving.is_some() { 1 } else { 0 };
        let step = |by: usize| {
            let n = FIELDS.len() - first;
            FIELDS[first + (at.saturating_sub(first) + by) % n]
        };
        match key.code {
            KeyCode::Tab | KeyCode::Down => self.focus = step(1),
            KeyCode::BackTab | KeyCode::Up => self.focus = step(FIELDS.len() - first - 1),
            KeyCode::Left | KeyCode::Right => self.cycle(key.code == KeyCode::Right),
            KeyCode::Enter => match self.validate() {
                Ok((item_id, request)) => {
                    self.error = None;
                    self.sending = Some(item_id);
                    return KeyResult::Consumed(Some(Command::BookSession { item_id, request }));
                }
                Err(e) => self.error = Some(e),
            },
            KeyCode::Backspace => {
                if let Some(text) = self.text_mut() {
                    text.pop();
                }
            }
            KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => {
                if matches!(self.focus, Field::Room | Field::Mediator) && c == ' ' {
                    self.cycle(true);
                } else if let Some(text) = self.text_mut() {
                    text.push(c);
                }
            }
            _ => {}
        }
        KeyResult::Consumed(None)
    }

    fn draw(&self, cx: &Context, frame: &mut Frame, area: Rect) {
        let theme = cx.theme;
        let title = match self.moving {
            Some(id) => t!("schedule_tui.move_title", id = id),
            None => t!("schedule_tui.book_title"),
        };
        let inner = frame_popup(frame, centered(area, 72, 16), &title, theme);
        let label_w = 12;
        let w = (inner.width as usize).saturating_sub(label_w);
        let style = |f: Field| {
            if self.focus == f {
                theme.selected()
            } else {
                theme.base()
            }
        };
        let row = |key: &str, value: String, f: Field| {
            Line::from(vec![
                Span::raw(sanitize::fit(&t!(key), label_w)),
                Span::styled(sanitize::cell(&value, w), style(f)),
            ])
        };
        let item = match self.item.trim().trim_start_matches('#').parse::<i64>() {
            Ok(id) => match known_title(&self.day_titles, cx, id) {
                Some(title) => format!("#{id} {}", sanitize::clean(&title)),
                None => format!("#{id}"),
            },
            Err(_) => self.item.clone(),
        };
        let room = self.rooms.get(self.room).map(|r| r.1.as_str()).unwrap_or("-");
        let mediator = match self.mediator.checked_sub(1).and_then(|i| self.mediators.get(i)) {
            Some(u) => u.display_name.clone(),
            None => t!("schedule_tui.mediator_own").into_owned(),
        };
        let mut lines = vec![
            row("schedule_tui.item", item, Field::Item),
            row(
                "schedule_tui.room",
                format!("< {} >", sanitize::clean(room)),
                Field::Room,
            ),
            row("schedule_tui.start", self.start.clone(), Field::Start),
            row("schedule_tui.end", self.end.clone(), Field::End),
            row(
                "schedule_tui.mediator",
                format!("< {} >", sanitize::clean(&mediator)),
                Field::Mediator,
            ),
            row("schedule_tui.link", self.link.clone(), Field::Link),
            Line::styled(
                t!("schedule_tui.time_help", date = self.date.as_str()).into_owned(),
                theme.muted(),
            ),
            Line::raw(""),
        ];
        if let Some(c) = &self.clash {
            lines.push(Line::styled(clash_text(c), theme.error()));
        } else if let Some(e) = &self.error {
            lines.push(Line::styled(e.clone(), theme.error()));
        } else if self.sending.is_some() {
            lines.push(Line::styled(
                t!("schedule_tui.sending").into_owned(),
                theme.muted(),
            ));
        } else {
            lines.push(Line::styled(t!("schedule_tui.hint").into_owned(), theme.muted()));
        }
        if self.clash.is_some() && self.sending.is_some() {
            lines.push(Line::styled(
                t!("schedule_tui.sending").into_owned(),
                theme.muted(),
            ));
        }
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), inner);
    }
}
