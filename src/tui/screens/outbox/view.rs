//! What has not reached the server yet: pending entries, and failed ones
//! with the server's message, to retry or discard.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use crate::tui::context::Context;
use crate::tui::screens::ListState;
use crate::tui::shared::{OutboxState, OutboxSummary};
use crate::tui::time;

pub fn draw(outbox: &OutboxSummary, st: &ListState, cx: &Context, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(t!("tui.outbox.title").into_owned(), theme.title())];
    if outbox.entries.is_empty() {
        lines.push(Line::styled(t!("tui.outbox.empty").into_owned(), theme.muted()));
    }
    let rows = (area.height as usize).saturating_sub(1) / 2;
    let start = crate::tui::screens::window_start(st.selected, rows);
    for (i, e) in outbox.entries.iter().enumerate().skip(start).take(rows) {
        let (state, state_style) = match e.state {
            OutboxState::Pending => (t!("tui.outbox.pending"), theme.due_soon()),
            OutboxState::Failed => (t!("tui.outbox.failed"), theme.error()),
        };
        let selected = i == st.selected;
        let base = if selected { theme.selected() } else { theme.base() };
        let head = format!(" {} {}", time::md_hm(e.created_at), e.what);
        lines.push(Line::from(vec![
            Span::styled(
                sanitize::fit(&state, 8),
                if selected { base } else { state_style },
            ),
            Span::styled(sanitize::cell(&head, w.saturating_sub(8)), base),
        ]));
        let message = e.message.as_deref().unwrap_or("");
        lines.push(Line::styled(
            sanitize::cell(&format!("        {message}"), w),
            theme.muted(),
        ));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}
