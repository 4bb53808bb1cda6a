//! Users and their bearer tokens (only SHA-256 hashes are stored).

use super::SqlStorage;
use crate::api::{UnitRef, User};
use crate::domain::{EpochMs, HOUR_MS, Profession, Role};
use crate::server::db::next_id;
use crate::server::storage::RevokeTarget;
use crate::server::storage::StorageError;
use crate::server::storage::TokenStore;

pub const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.profession, u.unit_id, un.name";

/// A token unused this long stops working: sign in again.
pub const TOKEN_IDLE_DAYS: i64 = 90;
const TOKEN_IDLE_MS: EpochMs = TOKEN_IDLE_DAYS * 24 * HOUR_MS;

type UserRow = (i64, String, String, String, String, i64, String);

/// A stored user. An unknown role or profession is an error, never a
/// guess: a user whose row says `boss` must not pass as a lawyer.
pub fn user_from_row(r: UserRow) -> Result<User, sqlx::Error> {
    let role = Role::parse(&r.3)
        .ok_or_else(|| sqlx::Error::Decode(format!("user {} has an unknown role {:?}", r.0, r.3).into()))?;
    let profession = Profession::parse(&r.4).ok_or_else(|| {
        sqlx::Error::Decode(format!("user {} has an unknown profession {:?}", r.0, r.4).into())
    })?;
    Ok(User {
        id: r.0,
        username: r.1,
        display_name: r.2,
        role,
        profession,
        unit: UnitRef { id: r.5, name: r.6 },
    })
}

impl TokenStore for SqlStorage {
    async fn authenticate(
        &self,
        token_hash: &str,
        now: EpochMs,
    ) -> Result<Option<(i64, User)>, StorageError> {
        // A token read from the database within the last second and not
        // revoked since (see `read_cache`): no round trip.
        let cache = &self.bus.hub().cache;
        if let Some(hit) = cache.token(token_hash) {
            return Ok(Some(hit));
        }
        let generation = cache.token_generation();
        let read_at = std::time::Instant::now();
        let found = self.authenticate_in_db(token_hash, now).await?;
        if let Some((token_id, user)) = &found {
            cache.keep_token(generation, token_hash, *token_id, user, read_at);
        }
        Ok(found)
    }

    async fn user_for_login(&self, username: &str) -> Result<Option<(User, String)>, StorageError> {
        let sql = format!(
            "SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN units un ON un.id = u.unit_id \
             WHERE u.username = $1"
        );
        let row: Option<(i64, String, String, String, String, i64, String, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(username)
                .fetch_optional(&self.store.pool)
                .await?;
        Ok(row
            .map(|r| Ok::<_, sqlx::Error>((user_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6))?, r.7)))
            .transpose()?)
    }

    async fn issue_token(
        &self,
        user_id: i64,
        device: &str,
        token_hash: &str,
        now: EpochMs,
    ) -> Result<i64, StorageError> {
        let mut w = self.store.begin_write().await?;
        // One token per device: signing in again from the same device replaces
        // its old token, so lost sessions do not pile up as live credentials.
        sqlx::query(
            "UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND device = $3 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(user_id)
        .bind(device)
        .execute(&mut *w.tx)
        .await?;
        let id = next_id(&mut w.tx, "token").await?;
        sqlx::query(
            "INSERT INTO tokens (id, user_id, token_hash, device, created_at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user_id)
        .bind(token_hash)
        .bind(device)
        .bind(now)
        .execute(&mut *w.tx)
        .await?;
        w.tx.commit().await?;
        // The device's old token, if any, ends now here too.
        self.bus.hub().cache.forget_user_tokens(user_id);
        Ok(id)
    }

    async fn end_session(&self, token_id: i64, now: EpochMs) -> Result<(), StorageError> {
        let mut w = self.store.begin_write().await?;
        sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2")
            .bind(now)
            .bind(token_id)
            .execute(&mut *w.tx)
            .await?;
        w.tx.commit().await?;
        self.bus.hub().cache.forget_token_ids(&[token_id]);
        Ok(())
    }

    async fn revoke_tokens(&self, target: RevokeTarget, now: EpochMs) -> Result<u64, StorageError> {
        let mut w = self.store.begin_write().await?;
        let done = match &target {
            RevokeTarget::Token(id) => {
                sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
                    .bind(now)
                    .bind(*id)
                    .execute(&mut *w.tx)
                    .await?
            }
            RevokeTarget::User(user) => {
                sqlx::query(
                    "UPDATE tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND \
                     user_id = (SELECT id FROM users WHERE username = $2)",
                )
                .bind(now)
                .bind(user)
                .execute(&mut *w.tx)
                .await?
            }
        };
        let count = done.rows_affected();
        let detail = match &target {
            RevokeTarget::Token(id) => format!("token {id}: {count}"),
            RevokeTarget::User(user) => format!("user {user}: {count}"),
        };
        crate::server::db::audit(&mut w.tx, now, "token.revoke", &detail).await?;
        w.tx.commit().await?;
        let cache = &self.bus.hub().cache;
        match &target {
            RevokeTarget::Token(id) => cache.forget_token_ids(&[*id]),
            RevokeTarget::User(user) => cache.forget_username_tokens(user),
        }
        Ok(count)
    }
}

impl SqlStorage {
    async fn authenticate_in_db(
        &self,
        token_hash: &str,
        now: EpochMs,
    ) -> Result<Option<(i64, User)>, StorageError> {
        let sql = format!(
            "SELECT t.id, COALESCE(t.last_used_at, t.created_at), {USER_COLUMNS} FROM tokens t \
             JOIN users u ON u.id = t.user_id \
             JOIN units un ON un.id = u.unit_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
             AND t.password_only = 0 AND u.disabled_at IS NULL"
        );
        let row: Option<(i64, i64, i64, String, String, String, String, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token_hash)
                .fetch_optional(&self.store.pool)
                .await?;
        let Some(r) = row else { return Ok(None) };
        let (token_id, last_used) = (r.0, r.1);
        if now - last_used > TOKEN_IDLE_MS {
            return Ok(None);
        }
        // Recorded at most once an hour per token: not a write per request.
        if now - last_used > HOUR_MS {
            let mut w = self.store.begin_write().await?;
            sqlx::query("UPDATE tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token_id)
                .execute(&mut *w.tx)
                .await?;
            w.tx.commit().await?;
        }
        Ok(Some((
            token_id,
            user_from_row((r.2, r.3, r.4, r.5, r.6, r.7, r.8))?,
        )))
    }
}
