//! schedule, duty, duty check-in / check-out.

use rust_i18n::t;

use super::record::save_and_flush;
use super::{CliError, Ctx, Exit, print_json, when};
use crate::api::{DutyList, Schedule};
use crate::cli::{DutyAction, DutyArgs, ScheduleArgs};
use crate::client::sync::PullError;
use crate::client::text::{sanitize, table, truncate};
use crate::client::writes;

fn today() -> String {
    let tz = crate::domain::clock::shanghai();
    jiff::Timestamp::now().to_zoned_datetime(tz).date().to_string()
}

pub async fn schedule(ctx: &Ctx, args: ScheduleArgs) -> Result<Exit, CliError> {
    let date = match args.date {
        Some(d) => {
            let parsed: jiff::civil::Date = d
                .parse()
                .map_err(|_| CliError::usage(t!("cli.bad_date", value = d.as_str())))?;
            parsed.to_string()
        }
        None => today(),
    };
    let engine = ctx.engine().await?;
    let schedule: Schedule = match engine.schedule(&date).await {
        Ok(fetched) => super::shown(fetched),
        // Offline, and this day was never fetched.
        Err(PullError::Http(e)) if e.is_transient() => {
            return Err(CliError::new(t!("cli.schedule.not_cached", date = date.as_str())));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        print_json(&schedule)?;
        return Ok(Exit::Ok);
    }
    let mut rows = vec![vec![
        t!("cli.col.room").into_owned(),
        t!("cli.col.time").into_owned(),
        t!("cli.col.id").into_owned(),
        t!("cli.col.title").into_owned(),
    ]];
    for room in &schedule.rooms {
        for s in &room.sessions {
            let time = s
                .mediation
                .as_ref()
                .map(|m| format!("{}-{}", clock(m.scheduled_start), clock(m.scheduled_end)))
                .unwrap_or_default();
            rows.push(vec![
                sanitize(&room.room.name),
                time,
                format!("#{}", s.id),
                truncate(&sanitize(&s.title), 36),
            ]);
        }
    }
    if rows.len() == 1 {
        println!("{}", t!("cli.schedule.empty", date = date.as_str()));
    } else {
        print!("{}", table(&rows));
    }
    Ok(Exit::Ok)
}

fn clock(ms: i64) -> String {
    when(ms).split(' ').nth(1).unwrap_or("").to_string()
}

pub async fn duty(ctx: &Ctx, args: DutyArgs) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    if let Some(action) = args.action {
        let entry = match action {
            DutyAction::CheckIn { id } => writes::check_in(id),
            DutyAction::CheckOut { id } => writes::check_out(id),
        };
        return save_and_flush(&engine, entry).await;
    }
    let list: DutyList = match engine.duty().await {
        Ok(fetched) => super::shown(fetched),
        // Offline, and no roster was ever fetched: nothing to show.
        Err(PullError::Http(e)) if e.is_transient() => {
            eprintln!("{}", t!("cli.showing_cache", reason = e.to_string()));
            DutyList { shifts: vec![] }
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        print_json(&list)?;
        return Ok(Exit::Ok);
    }
    if list.shifts.is_empty() {
        println!("{}", t!("cli.duty.empty"));
        return Ok(Exit::Ok);
    }
    let mut rows = vec![vec![
        t!("cli.col.id").into_owned(),
        t!("cli.col.place").into_owned(),
        t!("cli.col.time").into_owned(),
        t!("cli.col.checked").into_owned(),
    ]];
    for s in &list.shifts {
        let checked = match (s.checked_in_at, s.checked_out_at) {
            (_, Some(out)) => t!("cli.duty.out", at = clock(out)).into_owned(),
            (Some(inn), None) => t!("cli.duty.in", at = clock(inn)).into_owned(),
            _ => String::new(),
        };
        rows.push(vec![
            format!("#{}", s.id),
            sanitize(&s.place),
            format!("{}-{}", when(s.starts_at), clock(s.ends_at)),
            checked,
        ]);
    }
    print!("{}", table(&rows));
    Ok(Exit::Ok)
}
