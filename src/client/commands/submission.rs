//! `dutydesk submission submit|approve|return|reopen|status`: the hand-in
//! of a period's form. Online only: a hand-in is a decision the server
//! records at once, not work to queue.

use rust_i18n::t;

use super::{CliError, Ctx, Exit};
use crate::api::paths::{SUBMISSION_STEP, SUBMISSIONS};
use crate::api::rollup::{NewSubmission, Submission, SubmissionList, SubmissionStep};
use crate::cli::{SubmissionCommand, SubmissionPeriod};
use crate::client::http::Fetched;
use crate::client::sync::{Engine, PeriodChoice, pick_period};
use crate::domain::rollup::SubmissionAction;

/// Path segments are ids and dates, but a typed campaign could hold anything.
fn segment(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The period asked for, or the current one, as `start..end`.
async fn period(engine: &Engine, at: &SubmissionPeriod) -> Result<String, CliError> {
    let periods = engine.periods(&at.campaign).await?;
    let choice = match &at.period {
        Some(p) => PeriodChoice::Named(p.clone()),
        None => PeriodChoice::Current,
    };
    let today = crate::report::reporting_date_today();
    let p = pick_period(&periods.value, &choice, &today).ok_or_else(|| {
        CliError::usage(t!(
            "rollup.no_period",
            campaign = at.campaign.as_str(),
            period = at.period.as_deref().unwrap_or("--current")
        ))
    })?;
    Ok(format!("{}..{}", p.start, p.end))
}

fn path(template: &str, campaign: &str, period: &str, unit: Option<i64>) -> String {
    let p = template
        .replace("{id}", &segment(campaign))
        .replace("{period}", &segment(period));
    match unit {
        Some(u) => p.replace("{unit}", &u.to_string()),
        None => p,
    }
}

fn said(s: &Submission) {
    println!(
        "{}",
        t!(
            "rollup.submission_now",
            unit = crate::text::clean(&s.unit.name).as_str(),
            period = s.period.as_str(),
            status = crate::i18n::text(
                &format!("rollup.status.{}", s.status.as_str()),
                &rust_i18n::locale()
            )
            .as_str()
        )
    );
}

pub async fn run(ctx: &Ctx, cmd: SubmissionCommand) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    let (at, step) = match cmd {
        SubmissionCommand::Submit {
            at,
            filled_by,
            phone,
            unit,
        } => {
            let p = period(&engine, &at).await?;
            let body = NewSubmission {
                unit,
                filled_by,
                phone,
            };
            // Plain derive(Serialize) data: cannot fail.
            let body = serde_json::to_value(&body).unwrap_or_default();
            let s: Submission = engine
                .api()
                .post(&path(SUBMISSIONS, &at.campaign, &p, None), &body)
                .await?;
            said(&s);
            return Ok(Exit::Ok);
        }
        SubmissionCommand::Status { at, json } => return status(&engine, &at, json.json).await,
        SubmissionCommand::Approve { at, unit } => (at, (unit, SubmissionAction::Approve, None)),
        SubmissionCommand::Return { at, unit, reason } => {
            (at, (unit, SubmissionAction::Return, Some(reason)))
        }
        SubmissionCommand::Reopen { at, unit, reason } => {
            (at, (unit, SubmissionAction::Reopen, Some(reason)))
        }
    };
    let (unit, action, reason) = step;
    let p = period(&engine, &at).await?;
    let body = serde_json::to_value(SubmissionStep { action, reason }).unwrap_or_default();
    let s: Submission = engine
        .api()
        .post(&path(SUBMISSION_STEP, &at.campaign, &p, Some(unit)), &body)
        .await?;
    said(&s);
    Ok(Exit::Ok)
}

async fn status(engine: &Engine, at: &SubmissionPeriod, json: bool) -> Result<Exit, CliError> {
    let p = period(engine, at).await?;
    let list = match engine
        .api()
        .get::<SubmissionList>(&path(SUBMISSIONS, &at.campaign, &p, None), None)
        .await?
    {
        Fetched::Fresh { value, .. } => value,
        Fetched::NotModified => return Err(CliError::new(t!("rollup.no_answer"))),
    };
    if json {
        let text = serde_json::to_string_pretty(&list).unwrap_or_default();
        println!("{}", crate::text::escape_json(&text));
        return Ok(Exit::Ok);
    }
    for u in &list.units {
        println!(
            "{}\t{}\t{}",
            u.unit.id,
            crate::text::clean(&u.unit.name),
            super::due::hand_in_text(u.hand_in)
        );
    }
    Ok(Exit::Ok)
}

/// `dutydesk withdraw time|activity ID`: online, as the server must check
/// the period is still open and not handed in.
pub async fn withdraw(ctx: &Ctx, args: crate::cli::WithdrawArgs) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    let base = match args.kind {
        crate::cli::WithdrawKind::Time => crate::api::paths::TIME_ENTRIES,
        crate::cli::WithdrawKind::Activity => crate::api::paths::ACTIVITIES,
    };
    let path = format!("{base}/{}/withdraw", segment(&args.id));
    let _: serde_json::Value = engine.api().post(&path, &serde_json::json!({})).await?;
    println!(
        "{}",
        t!("rollup.withdrawn", id = crate::text::clean(&args.id).as_str())
    );
    Ok(Exit::Ok)
}
