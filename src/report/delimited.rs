//! CSV: one line per indicator, the professions and the total as columns,
//! then the hours. UTF-8 with a BOM: without it the spreadsheet programs the
//! bureaus use read the Chinese as mojibake.

use super::{ReportError, cell_text, labels, row_label};
use crate::api::StatsForm;
use crate::i18n::Language;

const BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn render_csv(form: &StatsForm, lang: Language) -> Result<Vec<u8>, ReportError> {
    let labels = labels(form, lang, "");
    let mut out = csv::Writer::from_writer(BOM.to_vec());
    out.write_record(&labels.header)?;
    for row in &form.rows {
        let mut record = vec![row_label(row, lang)];
        record.extend(row.cells.iter().map(|c| cell_text(row, c)));
        record.push(cell_text(row, &row.total));
        out.write_record(&record)?;
    }
    // Hours are not split by profession on the form: only the total column.
    for (label, hours) in &labels.hours {
        let mut record = vec![label.clone()];
        record.extend(form.columns.iter().map(|_| String::new()));
        record.push(hours.clone());
        out.write_record(&record)?;
    }
    out.into_inner()
        .map_err(|e| ReportError::Csv(e.into_error().into()))
}
