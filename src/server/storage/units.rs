//! The tree of units as stored: read whole (it is small), a unit added,
//! a unit moved under another.

use sqlx::{Any, Executor, Transaction};

use super::db::next_id;
use crate::domain::UnitKind;

/// One stored unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<i64>,
}

pub async fn load_units<'e, E: Executor<'e, Database = Any>>(ex: E) -> Result<Vec<UnitRow>, sqlx::Error> {
    let rows: Vec<(i64, String, String, Option<i64>)> =
        sqlx::query_as("SELECT id, name, kind, parent_id FROM units ORDER BY id")
            .fetch_all(ex)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, kind, parent_id)| UnitRow {
            id,
            name,
            kind,
            parent_id,
        })
        .collect())
}

/// Whether a unit with this id is stored.
pub async fn unit_exists<'e, E: Executor<'e, Database = Any>>(ex: E, unit: i64) -> Result<bool, sqlx::Error> {
    let (units,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM units WHERE id = $1")
        .bind(unit)
        .fetch_one(ex)
        .await?;
    Ok(units > 0)
}

/// Adds a unit; its id.
pub async fn insert_unit(
    tx: &mut Transaction<'static, Any>,
    name: &str,
    kind: UnitKind,
    parent: Option<i64>,
) -> Result<i64, sqlx::Error> {
    let id = next_id(tx, "unit").await?;
    sqlx::query("INSERT INTO units (id, name, kind, parent_id) VALUES ($1, $2, $3, $4)")
        .bind(id)
        .bind(name)
        .bind(kind.as_str())
        .bind(parent)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}

/// Puts a unit under `parent` (`None`: a root). The caller checked that
/// this makes no cycle.
pub async fn set_parent(
    tx: &mut Transaction<'static, Any>,
    unit: i64,
    parent: Option<i64>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE units SET parent_id = $1 WHERE id = $2")
        .bind(parent)
        .bind(unit)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
