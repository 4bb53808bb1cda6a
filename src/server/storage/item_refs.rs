//! Items by the ticket number of the platform they came from
//! (`external_ref`), which makes a second import of the same file create
//! nothing.

use sqlx::{Any, Transaction};

/// The item of `unit` made from this ticket, if any.
pub async fn item_by_external_ref(
    tx: &mut Transaction<'static, Any>,
    unit: i64,
    external_ref: &str,
) -> Result<Option<i64>, sqlx::Error> {
    let found: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM items WHERE unit_id = $1 AND external_ref = $2")
            .bind(unit)
            .bind(external_ref)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(found.map(|(id,)| id))
}
