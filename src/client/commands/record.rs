//! log, time, activity: writes that go through the outbox.

use rust_i18n::t;

use super::items::pull_or_cache;
use super::{CliError, Ctx, Exit, report_flush};
use crate::api::{NewActivity, NewOutcome, NewTimeEntry};
use crate::cli::{ActivityArgs, LogArgs, TimeArgs};
use crate::client::counting::{check_new_activity, check_role, refusal_text};
use crate::client::store::NewEntry;
use crate::client::sync::Engine;
use crate::client::writes;
use crate::domain::clock::now_ms;
use crate::domain::records::{ActivityInput, Refusal, check_minutes, check_note};
use crate::domain::{OutcomeCode, OutcomeFields, TimeActivity, Yuan};

/// A record the domain's checks refuse: exit 2, nothing saved.
fn refused(r: Refusal) -> CliError {
    CliError::usage(refusal_text(&r))
}

/// Stores the write durably, says "saved", then tries one flush.
pub async fn save_and_flush(engine: &Engine, entry: NewEntry) -> Result<Exit, CliError> {
    let queued = crate::client::workflow::record(engine.store(), entry).await?;
    // Only now, with the entry on disk, may we say "saved".
    println!("{}", t!("cli.saved", summary = queued.summary()));
    let report = engine.flush_once().await?;
    let exit = report_flush(&report, Some(&queued.id));
    // The unit handed in the period's form: not a passing trouble to retry
    // but a reason to stop (the message says who can reopen it).
    let locked = report
        .refused_codes
        .iter()
        .any(|(e, code)| *e == queued.id && *code == crate::api::ProblemCode::PeriodLocked);
    Ok(if locked { Exit::Usage } else { exit })
}

pub(super) fn parse_money(field: &str, text: Option<&str>) -> Result<Option<Yuan>, CliError> {
    text.map(|t| {
        Yuan::parse(t).map_err(|e| {
            CliError::usage(t!(
                "cli.bad_money",
                field = field,
                value = t,
                error = e.to_string()
            ))
        })
    })
    .transpose()
}

pub(super) fn parse_outcome(code: &str) -> Result<OutcomeCode, CliError> {
    OutcomeCode::parse(code).ok_or_else(|| {
        let valid: Vec<_> = OutcomeCode::ALL.iter().map(|c| c.as_str()).collect();
        CliError::usage(t!("cli.bad_outcome", code = code, valid = valid.join(", ")))
    })
}

pub async fn log(ctx: &Ctx, args: LogArgs) -> Result<Exit, CliError> {
    let code = parse_outcome(&args.outcome)?;
    let settled_amount = parse_money("--settled-amount", args.settled_amount.as_deref())?;
    let fee_waived = parse_money("--fee-waived", args.fee_waived.as_deref())?;
    if let Some(m) = args.minutes {
        check_minutes(m, None).map_err(refused)?;
    }
    check_note(args.note.as_deref()).map_err(refused)?;
    let engine = ctx.engine().await?;
    check_role(&engine).await.map_err(refused)?;
    // The item's kind decides which codes are valid: from the cache, or
    // fetched once when this item is not cached yet.
    let mut item = engine.store().cached_item(args.id).await?;
    if item.is_none() {
        pull_or_cache(&engine).await?;
        item = engine.store().cached_item(args.id).await?;
    }
    let item = item.ok_or_else(|| CliError::new(t!("cli.not_cached", id = args.id)))?;
    let fields = OutcomeFields {
        kind: item.kind,
        code,
        minutes: args.minutes,
        settled_amount,
        fee_waived,
    };
    fields
        .check()
        .map_err(|e| CliError::usage(t!("cli.outcome_rule", id = args.id, error = e.to_string())))?;
    let body = NewOutcome {
        code,
        minutes: args.minutes,
        settled_amount,
        fee_waived,
        note: args.note,
        occurred_at: Some(now_ms()),
    };
    let entry = writes::outcome(args.id, &body);
    save_and_flush(&engine, entry).await
}

pub async fn time(ctx: &Ctx, args: TimeArgs) -> Result<Exit, CliError> {
    let activity = TimeActivity::parse(&args.activity).ok_or_else(|| {
        let valid: Vec<_> = TimeActivity::ALL.iter().map(|a| a.as_str()).collect();
        CliError::usage(t!(
            "cli.bad_activity",
            value = args.activity.as_str(),
            valid = valid.join(", ")
        ))
    })?;
    check_minutes(args.minutes, None).map_err(refused)?;
    check_note(args.note.as_deref()).map_err(refused)?;
    let engine = ctx.engine().await?;
    check_role(&engine).await.map_err(refused)?;
    let body = NewTimeEntry {
        item_id: args.id,
        minutes: args.minutes,
        activity,
        note: args.note,
        occurred_at: Some(now_ms()),
    };
    let entry = writes::time_entry(&body);
    save_and_flush(&engine, entry).await
}

pub async fn activity(ctx: &Ctx, args: ActivityArgs) -> Result<Exit, CliError> {
    let indicator = args.indicator.trim().to_string();
    if indicator.is_empty()
        || !indicator
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(CliError::usage(t!(
            "cli.bad_indicator",
            value = args.indicator.as_str()
        )));
    }
    let engine = ctx.engine().await?;
    let now = now_ms();
    // Before anything is saved: the rows running campaigns count from
    // activities, the counts and their caps, the note, the user's role.
    let input = ActivityInput {
        indicator: &indicator,
        count: args.count,
        count2: args.count2,
        note: args.note.as_deref(),
        occurred_at: now,
    };
    check_new_activity(&engine, &input, now).await.map_err(refused)?;
    let body = NewActivity {
        indicator: indicator.clone(),
        count: args.count,
        count2: args.count2,
        note: args.note,
        occurred_at: Some(now),
    };
    let entry = writes::activity(&body);
    save_and_flush(&engine, entry).await
}
