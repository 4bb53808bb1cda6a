//! `Idempotency-Key` on the HTTP side: reading the key and hashing what the
//! request asks for, and answering a stored response. Storing and replaying
//! happen in the storage, in the record's own transaction.

use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use super::error::{ApiError, ApiResult};
use super::storage::{IdemRequest, StoredResponse};
use crate::api::{IDEMPOTENCY_KEY, ProblemCode};

/// Reads the key (400 without it) and hashes what the request asks for.
pub fn idem_request(
    headers: &HeaderMap,
    user_id: i64,
    method_path: &str,
    body: &impl serde::Serialize,
) -> ApiResult<IdemRequest> {
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

pub fn stored_response(stored: StoredResponse) -> Response {
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK);
    (status, [(header::CONTENT_TYPE, "application/json")], stored.body).into_response()
}

/// Echoes the request's `Idempotency-Key` on the response, first answers
/// and replays alike: a client settles an outbox row only on an answer that
/// names its key, so a middlebox's canned `200 {"status":"ok"}` never
/// passes for the server's.
pub async fn echo_key(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let key = request.headers().get(IDEMPOTENCY_KEY).cloned();
    let mut response = next.run(request).await;
    if let Some(key) = key {
        // Lower case: `from_static` refuses capitals.
        let name = axum::http::HeaderName::from_static("idempotency-key");
        response.headers_mut().insert(name, key);
    }
    response
}
