//! The form as a table: one row per indicator with its unit, a column per
//! profession and the total (abbreviated when the terminal is narrow), the
//! unsent contributions in a column of their own, and a bar of each total.

use crate::text as sanitize;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_i18n::t;

use super::StatsState;
use crate::api::{StatsCell, StatsForm, StatsRow};
use crate::report::{cell_text, profession_label, row_label};
use crate::tui::context::Context;

/// Narrowest the indicator column may get before headers are abbreviated.
const MIN_LABEL: usize = 30;
const MIN_BAR: usize = 8;
const MAX_BAR: usize = 40;

/// Column headers: full names, or short ones when those would squeeze the
/// indicator names.
fn headers(form: &StatsForm, width: usize, widest_label: usize) -> Vec<String> {
    let lang = crate::tui::context::language();
    let full: Vec<String> = form
        .columns
        .iter()
        .map(|p| profession_label(*p, lang))
        .chain([
            t!("stats.total").into_owned(),
            t!("stats_screen.pending_col").into_owned(),
        ])
        .collect();
    let need: usize = full.iter().map(|h| sanitize::width(h) + 1).sum();
    if width >= need + widest_label.min(MIN_LABEL) + 1 + MIN_BAR {
        return full;
    }
    form.columns
        .iter()
        .map(|p| {
            crate::i18n::text(
                &format!("stats_screen.short.{}", p.as_str()),
                &rust_i18n::locale(),
            )
        })
        .chain([
            t!("stats.total").into_owned(),
            t!("stats_screen.pending_col").into_owned(),
        ])
        .collect()
}

/// What the unsent records add: `+2`, `+1/30`, `+0.80`; empty for nothing.
fn pending_text(row: &StatsRow, cell: Option<&StatsCell>) -> String {
    match cell {
        Some(c) if c.value1 != 0 || c.value2.unwrap_or(0) != 0 => format!("+{}", cell_text(row, c)),
        _ => String::new(),
    }
}

pub fn draw(cx: &Context, st: &StatsState, form: &StatsForm, frame: &mut Frame, area: Rect) {
    let theme = &cx.theme;
    let w = area.width as usize;
    let rows: Vec<(String, Vec<String>, String)> = form
        .rows
        .iter()
        .map(|row| {
            let mut cells: Vec<String> = row.cells.iter().map(|c| cell_text(row, c)).collect();
            cells.push(cell_text(row, &row.total));
            let pending = pending_text(row, st.pending.by_indicator.get(&row.indicator));
            (sanitize::clean(&row_label(row, cx.language)), cells, pending)
        })
        .collect();
    let widest_label = rows.iter().map(|(l, _, _)| sanitize::width(l)).max().unwrap_or(0);
    let heads = headers(form, w, widest_label);
    // Each value column as wide as its header or widest value, plus a gap.
    let widths: Vec<usize> = (0..heads.len())
        .map(|i| {
            let values = rows.iter().map(|(_, cells, pending)| {
                sanitize::width(cells.get(i).map(String::as_str).unwrap_or(pending))
            });
            values.chain([sanitize::width(&heads[i])]).max().unwrap_or(0) + 1
        })
        .collect();
    // The names as wide as they need while the bars keep their minimum;
    // the bars get what is left.
    let rest = w.saturating_sub(widths.iter().sum());
    let label_w = widest_label
        .max(sanitize::width(&t!("stats.indicator")))
        .min(rest.saturating_sub(MIN_BAR + 1));
    let bar_w = rest.saturating_sub(label_w + 1).min(MAX_BAR);

    let mut head = vec![Span::styled(
        sanitize::fit(&t!("stats.indicator"), label_w),
        theme.header(),
    )];
    for (h, cw) in heads.iter().zip(&widths) {
        head.push(Span::styled(right(h, *cw), theme.header()));
    }
    let mut lines = vec![Line::from(head)];

    let (start, room) = window(rows.len(), area.height as usize, st.scroll);
    let max_of = |money: bool| {
        form.rows
            .iter()
            .filter(|r| r.money == money)
            .map(|r| r.total.value1)
            .max()
            .unwrap_or(0)
    };
    let (max_count, max_money) = (max_of(false), max_of(true));
    // `#` in ASCII mode, by the frame's own pass.
    let bar_char = "█";
    for (row, (label, cells, pending)) in form.rows.iter().zip(&rows).skip(start).take(room) {
        let mut spans = vec![Span::styled(sanitize::fit(label, label_w), theme.base())];
        let n = cells.len();
        for (i, cw) in widths.iter().enumerate() {
            let (text, style) = match cells.get(i) {
                Some(c) if i + 1 == n => (c.as_str(), theme.title()),
                Some(c) => (c.as_str(), theme.base()),
                None => (pending.as_str(), theme.due_soon()),
            };
            spans.push(Span::styled(right(text, *cw), style));
        }
        let max = if row.money { max_money } else { max_count };
        let len = bar_len(row.total.value1, max, bar_w);
        spans.push(Span::raw(" "));
        spans.push(Span::styled(bar_char.repeat(len), theme.ok()));
        lines.push(Line::from(spans));
    }
    let below = rows.len().saturating_sub(start + room);
    if below > 0 {
        let more = t!("stats_screen.more_rows", count = below);
        lines.push(Line::styled(sanitize::fit(&more, w), theme.muted()));
    }
    frame.render_widget(Paragraph::new(lines).style(theme.base()), area);
}

/// The first row shown and how many rows show, for `rows` indicators in a
/// table `lines` tall (header included) scrolled by `scroll`. When not all
/// fit, the last line says how many more there are.
pub fn window(rows: usize, lines: usize, scroll: usize) -> (usize, usize) {
    let visible = lines.saturating_sub(1);
    if rows <= visible {
        return (0, rows);
    }
    let room = visible.saturating_sub(1);
    (scroll.min(rows - room), room)
}

/// `text` right-aligned in `cols` columns.
fn right(text: &str, cols: usize) -> String {
    let text = sanitize::truncate(text, cols.saturating_sub(1));
    format!(
        "{}{text}",
        " ".repeat(cols.saturating_sub(sanitize::width(&text)))
    )
}

/// A bar in proportion to the largest total of its kind; at least one
/// column for anything above zero so it does not read as nothing.
pub fn bar_len(value: i64, max: i64, cols: usize) -> usize {
    if value <= 0 || max <= 0 {
        return 0;
    }
    let len = (value as i128 * cols as i128 / max as i128) as usize;
    len.clamp(1, cols)
}
