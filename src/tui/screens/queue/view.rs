//! The home screen: my work and the on-duty pool, in tabs, soonest due
//! first. Draws only the visible window of the prepared index.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{QueueState, QueueTab};
use crate::api::WorkItem;
use crate::tui::context::Context;
use crate::tui::{labels, time};

/// Fixed column widths (display columns); the title takes the rest.
const MARK: usize = 4;
const KIND: usize = 7;
const CHANNEL: usize = 7;
const CATEGORY: usize = 9;
const STATUS: usize = 9;
// `-2天9小时`, `3小时20分`: a localized countdown with its sign.
const DUE: usize = 10;
const FIXED: usize = MARK + KIND + CHANNEL + CATEGORY + STATUS + DUE + 6;

pub fn draw(cx: &Context, st: &QueueState, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let q = st;
    let mut tabs: Vec<Span> = Vec::new();
    for (i, tab) in QueueTab::ALL.iter().enumerate() {
        let style = if i == q.tab_index {
            theme.tab_active()
        } else {
            theme.tab_inactive()
        };
        tabs.push(Span::styled(format!(" {} ", tab.label()), style));
        tabs.push(Span::raw(" "));
    }
    let info = if q.filtering || !q.filter.is_empty() {
        let cursor = if q.filtering { "▏" } else { "" };
        format!("/{}{cursor}", sanitize::clean(&q.filter))
    } else {
        t!("tui.queue.sort_by", order = q.sort.label()).into_owned()
    };
    tabs.push(Span::styled(info, theme.muted()));
    let w = area.width as usize;
    let title_w = w.saturating_sub(FIXED).max(8);
    let header = [
        sanitize::fit("", MARK),
        sanitize::fit(&t!("tui.col.kind"), KIND),
        sanitize::fit(&t!("tui.col.title"), title_w),
        sanitize::fit(&t!("tui.col.channel"), CHANNEL),
        sanitize::fit(&t!("tui.col.category"), CATEGORY),
        sanitize::fit(&t!("tui.col.status"), STATUS),
        sanitize::fit(&t!("tui.col.due"), DUE),
    ]
    .join(" ");
    let mut lines = vec![Line::from(tabs), Line::styled(header, theme.header())];
    let rows = (area.height as usize).saturating_sub(2);
    let source = st.source(cx.items, cx.pool);
    if q.index.rows.is_empty() {
        let key = if source.is_empty() {
            "tui.queue.empty"
        } else {
            "tui.queue.no_match"
        };
        lines.push(Line::styled(t!(key).into_owned(), theme.muted()));
    }
    let start = crate::tui::screens::window_start(q.selected, rows);
    for (pos, &row) in q.index.rows.iter().enumerate().skip(start).take(rows) {
        let Some(item) = source.get(row) else { continue };
        lines.push(item_line(cx, item, title_w, pos == q.selected));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}

fn item_line(cx: &Context, item: &WorkItem, title_w: usize, selected: bool) -> Line<'static> {
    let theme = &cx.theme;
    let pick = |s: Style| if selected { theme.selected() } else { s };
    let mark = if item.green_channel {
        let group = item.frontline_group.map(labels::group).unwrap_or_default();
        format!("{}{group}", theme.mark())
    } else {
        String::new()
    };
    // Finished work has no deadline left: no countdown, never overdue.
    let (due, overdue) = if item.status.is_finished() {
        ("-".to_string(), false)
    } else {
        time::countdown(item.due_at, cx.now)
    };
    let due_style = if item.status.is_finished() {
        theme.muted()
    } else if overdue {
        theme.overdue()
    } else if item.due_at.saturating_sub(cx.now) < 3_600_000 {
        theme.due_soon()
    } else {
        theme.base()
    };
    let sp = || Span::styled(" ", pick(theme.base()));
    Line::from(vec![
        Span::styled(sanitize::fit(&mark, MARK), pick(theme.green_channel())),
        sp(),
        Span::styled(sanitize::fit(&labels::kind(item.kind), KIND), pick(theme.base())),
        sp(),
        Span::styled(sanitize::cell(&item.title, title_w), pick(theme.base())),
        sp(),
        Span::styled(
            sanitize::fit(&labels::channel(item.channel), CHANNEL),
            pick(theme.base()),
        ),
        sp(),
        Span::styled(
            sanitize::fit(&labels::category(item.category), CATEGORY),
            pick(theme.base()),
        ),
        sp(),
        Span::styled(
            sanitize::fit(&labels::status(item.status), STATUS),
            pick(theme.base()),
        ),
        sp(),
        Span::styled(sanitize::fit(&due, DUE), pick(due_style)),
    ])
}
