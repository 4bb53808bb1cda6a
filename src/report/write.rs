//! Writing a rendered form where the user asked: a file (replaced whole, so
//! a failed run never leaves half a spreadsheet) or standard output.

use std::io::{IsTerminal, Write};
use std::path::Path;

use rust_i18n::t;

use super::{ReportError, render};
use crate::api::StatsForm;
use crate::cli::ReportFormat;
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
    let tz = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap_or(jiff::tz::TimeZone::UTC);
    tz.to_datetime(jiff::Timestamp::now()).date().to_string()
}

/// Renders `form` and writes it to `output`, or to standard output when
/// `None`. An XLSX is binary: it is refused on a terminal.
pub fn write(
    form: &StatsForm,
    format: ReportFormat,
    lang: Language,
    output: Option<&Path>,
) -> Result<(), WriteError> {
    let l = lang.code();
    let bytes = render(form, format, lang, &reporting_date_today())?;
    match output {
        None => {
            let mut out = std::io::stdout().lock();
            if format == ReportFormat::Xlsx && out.is_terminal() {
                return Err(WriteError::Refused(
                    t!("stats.xlsx_on_terminal", locale = l).into_owned(),
                ));
            }
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
            // A sibling file renamed over the target: readers never see half.
            let mut partial = path.as_os_str().to_owned();
            partial.push(".partial");
            let partial = std::path::PathBuf::from(partial);
            let written = std::fs::File::create(&partial).and_then(|mut f| {
                f.write_all(&bytes)?;
                f.sync_all()
            });
            if let Err(e) = written.and_then(|()| std::fs::rename(&partial, path)) {
                let _ = std::fs::remove_file(&partial);
                return Err(fail(e));
            }
            Ok(())
        }
    }
}
