//! log, time, activity: writes that go through the outbox.

use rust_i18n::t;

use super::items::pull_or_cache;
use super::{CliError, Ctx, Exit, report_flush};
use crate::api::{NewActivity, NewOutcome, NewTimeEntry};
use crate::cli::{ActivityArgs, LogArgs, TimeArgs};
use crate::client::store::{NewEntry, now_ms};
use crate::client::sync::Engine;
use crate::client::writes;
use crate::domain::{OutcomeCode, OutcomeFields, TimeActivity, Yuan, outcome::check_minutes};

/// Stores the write durably, says "saved", then tries one flush.
pub async fn save_and_flush(engine: &Engine, entry: NewEntry) -> Result<Exit, CliError> {
    let queued = crate::client::workflow::record(engine.store(), entry).await?;
    // Only now, with the entry on disk, may we say "saved".
    println!("{}", t!("cli.saved", summary = queued.summary()));
    let report = engine.flush_once().await?;
    Ok(report_flush(&report, Some(&queued.id)))
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
    let engine = ctx.engine().await?;
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
    check_minutes(Some(args.minutes)).map_err(|e| CliError::usage(e.to_string()))?;
    let engine = ctx.engine().await?;
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
    for (name, v) in [("--count", Some(args.count)), ("--count2", args.count2)] {
        if let Some(v) = v
            && v < 0
        {
            return Err(CliError::usage(t!("cli.negative_count", field = name, value = v)));
        }
    }
    let engine = ctx.engine().await?;
    let body = NewActivity {
        indicator: indicator.clone(),
        count: args.count,
        count2: args.count2,
        note: args.note,
        occurred_at: Some(now_ms()),
    };
    let entry = writes::activity(&body);
    save_and_flush(&engine, entry).await
}
