//! 1,000,000 outcome records and their aggregates, for the statistics
//! benches (`stats`: one unit's form; `rollup`: a bureau's form by unit).
//! Seeding writes straight SQL into the server's SQLite file (multi-row
//! INSERTs in a few big transactions); the aggregates come from the same
//! rules (`contributions`) the server applies per record. The raw rows get
//! an index on `occurred_at`, so a raw query is not slow for want of one.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use dutydesk::domain::campaign::{CampaignDef, RecordFact, RecordKind, contributions};
use dutydesk::domain::{Category, Channel, ItemKind, OutcomeCode, Profession};
use sqlx::AnyConnection;

pub const OUTCOMES: usize = 1_000_000;
pub const ITEMS: usize = 20_000;
const ROWS_PER_INSERT: usize = 1_000;
/// 2026-03-01 00:00 Beijing time, and the campaign's 306 days after it.
pub const START_MS: i64 = 1_772_294_400_000;
pub const SPAN_MS: i64 = 306 * 86_400_000;

/// Who logs the work: `users` people over `units` units (ids 1..=units),
/// all under `parent` (id, name) when there is one.
pub struct Shape {
    pub users: i64,
    pub units: i64,
    pub parent: Option<(i64, &'static str)>,
}

impl Shape {
    pub fn unit_of(&self, user: i64) -> i64 {
        1 + user % self.units
    }
}

pub fn profession_of(user: i64) -> Profession {
    Profession::ALL[(user % 3) as usize]
}

/// Item `n`'s kind, category and green channel.
pub fn item_of(n: usize) -> (ItemKind, Category, bool) {
    (
        ItemKind::ALL[n % 3],
        Category::ALL[(n / 3) % Category::ALL.len()],
        n.is_multiple_of(5),
    )
}

pub struct Gen(pub u64);
impl Gen {
    pub fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// What the rules see of one outcome (or of a group of them, with summed
/// amounts). Every bench item came in at the walk-in desk, with no
/// enterprise party.
#[allow(clippy::too_many_arguments)]
pub fn outcome_fact(
    kind: Option<ItemKind>,
    code: Option<OutcomeCode>,
    category: Option<Category>,
    green_channel: bool,
    (settled_fen, fee_waived_fen): (i64, i64),
    occurred_at: i64,
    profession: Profession,
    (unit_id, user_id): (i64, i64),
) -> RecordFact {
    RecordFact {
        kind,
        code,
        category,
        green_channel,
        channel: Some(Channel::WalkIn),
        settled_fen,
        fee_waived_fen,
        ..RecordFact::new(RecordKind::Outcome, occurred_at, profession, unit_id, user_id)
    }
}

type Cells = BTreeMap<(String, String, i64, &'static str, i64, String), (i64, i64)>;

pub async fn exec(conn: &mut AnyConnection, sql: String) {
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
        .execute(conn)
        .await
        .unwrap();
}

/// Units, users, items, 1,000,000 outcomes, and their aggregates.
pub async fn seed(conn: &mut AnyConnection, defs: &[Arc<CampaignDef>], shape: &Shape) {
    let t = Instant::now();
    let mut sql = String::from("BEGIN;");
    let parent = match shape.parent {
        Some((id, name)) => {
            write!(
                sql,
                "INSERT INTO units (id, name, kind, parent_id) VALUES ({id}, '{name}', 'district_bureau', NULL);"
            )
            .unwrap();
            id.to_string()
        }
        None => "NULL".to_string(),
    };
    for u in 1..=shape.units {
        write!(
            sql,
            "INSERT INTO units (id, name, kind, parent_id) VALUES ({u}, 'unit {u}', 'law_firm', {parent});"
        )
        .unwrap();
    }
    for u in 1..=shape.users {
        write!(
            sql,
            "INSERT INTO users (id, username, display_name, role, profession, unit_id, password_hash, created_at) VALUES ({u}, 'u{u}', 'u{u}', 'lawyer', '{}', {}, 'x', 0);",
            profession_of(u).as_str(),
            shape.unit_of(u)
        )
        .unwrap();
    }
    for chunk in (0..ITEMS).collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        sql.push_str(
            "INSERT INTO items (id, kind, title, description, channel, category, green_channel, \
            fee_waiver_eligible, status, assignee_id, unit_id, parties, due_at, created_at, updated_at, \
            typical_case, version, change_seq) VALUES ",
        );
        for (i, n) in chunk.iter().enumerate() {
            let (kind, category, green) = item_of(*n);
            let user = 1 + (*n as i64 % shape.users);
            let sep = if i == 0 { "" } else { "," };
            write!(
                sql,
                "{sep}({n}, '{}', 't', 'd', 'walk_in', '{}', {}, 0, 'closed', {user}, {}, '[]', 0, 0, 0, 0, 1, 0)",
                kind.as_str(),
                category.as_str(),
                i64::from(green),
                shape.unit_of(user)
            )
            .unwrap();
        }
        sql.push(';');
    }
    sql.push_str("COMMIT;");
    exec(conn, sql).await;

    let mut rng = Gen(20_261_124);
    let mut cells = Cells::new();
    let mut done = 0;
    while done < OUTCOMES {
        // 100,000 rows per transaction, 1,000 per INSERT.
        let mut sql = String::from("BEGIN;");
        for _ in 0..100 {
            sql.push_str(
                "INSERT INTO outcomes (id, item_id, user_id, code, minutes, settled_fen, fee_waived_fen, \
                 note, occurred_at, created_at) VALUES ",
            );
            for i in 0..ROWS_PER_INSERT {
                let n = rng.next(ITEMS as u64) as usize;
                let (kind, category, green) = item_of(n);
                let user = 1 + (n as i64 % shape.users);
                let codes = OutcomeCode::for_kind(kind);
                let code = codes[rng.next(codes.len() as u64) as usize];
                let settled = (kind == ItemKind::Mediation && code.takes_settled_amount())
                    .then(|| rng.next(10_000_000) as i64);
                let fee = (kind == ItemKind::ProBono).then(|| rng.next(500_000) as i64);
                // Day and time of day apart: one draw is below 2^31.
                let at = START_MS + rng.next(306) as i64 * 86_400_000 + rng.next(86_400_000) as i64;
                let opt = |v: Option<i64>| v.map_or("NULL".to_string(), |v| v.to_string());
                let sep = if i == 0 { "" } else { "," };
                write!(
                    sql,
                    "{sep}('o{done}', {n}, {user}, '{}', NULL, {}, {}, '', {at}, {at})",
                    code.as_str(),
                    opt(settled),
                    opt(fee)
                )
                .unwrap();
                let fact = outcome_fact(
                    Some(kind),
                    Some(code),
                    Some(category),
                    green,
                    (settled.unwrap_or(0), fee.unwrap_or(0)),
                    at,
                    profession_of(user),
                    (shape.unit_of(user), user),
                );
                for def in defs {
                    for inc in contributions(def, &fact) {
                        let key = (
                            inc.campaign_id,
                            inc.period_start.to_string(),
                            fact.unit_id,
                            fact.profession.as_str(),
                            user,
                            inc.indicator,
                        );
                        let cell = cells.entry(key).or_default();
                        cell.0 += inc.value1;
                        cell.1 += inc.value2;
                    }
                }
                done += 1;
            }
            sql.push(';');
        }
        sql.push_str("COMMIT;");
        exec(conn, sql).await;
    }
    let mut sql = String::from("BEGIN;");
    for chunk in cells.into_iter().collect::<Vec<_>>().chunks(ROWS_PER_INSERT) {
        sql.push_str("INSERT INTO aggregates VALUES ");
        for (i, ((c, p, unit, prof, user, ind), (v1, v2))) in chunk.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(
                sql,
                "{sep}('{c}', '{p}', {unit}, '{prof}', {user}, '{ind}', {v1}, {v2})"
            )
            .unwrap();
        }
        sql.push(';');
    }
    sql.push_str("CREATE INDEX outcomes_occurred ON outcomes (occurred_at); COMMIT; ANALYZE;");
    exec(conn, sql).await;
    eprintln!(
        "seeded {OUTCOMES} outcomes and their aggregates in {:.1?}",
        t.elapsed()
    );
}
