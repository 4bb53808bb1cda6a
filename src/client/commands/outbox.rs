//! sync, outbox, outbox retry, outbox discard.

use rust_i18n::t;

use super::items::pull_or_cache;
use super::{CliError, Ctx, Exit, print_json, report_flush, short, when};
use crate::cli::{OutboxAction, OutboxArgs};
use crate::client::store::EntryState;
use crate::client::text::{sanitize, table, truncate};

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
        Some(OutboxAction::Retry { id }) => {
            store.retry_entry(&id, None).await?;
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
            for e in &entries {
                let state = match e.state {
                    EntryState::Pending => t!("cli.outbox.pending"),
                    EntryState::Failed => t!("cli.outbox.failed"),
                };
                rows.push(vec![
                    short(&e.id).to_string(),
                    state.into_owned(),
                    when(e.created_at),
                    e.summary.clone(),
                    truncate(&sanitize(e.last_error.as_deref().unwrap_or("")), 60),
                ]);
            }
            print!("{}", table(&rows));
            Ok(Exit::Ok)
        }
    }
}
