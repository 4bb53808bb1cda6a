//! The statistics as stored: the campaign definitions (TOML source and its
//! revision), the aggregate cells, and the raw records read back as the
//! facts the rules count. A stored code that does not decode is an error
//! that names the row, never a guess.

use std::collections::BTreeMap;

use sqlx::{Any, AnyConnection, Transaction};

use super::sql::script::Script;

use crate::domain::campaign::{FactItem, FactOwner, Increment, OutcomeFigures, RecordFact};
use crate::domain::{Category, Channel, ItemKind, OutcomeCode, Profession, TimeActivity};

/// campaign, period start (`YYYY-MM-DD`), unit, profession, user, indicator.
pub type CellKey = (String, String, i64, String, i64, String);
pub type Cells = BTreeMap<CellKey, (i64, i64)>;

/// Every campaign's id and revision (`None`: stored before the statistics
/// migration, without a source), by id.
pub async fn campaign_revisions(conn: &mut AnyConnection) -> Result<Vec<Revision>, sqlx::Error> {
    sqlx::query_as(REVISIONS_SQL).fetch_all(conn).await
}

pub const REVISIONS_SQL: &str = "SELECT id, revision FROM campaigns ORDER BY id";

/// A campaign's id and revision.
pub type Revision = (String, Option<String>);

/// A campaign's TOML source.
pub async fn campaign_source(conn: &mut AnyConnection, id: &str) -> Result<Option<String>, sqlx::Error> {
    let (source,): (Option<String>,) = sqlx::query_as("SELECT source FROM campaigns WHERE id = $1")
        .bind(id)
        .fetch_one(conn)
        .await?;
    Ok(source)
}

/// A campaign as stored: the wire `Campaign` JSON for `GET /campaigns`,
/// its source and the source's revision.
pub struct StoredCampaign<'a> {
    pub id: &'a str,
    pub definition: &'a str,
    pub source: &'a str,
    pub revision: &'a str,
}

/// Stores (or replaces) a campaign.
pub async fn upsert_campaign(
    tx: &mut Transaction<'static, Any>,
    campaign: &StoredCampaign<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO campaigns (id, definition, source, revision) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, source = excluded.source, \
         revision = excluded.revision",
    )
    .bind(campaign.id)
    .bind(campaign.definition)
    .bind(campaign.source)
    .bind(campaign.revision)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn decode_error(what: String) -> sqlx::Error {
    sqlx::Error::Decode(what.into())
}

/// Whose a record is, from the user's stored row. A profession that does
/// not decode is an error naming the user: counting it under some other
/// profession would put it in another cell of a filed form.
pub fn fact_owner(profession: &str, unit_id: i64, user_id: i64) -> Result<FactOwner, sqlx::Error> {
    let profession = Profession::parse(profession)
        .ok_or_else(|| decode_error(format!("user {user_id} has an unknown profession {profession:?}")))?;
    Ok(FactOwner {
        profession,
        unit_id,
        user_id,
    })
}

fn parse_kind(s: &str) -> Option<ItemKind> {
    ItemKind::ALL.into_iter().find(|k| k.as_str() == s)
}

fn parse_category(s: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.as_str() == s)
}

fn parse_channel(s: &str) -> Option<Channel> {
    Channel::ALL.into_iter().find(|c| c.as_str() == s)
}

/// What the rules look at on an item, from its stored columns.
fn fact_item(kind: Option<&str>, category: &str, green: i64, channel: &str, enterprise: i64) -> FactItem {
    FactItem {
        kind: kind.and_then(parse_kind),
        category: parse_category(category),
        green_channel: green != 0,
        channel: parse_channel(channel),
        enterprise_party: enterprise != 0,
    }
}

/// The item a record was logged against (its kind left to the caller,
/// who knows it) and whose the record is, by the user's current unit and
/// profession.
pub async fn item_and_owner(
    tx: &mut AnyConnection,
    item_id: i64,
    user_id: i64,
) -> Result<(FactItem, FactOwner), sqlx::Error> {
    let row: FactRow = sqlx::query_as(ITEM_AND_OWNER_SQL)
        .bind(item_id)
        .bind(user_id)
        .fetch_one(tx)
        .await?;
    fact_of_row(row, user_id)
}

/// The item's counted columns and the user's profession and unit, by
/// (item id, user id).
pub const ITEM_AND_OWNER_SQL: &str = "SELECT i.category, i.green_channel, i.channel, i.enterprise_party, \
     u.profession, u.unit_id FROM items i, users u WHERE i.id = $1 AND u.id = $2";

/// A row of [`ITEM_AND_OWNER_SQL`].
pub type FactRow = (String, i64, String, i64, String, i64);

pub fn fact_of_row(row: FactRow, user_id: i64) -> Result<(FactItem, FactOwner), sqlx::Error> {
    let (category, green, channel, enterprise, profession, unit_id) = row;
    Ok((
        fact_item(None, &category, green, &channel, enterprise),
        fact_owner(&profession, unit_id, user_id)?,
    ))
}

/// Whose a record is, by the user's current unit and profession.
pub async fn owner(tx: &mut AnyConnection, user_id: i64) -> Result<FactOwner, sqlx::Error> {
    let (profession, unit): (String, i64) =
        sqlx::query_as("SELECT profession, unit_id FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(tx)
            .await?;
    fact_owner(&profession, unit, user_id)
}

/// Every outcome, time entry and activity as the rules see it, attributed
/// to each user's current unit and profession.
pub async fn load_facts(conn: &mut AnyConnection) -> Result<Vec<RecordFact>, sqlx::Error> {
    let mut facts = Vec::new();
    let outcomes: Vec<(
        String,
        String,
        String,
        i64,
        Option<i64>,
        Option<i64>,
        i64,
        String,
        i64,
        i64,
        String,
        i64,
        Option<String>,
    )> = sqlx::query_as(
        "SELECT i.kind, o.code, i.category, i.green_channel, o.settled_fen, o.fee_waived_fen, \
             o.occurred_at, u.profession, u.unit_id, o.user_id, i.channel, i.enterprise_party, o.withdraws \
             FROM outcomes o \
             JOIN items i ON i.id = o.item_id JOIN users u ON u.id = o.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in outcomes {
        let figures = OutcomeFigures {
            code: OutcomeCode::parse(&r.1),
            settled_fen: r.4.unwrap_or(0),
            fee_waived_fen: r.5.unwrap_or(0),
        };
        // A corrected outcome's counter-record counts negatively.
        facts.push(RecordFact::outcome(
            fact_item(Some(&r.0), &r.2, r.3, &r.10, r.11),
            figures,
            r.12.is_some(),
            r.6,
            fact_owner(&r.7, r.8, r.9)?,
        ));
    }
    let times: Vec<(i64, i64, String, i64, String, i64, i64, String, i64)> = sqlx::query_as(
        "SELECT i.green_channel, t.minutes, t.activity, t.occurred_at, u.profession, u.unit_id, t.user_id, \
         i.channel, i.enterprise_party \
         FROM time_entries t JOIN items i ON i.id = t.item_id JOIN users u ON u.id = t.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in times {
        let item = FactItem {
            green_channel: r.0 != 0,
            channel: parse_channel(&r.7),
            enterprise_party: r.8 != 0,
            ..FactItem::default()
        };
        facts.push(RecordFact::time_entry(
            item,
            r.1,
            TimeActivity::parse(&r.2),
            r.3,
            fact_owner(&r.4, r.5, r.6)?,
        ));
    }
    let activities: Vec<(String, i64, Option<i64>, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT a.indicator, a.count, a.count2, a.occurred_at, u.profession, u.unit_id, a.user_id \
         FROM activities a JOIN users u ON u.id = a.user_id",
    )
    .fetch_all(&mut *conn)
    .await?;
    for r in activities {
        facts.push(RecordFact::activity(
            r.0,
            (r.1, r.2.unwrap_or(0)),
            r.3,
            fact_owner(&r.4, r.5, r.6)?,
        ));
    }
    Ok(facts)
}

/// Every stored cell that is not zero.
pub async fn stored_cells(conn: &mut AnyConnection) -> Result<Cells, sqlx::Error> {
    let rows: Vec<(String, String, i64, String, i64, String, i64, i64)> = sqlx::query_as(
        "SELECT campaign_id, period_start, unit_id, profession, user_id, indicator, value1, value2 \
         FROM aggregates",
    )
    .fetch_all(conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ((r.0, r.1, r.2, r.3, r.4, r.5), (r.6, r.7)))
        .filter(|(_, v)| *v != (0, 0))
        .collect())
}

/// Replaces every stored cell with these.
pub async fn replace_cells(tx: &mut Transaction<'static, Any>, cells: &Cells) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM aggregates").execute(&mut **tx).await?;
    for ((campaign_id, period, unit_id, profession, user_id, indicator), (v1, v2)) in cells {
        sqlx::query(
            "INSERT INTO aggregates (campaign_id, period_start, unit_id, profession, user_id, indicator, \
             value1, value2) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(campaign_id)
        .bind(period)
        .bind(unit_id)
        .bind(profession)
        .bind(user_id)
        .bind(indicator)
        .bind(v1)
        .bind(v2)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds one increment to its cell (created at zero if new), as a statement
/// of the record's script; portable upsert (SQLite ≥ 3.24, PostgreSQL).
pub fn increment_into(script: &mut Script, fact: &RecordFact, inc: &Increment) {
    script.push(
        "INSERT INTO aggregates (campaign_id, period_start, unit_id, profession, user_id, indicator, value1, value2) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (campaign_id, period_start, unit_id, profession, user_id, indicator) DO UPDATE SET \
         value1 = aggregates.value1 + excluded.value1, value2 = aggregates.value2 + excluded.value2",
        crate::sql_values![
            inc.campaign_id.as_str(),
            inc.period_start.to_string(),
            fact.unit_id,
            fact.profession.as_str(),
            fact.user_id,
            inc.indicator.as_str(),
            inc.value1,
            inc.value2,
        ],
    );
}

/// Orders record transactions against a rebuild on PostgreSQL, where they
/// run at once: otherwise a record could add by the old rules after an
/// import rebuilt everything by the new ones. Records take ROW EXCLUSIVE on
/// the aggregates before reading the rules (records do not block each
/// other); a rebuild takes EXCLUSIVE, so it waits for the records in flight
/// and later ones wait for it, then read the new rules. Reads are never
/// blocked. SQLite has a single writer, so there is nothing to do.
pub async fn lock_aggregates(conn: &mut AnyConnection, rebuild: bool) -> Result<(), sqlx::Error> {
    if !conn.backend_name().eq_ignore_ascii_case("postgresql") {
        return Ok(());
    }
    let sql = if rebuild {
        "LOCK TABLE aggregates IN EXCLUSIVE MODE"
    } else {
        "LOCK TABLE aggregates IN ROW EXCLUSIVE MODE"
    };
    sqlx::query(sql).execute(conn).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_stored_profession_is_an_error_naming_the_user_and_the_value() {
        let err = fact_owner("boss", 3, 42).expect_err("boss is no profession");
        let text = err.to_string();
        assert!(text.contains("user 42"), "{text}");
        assert!(text.contains("\"boss\""), "{text}");
        let owner = fact_owner("notary", 3, 42).expect("a stored profession");
        assert_eq!(owner.profession, Profession::Notary);
    }
}
