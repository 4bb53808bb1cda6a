//! Bringing the store's schema up to date. sqlx's migrator makes sure its
//! table exists, checks for a failed migration, then lists the applied
//! ones: three statements, each a round trip to SQLite's worker thread,
//! before the terminal app's first frame on every start. When the store is
//! already current (the usual case) one statement says so.

use super::StoreError;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("migrations/client");

/// Runs the migrations this version has and the store lacks. A store whose
/// applied migrations are exactly these (same versions and checksums, none
/// failed) is left as it is; anything else goes through sqlx's migrator,
/// which applies, or refuses a changed or failed migration.
pub(super) async fn bring_up_to_date(pool: &sqlx::SqlitePool) -> Result<(), StoreError> {
    let applied: Result<Vec<(i64, Vec<u8>, bool)>, sqlx::Error> =
        sqlx::query_as("SELECT version, checksum, success FROM _sqlx_migrations ORDER BY version")
            .fetch_all(pool)
            .await;
    let current = applied.is_ok_and(|applied| {
        let ours = MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration());
        applied.len() == ours.clone().count()
            && applied.iter().zip(ours).all(|((version, checksum, success), m)| {
                *success && *version == m.version && checksum.as_slice() == m.checksum.as_ref()
            })
    });
    if !current {
        MIGRATOR.run(pool).await?;
    }
    Ok(())
}
