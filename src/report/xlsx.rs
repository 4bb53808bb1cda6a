//! XLSX laid out like the paper form: the title, the period, 填报单位 and
//! 填报日期, a header of 项目 / professions / 累计, one row per indicator with
//! its unit, then hours and the note with the deadline. Counts and money
//! are numbers (so the bureau can sum them); two-valued cells are `a/b`.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
use unicode_width::UnicodeWidthStr;

use super::{ReportError, cell_text, labels, row_label, wan_hundredths};
use crate::api::StatsForm;
use crate::i18n::Language;

/// First row of the indicator table (after title, period, unit/date, header).
pub const FIRST_DATA_ROW: u32 = 4;

/// One sheet for a plain form; with a unit break-down (`by=unit`), a 汇总
/// sheet with the whole form first, then one sheet per unit.
pub fn render_xlsx(form: &StatsForm, lang: Language, reporting_date: &str) -> Result<Vec<u8>, ReportError> {
    let mut book = Workbook::new();
    if form.units.is_empty() && form.people.is_empty() {
        write_sheet(&mut book, &form.period.start, form, lang, reporting_date)?;
    } else {
        let summary = rust_i18n::t!("rollup.summary_sheet", locale = lang.code());
        let mut names = vec![summary.to_string()];
        write_sheet(&mut book, &summary, form, lang, reporting_date)?;
        for part in &form.units {
            let name = super::rollup::sheet_name(&part.unit, &mut names);
            write_sheet(
                &mut book,
                &name,
                &super::rollup::part_form(form, part),
                lang,
                reporting_date,
            )?;
        }
        // One sheet per person of the unit itself, after the units' sheets.
        for person in &form.people {
            let label = rust_i18n::t!(
                "rollup2.person_sheet",
                locale = lang.code(),
                name = person.user.display_name.as_str()
            );
            let as_unit = crate::api::UnitRef {
                id: person.user.id,
                name: label.into_owned(),
            };
            let name = super::rollup::sheet_name(&as_unit, &mut names);
            write_sheet(
                &mut book,
                &name,
                &super::rollup::person_form(form, person),
                lang,
                reporting_date,
            )?;
        }
    }
    Ok(book.save_to_buffer()?)
}

fn write_sheet(
    book: &mut Workbook,
    name: &str,
    form: &StatsForm,
    lang: Language,
    reporting_date: &str,
) -> Result<(), ReportError> {
    let labels = labels(form, lang, reporting_date);
    let last_col = u16::try_from(labels.header.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let total_col = last_col;

    let title = Format::new()
        .set_bold()
        .set_font_size(14)
        .set_align(FormatAlign::Center);
    let plain = Format::new();
    let right = Format::new().set_align(FormatAlign::Right);
    let header = Format::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let label = Format::new().set_border(FormatBorder::Thin);
    let count = Format::new().set_border(FormatBorder::Thin).set_num_format("0");
    let money = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("0.00");
    let pair = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Right);

    let sheet = book.add_worksheet();
    // Sheet names are limited to 31 characters and some punctuation; the
    // form's own name goes in the title row instead.
    sheet.set_name(name)?;
    if last_col > 0 {
        sheet.merge_range(0, 0, 0, last_col, &labels.title, &title)?;
        sheet.merge_range(1, 0, 1, last_col, &labels.period_line, &plain)?;
        sheet.write_string(2, 0, &labels.unit_line)?;
        sheet.merge_range(2, 1, 2, last_col, &labels.date_line, &right)?;
    } else {
        sheet.write_string_with_format(0, 0, &labels.title, &title)?;
    }
    let mut widths: Vec<usize> = labels.header.iter().map(|h| h.width()).collect();
    for (c, text) in labels.header.iter().enumerate() {
        sheet.write_string_with_format(FIRST_DATA_ROW - 1, c as u16, text, &header)?;
    }

    let mut r = FIRST_DATA_ROW;
    for row in &form.rows {
        let name = row_label(row, lang);
        widths[0] = widths[0].max(name.width());
        sheet.write_string_with_format(r, 0, &name, &label)?;
        for (c, cell) in row.cells.iter().chain(std::iter::once(&row.total)).enumerate() {
            let col = c as u16 + 1;
            let text = cell_text(row, cell);
            if let Some(w) = widths.get_mut(usize::from(col)) {
                *w = (*w).max(text.width());
            }
            if row.money {
                sheet.write_number_with_format(r, col, wan_hundredths(cell.value1) as f64 / 100.0, &money)?;
            } else if cell.value2.is_some() {
                sheet.write_string_with_format(r, col, &text, &pair)?;
            } else {
                sheet.write_number_with_format(r, col, cell.value1 as f64, &count)?;
            }
        }
        r += 1;
    }
    for (name, hours) in &labels.hours {
        widths[0] = widths[0].max(name.width());
        sheet.write_string_with_format(r, 0, name, &label)?;
        // Hours with one decimal; the text was rounded the same way.
        let value: f64 = hours.parse().unwrap_or(0.0);
        let tenth = Format::new().set_border(FormatBorder::Thin).set_num_format("0.0");
        sheet.write_number_with_format(r, total_col, value, &tenth)?;
        r += 1;
    }
    // 填报人 and 联系电话 under the table, as the paper form is signed.
    r += 1;
    sheet.write_string(r, 0, &labels.reporter_line)?;
    if last_col > 0 {
        sheet.write_string(r, 1, &labels.phone_line)?;
    }
    if let Some(status) = &labels.status_line {
        r += 1;
        sheet.write_string(r, 0, status)?;
    }
    r += 2;
    sheet.write_string(r, 0, &labels.deadline_note)?;
    if let Some(note) = &labels.note {
        sheet.write_string(r + 1, 0, note)?;
    }
    // Excel's column width is in characters of the default font; a CJK
    // character takes about two, which is what its display width says.
    for (c, w) in widths.iter().enumerate() {
        sheet.set_column_width(c as u16, (*w + 2) as f64)?;
    }
    // The form is sent up on paper too: A4 (paper size 9), one page wide.
    sheet
        .set_paper_size(9)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true);
    Ok(())
}
