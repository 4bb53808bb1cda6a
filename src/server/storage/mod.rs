//! The server's storage: handlers see only these traits, never SQL.
//!
//! The shape: one trait per meaning (`TokenStore`, `ItemStore`,
//! `RecordStore`, `StatsStore`, ... in `stores` and `reports`), each method
//! declared once as `fn m(..) -> impl Future<Output = StorageResult<T>> + Send`
//! and implemented once with `async fn` in the matching `sql/<meaning>.rs`.
//! [`Storage`] is all of them together (a blanket impl: nothing to write);
//! the app state is generic over it (`AppState<S: Storage>`), so handlers
//! are `fn h<S: Storage>(..)` and every call is static, with no boxed
//! future and no forwarding layer between a method and its body. The price
//! is that the traits are not object-safe: code that wants "some storage"
//! takes a type parameter, not `dyn Storage`.
//!
//! The one implementation, [`sql::SqlStorage`], speaks portable SQL through
//! sqlx's `AnyPool`, so it serves SQLite and PostgreSQL alike.
//!
//! Refusals come back as [`StorageError`]s by meaning (not found,
//! forbidden, a conflict with its problem code, a bad field, the database);
//! `server::error` maps them to problem documents in one place.

mod error;
mod reports;
pub mod sql;
mod stores;
mod types;

// The SQL that no handler calls: the pool, the command line, demo seeding,
// the statistics' bookkeeping, PostgreSQL's notifications.
pub mod aggregates;
pub mod db;
pub mod item_refs;
pub mod pg_listen;
pub mod revoked_tokens;
pub mod seed;
pub mod units;
pub mod user_admin;

pub use error::{StorageError, StorageResult};
pub use reports::{
    HealthStore, LONGEST_WINDOW_MS, Limit, LoginGuardStore, PER_CLIENT, PER_NAME, PER_NAME_AND_CLIENT,
    Refused, StatsAsk, StatsStore, SubmissionStore,
};
pub use stores::{
    ConflictStore, CorrectionStore, DispatchStore, IntakeStore, ItemStore, NoteStore, PasswordStore,
    PeopleStore, RecordStore, ScheduleStore, StampStore, TokenStore,
};
pub use types::*;

/// Everything handlers need from storage: every store above. Implemented
/// for any type that implements them all.
pub trait Storage:
    TokenStore
    + PasswordStore
    + ItemStore
    + StampStore
    + RecordStore
    + NoteStore
    + ScheduleStore
    + IntakeStore
    + ConflictStore
    + DispatchStore
    + PeopleStore
    + CorrectionStore
    + StatsStore
    + SubmissionStore
    + LoginGuardStore
    + HealthStore
    + Send
    + Sync
    + 'static
{
}

impl<T> Storage for T where
    T: TokenStore
        + PasswordStore
        + ItemStore
        + StampStore
        + RecordStore
        + NoteStore
        + ScheduleStore
        + IntakeStore
        + ConflictStore
        + DispatchStore
        + PeopleStore
        + CorrectionStore
        + StatsStore
        + SubmissionStore
        + LoginGuardStore
        + HealthStore
        + Send
        + Sync
        + 'static
{
}
