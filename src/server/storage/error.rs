//! What a storage call refuses with, by meaning. Storage knows nothing of
//! HTTP: `server::error` turns each kind into its problem document in one
//! place (`impl From<StorageError> for ApiError`), so every backend refuses
//! the same way with the wire's stable problem codes.

use crate::api::{Problem, ProblemCode};
use crate::domain::records::Refusal;

pub type StorageResult<T> = Result<T, StorageError>;

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// No such thing, or not the caller's to see (the two are not told
    /// apart, so ids do not leak); names what was looked for.
    #[error("{0} not found, or not yours to see")]
    NotFound(&'static str),
    /// The caller may see it but not do this; says why.
    #[error("{0}")]
    Forbidden(String),
    /// Refused for a reason the wire names by its problem code (a stale
    /// version, a clash, a locked period, a record the domain's rules
    /// refuse): the problem with the members a client words it from.
    #[error("{}", .0.detail)]
    Conflict(Box<Problem>),
    /// A field of the request is wrong, and why (422 `validation_failed`).
    #[error("{message}")]
    BadField { field: String, message: String },
    /// The database failed (a constraint the request broke is a
    /// `Conflict` instead: see `From<sqlx::Error>`).
    #[error("the database failed: {0}")]
    Database(sqlx::Error),
}

impl StorageError {
    pub fn not_found(what: &'static str) -> Self {
        StorageError::NotFound(what)
    }

    pub fn forbidden(detail: impl Into<String>) -> Self {
        StorageError::Forbidden(detail.into())
    }

    /// Refused with this problem code and detail (no further members).
    pub fn refused(code: ProblemCode, detail: impl Into<String>) -> Self {
        StorageError::Conflict(Box::new(Problem::new(code, detail)))
    }

    /// Refused with a problem carrying members (a clash's item, a window).
    pub fn problem(problem: Problem) -> Self {
        StorageError::Conflict(Box::new(problem))
    }

    /// A field that is wrong, and why.
    pub fn validation(field: &str, message: String) -> Self {
        StorageError::BadField {
            field: field.to_string(),
            message,
        }
    }
}

impl From<Refusal> for StorageError {
    fn from(r: Refusal) -> Self {
        StorageError::problem(Problem::of_refusal(&r))
    }
}

impl From<sqlx::Error> for StorageError {
    fn from(e: sqlx::Error) -> Self {
        // A constraint the request broke is the request's fault, not the
        // server's: a taken unique value is 409, a missing referent 422.
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StorageError::refused(
                    ProblemCode::Duplicate,
                    "this record exists already (a value that must be unique is taken)",
                );
            }
            if db.is_foreign_key_violation() {
                return StorageError::refused(
                    ProblemCode::UnknownReference,
                    "the request names a unit, user, room or item that does not exist",
                );
            }
        }
        StorageError::Database(e)
    }
}
