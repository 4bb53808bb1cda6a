//! Passwords (argon2), bearer tokens (32 random bytes, only their SHA-256
//! kept), and the `AuthUser` extractor every protected handler takes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::Shared;
use super::db::{Store, next_id, now_ms};
use super::error::{ApiError, ApiJson, ApiResult};
use crate::api::{LoginRequest, LoginResponse, ProblemCode, UnitRef, User};
use crate::domain::{Profession, Role};

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The signed-in caller.
#[derive(Debug, Clone)]
pub struct AuthUser {
    pub user: User,
    pub token_id: i64,
}

impl AuthUser {
    pub fn id(&self) -> i64 {
        self.user.id
    }
    pub fn role(&self) -> Role {
        self.user.role
    }
    pub fn unit_id(&self) -> i64 {
        self.user.unit.id
    }
}

pub const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.profession, u.unit_id, un.name";

type UserRow = (i64, String, String, String, String, i64, String);

pub fn user_from_row(r: UserRow) -> User {
    User {
        id: r.0,
        username: r.1,
        display_name: r.2,
        // Stored values come only from Role/Profession::as_str.
        role: Role::parse(&r.3).unwrap_or(Role::Lawyer),
        profession: Profession::parse(&r.4).unwrap_or(Profession::Lawyer),
        unit: UnitRef { id: r.5, name: r.6 },
    }
}

impl FromRequestParts<Shared> for AuthUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Shared) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(ApiError::unauthorized)?;
        let sql = format!(
            "SELECT t.id, {USER_COLUMNS} FROM tokens t JOIN users u ON u.id = t.user_id \
             JOIN units un ON un.id = u.unit_id WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        );
        let row: Option<(i64, i64, String, String, String, String, i64, String)> =
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token_hash(token))
                .fetch_optional(&state.store.pool)
                .await?;
        let r = row.ok_or_else(ApiError::unauthorized)?;
        Ok(AuthUser {
            token_id: r.0,
            user: user_from_row((r.1, r.2, r.3, r.4, r.5, r.6, r.7)),
        })
    }
}

pub async fn find_user_by_name(store: &Store, username: &str) -> Result<Option<(User, String)>, sqlx::Error> {
    let sql = format!(
        "SELECT {USER_COLUMNS}, u.password_hash FROM users u JOIN units un ON un.id = u.unit_id \
         WHERE u.username = $1"
    );
    let row: Option<(i64, String, String, String, String, i64, String, String)> =
        sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(username)
            .fetch_optional(&store.pool)
            .await?;
    Ok(row.map(|r| (user_from_row((r.0, r.1, r.2, r.3, r.4, r.5, r.6)), r.7)))
}

pub async fn login(
    State(state): State<Shared>,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<axum::Json<LoginResponse>> {
    let found = find_user_by_name(&state.store, req.username.trim()).await?;
    let bad = || {
        ApiError::new(
            ProblemCode::Unauthorized,
            "wrong username or password; check both and try again",
        )
    };
    let (user, hash) = found.ok_or_else(bad)?;
    // argon2 is deliberately slow: keep it off the async workers.
    let password = req.password.clone();
    let ok = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(bad());
    }
    let token = new_secret();
    let device = req.device.unwrap_or_else(|| "unnamed".to_string());
    let mut w = state.store.begin_write().await?;
    // One token per device: signing in again from the same device replaces
    // its old token, so lost sessions do not pile up as live credentials.
    sqlx::query(
        "UPDATE tokens SET revoked_at = $1 WHERE user_id = $2 AND device = $3 AND revoked_at IS NULL",
    )
    .bind(now_ms())
    .bind(user.id)
    .bind(&device)
    .execute(&mut *w.tx)
    .await?;
    let id = next_id(&mut w.tx, "token").await?;
    sqlx::query(
        "INSERT INTO tokens (id, user_id, token_hash, device, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id)
    .bind(user.id)
    .bind(token_hash(&token))
    .bind(device)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await?;
    w.tx.commit().await?;
    Ok(axum::Json(LoginResponse { token, user }))
}

pub async fn logout(State(state): State<Shared>, me: AuthUser) -> ApiResult<axum::http::StatusCode> {
    let mut w = state.store.begin_write().await?;
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE id = $2")
        .bind(now_ms())
        .bind(me.token_id)
        .execute(&mut *w.tx)
        .await?;
    w.tx.commit().await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

pub async fn me(me: AuthUser) -> axum::Json<User> {
    axum::Json(me.user)
}
