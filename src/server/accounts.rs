//! `POST /api/v1/me/password`, and what a correct password still has to
//! pass at sign-in: a disabled user is refused, a one-time password gets
//! a token that may only change the password.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::Shared;
use super::auth::{hash_password, new_secret, token_hash};
use super::error::{ApiError, ApiJson, ApiResult, problem_response};
use super::storage::Storage;
use crate::api::intake::PasswordChange;
use crate::api::{Problem, ProblemCode, User};
use crate::domain::clock::now_ms;

/// The shortest password a user may choose.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// After the password checked out: `Some(answer)` when the sign-in stops
/// here (disabled: as a wrong password; one-time password: 403 with a
/// password-only token).
pub async fn gate<S: Storage>(state: &Shared<S>, user: &User, device: &str) -> ApiResult<Option<Response>> {
    let login = state.storage.login_state(user.id).await?;
    if login.disabled {
        return Err(ApiError::new(
            ProblemCode::Unauthorized,
            "wrong username or password; check both and try again",
        ));
    }
    if !login.must_change_password {
        return Ok(None);
    }
    let token = new_secret();
    state
        .storage
        .issue_password_token(user.id, device, &token_hash(&token), now_ms())
        .await?;
    let problem = Problem::new(
        ProblemCode::PasswordChangeRequired,
        "this one-time password must be changed before anything else: POST /api/v1/me/password with the token in this answer",
    )
    .with_extra("token", token);
    Ok(Some(problem_response(&problem)))
}

pub async fn change_password<S: Storage>(
    axum::extract::State(state): axum::extract::State<Shared<S>>,
    headers: axum::http::HeaderMap,
    ApiJson(req): ApiJson<PasswordChange>,
) -> ApiResult<Response> {
    let token = super::auth::bearer_token(&headers).ok_or_else(ApiError::unauthorized)?;
    let (token_id, me, password_only) = state
        .storage
        .authenticate_for_password(&token_hash(token))
        .await?
        .ok_or_else(ApiError::unauthorized)?;
    if req.new.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::validation(
            "new",
            format!("the new password needs at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if req.new == req.current {
        return Err(ApiError::validation(
            "new",
            "the new password is the current one; choose another".into(),
        ));
    }
    let hash = state.storage.password_hash(me.id).await?;
    let current = req.current.clone();
    // argon2 is slow on purpose: off the async workers.
    let ok = tokio::task::spawn_blocking(move || super::auth::verify_password(&current, &hash))
        .await
        .unwrap_or(false);
    if !ok {
        return Err(ApiError::new(
            ProblemCode::WrongPassword,
            "the current password is wrong; nothing was changed",
        ));
    }
    let new = req.new.clone();
    let new_hash = tokio::task::spawn_blocking(move || hash_password(&new))
        .await
        .map_err(|_| {
            ApiError::new(
                ProblemCode::Internal,
                "the password could not be stored; try again",
            )
        })?
        .map_err(|_| {
            ApiError::new(
                ProblemCode::Internal,
                "the password could not be stored; try again",
            )
        })?;
    state
        .storage
        .set_password(&me, token_id, !password_only, &new_hash, now_ms())
        .await?;
    tracing::info!(user = me.id, "password changed");
    Ok(StatusCode::NO_CONTENT.into_response())
}
