//! The intake desk's home: what it registered (newest first; still in the
//! outbox on top), each with where it went and whether its conflict
//! warning is acknowledged. `n` opens the form; a warning left for later
//! is read again with its key.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::IntakeState;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::{labels, time};

fn key_of(cx: &Context, action: Action) -> String {
    cx.keymap
        .keys(action)
        .first()
        .map(|k| k.display())
        .unwrap_or_default()
}

pub fn draw(cx: &Context, st: &IntakeState, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let state = st;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(
        t!("intake_tui.screen.title").into_owned(),
        theme.title(),
    )];
    if state.rows() == 0 {
        lines.push(Line::styled(
            t!("intake_tui.screen.empty", key = key_of(cx, Action::NewIntake)).into_owned(),
            theme.muted(),
        ));
    }
    let rows = (area.height as usize).saturating_sub(1);
    let start = crate::tui::screens::window_start(state.selected, rows);
    let waiting = state.view.waiting.iter().map(|x| {
        let (mark, style) = match &x.failed {
            None => (t!("intake_tui.screen.pending").into_owned(), theme.due_soon()),
            Some(_) => (t!("intake_tui.screen.failed").into_owned(), theme.error()),
        };
        let what = format!(
            "{} {} {}",
            time::md_hm(x.created_at),
            labels::kind(x.kind),
            sanitize::clean(&x.title)
        );
        (mark, style, what, String::new())
    });
    let registered = state.view.registered.iter().map(|r| {
        let (mark, style) = if state.view.acking.contains(&r.item_id) {
            (t!("intake_tui.screen.acking").into_owned(), theme.due_soon())
        } else if !r.conflicts.is_empty() && !r.acked {
            (t!("intake_tui.screen.unacked").into_owned(), theme.error())
        } else if !r.conflicts.is_empty() {
            (t!("intake_tui.screen.acked").into_owned(), theme.muted())
        } else {
            (t!("intake_tui.screen.sent").into_owned(), theme.ok())
        };
        let what = format!(
            "{} #{} {} {}",
            time::md_hm(r.created_at),
            r.item_id,
            labels::kind(r.kind),
            sanitize::clean(&r.title)
        );
        let to = match &r.assignee {
            Some(a) => format!("→ {}", sanitize::clean(a)),
            None => format!("→ {}", sanitize::clean(&state.unit_name(r.unit_id))),
        };
        (mark, style, what, to)
    });
    let mark_w = 10;
    for (i, (mark, style, what, to)) in waiting.chain(registered).enumerate().skip(start).take(rows) {
        let selected = i == state.selected;
        let base = if selected { theme.selected() } else { theme.base() };
        let to_w = sanitize::width(&to).min(w / 3);
        let what_w = w.saturating_sub(mark_w + to_w + 1);
        lines.push(Line::from(vec![
            Span::styled(sanitize::fit(&mark, mark_w), if selected { base } else { style }),
            Span::styled(sanitize::fit(&what, what_w), base),
            Span::styled(format!(" {}", sanitize::fit(&to, to_w)), base),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}
