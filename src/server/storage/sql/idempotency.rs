//! Stored answers per `Idempotency-Key`: a creating request stores its
//! response in the same transaction as the record it creates, so a repeat
//! gets the same status and body and creates nothing.

use sqlx::{Any, Transaction};

use super::script::Script;
use crate::api::ProblemCode;
use crate::domain::clock::now_ms;
use crate::server::db::{Store, WriteTx};
use crate::server::storage::StorageError;
use crate::server::storage::{IdemRequest, StoredResponse};

async fn lookup<'e, E>(exec: E, req: &IdemRequest) -> Result<Option<StoredResponse>, StorageError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let row: Option<StoredRow> = sqlx::query_as(IDEM_LOOKUP_SQL)
        .bind(req.user_id)
        .bind(&req.key)
        .fetch_optional(exec)
        .await?;
    answer_for(row, req)
}

/// What is stored for a key: `$1` the user, `$2` the key.
pub const IDEM_LOOKUP_SQL: &str =
    "SELECT request_hash, status, body FROM idempotency_records WHERE user_id = $1 AND idem_key = $2";

/// A stored key: the request's hash, the status and body answered.
pub type StoredRow = (String, i64, String);

/// What a stored row for this key answers: its response, or a refusal when
/// the key was used for another request.
pub fn answer_for(row: Option<StoredRow>, req: &IdemRequest) -> Result<Option<StoredResponse>, StorageError> {
    match row {
        None => Ok(None),
        Some((hash, _, _)) if hash != req.hash => Err(StorageError::refused(
            ProblemCode::IdempotencyKeyReused,
            "this Idempotency-Key was already used for a different request; use a fresh key for a new record",
        )),
        Some((_, status, body)) => Ok(Some(StoredResponse {
            // Stored only from a real status code; 200 if a row was edited by hand.
            status: u16::try_from(status).unwrap_or(200),
            body,
        })),
    }
}

/// Inside the write transaction, before creating anything: the stored
/// answer when this key was seen.
pub async fn replay(
    tx: &mut Transaction<'static, Any>,
    req: &IdemRequest,
) -> Result<Option<StoredResponse>, StorageError> {
    lookup(&mut **tx, req).await
}

/// After a conflict: the answer a concurrent duplicate has committed
/// meanwhile, if it was one.
pub async fn replay_committed(
    store: &Store,
    req: &IdemRequest,
) -> Result<Option<StoredResponse>, StorageError> {
    lookup(&store.pool, req).await
}

/// The key, what it asked and what it was answered.
async fn insert_record(
    tx: &mut Transaction<'static, Any>,
    req: &IdemRequest,
    status: u16,
    body: &str,
) -> Result<(), sqlx::Error> {
    let mut script = Script::new();
    answer_into(&mut script, req, status, body);
    script.run(tx).await
}

/// The stored answer for `req`'s key, as the last statement of a script
/// (a group commit's write sends it with the record's own statements).
pub fn answer_into(script: &mut Script, req: &IdemRequest, status: u16, body: &str) {
    script.push(
        "INSERT INTO idempotency_records (user_id, idem_key, request_hash, status, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        crate::sql_values![
            req.user_id,
            req.key.as_str(),
            req.hash.as_str(),
            i64::from(status),
            body,
            now_ms(),
        ],
    );
}

/// Stores the response and commits. When a concurrent duplicate committed
/// first (unique key), rolls back and answers what that one stored.
pub async fn commit_with(
    store: &Store,
    mut w: WriteTx<'_>,
    req: &IdemRequest,
    status: u16,
    body: String,
) -> Result<StoredResponse, StorageError> {
    let inserted = insert_record(&mut w.tx, req, status, &body).await;
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
        Ok(()) => Ok(StoredResponse { status, body }),
        Err(sqlx::Error::Database(db)) if db.is_unique_violation() => lookup(&store.pool, req)
            .await?
            .ok_or_else(|| StorageError::refused(ProblemCode::Internal, "retry the request")),
        Err(e) => Err(e.into()),
    }
}

/// When a keyed write fails, a concurrent duplicate with the same key may
/// have committed while this one ran (it read the item before the other
/// closed it, or lost a row lock to it): then the right answer is the one
/// that duplicate stored, not this failure. Same key with another body is
/// still refused as reused.
pub(super) async fn answer_as_duplicate<T>(
    storage: &super::SqlStorage,
    idem: &IdemRequest,
    result: Result<T, StorageError>,
    wrap: impl FnOnce(StoredResponse) -> T,
) -> Result<T, StorageError> {
    match result {
        Ok(done) => Ok(done),
        Err(failure) => match replay_committed(&storage.store, idem).await? {
            Some(stored) => Ok(wrap(stored)),
            None => Err(failure),
        },
    }
}
