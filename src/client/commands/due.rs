//! `dutydesk report --due`: the next deadline of each campaign (days and
//! hours left) and, for coordinators, where each unit below them stands.

use rust_i18n::t;

use super::{CliError, Ctx, Exit};
use crate::api::paths::SUBMISSIONS;
use crate::api::rollup::SubmissionList;
use crate::client::http::Fetched;
use crate::domain::rollup::{HandIn, time_left};

/// The time left in the user's language, or "overdue".
pub fn left_text(now: i64, due: i64) -> String {
    match time_left(now, due) {
        Some((days, hours)) => t!("rollup.left", days = days, hours = hours).into_owned(),
        None => t!("rollup.overdue").into_owned(),
    }
}

pub fn hand_in_text(h: HandIn) -> String {
    let key = match h {
        HandIn::OnTime => "rollup.hand_in.on_time",
        HandIn::Late => "rollup.hand_in.late",
        HandIn::Missing => "rollup.hand_in.missing",
        HandIn::Pending => "rollup.hand_in.pending",
    };
    crate::i18n::text(key, &rust_i18n::locale())
}

pub async fn due(ctx: &Ctx) -> Result<Exit, CliError> {
    let engine = ctx.engine().await?;
    let now = crate::domain::clock::now_ms();
    let zh = rust_i18n::locale().starts_with("zh");
    let campaigns = engine.campaigns().await?;
    for c in &campaigns.value.campaigns {
        let periods = engine.periods(&c.id).await?;
        // The next deadline: the open period due first.
        let Some(p) = periods
            .value
            .periods
            .iter()
            .filter(|p| p.open && p.due_by > now)
            .min_by_key(|p| p.due_by)
        else {
            continue;
        };
        let name = crate::text::clean(if zh { &c.name_zh } else { &c.name_en });
        println!(
            "{}",
            t!(
                "rollup.due_line",
                campaign = name.as_str(),
                start = p.start.as_str(),
                end = p.end.as_str(),
                deadline = p.deadline.as_str(),
                left = left_text(now, p.due_by).as_str()
            )
        );
        let path = SUBMISSIONS
            .replace("{id}", &c.id)
            .replace("{period}", &format!("{}..{}", p.start, p.end));
        // Where the units stand is the server's to say; offline, only the deadlines.
        if let Ok(Fetched::Fresh { value, .. }) = engine.api().get::<SubmissionList>(&path, None).await {
            for u in &value.units {
                println!(
                    "  {}\t{}\t{}",
                    u.unit.id,
                    crate::text::clean(&u.unit.name),
                    hand_in_text(u.hand_in)
                );
            }
        }
    }
    Ok(Exit::Ok)
}
