//! One item: who, what, when, and what was done on it.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::DetailView;
use crate::api::WorkItem;
use crate::tui::context::Context;
use crate::tui::theme::Theme;
use crate::tui::{labels, time};

fn field(theme: &Theme, key: &str, value: String) -> Line<'static> {
    Line::from(vec![
        Span::styled(sanitize::fit(&t!(key), 12), theme.header()),
        Span::raw(value),
    ])
}

pub fn draw(cx: &Context, st: &DetailView, frame: &mut Frame, area: Rect) {
    let lines = lines(cx, st, area.width as usize);
    // Never scroll the last line above the bottom: at most one screenful.
    let max = (lines.len() as u16).saturating_sub(area.height);
    let scroll = st.scroll.min(max);
    frame.render_widget(
        Paragraph::new(lines).style(cx.theme.base()).scroll((scroll, 0)),
        area,
    );
}

/// How far the detail screen can scroll at the terminal's size.
pub fn max_scroll(cx: &Context, st: &DetailView) -> u16 {
    let body = cx.height.saturating_sub(2);
    (lines(cx, st, cx.width as usize).len() as u16).saturating_sub(body)
}

fn lines(cx: &Context, st: &DetailView, w: usize) -> Vec<Line<'static>> {
    let theme = &cx.theme;
    let Some(item) = st.item else {
        return vec![Line::styled(t!("tui.detail.loading").into_owned(), theme.muted())];
    };
    let mut lines = head_lines(cx, item);
    let detail = st.detail.filter(|d| d.item.id == item.id);
    if let Some(d) = detail {
        lines.push(Line::styled(
            t!("tui.detail.outcomes").into_owned(),
            theme.title(),
        ));
        if d.outcomes.is_empty() {
            lines.push(Line::styled(t!("tui.detail.none").into_owned(), theme.muted()));
        }
        for o in &d.outcomes {
            let mins = o
                .minutes
                .map(|m| t!("tui.detail.minutes", minutes = m).into_owned())
                .unwrap_or_default();
            let text = format!(
                "  {} {} {} {}",
                time::md_hm(o.occurred_at),
                labels::outcome(o.code),
                mins,
                o.note
            );
            lines.push(Line::raw(sanitize::cell(&text, w)));
        }
        let total: i64 = d.time_entries.iter().map(|e| e.minutes).sum();
        lines.push(Line::styled(
            t!("tui.detail.time", minutes = total).into_owned(),
            theme.title(),
        ));
        for e in d.time_entries.iter().rev().take(3) {
            let text = format!(
                "  {} {} {}m {}",
                time::md_hm(e.occurred_at),
                labels::activity(e.activity),
                e.minutes,
                e.note
            );
            lines.push(Line::raw(sanitize::cell(&text, w)));
        }
        lines.push(Line::styled(t!("tui.detail.history").into_owned(), theme.title()));
        for h in d.history.iter().rev() {
            let who = h.actor.as_ref().map(|a| a.display_name.as_str()).unwrap_or("");
            let moved = match (h.from_status, h.to_status) {
                (Some(a), Some(b)) => format!("{}→{}", labels::status(a), labels::status(b)),
                _ => String::new(),
            };
            let parts = [
                time::md_hm(h.at),
                who.to_string(),
                labels::history_action(&h.action),
                moved,
                labels::history_note(&h.action, &h.note),
            ];
            let parts: Vec<String> = parts.into_iter().filter(|p| !p.is_empty()).collect();
            let text = format!("  {}", parts.join(" "));
            lines.push(Line::raw(sanitize::cell(&text, w)));
        }
    } else {
        lines.push(Line::styled(t!("tui.detail.loading").into_owned(), theme.muted()));
    }
    lines
}

fn head_lines(cx: &Context, item: &WorkItem) -> Vec<Line<'static>> {
    let theme = &cx.theme;
    let w = cx.width as usize;
    let mut title = format!("#{} {}", item.id, item.title);
    if item.typical_case {
        title.push_str(&format!(" [{}]", t!("tui.detail.typical")));
    }
    let mut lines = vec![Line::styled(sanitize::cell(&title, w), theme.title())];
    if item.assignee.is_none() {
        // Nobody's yet: what can be done with it is taking it.
        let key = cx
            .keymap
            .keys(crate::tui::keymap::Action::Claim)
            .first()
            .map(|k| k.display())
            .unwrap_or_default();
        lines.push(Line::styled(
            sanitize::fit(&t!("roles.detail_in_pool", key = key), w),
            theme.due_soon(),
        ));
    }
    lines.push(field(
        theme,
        "tui.detail.kind_status",
        format!(
            "{} · {} · {} · {}",
            labels::kind(item.kind),
            labels::status(item.status),
            labels::channel(item.channel),
            labels::category(item.category)
        ),
    ));
    if item.green_channel {
        let group = item.frontline_group.map(labels::group).unwrap_or_default();
        let waiver = if item.fee_waiver_eligible {
            t!("tui.detail.fee_waiver")
        } else {
            "".into()
        };
        lines.push(Line::styled(
            sanitize::fit(
                &format!(
                    "{} {} {group} {waiver}",
                    theme.mark(),
                    t!("tui.detail.green_channel")
                ),
                w,
            ),
            theme.green_channel(),
        ));
    }
    let (due, overdue) = if item.status.is_finished() {
        (time::md_hm(item.due_at), false)
    } else {
        let (left, overdue) = time::countdown(item.due_at, cx.now);
        (format!("{} ({left})", time::md_hm(item.due_at)), overdue)
    };
    lines.push(Line::from(vec![
        Span::styled(sanitize::fit(&t!("tui.detail.due"), 12), theme.header()),
        Span::styled(due, if overdue { theme.overdue() } else { theme.base() }),
    ]));
    for p in &item.parties {
        let contact = p.contact.as_deref().unwrap_or("");
        let text = format!("{} ({}) {}", p.name, p.role, contact);
        lines.push(field(
            theme,
            "tui.detail.party",
            sanitize::cell(&text, w.saturating_sub(12)),
        ));
    }
    if let Some(m) = &item.mediation {
        let text = format!(
            "{} {}–{}",
            m.room_name,
            time::md_hm(m.scheduled_start),
            time::hm(m.scheduled_end)
        );
        lines.push(field(
            theme,
            "tui.detail.room",
            sanitize::cell(&text, w.saturating_sub(12)),
        ));
        if let Some(link) = &m.join_link {
            lines.push(field(
                theme,
                "tui.detail.link",
                sanitize::cell(link, w.saturating_sub(12)),
            ));
        }
    }
    if !item.description.is_empty() {
        lines.push(Line::raw(sanitize::cell(&item.description, w)));
    }
    lines
}
