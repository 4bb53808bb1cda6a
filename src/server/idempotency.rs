//! `Idempotency-Key` handling: a creating POST stores its response in the
//! same transaction as the record it creates, so a repeat gets the same
//! status and body and creates nothing.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use sqlx::{Any, Transaction};

use super::db::{Store, WriteTx, now_ms};
use super::error::{ApiError, ApiResult};
use crate::api::{IDEMPOTENCY_KEY, ProblemCode};

pub struct IdemRequest {
    pub user_id: i64,
    pub key: String,
    pub hash: String,
}

impl IdemRequest {
    /// Reads the key (400 without it) and hashes what the request asks for.
    pub fn from_headers(
        headers: &HeaderMap,
        user_id: i64,
        method_path: &str,
        body: &impl serde::Serialize,
    ) -> ApiResult<Self> {
        let key = headers
            .get(IDEMPOTENCY_KEY)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            .filter(|k| !k.is_empty() && k.len() <= 200)
            .ok_or_else(|| {
                ApiError::new(
                    ProblemCode::IdempotencyKeyRequired,
                    "send an `Idempotency-Key` header (a fresh UUID per record) so a retry cannot count twice",
                )
            })?;
        // The parsed body re-serialized: whitespace and key order do not matter.
        let canonical = serde_json::to_string(body).unwrap_or_default();
        let hash = hex::encode(Sha256::digest(format!("{method_path}\n{canonical}").as_bytes()));
        Ok(IdemRequest {
            user_id,
            key: key.to_string(),
            hash,
        })
    }
}

fn stored_response(status: i64, body: String) -> Response {
    let status = u16::try_from(status)
        .ok()
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn lookup<'e, E>(exec: E, req: &IdemRequest) -> ApiResult<Option<Response>>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row: Option<(String, i64, String)> = sqlx::query_as(
        "SELECT request_hash, status, body FROM idempotency_records WHERE user_id = $1 AND idem_key = $2",
    )
    .bind(req.user_id)
    .bind(&req.key)
    .fetch_optional(exec)
    .await?;
    match row {
        None => Ok(None),
        Some((hash, _, _)) if hash != req.hash => Err(ApiError::new(
            ProblemCode::IdempotencyKeyReused,
            "this Idempotency-Key was already used for a different request; use a fresh key for a new record",
        )),
        Some((_, status, body)) => Ok(Some(stored_response(status, body))),
    }
}

/// Inside the write transaction, before creating anything: the stored
/// answer when this key was seen.
pub async fn replay(tx: &mut Transaction<'static, Any>, req: &IdemRequest) -> ApiResult<Option<Response>> {
    lookup(&mut **tx, req).await
}

/// After a conflict: the answer a concurrent duplicate has committed
/// meanwhile, if it was one.
pub async fn replay_committed(store: &Store, req: &IdemRequest) -> ApiResult<Option<Response>> {
    lookup(&store.pool, req).await
}

/// Stores the response and commits. When a concurrent duplicate committed
/// first (unique key), rolls back and answers what that one stored.
pub async fn commit_with(
    store: &Store,
    mut w: WriteTx<'_>,
    req: &IdemRequest,
    status: StatusCode,
    body: String,
) -> ApiResult<Response> {
    let inserted = sqlx::query(
        "INSERT INTO idempotency_records (user_id, idem_key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(req.user_id)
    .bind(&req.key)
    .bind(&req.hash)
    .bind(i64::from(status.as_u16()))
    .bind(&body)
    .bind(now_ms())
    .execute(&mut *w.tx)
    .await;
    let WriteTx { tx, guard } = w;
    let committed = match inserted {
        Ok(_) => tx.commit().await,
        Err(e) => {
            drop(tx);
            Err(e)
        }
    };
    // The writer lock goes only after the transaction has ended.
    drop(guard);
    match committed {
        Ok(()) => Ok(stored_response(i64::from(status.as_u16()), body)),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => lookup(&store.pool, req)
            .await?
            .ok_or_else(|| ApiError::new(ProblemCode::Internal, "retry the request")),
        Err(e) => Err(e.into()),
    }
}
