//! CSV: one line per indicator, the professions and the total as columns,
//! then the hours. UTF-8 with a BOM: without it the spreadsheet programs the
//! bureaus use read the Chinese as mojibake.
//!
//! Spreadsheets guess a cell's type, so nothing is left to their guess:
//! every value has a column of its own (a two-valued row's `1/25` would be
//! read as a date), and a text cell that starts like a formula is quoted
//! with a leading `'` as OWASP advises (campaign labels come from a file
//! anyone with admin rights can import).

use super::{ReportError, labels, row_label, wan_text};
use crate::api::{StatsCell, StatsForm, StatsRow};
use crate::i18n::Language;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A text cell as a spreadsheet must not run it: `=`, `+`, `-`, `@`, a tab
/// or a carriage return at the start would make it a formula.
pub fn text_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// The cell's values, one per column: the count (or 万元 on money rows),
/// then the second value where the form has two-valued rows.
fn values(row: &StatsRow, cell: &StatsCell, paired: bool) -> Vec<String> {
    let first = if row.money {
        wan_text(cell.value1)
    } else {
        cell.value1.to_string()
    };
    let mut out = vec![first];
    if paired {
        out.push(cell.value2.map(|v| v.to_string()).unwrap_or_default());
    }
    out
}

/// One block of lines per form: the whole, then (with a unit break-down)
/// each unit's part, behind a first column naming the unit.
pub fn render_csv(form: &StatsForm, lang: Language) -> Result<Vec<u8>, ReportError> {
    let labels = labels(form, lang, "");
    let paired = form.rows.iter().any(|r| r.total.value2.is_some());
    let by_unit = !form.units.is_empty() || !form.people.is_empty();
    let by_person = !form.people.is_empty();
    let mut header = Vec::new();
    if by_unit {
        header.push(text_cell(&rust_i18n::t!(
            "rollup.unit_column",
            locale = lang.code()
        )));
    }
    if by_person {
        header.push(text_cell(&rust_i18n::t!(
            "rollup2.person_column",
            locale = lang.code()
        )));
    }
    header.push(text_cell(&labels.header[0]));
    for h in &labels.header[1..] {
        header.push(text_cell(h));
        if paired {
            let second = rust_i18n::t!("net.report.second_value", locale = lang.code(), column = h);
            header.push(text_cell(&second));
        }
    }
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(&header)?;
    if by_unit {
        let name = form
            .unit
            .as_ref()
            .map_or(String::new(), |u| crate::text::clean(&u.name));
        let whole = rust_i18n::t!("rollup.all_units_row", locale = lang.code(), unit = name.as_str());
        // The person column is empty on the whole's and the units' lines.
        let lead = |unit: &str, person: &str| {
            let mut cells = vec![text_cell(unit)];
            if by_person {
                cells.push(text_cell(person));
            }
            cells
        };
        block(&mut out, form, lang, paired, header.len(), &lead(&whole, ""))?;
        for part in &form.units {
            let unit = crate::text::clean(&part.unit.name);
            let part = super::rollup::part_form(form, part);
            block(&mut out, &part, lang, paired, header.len(), &lead(&unit, ""))?;
        }
        for person in &form.people {
            let who = crate::text::clean(&person.user.display_name);
            let part = super::rollup::person_form(form, person);
            block(&mut out, &part, lang, paired, header.len(), &lead(&name, &who))?;
        }
    } else {
        block(&mut out, form, lang, paired, header.len(), &[])?;
    }
    out.into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))
}

fn block(
    out: &mut csv::Writer<Vec<u8>>,
    form: &StatsForm,
    lang: Language,
    paired: bool,
    width: usize,
    lead: &[String],
) -> Result<(), ReportError> {
    let labels = labels(form, lang, "");
    let start = || lead.to_vec();
    for row in &form.rows {
        let mut record = start();
        record.push(text_cell(&row_label(row, lang)));
        for cell in row.cells.iter().chain(std::iter::once(&row.total)) {
            record.extend(values(row, cell, paired));
        }
        out.write_record(&record)?;
    }
    // Hours are not split by profession on the form: only the total column.
    for (label, hours) in &labels.hours {
        let mut record = start();
        record.push(text_cell(label));
        record.resize(width - if paired { 2 } else { 1 }, String::new());
        record.push(hours.clone());
        if paired {
            record.push(String::new());
        }
        out.write_record(&record)?;
    }
    Ok(())
}
