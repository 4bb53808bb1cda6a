//! list, show, claim, start, stop.

use rust_i18n::t;

use super::record::save_and_flush;
use super::{CliError, Ctx, Exit, print_json, report_flush, when};
use crate::api::{ItemDetail, ItemList, PoolList, WorkItem};
use crate::cli::{ListArgs, ShowArgs};
use crate::client::store::{MINE, POOL};
use crate::client::sync::{Engine, PullError};
use crate::client::text::{sanitize, table, truncate};
use crate::client::workflow;
use crate::client::writes;
use crate::domain::ItemKind;
use crate::domain::clock::now_ms;
// The catalog's words for domain values, shared with the terminal app.
use crate::tui::labels;

/// Pulls, or says why not and carries on with the cache. Only a transient
/// failure (offline) is tolerated; a refused token is an error.
pub(super) async fn pull_or_cache(engine: &Engine) -> Result<(), CliError> {
    match engine.pull().await {
        Ok(_) => Ok(()),
        Err(PullError::Http(e)) if e.is_transient() => {
            eprintln!("{}", t!("cli.showing_cache", reason = e.to_string()));
            Ok(())
        }
        Err(e) => Err(e.into()),
    }
}

fn parse_kind(s: &str) -> Result<ItemKind, CliError> {
    ItemKind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| {
            let valid: Vec<_> = ItemKind::ALL.iter().map(|k| k.as_str()).collect();
            CliError::usage(t!("cli.bad_kind", kind = s, valid = valid.join(", ")))
        })
}

pub fn kind_label(kind: ItemKind) -> String {
    t!(format!("kind.{}", kind.as_str())).into_owned()
}

/// The rows `list` prints, one per item; the title is cut to fit 80 columns.
pub fn item_rows(items: &[WorkItem]) -> Vec<Vec<String>> {
    let mut rows = vec![vec![
        t!("cli.col.id").into_owned(),
        t!("cli.col.kind").into_owned(),
        t!("cli.col.status").into_owned(),
        t!("cli.col.due").into_owned(),
        t!("cli.col.title").into_owned(),
    ]];
    for i in items {
        let green = if i.green_channel { "* " } else { "" };
        rows.push(vec![
            format!("#{}", i.id),
            kind_label(i.kind),
            labels::status(i.status),
            when(i.due_at),
            truncate(&format!("{green}{}", sanitize(&i.title)), 40),
        ]);
    }
    rows
}

pub async fn list(ctx: &Ctx, args: ListArgs) -> Result<Exit, CliError> {
    let kind = args.kind.as_deref().map(parse_kind).transpose()?;
    let engine = ctx.engine().await?;
    pull_or_cache(&engine).await?;
    let store = engine.store();
    let mut items = store.cached_items(if args.pool { POOL } else { MINE }).await?;
    if let Some(k) = kind {
        items.retain(|i| i.kind == k);
    }
    items.sort_by_key(|i| (!i.green_channel, i.status.is_finished(), i.due_at));
    if args.json {
        if args.pool {
            print_json(&PoolList { items })?;
        } else {
            let cursor = store.sync_state("items").await?.0.unwrap_or_default();
            print_json(&ItemList {
                items,
                cursor,
                removed: Vec::new(),
            })?;
        }
        return Ok(Exit::Ok);
    }
    if items.is_empty() {
        println!(
            "{}",
            t!(if args.pool {
                "cli.list.pool_empty"
            } else {
                "cli.list.empty"
            })
        );
    } else {
        print!("{}", table(&item_rows(&items)));
    }
    Ok(Exit::Ok)
}

pub async fn show(ctx: &Ctx, args: ShowArgs) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    let detail = match engine.item_detail(args.id).await {
        Ok(fetched) => super::shown(fetched),
        // Offline and never opened: the row of the cached list, if any.
        Err(PullError::Http(e)) if e.is_transient() => {
            eprintln!("{}", t!("cli.showing_cache", reason = e.to_string()));
            match engine.store().cached_item(args.id).await? {
                Some(item) => ItemDetail {
                    item,
                    history: vec![],
                    outcomes: vec![],
                    time_entries: vec![],
                },
                None => return Err(CliError::new(t!("cli.not_cached", id = args.id))),
            }
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        print_json(&detail)?;
        return Ok(Exit::Ok);
    }
    let i = &detail.item;
    // The codes are what `log --outcome` takes; each with its name.
    let valid: Vec<_> = crate::domain::OutcomeCode::for_kind(i.kind)
        .iter()
        .map(|c| format!("{} ({})", c.as_str(), labels::outcome(*c)))
        .collect();
    let mut rows = vec![
        vec![t!("cli.col.id").into_owned(), format!("#{}", i.id)],
        vec![t!("cli.col.title").into_owned(), sanitize(&i.title)],
        vec![t!("cli.col.kind").into_owned(), kind_label(i.kind)],
        vec![t!("cli.col.status").into_owned(), labels::status(i.status)],
        vec![t!("cli.col.due").into_owned(), when(i.due_at)],
        vec![t!("cli.col.outcomes").into_owned(), valid.join(", ")],
    ];
    if !i.description.is_empty() {
        rows.push(vec![
            t!("cli.col.description").into_owned(),
            sanitize(&i.description),
        ]);
    }
    for p in &i.parties {
        // Phone and ID number as the server sends them: masked
        // (`dutydesk reveal` shows them in full, audited).
        let numbers: Vec<&str> = [p.contact.as_deref(), p.id_number.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        let mut who = sanitize(&p.name);
        if !numbers.is_empty() {
            who = format!("{who}  {}", sanitize(&numbers.join("  ")));
        }
        rows.push(vec![sanitize(&p.role), who]);
    }
    print!("{}", table(&rows));
    if !detail.history.is_empty() {
        println!();
        let hist: Vec<Vec<String>> = detail
            .history
            .iter()
            .map(|h| {
                let who = h
                    .actor
                    .as_ref()
                    .map(|a| sanitize(&a.display_name))
                    .unwrap_or_default();
                // Known actions and their plain-data notes in the user's
                // language; a newer server's action as it named it.
                vec![
                    when(h.at),
                    who,
                    sanitize(&labels::history_action(&h.action)),
                    sanitize(&labels::history_note(&h.action, &h.note)),
                ]
            })
            .collect();
        print!("{}", table(&hist));
    }
    Ok(Exit::Ok)
}

pub async fn claim(ctx: &Ctx, id: i64) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    save_and_flush(&engine, writes::claim(id)).await
}

/// Starts working on an item: the timer starts, and a new or accepted item
/// of mine is moved to in progress (queued like every write). Signed out,
/// the timer still starts and the moves wait in the outbox.
pub async fn start(ctx: &Ctx, id: i64) -> Result<Exit, CliError> {
    let engine = ctx.engine().await.ok();
    let store = match &engine {
        Some(e) => e.store().clone(),
        None => ctx.store().await?,
    };
    let started = workflow::start(&store, engine.as_ref(), id, now_ms()).await?;
    if let Some(previous) = &started.previous {
        println!("{}", t!("cli.saved", summary = previous.summary()));
    }
    println!("{}", t!("cli.timer.started", id = id));
    for moved in &started.moves {
        println!("{}", t!("cli.saved", summary = moved.summary()));
    }
    match engine {
        Some(e) if started.queued() => Ok(report_flush(&e.flush_once().await?, None)),
        _ => Ok(Exit::Ok),
    }
}

pub async fn stop(ctx: &Ctx) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    // Read, queued and cleared in one transaction: a second session
    // stopping at the same moment finds no timer and logs nothing.
    let Some(stopped) = workflow::stop(engine.store()).await? else {
        println!("{}", t!("cli.timer.none"));
        return Ok(Exit::Ok);
    };
    println!("{}", t!("cli.saved", summary = stopped.summary()));
    let report = engine.flush_once().await?;
    Ok(report_flush(&report, Some(&stopped.id)))
}
