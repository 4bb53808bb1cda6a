//! Passwords (argon2), bearer tokens (32 random bytes, only their SHA-256
//! kept), and the `AuthUser` extractor every protected handler takes.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::net::SocketAddr;

use axum::Extension;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::{HeaderMap, header, request::Parts};
use axum::response::{IntoResponse, Response};
use rand::RngCore;
use sha2::{Digest, Sha256};

use super::Shared;
use super::error::{ApiError, ApiJson, ApiResult};
use super::login_guard::Refused;
use super::storage::Storage;
use crate::api::{LoginRequest, LoginResponse, ProblemCode, User};
use crate::domain::clock::now_ms;
use crate::domain::{MAX_USERNAME_CHARS, Role, username_fits};

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let hash = Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("hashing the password failed: {e}"))?;
    Ok(hash.to_string())
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false)
}

/// The hash an unknown user's password is checked against, so the answer
/// takes as long as for a real user. Never empty, and always a hash that
/// parses (an empty one would be refused at once, telling which usernames
/// exist): its only values are a fresh hash that parses, or
/// [`FALLBACK_DECOY`].
struct DecoyHash(String);

/// An argon2 hash, with the default parameters, of a random password that
/// nobody kept: the decoy should hashing fail at run time.
const FALLBACK_DECOY: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$WhB1QpZ8kuo5ggbt5sA27w$8GKSNyeniEqeUMSJD1QutFfVb4RLc7WWkJbbyb3GWLg";

impl DecoyHash {
    fn from_attempt(made: anyhow::Result<String>) -> DecoyHash {
        match made {
            Ok(hash) if PasswordHash::new(&hash).is_ok() => DecoyHash(hash),
            _ => DecoyHash(FALLBACK_DECOY.to_string()),
        }
    }

    fn as_str(&self) -> &str {
        &self.0
    }
}

/// A real argon2 hash of a random password, made once per process.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<DecoyHash> = std::sync::OnceLock::new();
    DECOY
        .get_or_init(|| DecoyHash::from_attempt(hash_password(&new_secret())))
        .as_str()
}

/// The token of an `Authorization: Bearer …` header, when there is one.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty())
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

impl<S: Storage> FromRequestParts<Shared<S>> for AuthUser {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &Shared<S>) -> Result<Self, Self::Rejection> {
        let token = bearer_token(&parts.headers).ok_or_else(ApiError::unauthorized)?;
        let (token_id, user) = state
            .storage
            .authenticate(&token_hash(token), now_ms())
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        Ok(AuthUser { user, token_id })
    }
}

pub async fn login<S: Storage>(
    State(state): State<Shared<S>>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let started = std::time::Instant::now();
    let guard = &state.login_guard;
    if !username_fits(&req.username) {
        state.metrics.login_refused("username_too_long");
        answer_slowly(&state, started).await;
        return Err(ApiError::validation(
            "username",
            format!("a username has at most {MAX_USERNAME_CHARS} characters; check it and try again"),
        ));
    }
    let client = guard.client(peer.map(|Extension(ConnectInfo(addr))| addr), &headers);
    if let Some(refused) = guard.attempt(&req.username, &client, now_ms()).await? {
        state.metrics.login_refused(refused.limit.scope);
        answer_slowly(&state, started).await;
        return Ok(too_many_failures(refused));
    }
    let found = state.storage.user_for_login(req.username.trim()).await?;
    let bad = || {
        ApiError::new(
            ProblemCode::Unauthorized,
            "wrong username or password; check both and try again",
        )
    };
    // An unknown user is checked against a decoy hash, so the answer takes
    // as long as for a real one and does not tell which usernames exist.
    let (user, hash) = match found {
        Some((user, hash)) => (Some(user), Some(hash)),
        None => (None, None),
    };
    let ok = check_password(&state, req.password.clone(), hash).await;
    let Some(user) = user.filter(|_| ok) else {
        state.metrics.login_refused("wrong_password");
        return Err(bad());
    };
    guard.succeeded(&req.username, &client).await?;
    let device = req.device.unwrap_or_else(|| "unnamed".to_string());
    if let Some(answer) = super::accounts::gate(&state, &user, &device).await? {
        return Ok(answer);
    }
    let token = new_secret();
    state
        .storage
        .issue_token(user.id, &device, &token_hash(&token), now_ms())
        .await?;
    Ok(axum::Json(LoginResponse { token, user }).into_response())
}

/// Checks a password (against the decoy without a hash), timing it for
/// [`answer_slowly`]. argon2 is deliberately slow: keep it off the async
/// workers, the decoy's first hashing included.
async fn check_password<S: Storage>(state: &Shared<S>, password: String, hash: Option<String>) -> bool {
    let started = std::time::Instant::now();
    let ok = tokio::task::spawn_blocking(move || {
        verify_password(&password, hash.as_deref().unwrap_or_else(|| decoy_hash()))
    })
    .await
    .unwrap_or(false);
    state.login_guard.verified(started.elapsed());
    ok
}

/// A refusal takes as long as a wrong password would have (a sleep, not
/// the work), so it tells nothing and a flood of them is no cheaper to
/// send. Before any password was checked here, one decoy check sets the pace.
async fn answer_slowly<S: Storage>(state: &Shared<S>, started: std::time::Instant) {
    let mut typical = state.login_guard.typical_verify();
    if typical.is_zero() {
        check_password(state, String::new(), None).await;
        typical = state.login_guard.typical_verify();
    }
    tokio::time::sleep_until((started + typical).into()).await;
}

/// 429 with `Retry-After` in whole seconds, rounded up.
fn too_many_failures(refused: Refused) -> Response {
    let wait = refused.wait;
    let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
    let minutes = seconds.div_ceil(60);
    let problem = crate::api::Problem::new(
        ProblemCode::RateLimited,
        match refused.limit.scope {
            "client" => format!("too many wrong passwords from this address; try again in {minutes} min"),
            _ => format!("too many wrong passwords for this username; try again in {minutes} min"),
        },
    );
    let mut response = super::error::problem_response(&problem);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(seconds));
    response
}

pub async fn logout<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
) -> ApiResult<axum::http::StatusCode> {
    state.storage.end_session(me.token_id, now_ms()).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}

pub async fn me(me: AuthUser) -> axum::Json<User> {
    axum::Json(me.user)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What makes a check cost what it costs: the algorithm, its version
    /// and its parameters.
    fn cost_of(hash: &str) -> String {
        let parsed = PasswordHash::new(hash).expect("a hash that parses");
        format!("{} {:?} {}", parsed.algorithm, parsed.version, parsed.params)
    }

    #[test]
    fn the_decoy_is_never_empty_even_when_hashing_fails() {
        for made in [
            Err(anyhow::anyhow!("no hash")),
            Ok(String::new()),
            Ok("not a hash".into()),
        ] {
            let decoy = DecoyHash::from_attempt(made);
            assert_eq!(decoy.as_str(), FALLBACK_DECOY);
            assert!(PasswordHash::new(decoy.as_str()).is_ok());
        }
        assert!(PasswordHash::new(decoy_hash()).is_ok());
        assert!(!verify_password("", decoy_hash()));
    }

    #[test]
    fn the_fallback_decoy_costs_what_a_fresh_hash_costs() {
        let fresh = hash_password(&new_secret()).expect("hashing works here");
        assert_eq!(cost_of(FALLBACK_DECOY), cost_of(&fresh));
        assert_eq!(DecoyHash::from_attempt(Ok(fresh.clone())).as_str(), fresh);
    }
}
