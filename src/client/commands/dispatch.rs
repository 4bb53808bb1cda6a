//! Intake and dispatch from the command line: `new`, `assign`, `release`,
//! `schedule ID`, `cancel`, `passwd`, `reveal`. These act at once on the
//! server (a coordinator's decision should not wait in an outbox); a
//! creating request carries an `Idempotency-Key`, reused on retry, so a
//! lost answer never registers a ticket twice.

use std::io::BufRead;

use rust_i18n::t;
use serde::de::DeserializeOwned;

use super::{CliError, Ctx, Exit, print_json, when};
use crate::api::intake::{
    AssignRequest, CancelRequest, ConflictEntry, ItemWithConflicts, NewItem, NewParty, PartySide,
    PasswordChange, RevealedParties, ScheduleRequest,
};
use crate::api::{ItemDetail, WorkItem, paths};
use crate::cli::ScheduleArgs;
use crate::cli_dispatch::{
    AssignArgs, CancelArgs, NewArgs, NewCommand, PasswdArgs, ReleaseArgs, RevealArgs, Side,
};
use crate::client::http::{Api, Fetched, HttpError};
use crate::client::text::sanitize;
use crate::domain::intake::{PartyInput, check_new_item};
use crate::domain::{Category, Channel, EpochMs, FrontlineGroup, ItemKind, PartyKind};

async fn api(ctx: &Ctx) -> Result<Api, CliError> {
    let (token, _) = ctx.token().await?;
    ctx.api(Some(token))
}

fn code<T: DeserializeOwned>(flag: &str, value: &str) -> Result<T, CliError> {
    serde_json::from_value(serde_json::Value::String(value.trim().to_string()))
        .map_err(|_| CliError::usage(t!("intake.cli.bad_value", flag = flag, value = value)))
}

/// A POST whose answer is JSON; `key` for creating requests.
async fn post<T: DeserializeOwned>(
    api: &Api,
    path: &str,
    body: &impl serde::Serialize,
    key: Option<&str>,
) -> Result<T, CliError> {
    let body = serde_json::to_value(body).map_err(|e| CliError::new(e.to_string()))?;
    let mut tries = 0;
    let reply = loop {
        match api.send("POST", path, Some(&body), key, None).await {
            // The same key again is safe: the server answers what it stored.
            Err(e) if key.is_some() && e.is_transient() && tries < 2 => tries += 1,
            other => break other?,
        }
    };
    let bytes = if reply.body.is_empty() {
        b"null".to_vec()
    } else {
        reply.body
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        CliError::from(HttpError::BadResponse {
            url: path.to_string(),
            reason: e.to_string(),
        })
    })
}

async fn current(api: &Api, id: i64) -> Result<WorkItem, CliError> {
    match api
        .get::<ItemDetail>(&paths::with_id(paths::ITEM, id), None)
        .await?
    {
        Fetched::Fresh { value, .. } => Ok(value.item),
        Fetched::NotModified => Err(CliError::new(t!("intake.cli.no_answer"))),
    }
}

async fn version(api: &Api, id: i64) -> Result<i64, CliError> {
    Ok(current(api, id).await?.version)
}

fn print_conflicts(conflicts: &[ConflictEntry]) {
    for c in conflicts {
        let who = c
            .assignee
            .as_ref()
            .map(|a| sanitize(&a.display_name))
            .unwrap_or_else(|| t!("intake.cli.nobody").into_owned());
        let key = if c.reason == "represented_opponent" {
            "intake.cli.conflict_represented"
        } else {
            "intake.cli.conflict_other_side"
        };
        eprintln!(
            "{}",
            t!(
                key,
                id = c.item_id,
                date = when(c.created_at),
                assignee = who,
                party = sanitize(&c.party)
            )
        );
    }
    if !conflicts.is_empty() {
        eprintln!("{}", t!("intake.cli.conflict_ack_hint"));
    }
}

pub async fn new(ctx: &Ctx, cmd: NewCommand) -> Result<Exit, CliError> {
    let (kind, args, green, group, fee_waiver) = match cmd {
        NewCommand::Consultation(a) => (ItemKind::Consultation, a, false, None, false),
        NewCommand::Mediation(a) => (ItemKind::Mediation, a, false, None, false),
        NewCommand::ProBono(p) => (ItemKind::ProBono, p.common, p.green, p.group, p.fee_waiver),
    };
    let json = args.json;
    let req = new_item(kind, args, green, group, fee_waiver)?;
    let api = api(ctx).await?;
    let key = uuid::Uuid::now_v7().to_string();
    let answer: ItemWithConflicts = post(&api, paths::ITEMS, &req, Some(&key)).await?;
    if json {
        print_json(&answer)?;
    } else {
        println!(
            "{}",
            t!(
                "intake.cli.created",
                id = answer.item.id,
                title = sanitize(&answer.item.title),
                due = when(answer.item.due_at)
            )
        );
    }
    print_conflicts(&answer.conflicts);
    Ok(Exit::Ok)
}

fn new_item(
    kind: ItemKind,
    a: NewArgs,
    green: bool,
    group: Option<String>,
    fee_waiver: bool,
) -> Result<NewItem, CliError> {
    let channel: Channel = code("--channel", &a.channel)?;
    let category: Category = code("--category", &a.category)?;
    let frontline_group: Option<FrontlineGroup> = group.as_deref().map(|g| code("--group", g)).transpose()?;
    let mut parties = vec![NewParty {
        name: a.applicant,
        role: PartySide::Applicant,
        kind: PartyKind::Person,
        phone: a.applicant_phone,
        id_number: a.applicant_id,
    }];
    if let Some(name) = a.respondent {
        parties.push(NewParty {
            name,
            role: PartySide::Respondent,
            kind: match a.respondent_kind {
                Side::Person => PartyKind::Person,
                Side::Enterprise => PartyKind::Enterprise,
            },
            phone: a.respondent_phone,
            id_number: None,
        });
    }
    // The same checks as the server's, before anything is sent.
    let inputs: Vec<PartyInput<'_>> = parties.iter().map(PartyInput::from).collect();
    check_new_item(kind, &a.title, green, frontline_group, &inputs).map_err(|r| {
        CliError::usage(t!(
            "intake.cli.refused_field",
            field = r.field,
            message = crate::i18n::intake_refusal(&r)
        ))
    })?;
    Ok(NewItem {
        kind,
        title: a.title,
        description: a.description,
        channel,
        category,
        green_channel: green,
        frontline_group,
        fee_waiver_eligible: fee_waiver,
        parties,
        unit_id: a.unit,
        assignee_id: a.to,
        external_ref: a.external_ref,
    })
}

/// `to`: a user id or a username of the item's unit; `None` the pool.
async fn assign_to(
    ctx: &Ctx,
    id: i64,
    to: Option<&str>,
    reason: Option<String>,
    json: bool,
) -> Result<Exit, CliError> {
    let api = api(ctx).await?;
    let item = current(&api, id).await?;
    let assignee_id = match to {
        Some(who) => Some(super::people::assignee_id(&api, item.unit_id, who).await?),
        None => None,
    };
    let req = AssignRequest {
        assignee_id,
        version: item.version,
        reason,
    };
    let answer: ItemWithConflicts = post(&api, &paths::with_id(paths::ITEM_ASSIGN, id), &req, None).await?;
    if json {
        print_json(&answer)?;
    } else {
        match &answer.item.assignee {
            Some(a) => println!(
                "{}",
                t!("intake.cli.assigned", id = id, name = sanitize(&a.display_name))
            ),
            None => println!("{}", t!("intake.cli.pooled", id = id)),
        }
    }
    print_conflicts(&answer.conflicts);
    Ok(Exit::Ok)
}

pub async fn assign(ctx: &Ctx, a: AssignArgs) -> Result<Exit, CliError> {
    let to = if a.pool { None } else { a.to.as_deref() };
    assign_to(ctx, a.id, to, a.reason, a.json).await
}

pub async fn release(ctx: &Ctx, a: ReleaseArgs) -> Result<Exit, CliError> {
    if a.reason.trim().is_empty() {
        return Err(CliError::usage(t!("intake.cli.reason_needed")));
    }
    assign_to(ctx, a.id, None, Some(a.reason), a.json).await
}

pub async fn cancel(ctx: &Ctx, a: CancelArgs) -> Result<Exit, CliError> {
    if a.reason.trim().is_empty() {
        return Err(CliError::usage(t!("intake.cli.reason_needed")));
    }
    let api = api(ctx).await?;
    let req = CancelRequest {
        reason: a.reason,
        version: version(&api, a.id).await?,
    };
    let item: WorkItem = post(&api, &paths::with_id(paths::ITEM_CANCEL, a.id), &req, None).await?;
    if a.json {
        print_json(&item)?;
    } else {
        println!("{}", t!("intake.cli.cancelled", id = a.id));
    }
    Ok(Exit::Ok)
}

/// `YYYY-MM-DD HH:MM` (or with a `T`) in Beijing time (UTC+8, no DST).
pub fn beijing(flag: &str, value: &str) -> Result<EpochMs, CliError> {
    let dt: jiff::civil::DateTime = value
        .trim()
        .parse()
        .map_err(|_| CliError::usage(t!("intake.cli.bad_time", flag = flag, value = value)))?;
    let at = crate::domain::clock::shanghai()
        .to_timestamp(dt)
        .map_err(|_| CliError::usage(t!("intake.cli.bad_time", flag = flag, value = value)))?;
    Ok(at.as_millisecond())
}

/// `schedule ID --room R --start … --end …`.
pub async fn book(ctx: &Ctx, id: i64, a: ScheduleArgs) -> Result<Exit, CliError> {
    let (Some(room), Some(start), Some(end)) = (a.room, a.start.as_deref(), a.end.as_deref()) else {
        return Err(CliError::usage(t!("intake.cli.book_what")));
    };
    let req = ScheduleRequest {
        room_id: room,
        start: beijing("--start", start)?,
        end: beijing("--end", end)?,
        mediator_id: a.mediator,
        join_link: a.join_link,
    };
    let api = api(ctx).await?;
    let item: WorkItem = post(&api, &paths::with_id(paths::ITEM_SCHEDULE, id), &req, None).await?;
    if a.json {
        print_json(&item)?;
    } else if let Some(m) = &item.mediation {
        println!(
            "{}",
            t!(
                "intake.cli.booked",
                id = id,
                room = sanitize(&m.room_name),
                start = when(m.scheduled_start),
                end = when(m.scheduled_end)
            )
        );
    }
    Ok(Exit::Ok)
}

pub async fn reveal(ctx: &Ctx, a: RevealArgs) -> Result<Exit, CliError> {
    let api = api(ctx).await?;
    let shown: RevealedParties = post(
        &api,
        &paths::with_id(paths::ITEM_REVEAL, a.id),
        &serde_json::json!({}),
        None,
    )
    .await?;
    if a.json {
        print_json(&shown)?;
        return Ok(Exit::Ok);
    }
    eprintln!("{}", t!("intake.cli.reveal_recorded"));
    for p in &shown.parties {
        println!(
            "{}\t{}\t{}\t{}",
            sanitize(&p.name),
            sanitize(&p.role),
            sanitize(p.contact.as_deref().unwrap_or("-")),
            sanitize(p.id_number.as_deref().unwrap_or("-"))
        );
    }
    Ok(Exit::Ok)
}

pub async fn passwd(ctx: &Ctx, a: PasswdArgs) -> Result<Exit, CliError> {
    let (current, new) = if a.stdin {
        let mut lines = std::io::stdin().lock().lines();
        let mut next = || -> Result<String, CliError> {
            Ok(lines
                .next()
                .transpose()
                .map_err(|e| CliError::new(e.to_string()))?
                .unwrap_or_default()
                .trim_end_matches(['\r', '\n'])
                .to_string())
        };
        (next()?, next()?)
    } else {
        let ask = |key: &str| {
            rpassword::prompt_password(t!(key)).map_err(|e| CliError::new(t!("cli.login.no_tty", error = e)))
        };
        let current = ask("intake.cli.current_prompt")?;
        let new = ask("intake.cli.new_prompt")?;
        if ask("intake.cli.again_prompt")? != new {
            return Err(CliError::usage(t!("intake.cli.mismatch")));
        }
        (current, new)
    };
    let api = api(ctx).await?;
    let _: serde_json::Value = post(&api, paths::ME_PASSWORD, &PasswordChange { current, new }, None).await?;
    println!("{}", t!("intake.cli.password_changed"));
    Ok(Exit::Ok)
}

/// The password that replaces a one-time password at sign-in: the next
/// line of standard input (`login --password-stdin`), or asked twice.
pub fn first_password(stdin: bool) -> Result<String, CliError> {
    if stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| CliError::new(e.to_string()))?;
        let line = line.trim_end_matches(['\r', '\n']).to_string();
        if line.is_empty() {
            return Err(CliError::usage(t!("intake.cli.first_password_stdin")));
        }
        return Ok(line);
    }
    eprintln!("{}", t!("intake.cli.first_password"));
    let ask = |key: &str| {
        rpassword::prompt_password(t!(key)).map_err(|e| CliError::new(t!("cli.login.no_tty", error = e)))
    };
    let new = ask("intake.cli.new_prompt")?;
    if ask("intake.cli.again_prompt")? != new {
        return Err(CliError::usage(t!("intake.cli.mismatch")));
    }
    Ok(new)
}
