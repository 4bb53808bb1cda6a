//! `assign ID --to USER`: a user id as given, or a username resolved among
//! the people of the item's unit (`GET /api/v1/units/{id}/people`).

use rust_i18n::t;

use super::CliError;
use crate::api::dispatch::UnitPeople;
use crate::api::paths;
use crate::client::http::{Api, Fetched};
use crate::client::text::sanitize;

/// The people of a unit who take work, with their open load.
pub async fn unit_people(api: &Api, unit: i64) -> Result<UnitPeople, CliError> {
    match api
        .get::<UnitPeople>(&paths::with_id(paths::UNIT_PEOPLE, unit), None)
        .await?
    {
        Fetched::Fresh { value, .. } => Ok(value),
        Fetched::NotModified => Err(CliError::new(t!("intake.cli.no_answer"))),
    }
}

/// The user id `who` names for an item of `unit`: digits are an id as is;
/// anything else is a username of that unit's lawyers and mediators.
pub async fn assignee_id(api: &Api, unit: i64, who: &str) -> Result<i64, CliError> {
    let who = who.trim();
    if let Ok(id) = who.parse::<i64>() {
        return Ok(id);
    }
    let people = unit_people(api, unit).await?;
    if let Some(p) = people.find(who) {
        return Ok(p.id);
    }
    let known: Vec<String> = people
        .people
        .iter()
        .map(|p| format!("{} ({})", sanitize(&p.username), sanitize(&p.display_name)))
        .collect();
    let known = if known.is_empty() {
        t!("dispatch.cli.nobody_in_unit").into_owned()
    } else {
        known.join(", ")
    };
    Err(CliError::usage(t!(
        "dispatch.cli.no_such_person",
        name = sanitize(who),
        unit = unit,
        unit_name = sanitize(&people.unit_name),
        known = known
    )))
}
