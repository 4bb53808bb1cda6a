//! sync, outbox, outbox retry, outbox discard.

use rust_i18n::t;

use super::items::pull_or_cache;
use super::record::{parse_money, parse_outcome};
use super::{CliError, Ctx, Exit, print_json, report_flush, short, when};
use crate::api::NewOutcome;
use crate::cli::{EntryEdits, OutboxAction, OutboxArgs};
use crate::client::edit::{self, Edits};
use crate::client::store::{EntryState, LocalStore, NewEntry};
use crate::client::text::{sanitize, table, truncate};
use crate::domain::OutcomeFields;

pub async fn sync(ctx: &Ctx) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    let report = engine.flush_once().await?;
    let exit = report_flush(&report, None);
    if report.offline.is_none() {
        pull_or_cache(&engine).await?;
    }
    let failed = engine
        .store()
        .outbox()
        .await?
        .iter()
        .filter(|e| e.state == EntryState::Failed)
        .count();
    println!(
        "{}",
        t!(
            "cli.sync.done",
            sent = report.sent.len(),
            waiting = report.waiting,
            failed = failed
        )
    );
    Ok(exit)
}

pub async fn outbox(ctx: &Ctx, args: OutboxArgs) -> Result<Exit, CliError> {
    let store = ctx.store().await?;
    match args.action {
        Some(OutboxAction::Retry { id, edits }) => {
            let edits = parse_edits(&edits)?;
            if edits.is_empty() {
                store.retry_entry(&id, None).await?;
            } else {
                let entry = store.find_entry(&id).await?;
                let edited = edit::apply(&entry, &edits).map_err(|e| CliError::usage(e.to_string()))?;
                check_outcome(&store, &edited).await?;
                store.retry_edited(&id, edited).await?;
            }
            println!("{}", t!("cli.outbox.requeued", id = id.as_str()));
            // Send it now if we can; a signed-out profile just keeps it queued.
            if let Ok(engine) = ctx.engine().await {
                let report = engine.flush_once().await?;
                return Ok(report_flush(&report, None));
            }
            Ok(Exit::Ok)
        }
        Some(OutboxAction::Discard { id }) => {
            let entry = store.discard_entry(&id).await?;
            println!("{}", t!("cli.outbox.discarded", summary = entry.summary.as_str()));
            Ok(Exit::Ok)
        }
        None => {
            let entries = store.outbox().await?;
            if args.json {
                print_json(&entries)?;
                return Ok(Exit::Ok);
            }
            if entries.is_empty() {
                println!("{}", t!("cli.outbox.empty"));
                return Ok(Exit::Ok);
            }
            let mut rows = vec![vec![
                t!("cli.col.entry").into_owned(),
                t!("cli.col.state").into_owned(),
                t!("cli.col.saved_at").into_owned(),
                t!("cli.col.what").into_owned(),
                t!("cli.col.message").into_owned(),
            ]];
            let me = store.writer().cloned();
            let mut others = 0;
            for e in &entries {
                // Someone else's work waits for them; say whose it is.
                let message = if e.is_others(me.as_ref()) {
                    others += 1;
                    t!(
                        "cli.outbox.others_entry",
                        user = sanitize(e.writer_user.as_deref().unwrap_or("")),
                        server = sanitize(e.writer_server.as_deref().unwrap_or(""))
                    )
                    .into_owned()
                } else {
                    truncate(&sanitize(e.last_error.as_deref().unwrap_or("")), 60)
                };
                let state = match e.state {
                    EntryState::Pending => t!("cli.outbox.pending"),
                    EntryState::Failed => t!("cli.outbox.failed"),
                };
                rows.push(vec![
                    short(&e.id).to_string(),
                    state.into_owned(),
                    when(e.created_at),
                    e.summary.clone(),
                    message,
                ]);
            }
            print!("{}", table(&rows));
            if others > 0 {
                println!("{}", t!("cli.outbox.others_note", count = others));
            }
            Ok(Exit::Ok)
        }
    }
}

fn parse_edits(e: &EntryEdits) -> Result<Edits, CliError> {
    Ok(Edits {
        outcome: e.outcome.as_deref().map(parse_outcome).transpose()?,
        minutes: e.minutes,
        settled_amount: parse_money("--settled-amount", e.settled_amount.as_deref())?,
        fee_waived: parse_money("--fee-waived", e.fee_waived.as_deref())?,
        note: e.note.clone(),
    })
}

/// An edited outcome is checked against its item's kind, as `log` checks a
/// new one, when the item is in the cache (the server checks it anyway).
async fn check_outcome(store: &LocalStore, edited: &NewEntry) -> Result<(), CliError> {
    let Some(item_id) = edit::outcome_item(&edited.path) else {
        return Ok(());
    };
    let Some(item) = store.cached_item(item_id).await? else {
        return Ok(());
    };
    let Ok(body) = serde_json::from_value::<NewOutcome>(edited.body.clone()) else {
        return Ok(());
    };
    let fields = OutcomeFields {
        kind: item.kind,
        code: body.code,
        minutes: body.minutes,
        settled_amount: body.settled_amount,
        fee_waived: body.fee_waived,
    };
    fields
        .check()
        .map_err(|e| CliError::usage(t!("cli.outcome_rule", id = item_id, error = e.to_string())))
}
