//! Dispatch (coordinators): the unit's open work in views — unassigned,
//! overdue, all, one person's — and everyone's load on the last line.
//! Draws only the visible window of what the model holds.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::{DispatchState, DispatchView};
use crate::api::WorkItem;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::shared::Screen;
use crate::tui::{labels, time};

const MARK: usize = 4;
const KIND: usize = 7;
const ASSIGNEE: usize = 12;
const STATUS: usize = 9;
const DUE: usize = 10;
const FIXED: usize = MARK + KIND + ASSIGNEE + STATUS + DUE + 5;

/// A view's name in the tab bar, with how many items it holds.
pub fn view_label(cx: &Context, st: &DispatchState, view: DispatchView) -> String {
    let d = st;
    let n = d.count(view, cx.now);
    match view {
        DispatchView::Unassigned => t!("dispatch.view.unassigned", n = n),
        DispatchView::Overdue => t!("dispatch.view.overdue", n = n),
        DispatchView::Open => t!("dispatch.view.open", n = n),
        DispatchView::Person(i) => {
            let name = d
                .people
                .get(i)
                .map(|p| sanitize::clean(&p.display_name))
                .unwrap_or_default();
            t!("dispatch.view.person", name = name, n = n)
        }
    }
    .into_owned()
}

pub fn draw(cx: &Context, st: &DispatchState, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let d = st;
    let w = area.width as usize;
    let mut tabs: Vec<Span> = Vec::new();
    let mut fixed = vec![
        DispatchView::Unassigned,
        DispatchView::Overdue,
        DispatchView::Open,
    ];
    if let DispatchView::Person(_) = d.view {
        fixed.push(d.view);
    }
    for view in fixed {
        let style = if view == d.view {
            theme.tab_active()
        } else {
            theme.tab_inactive()
        };
        tabs.push(Span::styled(format!(" {} ", view_label(cx, st, view)), style));
        tabs.push(Span::raw(" "));
    }
    if !matches!(d.view, DispatchView::Person(_)) && !d.people.is_empty() {
        tabs.push(Span::styled(
            t!("dispatch.view.by_person").into_owned(),
            theme.muted(),
        ));
        tabs.push(Span::raw(" "));
    }
    if let Some((_, name)) = &d.unit {
        let used: usize = tabs.iter().map(|s| sanitize::width(&s.content)).sum();
        let room = w.saturating_sub(used);
        let mut text = sanitize::clean(name);
        // Units below to move to: which of them, and the key that moves.
        if let (true, Some(key)) = (d.units.len() > 1, cx.keymap.keys(Action::NextUnit).first()) {
            let of = t!(
                "dispatch.unit_of",
                key = key.display(),
                at = d.at + 1,
                n = d.units.len()
            );
            text = format!("{text} {of}");
        }
        tabs.push(Span::styled(sanitize::fit(&text, room), theme.muted()));
    }
    let title_w = w.saturating_sub(FIXED).max(8);
    let header = [
        sanitize::fit("", MARK),
        sanitize::fit(&t!("tui.col.kind"), KIND),
        sanitize::fit(&t!("tui.col.title"), title_w),
        sanitize::fit(&t!("dispatch.col.assignee"), ASSIGNEE),
        sanitize::fit(&t!("tui.col.status"), STATUS),
        sanitize::fit(&t!("tui.col.due"), DUE),
    ]
    .join(" ");
    let mut lines = vec![Line::from(tabs), Line::styled(header, theme.header())];
    // The load line takes the last row when there is anyone to show.
    let load = load_line(cx, st, w);
    let rows_h = (area.height as usize).saturating_sub(2 + usize::from(load.is_some()));
    let rows = d.rows(cx.now);
    if rows.is_empty() {
        let text = if cx.refused.contains(&Screen::Dispatch) {
            crate::tui::role_screens::what_role_may_do(cx)
        } else if d.unit.is_none() {
            t!("dispatch.loading").into_owned()
        } else {
            t!("dispatch.empty").into_owned()
        };
        lines.push(Line::styled(sanitize::fit(&text, w), theme.muted()));
    }
    let start = crate::tui::screens::window_start(d.selected, rows_h);
    for (pos, item) in rows.iter().enumerate().skip(start).take(rows_h) {
        lines.push(item_line(cx, item, title_w, pos == d.selected));
    }
    let reserve = u16::from(load.is_some());
    let body = Rect::new(area.x, area.y, area.width, area.height.saturating_sub(reserve));
    frame.render_widget(Paragraph::new(lines).style(theme.base()), body);
    if let Some(load) = load {
        let last = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
        frame.render_widget(Paragraph::new(load).style(theme.base()), last);
    }
}

/// "Load: 张明律师 12 (3 overdue) · 李华律师 4 · …", cut to the width.
fn load_line(cx: &Context, st: &DispatchState, w: usize) -> Option<Line<'static>> {
    let theme = &cx.theme;
    let people = &st.people;
    if people.is_empty() {
        return None;
    }
    let mut spans = vec![Span::styled(format!("{} ", t!("dispatch.load")), theme.header())];
    let mut used = sanitize::width(&spans[0].content);
    for (i, p) in people.iter().enumerate() {
        let sep = if i == 0 { "" } else { theme.separator() };
        let name = format!("{sep}{} {}", sanitize::clean(&p.display_name), p.open_items);
        let overdue = if p.overdue_items > 0 {
            format!(" {}", t!("dispatch.load_overdue", n = p.overdue_items))
        } else {
            String::new()
        };
        let piece = sanitize::width(&name) + sanitize::width(&overdue);
        if used + piece > w {
            spans.push(Span::styled("…", theme.muted()));
            break;
        }
        used += piece;
        spans.push(Span::styled(name, theme.base()));
        if !overdue.is_empty() {
            spans.push(Span::styled(overdue, theme.overdue()));
        }
    }
    Some(Line::from(spans))
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
    let (due, overdue) = time::countdown(item.due_at, cx.now);
    let due_style = if overdue {
        theme.overdue()
    } else if item.due_at.saturating_sub(cx.now) < 3_600_000 {
        theme.due_soon()
    } else {
        theme.base()
    };
    let (who, who_style) = match &item.assignee {
        Some(a) => (sanitize::clean(&a.display_name), theme.base()),
        None => (t!("dispatch.pool").into_owned(), theme.muted()),
    };
    let sp = || Span::styled(" ", pick(theme.base()));
    Line::from(vec![
        Span::styled(sanitize::fit(&mark, MARK), pick(theme.green_channel())),
        sp(),
        Span::styled(sanitize::fit(&labels::kind(item.kind), KIND), pick(theme.base())),
        sp(),
        Span::styled(sanitize::cell(&item.title, title_w), pick(theme.base())),
        sp(),
        Span::styled(sanitize::fit(&who, ASSIGNEE), pick(who_style)),
        sp(),
        Span::styled(
            sanitize::fit(&labels::status(item.status), STATUS),
            pick(theme.base()),
        ),
        sp(),
        Span::styled(sanitize::fit(&due, DUE), pick(due_style)),
    ])
}
