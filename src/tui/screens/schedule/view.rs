//! A day of mediation sessions, room by room, for operators and mediators.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::ScheduleState;
use crate::api::WorkItem;
use crate::tui::context::Context;
use crate::tui::shared::Screen;
use crate::tui::{labels, time};

/// The sessions of the day in display order (room by room), for selection.
pub fn draw(cx: &Context, st: &ScheduleState, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        t!("tui.schedule.day", date = st.date.as_str()).into_owned(),
        theme.title(),
    )];
    if let Some(link) = &st.shown_link {
        lines.push(Line::styled(
            sanitize::cell(&t!("tui.schedule.link_shown", link = link), w),
            theme.ok(),
        ));
    }
    let Some(schedule) = st.schedule.as_ref().filter(|s| s.date == st.date) else {
        // Refused to this role: say what it may do, never "loading" for ever.
        let text = if cx.refused.contains(&Screen::Schedule) {
            crate::tui::role_screens::what_role_may_do(cx)
        } else {
            t!("tui.schedule.loading").into_owned()
        };
        lines.push(Line::styled(sanitize::cell(&text, w), theme.muted()));
        frame.render_widget(Paragraph::new(lines), area);
        return;
    };
    if schedule.rooms.iter().all(|r| r.sessions.is_empty()) {
        lines.push(Line::styled(t!("tui.schedule.empty").into_owned(), theme.muted()));
    }
    let mut index = 0;
    // The line of the selected session: rooms add a head and a timeline.
    let mut selected_line = 0;
    let day_start = time::day_start(&st.date);
    for room in &schedule.rooms {
        let operator = room
            .room
            .operator
            .as_ref()
            .map(|o| o.display_name.as_str())
            .unwrap_or("");
        let head = format!("{} {} {}", theme.room_mark(), room.room.name, operator);
        lines.push(Line::styled(sanitize::cell(&head, w), theme.header()));
        if let Some(start) = day_start {
            lines.push(timeline(cx, &room.sessions, start, w));
        }
        for s in &room.sessions {
            let selected = index == st.selected;
            index += 1;
            let (start, end) = s
                .mediation
                .as_ref()
                .map(|m| (m.scheduled_start, m.scheduled_end))
                .unwrap_or((s.due_at, s.due_at));
            let when = format!("  {}–{} ", time::hm(start), time::hm(end));
            let status = sanitize::fit(&labels::status(s.status), 9);
            let title_w = w.saturating_sub(sanitize::width(&when) + 10);
            let style = if selected { theme.selected() } else { theme.base() };
            if selected {
                selected_line = lines.len();
            }
            lines.push(Line::from(vec![
                Span::styled(when, style),
                Span::styled(sanitize::cell(&s.title, title_w), style),
                Span::styled(format!(" {status}"), style),
            ]));
        }
    }
    let rows = area.height as usize;
    let start = crate::tui::screens::window_start(selected_line, rows);
    let lines: Vec<Line> = lines.into_iter().skip(start).collect();
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}

/// The working day of 08:00–20:00 as a bar, sessions marked on it. Plain
/// ASCII: block and dot characters are ambiguous-width in CJK terminals.
fn timeline(cx: &Context, sessions: &[WorkItem], day_start: i64, w: usize) -> Line<'static> {
    const FROM: i64 = 8;
    const TO: i64 = 20;
    let theme = &cx.theme;
    let cols = w.saturating_sub(10).max(12);
    let hour = 3_600_000;
    let col_of = |ms: i64| {
        let rel = ms
            .saturating_sub(day_start)
            .saturating_sub(FROM * hour)
            .clamp(0, (TO - FROM) * hour);
        (rel * cols as i64 / ((TO - FROM) * hour)) as usize
    };
    let mut busy = vec![false; cols];
    for s in sessions {
        if let Some(m) = &s.mediation {
            let (a, b) = (col_of(m.scheduled_start), col_of(m.scheduled_end));
            for cell in busy.iter_mut().take(b.max(a + 1).min(cols)).skip(a) {
                *cell = true;
            }
        }
    }
    let now = (cx.now >= day_start && cx.now < day_start + 24 * hour).then(|| col_of(cx.now));
    let mut spans = vec![Span::styled(format!("  {FROM:02} "), theme.muted())];
    for (i, b) in busy.iter().enumerate() {
        let (ch, style) = match (b, now == Some(i)) {
            (_, true) => ("|", theme.overdue()),
            (true, false) => ("=", theme.header()),
            (false, false) => (".", theme.muted()),
        };
        spans.push(Span::styled(ch, style));
    }
    spans.push(Span::styled(format!(" {TO:02}"), theme.muted()));
    Line::from(spans)
}
