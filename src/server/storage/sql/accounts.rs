//! Passwords that must be changed, disabled users, and the password-only
//! token a one-time password signs in with.

use super::SqlStorage;
use super::users::{USER_COLUMNS, user_from_row};
use crate::api::User;
use crate::domain::EpochMs;
use crate::server::db::{AuditRow, audit_row, next_id};
use crate::server::storage::StorageError;
use crate::server::storage::{LoginState, PasswordStore};

impl PasswordStore for SqlStorage {
    async fn login_state(&self, user_id: i64) -> Result<LoginState, StorageError> {
        let (disabled, must): (Option<i64>, i64) =
            sqlx::query_as("SELECT disabled_at, must_change_password FROM users WHERE id = $1")
                .bind(user_id)
                .fetch_one(&self.store.pool)
                .await?;
        Ok(LoginState {
            disabled: disabled.is_some(),
            must_change_password: must != 0,
        })
    }

    async fn issue_password_token(
        &self,
        user_id: i64,
        device: &str,
        token_hash: &str,
        now: EpochMs,
    ) -> Result<i64, StorageError> {
        let mut w = self.store.begin_write().await?;
        let id = next_id(&mut w.tx, "token").await?;
        sqlx::query(
            "INSERT INTO tokens (id, user_id, token_hash, device, created_at, password_only) \
             VALUES ($1, $2, $3, $4, $5, 1)",
        )
        .bind(id)
        .bind(user_id)
        .bind(token_hash)
        .bind(device)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        w.tx.commit().await?;
        Ok(id)
    }

    /// Any live token of an enabled user, password-only ones included:
    /// for `POST /me/password` alone. Its id, user, and whether it is
    /// password-only.
    async fn authenticate_for_password(
        &self,
        token_hash: &str,
    ) -> Result<Option<(i64, User, bool)>, StorageError> {
        let sql = format!(
            "SELECT t.id, t.password_only, {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id \
             JOIN units un ON un.id = u.unit_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
        );
        let row: Option<(i64, i64, i64, String, String, String, String, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token_hash)
                .fetch_optional(&self.store.pool)
                .await?;
        let Some(r) = row else { return Ok(None) };
        let user = user_from_row((r.2, r.3, r.4, r.5, r.6, r.7, r.8))?;
        Ok(Some((r.0, user, r.1 != 0)))
    }

    async fn password_hash(&self, user_id: i64) -> Result<String, StorageError> {
        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_one(&self.store.pool)
            .await?;
        Ok(hash)
    }

    /// Stores the new password and ends every other session (and a
    /// password-only one: the user signs in again with the new password).
    async fn set_password(
        &self,
        me: &User,
        token_id: i64,
        keep_token: bool,
        new_hash: &str,
        now: EpochMs,
    ) -> Result<(), StorageError> {
        let mut w = self.store.begin_write().await?;
        sqlx::query("UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2")
            .bind(new_hash)
            .bind(me.id)
            .execute(&mut *w.tx)
            .await?;
        let keep = if keep_token { token_id } else { -1 };
        sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL AND id <> $3",
        )
        .bind(now)
        .bind(me.id)
        .bind(keep)
        .execute(&mut *w.tx)
        .await?;
        let row = AuditRow {
            at: now,
            actor_id: Some(me.id),
            action: "user.password",
            detail: &me.username,
            item_id: None,
        };
        audit_row(&mut w.tx, row).await?;
        w.tx.commit().await?;
        // Every other session ends now, here too (the kept one is read again).
        self.bus.hub().cache.forget_user_tokens(me.id);
        Ok(())
    }
}
