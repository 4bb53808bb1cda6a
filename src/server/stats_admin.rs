//! `dutydesk admin campaign import <file>` and `dutydesk admin stats rebuild`.

use std::path::Path;

use rust_i18n::t;

use super::aggregate::{lock_aggregates, store_campaign};
use super::db::{Store, audit};
use super::rebuild::{RebuildReport, rebuild};
use crate::domain::campaign::parse_definition;
use crate::domain::clock::now_ms;

/// How many changed cells a rebuild lists before summing up the rest.
const SHOWN_CHANGES: usize = 40;

/// Checks the file, stores it, and recomputes the aggregates under the new
/// rules, all in one transaction: a refused file changes nothing.
pub async fn import(store: &Store, file: &Path) -> anyhow::Result<()> {
    let shown = file.display().to_string();
    let source = std::fs::read_to_string(file)
        .map_err(|e| anyhow::anyhow!(t!("stats.import_unreadable", file = shown, error = e)))?;
    let def = parse_definition(&source).map_err(|e| match e.line {
        Some(line) => anyhow::anyhow!(t!(
            "stats.import_refused_line",
            file = shown,
            line = line,
            reason = e.message
        )),
        None => anyhow::anyhow!(t!("stats.import_refused", file = shown, reason = e.message)),
    })?;
    let mut w = store.begin_write().await?;
    // Before the new rules are visible: no record adds by the old ones after.
    lock_aggregates(&mut w.tx, true).await?;
    store_campaign(&mut w.tx, &def, &source).await?;
    let report = rebuild(&mut w.tx).await?;
    audit(&mut w.tx, now_ms(), "campaign.import", &def.id).await?;
    w.tx.commit().await?;
    println!(
        "{}",
        t!(
            "stats.imported",
            id = def.id,
            indicators = def.indicators.len(),
            rules = def.rules.len(),
            changed = report.changes.len()
        )
    );
    Ok(())
}

fn cell_text(v: Option<(i64, i64)>) -> String {
    match v {
        Some((a, 0)) => a.to_string(),
        Some((a, b)) => format!("{a}/{b}"),
        None => "-".to_string(),
    }
}

/// The lines a rebuild prints: a summary, then each changed cell.
pub fn report_lines(report: &RebuildReport) -> Vec<String> {
    let mut lines = vec![
        t!(
            "stats.rebuilt",
            records = report.records,
            campaigns = report.campaigns,
            cells = report.cells,
            changed = report.changes.len()
        )
        .into_owned(),
    ];
    for ((campaign, period, unit, profession, user, indicator), before, after) in
        report.changes.iter().take(SHOWN_CHANGES)
    {
        lines.push(
            t!(
                "stats.rebuilt_change",
                campaign = campaign,
                period = period,
                unit = unit,
                profession = profession,
                user = user,
                indicator = indicator,
                before = cell_text(*before),
                after = cell_text(*after)
            )
            .into_owned(),
        );
    }
    if report.changes.len() > SHOWN_CHANGES {
        lines.push(t!("stats.rebuilt_more", count = report.changes.len() - SHOWN_CHANGES).into_owned());
    }
    lines
}

/// Recomputes every aggregate from the raw records in one transaction.
pub async fn rebuild_all(store: &Store) -> anyhow::Result<RebuildReport> {
    let mut w = store.begin_write().await?;
    let report = rebuild(&mut w.tx).await?;
    audit(
        &mut w.tx,
        now_ms(),
        "stats.rebuild",
        &report.changes.len().to_string(),
    )
    .await?;
    w.tx.commit().await?;
    Ok(report)
}
