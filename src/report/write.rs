//! Writing a rendered form where the user asked: a file (replaced whole, so
//! a failed run never leaves half a spreadsheet) or standard output.

use std::io::{IsTerminal, Write};
use std::path::Path;

use rust_i18n::t;

use super::Format;
use super::{ReportError, render};
use crate::api::StatsForm;
use crate::i18n::Language;

/// Why a report could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error(transparent)]
    Render(#[from] ReportError),
    #[error("{0}")]
    Refused(String),
    #[error("{0}")]
    Io(String),
}

/// The 填报日期: today in Beijing time, where the bureaus file.
pub fn reporting_date_today() -> String {
    let tz = crate::domain::clock::shanghai();
    tz.to_datetime(jiff::Timestamp::now()).date().to_string()
}

/// Renders `form` and writes it to `output`, or to standard output when
/// `None`. An XLSX is binary: it is refused on a terminal.
pub fn write(
    form: &StatsForm,
    format: Format,
    lang: Language,
    output: Option<&Path>,
) -> Result<(), WriteError> {
    let l = lang.code();
    let bytes = render(form, format, lang, &reporting_date_today())?;
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            if format == Format::Xlsx && out.is_terminal() {
                return Err(WriteError::Refused(
                    t!("stats.xlsx_on_terminal", locale = l).into_owned(),
                ));
            }
            // Text formats come from the server's words: no escape sequence
            // or bidi override reaches a terminal (line breaks stay). JSON
            // has them escaped already, its data whole.
            let bytes = match format {
                Format::Xlsx | Format::Json => bytes,
                _ => clean_lines(&String::from_utf8_lossy(&bytes)).into_bytes(),
            };
            out.write_all(&bytes).and_then(|()| out.flush()).map_err(|e| {
                WriteError::Io(t!("stats.write_failed", locale = l, file = "-", error = e).into_owned())
            })
        }
        Some(path) => {
            let fail = |e: std::io::Error| {
                WriteError::Io(
                    t!("stats.write_failed", locale = l, file = path.display(), error = e).into_owned(),
                )
            };
            // Whole or not at all, and 0600: on a shared server a unit's
            // statistics are not for every account.
            crate::client::fsutil::write_private(path, &bytes).map_err(fail)
        }
    }
}

/// Each line cleaned of control and escape sequences, the line breaks
/// (and a CSV's CR before them) kept.
fn clean_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| match line.strip_suffix('\r') {
            Some(body) => format!("{}\r", crate::text::clean(body)),
            None => crate::text::clean(line),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
