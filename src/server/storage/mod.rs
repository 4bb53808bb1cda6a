//! The server's storage behind one trait, in atuin's style: handlers talk
//! to `dyn Storage` and never see SQL. Each method is one whole operation a
//! handler needs and runs its own transaction inside the implementation.
//! The one implementation, [`sql::SqlStorage`], speaks portable SQL through
//! sqlx's `AnyPool`, so it serves SQLite and PostgreSQL alike.
//!
//! Refusals (not found, forbidden, stale version, bad field) come back as
//! [`ApiError`]s carrying the wire's stable problem codes, so every backend
//! refuses the same way.

pub mod sql;

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

use std::future::Future;
use std::pin::Pin;

pub use sql::accounts::LoginState;
pub use sql::intake::Created;
pub use sql::item_rows::ItemRow;

use super::error::ApiError;
use crate::api::Party;
use crate::api::corrections::{CorrectedOutcome, OutcomeCorrection};
use crate::api::intake::{
    AssignRequest, AuditEntry, CancelRequest, ConflictAck, ConflictEntry, NewItem, ScheduleRequest,
    UnitItemFilter, UnitItemPage,
};
use crate::api::{
    Activity, Campaign, DutyShift, ItemDetail, NewActivity, NewOutcome, NewTimeEntry, RoomSchedule,
    TimeEntry, TransitionRequest, TypicalCaseRequest, User, WorkItem,
};
use crate::domain::EpochMs;

/// What every storage call returns. Boxed so the trait stays object-safe
/// (`Arc<dyn Storage>` in the app state) without the async-trait crate.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, ApiError>> + Send + 'a>>;

/// A creating request's identity for `Idempotency-Key` handling: who sent
/// it, the key, and a hash of what it asked for.
#[derive(Debug, Clone)]
pub struct IdemRequest {
    pub user_id: i64,
    pub key: String,
    pub hash: String,
}

/// The status and JSON body a creating POST answered, stored with its key
/// so a repeat answers the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
}

/// The caller's items changed after a cursor, and the cursor to send next.
#[derive(Debug, Clone)]
pub struct ItemsSince {
    pub items: Vec<WorkItem>,
    /// Items that left the caller since the cursor: ids only.
    pub removed: Vec<i64>,
    pub cursor: i64,
}

#[derive(Debug, Clone)]
pub enum ClaimResult {
    /// The caller holds the item now.
    Claimed(Box<ItemRow>),
    /// Someone got it first; their display name when known.
    Taken { holder: Option<String> },
}

/// An outcome's stored answer and, when it was new, the item it closed.
#[derive(Debug, Clone)]
pub struct OutcomeLogged {
    pub response: StoredResponse,
    pub closed: Option<ItemRow>,
}

/// An item before and after a change, for telling everyone concerned.
#[derive(Debug, Clone)]
pub struct ItemChange {
    pub before: ItemRow,
    pub after: ItemRow,
}

/// Which tokens `dutydesk admin token revoke` ends.
#[derive(Debug, Clone)]
pub enum RevokeTarget {
    Token(i64),
    User(String),
}

/// A mediation session's new time and room.
#[derive(Debug, Clone, Copy)]
pub struct NewSlot {
    pub start: EpochMs,
    pub end: EpochMs,
    pub room_id: i64,
}

pub trait Storage: Send + Sync {
    // Users and tokens.
    /// The live token with this SHA-256 hash: its id and its user. Not
    /// live: revoked, or unused for `TOKEN_IDLE_DAYS`; using it keeps it live.
    fn authenticate<'a>(&'a self, token_hash: &'a str, now: EpochMs) -> StoreFuture<'a, Option<(i64, User)>>;
    /// A user and their password hash, for checking a login.
    fn user_for_login<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<(User, String)>>;
    /// Stores a new token (hashed) for a device, revoking that device's old one.
    fn issue_token<'a>(
        &'a self,
        user_id: i64,
        device: &'a str,
        token_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, i64>;
    /// Signs one token out (`POST /auth/logout`).
    fn end_session(&self, token_id: i64, now: EpochMs) -> StoreFuture<'_, ()>;
    /// Revokes tokens for the admin command, with an audit entry; how many.
    fn revoke_tokens(&self, target: RevokeTarget, now: EpochMs) -> StoreFuture<'_, u64>;

    // Items.
    fn items_changed_since(&self, user_id: i64, since: i64) -> StoreFuture<'_, ItemsSince>;
    /// The latest change number among the items the user holds or has
    /// just lost: unchanged means their list is unchanged (the 304 test).
    fn list_stamp(&self, user_id: i64) -> StoreFuture<'_, i64>;
    /// The latest change number among a unit's items: unchanged means its
    /// pool is unchanged.
    fn pool_stamp(&self, unit_id: i64) -> StoreFuture<'_, i64>;
    /// The item with history, outcomes and time, when `me` may see it.
    fn item_detail<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Option<ItemDetail>>;
    /// One item as stored, with no access check (for publishing changes).
    fn item(&self, id: i64) -> StoreFuture<'_, Option<ItemRow>>;
    /// Unassigned, unfinished items of a unit, green channel first.
    fn pool(&self, unit_id: i64) -> StoreFuture<'_, Vec<WorkItem>>;
    fn claim<'a>(&'a self, me: &'a User, id: i64, now: EpochMs) -> StoreFuture<'a, ClaimResult>;
    fn transition<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: TransitionRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange>;
    /// Moves an item to another assignee (or the pool); `None` when no such item.
    fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> StoreFuture<'_, Option<ItemChange>>;
    /// Moves a mediation session to another time or room; `None` when no such session.
    fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> StoreFuture<'_, Option<ItemChange>>;

    // Records, once per Idempotency-Key.
    fn log_outcome<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        idem: &'a IdemRequest,
        req: &'a NewOutcome,
        now: EpochMs,
    ) -> StoreFuture<'a, OutcomeLogged>;
    fn log_time_entry<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewTimeEntry,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse>;
    /// Each record is checked by `domain::records` inside its transaction.
    fn log_activity<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewActivity,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse>;

    /// A note on the item's history; `text` is taken as already checked.
    fn add_note<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        idem: &'a IdemRequest,
        text: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse>;
    /// Flags or unflags the item as a typical case, version-checked.
    fn set_typical<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        req: &'a TypicalCaseRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange>;

    // Rooms, duty, campaigns.
    /// The rooms `me` may see, each with its sessions starting in [start, end).
    fn schedule<'a>(
        &'a self,
        me: &'a User,
        start: EpochMs,
        end: EpochMs,
    ) -> StoreFuture<'a, Vec<RoomSchedule>>;
    /// A user's shifts overlapping [start, end).
    fn duty_shifts(&self, user_id: i64, start: EpochMs, end: EpochMs) -> StoreFuture<'_, Vec<DutyShift>>;
    /// Checks in (`check_in`) or out of one of the user's own shifts, only
    /// within the shift's hours and `grace_ms` either side.
    fn stamp_duty(
        &self,
        user_id: i64,
        shift_id: i64,
        check_in: bool,
        now: EpochMs,
        grace_ms: EpochMs,
    ) -> StoreFuture<'_, DutyShift>;
    fn campaigns(&self) -> StoreFuture<'_, Vec<Campaign>>;

    // Intake and dispatch (issue 11); each decision is `domain::policy`'s.
    /// Registers new work, once per `Idempotency-Key`; the stored answer
    /// is the item with its conflicts.
    fn create_item<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewItem,
        now: EpochMs,
    ) -> StoreFuture<'a, Created>;
    /// Gives the item to someone or back to the pool, version-checked.
    fn assign<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a AssignRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, (ItemChange, Vec<ConflictEntry>)>;
    fn cancel<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a CancelRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange>;
    /// Books or moves a session; refuses a room or mediator booked then.
    fn schedule_item<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a ScheduleRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange>;
    fn conflicts<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Vec<ConflictEntry>>;
    fn ack_conflicts<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a ConflictAck,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange>;
    fn unit_items<'a>(
        &'a self,
        me: &'a User,
        unit: i64,
        filter: UnitItemFilter,
        assignee: Option<i64>,
        offset: i64,
        now: EpochMs,
    ) -> StoreFuture<'a, UnitItemPage>;
    /// The parties' full numbers, with an audit row naming who and when.
    fn reveal<'a>(&'a self, me: &'a User, id: i64, now: EpochMs) -> StoreFuture<'a, Vec<Party>>;
    fn audit_trail<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Vec<AuditEntry>>;

    // Passwords.
    fn login_state(&self, user_id: i64) -> StoreFuture<'_, LoginState>;
    fn issue_password_token<'a>(
        &'a self,
        user_id: i64,
        device: &'a str,
        token_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, i64>;
    fn authenticate_for_password<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> StoreFuture<'a, Option<(i64, User, bool)>>;
    fn password_hash(&self, user_id: i64) -> StoreFuture<'_, String>;
    fn set_password<'a>(
        &'a self,
        me: &'a User,
        token_id: i64,
        keep_token: bool,
        new_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, ()>;

    // Dispatch.
    /// The unit's lawyers and mediators with their open and overdue load.
    fn unit_people<'a>(
        &'a self,
        me: &'a User,
        unit: i64,
        now: EpochMs,
    ) -> StoreFuture<'a, crate::api::dispatch::UnitPeople>;
    /// Where the intake desk may send new work, with each unit's people.
    fn intake_units<'a>(&'a self, me: &'a User)
    -> StoreFuture<'a, Vec<crate::api::intake_units::IntakeUnit>>;
    // Corrections: counter-records, never changes or deletions.
    /// The caller withdraws one of their time entries; the counter-record.
    fn withdraw_time_entry<'a>(
        &'a self,
        me: &'a User,
        id: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, TimeEntry>;
    /// The caller withdraws one of their activities; the counter-record.
    fn withdraw_activity<'a>(&'a self, me: &'a User, id: &'a str, now: EpochMs) -> StoreFuture<'a, Activity>;
    /// A coordinator over the item's unit (or an admin) corrects its
    /// outcome with a reason, version-checked; recorded in its history.
    fn correct_outcome<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        req: &'a OutcomeCorrection,
        now: EpochMs,
    ) -> StoreFuture<'a, CorrectedOutcome>;
}
