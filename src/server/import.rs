//! `dutydesk admin import items FILE.csv --unit ID [--dry-run]`: tickets
//! exported from a hotline or intake platform. Every line is checked
//! first; one bad line refuses the whole file, naming each bad line and
//! why. `external_ref` makes a second import of the same file create
//! nothing.

use std::path::Path;

use rust_i18n::t;
use serde::Deserialize;

use super::admin_units::load_units;
use super::db::{Store, audit};
use super::storage::item_refs::item_by_external_ref;
use super::storage::sql::intake::{insert_item, stored_form};
use crate::api::intake::{NewItem, NewParty, PartySide};
use crate::domain::clock::now_ms;
use crate::domain::intake::{PartyInput, check_new_item};
use crate::domain::{Category, Channel, FrontlineGroup, ItemKind, PartyKind};

/// One line of the file. Columns by header name; order free.
#[derive(Debug, Deserialize)]
struct Line {
    external_ref: String,
    kind: String,
    title: String,
    #[serde(default)]
    description: String,
    channel: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    green_channel: String,
    #[serde(default)]
    frontline_group: String,
    applicant: String,
    #[serde(default)]
    applicant_phone: String,
    #[serde(default)]
    applicant_id_number: String,
    #[serde(default)]
    respondent: String,
    #[serde(default)]
    respondent_phone: String,
    #[serde(default)]
    respondent_kind: String,
}

fn opt(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

fn code<T: serde::de::DeserializeOwned>(column: &str, value: &str) -> Result<T, String> {
    serde_json::from_value(serde_json::Value::String(value.trim().to_string()))
        .map_err(|_| t!("intake.import_bad_value", column = column, value = value.trim()).into_owned())
}

fn flag(column: &str, value: &str) -> Result<bool, String> {
    match value.trim() {
        "" | "0" | "false" | "no" | "否" => Ok(false),
        "1" | "true" | "yes" | "是" => Ok(true),
        other => Err(t!("intake.import_bad_value", column = column, value = other).into_owned()),
    }
}

fn to_item(line: Line, unit: i64) -> Result<NewItem, String> {
    if line.external_ref.trim().is_empty() {
        return Err(t!("intake.import_no_ref").into_owned());
    }
    let kind: ItemKind = code("kind", &line.kind)?;
    let channel: Channel = code("channel", &line.channel)?;
    let category: Category = match opt(&line.category) {
        Some(c) => code("category", &c)?,
        None => Category::Other,
    };
    let frontline_group: Option<FrontlineGroup> = match opt(&line.frontline_group) {
        Some(g) => Some(code("frontline_group", &g)?),
        None => None,
    };
    let mut parties = vec![NewParty {
        name: line.applicant.trim().to_string(),
        role: PartySide::Applicant,
        kind: PartyKind::Person,
        phone: opt(&line.applicant_phone),
        id_number: opt(&line.applicant_id_number),
    }];
    if let Some(name) = opt(&line.respondent) {
        let kind = match opt(&line.respondent_kind) {
            Some(k) => code("respondent_kind", &k)?,
            None => PartyKind::Person,
        };
        parties.push(NewParty {
            name,
            role: PartySide::Respondent,
            kind,
            phone: opt(&line.respondent_phone),
            id_number: None,
        });
    }
    let green_channel = flag("green_channel", &line.green_channel)?;
    let item = NewItem {
        kind,
        title: line.title.trim().to_string(),
        description: line.description.trim().to_string(),
        channel,
        category,
        green_channel,
        frontline_group,
        fee_waiver_eligible: green_channel && kind == ItemKind::ProBono,
        parties,
        unit_id: unit,
        assignee_id: None,
        external_ref: opt(&line.external_ref),
    };
    let inputs: Vec<PartyInput<'_>> = item.parties.iter().map(PartyInput::from).collect();
    check_new_item(kind, &item.title, green_channel, frontline_group, &inputs)
        .map_err(|r| format!("{}: {}", r.field, crate::i18n::intake_refusal(&r)))?;
    Ok(item)
}

/// Reads and checks the whole file: the items, or every bad line with
/// its number (the header is line 1).
pub fn read_file(path: &Path, unit: i64) -> anyhow::Result<Result<Vec<NewItem>, Vec<(u64, String)>>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| anyhow::anyhow!(t!("intake.import_unreadable", file = path.display(), error = e)))?;
    let mut items = Vec::new();
    let mut bad = Vec::new();
    let mut refs = std::collections::HashMap::new();
    for (n, record) in reader.deserialize::<Line>().enumerate() {
        let line_no = n as u64 + 2;
        match record.map_err(|e| e.to_string()).and_then(|l| to_item(l, unit)) {
            Ok(item) => {
                let r = item.external_ref.clone().unwrap_or_default();
                if let Some(first) = refs.insert(r.clone(), line_no) {
                    bad.push((
                        line_no,
                        t!("intake.import_ref_twice", r = r, line = first).into_owned(),
                    ));
                } else {
                    items.push(item);
                }
            }
            Err(e) => bad.push((line_no, e)),
        }
    }
    Ok(if bad.is_empty() { Ok(items) } else { Err(bad) })
}

/// Runs the import; prints how many were created and how many were there.
pub async fn run(store: &Store, file: &Path, unit: i64, dry_run: bool) -> anyhow::Result<()> {
    if !load_units(&store.pool).await?.iter().any(|u| u.id == unit) {
        anyhow::bail!(t!("server.no_unit", unit = unit));
    }
    let items = match read_file(file, unit)? {
        Ok(items) => items,
        Err(bad) => {
            let lines: Vec<String> = bad
                .iter()
                .map(|(n, why)| t!("intake.import_line", line = n, reason = why).into_owned())
                .collect();
            anyhow::bail!(
                "{}\n{}",
                t!("intake.import_refused", file = file.display(), count = bad.len()),
                lines.join("\n")
            );
        }
    };
    let mut w = store.begin_write().await?;
    let (mut created, mut existing) = (0u64, 0u64);
    let now = now_ms();
    for item in &items {
        let known = match item.external_ref.as_deref() {
            Some(ticket) => item_by_external_ref(&mut w.tx, unit, ticket).await?.is_some(),
            // `to_item` refuses a line without a ticket number.
            None => false,
        };
        if known {
            existing += 1;
            continue;
        }
        insert_item(&mut w.tx, item, &stored_form(item), None, now)
            .await
            .map_err(|e| anyhow::anyhow!(e))?;
        created += 1;
    }
    if dry_run {
        w.tx.rollback().await?;
        println!(
            "{}",
            t!("intake.import_dry_run", created = created, existing = existing)
        );
        return Ok(());
    }
    audit(
        &mut w.tx,
        now,
        "items.import",
        &format!("unit {unit}: {created} created, {existing} there"),
    )
    .await?;
    w.tx.commit().await?;
    println!(
        "{}",
        t!("intake.import_done", created = created, existing = existing)
    );
    Ok(())
}
