//! One error type for every handler, answered as `application/problem+json`,
//! and extractors that turn axum's own rejections into the same shape so a
//! client never sees text/plain or a 500 for bad input.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::{StatusCode, header, request::Parts};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

use super::storage::StorageError;
use crate::api::{PROBLEM_JSON, Problem, ProblemCode};

#[derive(Debug)]
pub struct ApiError(pub Problem);

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(code: ProblemCode, detail: impl Into<String>) -> Self {
        ApiError(Problem::new(code, detail))
    }
    pub fn not_found(what: &str) -> Self {
        Self::new(
            ProblemCode::NotFound,
            format!("{what} not found, or not yours to see"),
        )
    }
    pub fn forbidden(detail: impl Into<String>) -> Self {
        Self::new(ProblemCode::Forbidden, detail)
    }
    /// 422 naming the field that is wrong, and why.
    pub fn validation(field: &str, msg: String) -> Self {
        ApiError(Problem::new(ProblemCode::ValidationFailed, msg.clone()).with_field(field, msg))
    }
    /// A record refused by the domain's rules (`domain::records`).
    pub fn refused(r: crate::domain::records::Refusal) -> Self {
        ApiError(Problem::of_refusal(&r))
    }
    pub fn unauthorized() -> Self {
        Self::new(
            ProblemCode::Unauthorized,
            "sign in first: send `Authorization: Bearer <token>` from POST /api/v1/auth/login",
        )
    }
}

impl From<crate::domain::records::Refusal> for ApiError {
    fn from(r: crate::domain::records::Refusal) -> Self {
        Self::refused(r)
    }
}

/// The one place a storage refusal becomes its problem document.
impl From<StorageError> for ApiError {
    fn from(e: StorageError) -> Self {
        match e {
            StorageError::NotFound(what) => ApiError::not_found(what),
            StorageError::Forbidden(detail) => ApiError::forbidden(detail),
            StorageError::Conflict(problem) => ApiError(*problem),
            StorageError::BadField { field, message } => ApiError::validation(&field, message),
            StorageError::Database(e) => database_failed(e),
        }
    }
}

fn database_failed(e: impl std::fmt::Display) -> ApiError {
    tracing::error!(error = %e, "database error");
    ApiError::new(
        ProblemCode::Internal,
        "the server's database failed; try again shortly",
    )
}

pub fn problem_response(problem: &Problem) -> Response {
    let status = StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    // A Problem holds only strings and numbers: serializing cannot fail.
    let body = serde_json::to_string(problem).unwrap_or_default();
    (status, [(header::CONTENT_TYPE, PROBLEM_JSON)], body).into_response()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        problem_response(&self.0)
    }
}

fn from_status(status: StatusCode, text: String) -> ApiError {
    let code = match status.as_u16() {
        413 => ProblemCode::PayloadTooLarge,
        415 => ProblemCode::UnsupportedMediaType,
        _ => ProblemCode::InvalidBody,
    };
    let detail = match code {
        ProblemCode::PayloadTooLarge => {
            format!(
                "the request body is larger than {} bytes; send less",
                crate::api::MAX_BODY_BYTES
            )
        }
        ProblemCode::UnsupportedMediaType => {
            "send the body as JSON with `Content-Type: application/json`".to_string()
        }
        _ => format!("the body is not the JSON this endpoint takes: {text}"),
    };
    ApiError::new(code, detail)
}

/// `axum::Json` with problem+json rejections.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(json_rejection(e)),
        }
    }
}

fn json_rejection(e: JsonRejection) -> ApiError {
    from_status(e.status(), e.body_text())
}

/// `axum::extract::Path` with problem+json rejections.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(e) => Err(path_rejection(e)),
        }
    }
}

fn path_rejection(e: PathRejection) -> ApiError {
    ApiError::new(
        ProblemCode::InvalidParameter,
        format!("the path is malformed ({}); ids are whole numbers", e.body_text()),
    )
}

/// `axum::extract::Query` with problem+json rejections.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(e) => Err(query_rejection(e)),
        }
    }
}

fn query_rejection(e: QueryRejection) -> ApiError {
    ApiError::new(
        ProblemCode::InvalidParameter,
        format!("a query parameter is malformed: {}", e.body_text()),
    )
}

pub async fn route_not_found() -> ApiError {
    ApiError::new(
        ProblemCode::NotFound,
        "no such endpoint; see /api/v1/openapi.json",
    )
}

pub async fn method_not_allowed() -> ApiError {
    ApiError::new(
        ProblemCode::MethodNotAllowed,
        "this endpoint does not take that method",
    )
}
