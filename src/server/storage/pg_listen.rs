//! PostgreSQL's notifications as the event bus uses them (`server/bus.rs`):
//! a notification sent inside a write transaction, the channel named after
//! the schema, and the listening connection's backend pid.

use sqlx::{Any, Transaction};

/// Sends `payload` on `channel` when the transaction commits (never, if it
/// rolls back).
pub async fn notify(
    tx: &mut Transaction<'static, Any>,
    channel: &str,
    payload: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("SELECT pg_notify($1, $2)")
        .bind(channel)
        .bind(payload)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The notification channel for the database's current schema, so
/// several deployments (or test schemas) in one database do not hear
/// each other. Channel names are identifiers: at most 63 bytes.
pub async fn channel_for(pool: &sqlx::AnyPool) -> Result<String, sqlx::Error> {
    let (schema,): (String,) = sqlx::query_as("SELECT CAST(current_schema() AS TEXT)")
        .fetch_one(pool)
        .await?;
    let mut channel = format!("dutydesk_{schema}");
    while channel.len() > 63 {
        channel.pop();
    }
    Ok(channel)
}

/// Opens a listening connection on `channel`; it and its backend pid.
pub async fn listen(url: &str, channel: &str) -> Result<(sqlx::postgres::PgListener, i32), sqlx::Error> {
    let mut l = sqlx::postgres::PgListener::connect(url).await?;
    l.listen(channel).await?;
    let (pid,): (i32,) = sqlx::query_as("SELECT pg_backend_pid()")
        .fetch_one(&mut l)
        .await?;
    Ok((l, pid))
}
