//! The form as plain text for a terminal: columns aligned by display width,
//! so a Chinese label (two columns per character) lines up with the numbers.

use unicode_width::UnicodeWidthStr;

use super::{cell_text, labels, row_label};
use crate::api::StatsForm;
use crate::i18n::Language;
use crate::text::clean;

const GAP: &str = "  ";

fn pad_right(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{text}{}", " ".repeat(fill))
}

fn pad_left(text: &str, width: usize) -> String {
    let fill = width.saturating_sub(text.width());
    format!("{}{text}", " ".repeat(fill))
}

pub fn render_table(form: &StatsForm, lang: Language, reporting_date: &str) -> String {
    let labels = labels(form, lang, reporting_date);
    let mut grid: Vec<Vec<String>> = vec![labels.header.clone()];
    for row in &form.rows {
        let mut line = vec![clean(&row_label(row, lang))];
        line.extend(row.cells.iter().map(|c| cell_text(row, c)));
        line.push(cell_text(row, &row.total));
        grid.push(line);
    }
    let columns = labels.header.len();
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            grid.iter()
                .map(|line| line.get(c).map_or(0, |s| s.width()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let total_width = widths.iter().sum::<usize>() + GAP.len() * columns.saturating_sub(1);

    let mut out = String::new();
    out.push_str(&clean(&labels.title));
    out.push('\n');
    out.push_str(&format!(
        "{}{GAP}{}\n",
        clean(&labels.unit_line),
        labels.date_line
    ));
    out.push_str(&labels.period_line);
    out.push('\n');
    for (i, line) in grid.iter().enumerate() {
        let cells: Vec<String> = line
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (text, w))| {
                if c == 0 {
                    pad_right(text, *w)
                } else {
                    pad_left(text, *w)
                }
            })
            .collect();
        out.push_str(cells.join(GAP).trim_end());
        out.push('\n');
        if i == 0 {
            out.push_str(&"-".repeat(total_width));
            out.push('\n');
        }
    }
    out.push_str(&"-".repeat(total_width));
    out.push('\n');
    let hours_width = labels.hours.iter().map(|(l, _)| l.width()).max().unwrap_or(0);
    for (label, hours) in &labels.hours {
        out.push_str(&format!("{}{GAP}{hours}\n", pad_right(label, hours_width)));
    }
    out.push_str(&labels.deadline_note);
    out.push('\n');
    if let Some(note) = &labels.note {
        out.push_str(&clean(note));
        out.push('\n');
    }
    out
}
