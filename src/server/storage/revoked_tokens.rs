//! The tokens revoked lately, for the sweep that ends their event streams
//! (`server/revocations.rs`).

use crate::domain::EpochMs;

/// The ids of the tokens revoked at or after `since`.
pub async fn revoked_since(pool: &sqlx::AnyPool, since: EpochMs) -> Result<Vec<i64>, sqlx::Error> {
    let rows: Vec<(i64,)> = sqlx::query_as("SELECT id FROM tokens WHERE revoked_at >= $1")
        .bind(since)
        .fetch_all(pool)
        .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}
