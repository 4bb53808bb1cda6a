//! Statistics forms as the bureaus file them: an aligned text table, CSV
//! (UTF-8 with a BOM, so spreadsheet programs read the Chinese right), XLSX
//! laid out like the paper form, and JSON. Each takes a finished
//! [`StatsForm`]; only [`write`] does I/O, putting the bytes where asked.

mod delimited;
mod rollup;
mod table;
mod write;
mod xlsx;

use rust_i18n::t;

use crate::api::{StatsCell, StatsForm, StatsRow, StatsScope};
use crate::domain::Profession;
use crate::i18n::Language;

pub use delimited::render_csv;
pub use table::render_table;
pub use write::{WriteError, reporting_date_today, write};
pub use xlsx::render_xlsx;

/// The formats a form is rendered in. The CLI's `--format` (clap's
/// `cli::ReportFormat`) and the TUI's export keys both become one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// An aligned text table.
    Table,
    Csv,
    Xlsx,
    Json,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error("{}", rust_i18n::t!("stats.render_failed", format = "XLSX", error = .0))]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    #[error("{}", rust_i18n::t!("stats.render_failed", format = "CSV", error = .0))]
    Csv(#[from] csv::Error),
    #[error("{}", rust_i18n::t!("stats.render_failed", format = "JSON", error = .0))]
    Json(#[from] serde_json::Error),
}

/// The form as pretty JSON, money in fen as on the wire; control, bidi and
/// zero-width characters as `\uXXXX` (the same escaping as every `--json`).
pub fn render_json(form: &StatsForm) -> Result<String, ReportError> {
    Ok(crate::text::escape_json(&serde_json::to_string_pretty(form)?))
}

/// Renders the form in the chosen format, as the bytes to write to a file
/// or to standard output. `reporting_date` is the 填报日期 (`YYYY-MM-DD`).
pub fn render(
    form: &StatsForm,
    format: Format,
    lang: Language,
    reporting_date: &str,
) -> Result<Vec<u8>, ReportError> {
    Ok(match format {
        Format::Table => render_table(form, lang, reporting_date).into_bytes(),
        Format::Csv => render_csv(form, lang)?,
        Format::Xlsx => render_xlsx(form, lang, reporting_date)?,
        Format::Json => render_json(form)?.into_bytes(),
    })
}

/// Everything the text outputs share: labels and cell texts in one language.
pub(crate) struct Labels {
    pub title: String,
    pub header: Vec<String>,
    pub unit_line: String,
    pub date_line: String,
    /// 填报人: who asked for the form (blank when not known).
    pub reporter_line: String,
    /// 联系电话: the submission's, else blank for the hand that signs the paper copy.
    pub phone_line: String,
    /// Where the handed-in form stands (submitted, approved...), when it was handed in.
    pub status_line: Option<String>,
    pub period_line: String,
    pub deadline_note: String,
    pub note: Option<String>,
    /// (label, hours with one decimal)
    pub hours: Vec<(String, String)>,
}

pub(crate) fn labels(form: &StatsForm, lang: Language, reporting_date: &str) -> Labels {
    let l = lang.code();
    let mut header = vec![t!("stats.indicator", locale = l).into_owned()];
    header.extend(form.columns.iter().map(|p| profession_label(*p, lang)));
    header.push(t!("stats.total", locale = l).into_owned());
    // The unit files the form, also one member's share of it.
    let unit = match (&form.unit, &form.reporter, form.scope) {
        (Some(u), _, _) => u.name.clone(),
        (None, Some(r), StatsScope::Me) => r.unit.name.clone(),
        (None, _, StatsScope::Me) => t!("stats.my_work", locale = l).into_owned(),
        (None, _, _) => t!("stats.all_units", locale = l).into_owned(),
    };
    // A handed-in form carries its submission's 填报人, 联系电话 and 填报日期.
    let handed_in = rollup::handed_in(form, lang);
    let reporter = match &handed_in {
        Some(h) => h.filled_by.as_str(),
        None => form.reporter.as_ref().map_or("", |r| r.name.as_str()),
    };
    let reporting_date = handed_in.as_ref().map_or(reporting_date, |h| h.date.as_str());
    let p = &form.period;
    let zh = lang == Language::ZhCn;
    Labels {
        title: if zh {
            form.campaign_name_zh.clone()
        } else {
            form.campaign_name_en.clone()
        },
        header,
        unit_line: t!("stats.reporting_unit", locale = l, unit = unit).into_owned(),
        date_line: t!("stats.reporting_date", locale = l, date = reporting_date).into_owned(),
        reporter_line: t!("net.report.reporter", locale = l, name = reporter).into_owned(),
        phone_line: t!(
            "net.report.phone",
            locale = l,
            phone = handed_in.as_ref().map_or("", |h| h.phone.as_str())
        )
        .into_owned(),
        status_line: handed_in.as_ref().map(|h| h.status_line.clone()),
        period_line: t!("stats.period", locale = l, start = p.start, end = p.end).into_owned(),
        deadline_note: t!("stats.deadline_note", locale = l, deadline = p.deadline).into_owned(),
        note: if zh {
            form.note_zh.clone()
        } else {
            form.note_en.clone()
        },
        hours: vec![
            (
                t!("stats.hours_total", locale = l).into_owned(),
                hours_text(form.hours.total_minutes),
            ),
            (
                t!("stats.hours_green_channel", locale = l).into_owned(),
                hours_text(form.hours.green_channel_minutes),
            ),
            (
                t!("stats.hours_duty", locale = l).into_owned(),
                hours_text(form.hours.duty_minutes),
            ),
        ],
    }
}

pub(crate) fn profession_label(p: Profession, lang: Language) -> String {
    let key = format!("stats.profession.{}", p.as_str());
    crate::i18n::text(&key, lang.code())
}

/// `走访企业（家）`, `开展专项培训（次/人次）`, `Special trainings (sessions/attendees)`.
pub(crate) fn row_label(row: &StatsRow, lang: Language) -> String {
    match lang {
        Language::ZhCn => match &row.unit2_zh {
            Some(u2) => format!("{}（{}/{}）", row.name_zh, row.unit_zh, u2),
            None => format!("{}（{}）", row.name_zh, row.unit_zh),
        },
        Language::En => match &row.unit2_en {
            Some(u2) => format!("{} ({}/{})", row.name_en, row.unit_en, u2),
            None => format!("{} ({})", row.name_en, row.unit_en),
        },
    }
}

/// Fen as 万元 with two decimals, rounded half up: 123_456_789 fen → `123.46`.
pub fn wan_text(fen: i64) -> String {
    let hundredths = wan_hundredths(fen);
    let sign = if hundredths < 0 { "-" } else { "" };
    let h = hundredths.abs();
    format!("{sign}{}.{:02}", h / 100, h % 100)
}

/// Fen in hundredths of 万元 (one hundredth is 100 yuan), rounded half up.
pub(crate) fn wan_hundredths(fen: i64) -> i64 {
    let half = if fen < 0 { -5_000 } else { 5_000 };
    (fen + half) / 10_000
}

/// Minutes as hours with one decimal: 95 → `1.6`.
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes * 10 + 30).div_euclid(60);
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// A cell as the paper form shows it: `12`, `3/45`, or `12.35` on money rows.
pub fn cell_text(row: &StatsRow, cell: &StatsCell) -> String {
    if row.money {
        return wan_text(cell.value1);
    }
    match cell.value2 {
        Some(v2) => format!("{}/{}", cell.value1, v2),
        None => cell.value1.to_string(),
    }
}
