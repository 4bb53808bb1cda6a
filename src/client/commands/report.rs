//! report: a campaign period's statistics as the bureau's form, to a file
//! or standard output. Offline, the copy fetched last is used, and said so.

use rust_i18n::t;

use super::{CliError, Ctx, Exit, when};
use crate::api::{StatsQuery, StatsScope};
use crate::cli::{ReportArgs, ReportScope};
use crate::client::sync::{PeriodChoice, Stale, pick_period};
use crate::i18n::Language;
use crate::report::Format;

/// Campaign ids are short codes (`tianjin-2026`); anything else is a typo,
/// and must not reach a URL path unchecked.
fn valid_campaign(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn say_stale(stale: &Option<Stale>) {
    if let Some(s) = stale {
        eprintln!(
            "{}",
            t!(
                "cli.report.stale",
                reason = crate::client::text::sanitize(&s.reason),
                at = when(s.fetched_at)
            )
        );
    }
}

/// Whether `--lang` was typed on this command line (not set by
/// `DUTYDESK_LANG`, the config or `LANG`, which choose the user's language).
pub fn lang_flag_given(args: impl IntoIterator<Item = std::ffi::OsString>) -> bool {
    args.into_iter().skip(1).take_while(|a| a != "--").any(|a| {
        a.to_str()
            .is_some_and(|a| a == "--lang" || a.starts_with("--lang="))
    })
}

/// The form's language: the campaign's own (the bureau takes these forms in
/// Chinese whatever the user reads), unless `--lang` asked for another.
pub fn form_language(campaign_language: &str, lang_flag: bool) -> Language {
    if lang_flag && let Some(ui) = Language::parse(&rust_i18n::locale()) {
        return ui;
    }
    Language::parse(campaign_language).unwrap_or_default()
}

pub async fn report(ctx: &Ctx, args: ReportArgs) -> Result<Exit, CliError> {
    if args.due {
        return super::due::due(ctx).await;
    }
    // Clap requires `--campaign` without `--due`.
    let campaign = args.campaign.clone().unwrap_or_default();
    if !valid_campaign(&campaign) {
        return Err(CliError::usage(t!(
            "cli.report.bad_campaign",
            value = crate::client::text::sanitize(&campaign)
        )));
    }
    let format = Format::from(args.format);
    if format == Format::Xlsx && args.output.is_none() {
        return Err(CliError::usage(t!("cli.report.xlsx_needs_output")));
    }
    let engine = ctx.engine().await?;
    let periods = engine.periods(&campaign).await?;
    say_stale(&periods.stale);
    let today = crate::report::reporting_date_today();
    let choice = match (&args.period, args.previous) {
        (Some(p), _) => PeriodChoice::Named(p.clone()),
        (None, true) => PeriodChoice::Previous,
        (None, false) => PeriodChoice::Current,
    };
    let period = pick_period(&periods.value, &choice, &today).ok_or_else(|| {
        let known: Vec<String> = periods
            .value
            .periods
            .iter()
            .map(|p| format!("{}..{}", p.start, p.end))
            .collect();
        CliError::usage(t!(
            "cli.report.no_period",
            campaign = campaign.as_str(),
            choice = args
                .period
                .as_deref()
                .unwrap_or(if args.previous { "--previous" } else { "--current" }),
            known = known.join(", ")
        ))
    })?;
    let scope = match (args.scope, args.unit) {
        (Some(ReportScope::Me), _) => StatsScope::Me,
        (Some(ReportScope::Unit), _) | (None, Some(_)) => StatsScope::Unit,
        (None, None) if args.by_unit => StatsScope::Unit,
        (Some(ReportScope::All), _) => StatsScope::All,
        (None, None) => StatsScope::Me,
    };
    let query = StatsQuery {
        period: Some(format!("{}..{}", period.start, period.end)),
        scope: Some(scope),
        unit: args.unit,
        by: args.by_unit.then_some(crate::api::rollup::StatsBy::Unit),
    };
    let form = engine.stats(&campaign, &query).await?;
    say_stale(&form.stale);
    let lang = form_language(&form.value.language, lang_flag_given(std::env::args_os()));
    crate::report::write(&form.value, format, lang, args.output.as_deref()).map_err(|e| match e {
        crate::report::WriteError::Refused(m) => CliError::usage(m),
        other => CliError::new(other.to_string()),
    })?;
    if let Some(path) = &args.output {
        eprintln!("{}", t!("cli.report.written", path = path.display().to_string()));
    }
    Ok(Exit::Ok)
}
