//! My duty shifts this week; check in when I arrive, out when I leave.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use crate::api::DutyShift;
use crate::tui::context::Context;
use crate::tui::screens::ListState;
use crate::tui::time;

pub fn draw(shifts: &[DutyShift], st: &ListState, cx: &Context, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let w = area.width as usize;
    let mut lines = vec![Line::styled(t!("tui.duty.title").into_owned(), theme.title())];
    if shifts.is_empty() {
        lines.push(Line::styled(t!("tui.duty.empty").into_owned(), theme.muted()));
    }
    let rows = (area.height as usize).saturating_sub(1);
    let start = crate::tui::screens::window_start(st.selected, rows);
    for (i, s) in shifts.iter().enumerate().skip(start).take(rows) {
        let state = match (s.checked_in_at, s.checked_out_at) {
            (_, Some(out)) => t!("tui.duty.checked_out", at = time::hm(out)).into_owned(),
            (Some(at), None) => t!("tui.duty.checked_in", at = time::hm(at)).into_owned(),
            (None, None) => t!("tui.duty.not_checked_in").into_owned(),
        };
        let when = format!("{}–{}", time::md_hm(s.starts_at), time::hm(s.ends_at));
        let place_w = w.saturating_sub(18 + 18 + 2).max(6);
        let text = format!(
            "{} {} {}",
            sanitize::fit(&when, 18),
            sanitize::cell(&s.place, place_w),
            state
        );
        let style = if i == st.selected {
            theme.selected()
        } else {
            theme.base()
        };
        lines.push(Line::styled(sanitize::fit(&text, w), style));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}
