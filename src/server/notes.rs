//! `POST /items/{id}/notes` and `/items/{id}/typical`: extract, check,
//! call storage, tell the event streams, answer.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;

use super::Shared;
use super::auth::AuthUser;
use super::error::{ApiError, ApiJson, ApiPath, ApiResult};
use super::idempotency::{idem_request, stored_response};
use super::storage::Storage;
use crate::api::{NewNote, ProblemCode, TypicalCaseRequest, WorkItem, paths};
use crate::domain::clock::now_ms;

pub async fn post_note<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(item_id): ApiPath<i64>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<NewNote>,
) -> ApiResult<Response> {
    let path = paths::with_id(paths::ITEM_NOTES, item_id);
    let idem = idem_request(&headers, me.id(), &format!("POST {path}"), &req)?;
    let text = req.text.trim();
    if text.is_empty() {
        return Err(ApiError::validation(
            "text",
            "the note is empty; write what happened".into(),
        ));
    }
    // The one note limit of every record; refused as `note_too_long`.
    if let Err(refusal) = crate::domain::records::check_note(Some(text)) {
        return Err(ApiError(
            crate::api::Problem::new(ProblemCode::NoteTooLong, refusal.to_string())
                .with_field("text", refusal.to_string()),
        ));
    }
    let now = now_ms();
    let stored = state
        .storage
        .add_note(&me.user, item_id, &idem, text, now)
        .await?;
    Ok(stored_response(stored))
}

pub async fn set_typical<S: Storage>(
    State(state): State<Shared<S>>,
    me: AuthUser,
    ApiPath(item_id): ApiPath<i64>,
    ApiJson(req): ApiJson<TypicalCaseRequest>,
) -> ApiResult<Json<WorkItem>> {
    let now = now_ms();
    let change = state.storage.set_typical(&me.user, item_id, &req, now).await?;
    Ok(Json(change.after.item))
}
