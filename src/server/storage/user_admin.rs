//! The users as `dutydesk admin user ...` changes them: added with a
//! generated password, listed, a password reset, disabled, unlocked. Each
//! runs inside the caller's transaction, which also writes the audit line.

use sqlx::{Any, Transaction};

use super::db::next_id;
use crate::domain::{EpochMs, Profession, Role};

/// A user to add.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub username: &'a str,
    pub display_name: &'a str,
    pub role: Role,
    pub profession: Profession,
    pub unit_id: i64,
}

/// Why a user could not be added.
#[derive(Debug)]
pub enum AddUserError {
    /// The username is taken.
    Exists,
    Sql(sqlx::Error),
}

impl From<sqlx::Error> for AddUserError {
    fn from(e: sqlx::Error) -> Self {
        AddUserError::Sql(e)
    }
}

/// Adds a user with this password hash; their id.
pub async fn insert_user(
    tx: &mut Transaction<'static, Any>,
    user: &NewUser<'_>,
    hash: &str,
    now: EpochMs,
) -> Result<i64, AddUserError> {
    let id = next_id(tx, "user").await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, username, display_name, role, profession, unit_id, password_hash, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(id)
    .bind(user.username)
    .bind(user.display_name)
    .bind(user.role.as_str())
    .bind(user.profession.as_str())
    .bind(user.unit_id)
    .bind(hash)
    .bind(now)
    .execute(&mut **tx)
    .await;
    match inserted {
        Ok(_) => Ok(id),
        Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(AddUserError::Exists),
        Err(e) => Err(e.into()),
    }
}

/// One line of `admin user list`: id, username, display name, role,
/// profession, unit name, as stored.
pub type UserListRow = (i64, String, String, String, String, String);

/// Every user with their unit's name, by id.
pub async fn list_users(pool: &sqlx::AnyPool) -> Result<Vec<UserListRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT u.id, u.username, u.display_name, u.role, u.profession, un.name FROM users u \
         JOIN units un ON un.id = u.unit_id ORDER BY u.id",
    )
    .fetch_all(pool)
    .await
}

/// The id of the user with this username, if any.
pub async fn user_id(tx: &mut Transaction<'static, Any>, username: &str) -> Result<Option<i64>, sqlx::Error> {
    let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(username)
        .fetch_optional(&mut **tx)
        .await?;
    Ok(row.map(|r| r.0))
}

/// A new password hash, to be changed at the next sign-in.
pub async fn reset_password(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    hash: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2")
        .bind(hash)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Disabled at `now` (`Some`), or enabled again (`None`).
pub async fn set_disabled(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    at: Option<EpochMs>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE users SET disabled_at = $1 WHERE id = $2")
        .bind(at)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Revokes every live token of the user; how many. Their event streams
/// end at the next heartbeat, when the server finds the token dead.
pub async fn end_sessions(
    tx: &mut Transaction<'static, Any>,
    user: i64,
    now: EpochMs,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL")
        .bind(now)
        .bind(user)
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::UnitKind;
    use crate::server::db::Store;
    use crate::server::storage::units::insert_unit;

    #[tokio::test]
    async fn an_added_user_is_stored_as_given_and_a_taken_username_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("users.db").display());
        let store = Store::connect(&url).await.expect("a fresh database");
        let mut w = store.begin_write().await.expect("a write transaction");
        let unit = insert_unit(&mut w.tx, "钟楼公证处", UnitKind::NotaryOffice, None)
            .await
            .expect("a unit");
        let user = NewUser {
            username: "wangwu",
            display_name: "王五",
            role: Role::Mediator,
            profession: Profession::Notary,
            unit_id: unit,
        };
        let id = insert_user(&mut w.tx, &user, "hash", 1)
            .await
            .expect("a new user");
        assert!(matches!(
            insert_user(&mut w.tx, &user, "hash", 2).await,
            Err(AddUserError::Exists)
        ));
        w.tx.commit().await.expect("commit");
        let listed = list_users(&store.pool).await.expect("the users");
        assert_eq!(
            listed,
            [(
                id,
                "wangwu".to_string(),
                "王五".to_string(),
                "mediator".to_string(),
                "notary".to_string(),
                "钟楼公证处".to_string()
            )]
        );
    }
}
