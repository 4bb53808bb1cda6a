//! The Stats screen: a campaign period's form as the bureau wants it (me or
//! my unit), bars of the indicators, a sparkline of my hours by day, the
//! countdown to the next deadline, unsent contributions apart from the
//! confirmed ones, and export to CSV/XLSX.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::bar;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Sparkline};
use rust_i18n::t;

use super::{ExportState, StatsState, table, tree};
use crate::api::StatsScope;
use crate::i18n::Language;
use crate::report::hours_text;
use crate::tui::context::Context;
use crate::tui::keymap::Action;
use crate::tui::theme::Borders;
use crate::tui::time;

/// The countdown turns to the warning style this close to a deadline.
pub const NEAR_DEADLINE_MS: i64 = 2 * 24 * 60 * 60 * 1000;

/// Sparkline levels for terminals that draw block characters badly.
const ASCII_BARS: bar::Set = bar::Set {
    full: "#",
    seven_eighths: "#",
    three_quarters: "=",
    five_eighths: "=",
    half: "-",
    three_eighths: "-",
    one_quarter: ".",
    one_eighth: ".",
    empty: " ",
};

/// The language the catalogs speak now, for the form's own names.
pub(crate) fn language() -> Language {
    Language::parse(&rust_i18n::locale()).unwrap_or_default()
}

/// The sparkline's height and the gap above it, for a body `height` tall.
fn spark_rows(height: u16) -> (u16, u16) {
    if height >= 30 { (3, 1) } else { (1, 0) }
}

/// Lines the table (header included) may take in a body `height` tall:
/// what the three head lines, the sparkline and the export line leave.
pub(super) fn table_room(height: u16) -> u16 {
    let (spark_h, gap) = spark_rows(height);
    height.saturating_sub(3 + gap + spark_h + 1)
}

pub fn draw(cx: &Context, st: &StatsState, frame: &mut Frame, area: Rect) {
    let (spark_h, gap) = spark_rows(area.height);
    // The table as tall as its rows and header where there is room, the
    // sparkline under it, the export line at the bottom.
    let units_h = tree::list_rows(st, table_room(area.height));
    let room = table_room(area.height).saturating_sub(units_h);
    let table_h = st.form.as_ref().map_or(1, |f| f.rows.len() as u16 + 1).min(room);
    let [head, body, units, _, spark, _, foot] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(table_h),
        Constraint::Length(units_h),
        Constraint::Length(gap),
        Constraint::Length(spark_h),
        Constraint::Min(0),
        Constraint::Length(1),
    ])
    .areas(area);
    tree::draw(cx, st, frame, units);
    let theme = &cx.theme;
    frame.render_widget(
        Paragraph::new(head_lines(cx, st, head.width as usize)).style(theme.base()),
        head,
    );
    match &st.form {
        Some(form) => table::draw(cx, st, form, frame, body),
        None => {
            let text = if cx.refused.contains(&crate::tui::shared::Screen::Stats) {
                crate::tui::role_screens::what_role_may_do(cx)
            } else if st.campaigns_loaded && st.campaigns.is_empty() {
                t!("stats_screen.no_campaigns").into_owned()
            } else {
                t!("stats_screen.loading").into_owned()
            };
            frame.render_widget(
                Paragraph::new(Line::styled(text, theme.muted())).wrap(ratatui::widgets::Wrap { trim: true }),
                body,
            );
        }
    }
    if st.form.is_some() {
        hours(cx, st, frame, spark);
    }
    frame.render_widget(Paragraph::new(export_line(cx, st, foot.width as usize)), foot);
}

/// Title, period with scope and countdown, and the unsent records.
fn head_lines(cx: &Context, st: &StatsState, width: usize) -> Vec<Line<'static>> {
    let theme = &cx.theme;
    let zh = language() == Language::ZhCn;
    let name = match st.campaigns.get(st.campaign) {
        Some(c) if zh => c.name_zh.clone(),
        Some(c) => c.name_en.clone(),
        None => String::new(),
    };
    let mut title = t!("stats_screen.title").into_owned();
    if !name.is_empty() {
        title = format!("{title}{}{}", theme.separator(), sanitize::clean(&name));
    }
    if st.campaigns.len() > 1 {
        title.push_str(&format!(" ({}/{})", st.campaign + 1, st.campaigns.len()));
    }
    // The old numbers stay until the new ones arrive; say so.
    let loading = if st.loading && st.form.is_some() {
        format!("{}{}", theme.separator(), t!("stats_screen.loading"))
    } else {
        String::new()
    };
    let title = sanitize::truncate(&title, width.saturating_sub(sanitize::width(&loading)));
    let first = vec![
        Span::styled(title, theme.title()),
        Span::styled(loading, theme.muted()),
    ];
    let mut lines = vec![Line::from(first)];

    let mut second = Vec::new();
    if let Some(form) = &st.form {
        let p = &form.period;
        let (start, end) = (sanitize::clean(&p.start), sanitize::clean(&p.end));
        let period = if p.due_by > cx.now {
            t!("stats_screen.period_open", start = start, end = end)
        } else {
            t!("stats_screen.period_closed", start = start, end = end)
        };
        second.push(Span::styled(period.into_owned(), theme.base()));
    }
    let scope = match st.scope {
        StatsScope::Me => t!("stats_screen.scope_me"),
        StatsScope::Unit => t!("stats_screen.scope_unit"),
        StatsScope::All => t!("stats_screen.scope_all"),
    };
    second.push(Span::styled(
        format!("{}{scope}{}", theme.separator(), tree::path_text(st)),
        theme.header(),
    ));
    second.push(Span::raw(theme.separator()));
    second.push(countdown(cx, st));
    lines.push(Line::from(second));

    let pending = &st.pending;
    lines.push(if pending.records == 0 {
        Line::styled(t!("stats_screen.all_sent").into_owned(), theme.muted())
    } else {
        Line::styled(
            t!("stats_screen.pending", count = pending.records).into_owned(),
            theme.due_soon(),
        )
    });
    lines
}

/// `Next deadline 12-01: 6d13h left`, in the warning style in the last two days.
pub fn countdown(cx: &Context, st: &StatsState) -> Span<'static> {
    let theme = &cx.theme;
    let Some(next) = st.next_deadline(cx.now) else {
        let text = if st.periods.is_some() {
            t!("stats_screen.no_deadline")
        } else {
            "".into()
        };
        return Span::styled(text.into_owned(), theme.muted());
    };
    let (left, _) = time::countdown(next.due_by, cx.now);
    let day = sanitize::clean(next.deadline.get(5..).unwrap_or(&next.deadline));
    if next.due_by - cx.now <= NEAR_DEADLINE_MS {
        let text = t!("stats_screen.deadline_near", date = day, left = left);
        Span::styled(text.into_owned(), theme.deadline_near())
    } else {
        let text = t!("stats_screen.deadline", date = day, left = left);
        Span::styled(text.into_owned(), theme.base())
    }
}

/// My hours per day of the period as a sparkline, with the period's totals.
fn hours(cx: &Context, st: &StatsState, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let Some(form) = &st.form else {
        return;
    };
    let h = &form.hours;
    let label = t!("stats_screen.hours_by_day").into_owned();
    let totals = t!(
        "stats_screen.hours",
        total = hours_text(h.total_minutes),
        green = hours_text(h.green_channel_minutes),
        duty = hours_text(h.duty_minutes)
    )
    .into_owned();
    let label_w = sanitize::width(&label) as u16 + 1;
    let totals_w = sanitize::width(&totals) as u16 + 1;
    let days = st.hours_by_day.len().max(1) as u16;
    let room = area.width.saturating_sub(label_w + totals_w);
    // Each day as wide as the room allows, up to four columns.
    let per_day = (room / days).clamp(1, 4);
    let data: Vec<u64> = st
        .hours_by_day
        .iter()
        .flat_map(|m| std::iter::repeat_n(*m, per_day as usize))
        .collect();
    let spark_w = (data.len() as u16).min(room);
    let [l, s, _, r] = Layout::horizontal([
        Constraint::Length(label_w),
        Constraint::Length(spark_w),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let bottom = |r: Rect| Rect::new(r.x, r.bottom().saturating_sub(1), r.width, 1.min(r.height));
    frame.render_widget(Paragraph::new(Line::styled(label, theme.header())), bottom(l));
    let bars = match theme.borders {
        Borders::Unicode => bar::NINE_LEVELS,
        Borders::Ascii => ASCII_BARS,
    };
    frame.render_widget(Sparkline::default().data(data).bar_set(bars).style(theme.ok()), s);
    frame.render_widget(
        Paragraph::new(Line::styled(
            sanitize::truncate(&totals, r.width as usize),
            theme.base(),
        )),
        bottom(r),
    );
}

/// The export's progress or result, or how to start one.
fn export_line(cx: &Context, st: &StatsState, w: usize) -> Line<'static> {
    let theme = &cx.theme;
    let (text, style) = match &st.export {
        ExportState::Idle => {
            let key = cx.keymap.keys_text(Action::Export);
            (t!("stats_screen.export_hint", key = key), theme.muted())
        }
        ExportState::Choosing => (t!("stats_screen.export_choose"), theme.header()),
        ExportState::Running(format) => {
            let format = format!("{format:?}").to_uppercase();
            (t!("stats_screen.exporting", format = format), theme.due_soon())
        }
        ExportState::Done(path) => (t!("stats_screen.exported", path = path), theme.ok()),
        ExportState::Failed(message) => (t!("stats_screen.export_failed", message = message), theme.error()),
    };
    Line::styled(sanitize::truncate(&text, w), style)
}
