//! The storage traits, one per meaning; each is implemented once, with
//! `async fn`, in the matching file under `sql/` (named in each trait's doc).
//! Every method is one whole operation a handler needs and runs its own
//! transaction inside the implementation.

use std::future::Future;

use super::{
    ClaimResult, Created, IdemRequest, ItemChange, ItemRow, ItemsSince, ListJson, LoginState, NewSlot,
    OutcomeLogged, RevokeTarget, StorageResult, StoredResponse,
};
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

/// Signing in: users, and the tokens they hold.
/// In `sql/users.rs`.
pub trait TokenStore {
    /// The live token with this SHA-256 hash: its id and its user. Not
    /// live: revoked, or unused for `TOKEN_IDLE_DAYS`; using it keeps it live.
    fn authenticate(
        &self,
        token_hash: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Option<(i64, User)>>> + Send;
    /// A user and their password hash, for checking a login.
    fn user_for_login(
        &self,
        username: &str,
    ) -> impl Future<Output = StorageResult<Option<(User, String)>>> + Send;
    /// Stores a new token (hashed) for a device, revoking that device's old one.
    fn issue_token(
        &self,
        user_id: i64,
        device: &str,
        token_hash: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<i64>> + Send;
    /// Signs one token out (`POST /auth/logout`).
    fn end_session(&self, token_id: i64, now: EpochMs) -> impl Future<Output = StorageResult<()>> + Send;
    /// Revokes tokens for the admin command, with an audit entry; how many.
    fn revoke_tokens(
        &self,
        target: RevokeTarget,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<u64>> + Send;
}

/// Passwords: what a sign-in still has to pass, and changing one.
/// In `sql/accounts.rs`.
pub trait PasswordStore {
    fn login_state(&self, user_id: i64) -> impl Future<Output = StorageResult<LoginState>> + Send;
    fn issue_password_token(
        &self,
        user_id: i64,
        device: &str,
        token_hash: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<i64>> + Send;
    fn authenticate_for_password(
        &self,
        token_hash: &str,
    ) -> impl Future<Output = StorageResult<Option<(i64, User, bool)>>> + Send;
    fn password_hash(&self, user_id: i64) -> impl Future<Output = StorageResult<String>> + Send;
    fn set_password(
        &self,
        me: &User,
        token_id: i64,
        keep_token: bool,
        new_hash: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<()>> + Send;
}

/// Work items: the caller's list, the pool, one item, and moving it on.
/// In `sql/items.rs`.
pub trait ItemStore {
    fn items_changed_since(
        &self,
        user_id: i64,
        since: i64,
    ) -> impl Future<Output = StorageResult<ItemsSince>> + Send;
    /// The same list as `GET /items` sends it: `ItemList` as JSON bytes,
    /// encoded from the rows without building the items.
    fn items_list_json(
        &self,
        user_id: i64,
        since: i64,
    ) -> impl Future<Output = StorageResult<ListJson>> + Send;
    /// The item with history, outcomes and time, when `me` may see it.
    fn item_detail(
        &self,
        me: &User,
        id: i64,
    ) -> impl Future<Output = StorageResult<Option<ItemDetail>>> + Send;
    /// One item as stored, with no access check (for publishing changes).
    fn item(&self, id: i64) -> impl Future<Output = StorageResult<Option<ItemRow>>> + Send;
    /// Unassigned, unfinished items of a unit, green channel first.
    fn pool(&self, unit_id: i64) -> impl Future<Output = StorageResult<Vec<WorkItem>>> + Send;
    fn claim(
        &self,
        me: &User,
        id: i64,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ClaimResult>> + Send;
    fn transition(
        &self,
        me: &User,
        id: i64,
        req: TransitionRequest,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ItemChange>> + Send;
    /// Moves an item to another assignee (or the pool); `None` when no such item.
    fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Option<ItemChange>>> + Send;
    /// Moves a mediation session to another time or room; `None` when no such session.
    fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Option<ItemChange>>> + Send;
}

/// Change numbers that say whether a list changed (the 304 answers).
/// In `sql/stamps.rs`.
pub trait StampStore {
    /// The latest change number among the items the user holds or has
    /// just lost: unchanged means their list is unchanged (the 304 test).
    fn list_stamp(&self, user_id: i64) -> impl Future<Output = StorageResult<i64>> + Send;
    /// The latest change number among a unit's items: unchanged means its
    /// pool is unchanged.
    fn pool_stamp(&self, unit_id: i64) -> impl Future<Output = StorageResult<i64>> + Send;
}

/// Records, each stored once per `Idempotency-Key` with the statistics it feeds.
/// In `sql/records.rs`.
pub trait RecordStore {
    fn log_outcome(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        req: &NewOutcome,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<OutcomeLogged>> + Send;
    fn log_time_entry(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewTimeEntry,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<StoredResponse>> + Send;
    /// Each record is checked by `domain::records` inside its transaction.
    fn log_activity(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewActivity,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<StoredResponse>> + Send;
}

/// Notes on an item's history, and the typical-case flag.
/// In `sql/notes.rs`.
pub trait NoteStore {
    /// A note on the item's history; `text` is taken as already checked.
    fn add_note(
        &self,
        me: &User,
        item_id: i64,
        idem: &IdemRequest,
        text: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<StoredResponse>> + Send;
    /// Flags or unflags the item as a typical case, version-checked.
    fn set_typical(
        &self,
        me: &User,
        item_id: i64,
        req: &TypicalCaseRequest,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ItemChange>> + Send;
}

/// Rooms, duty shifts and campaigns.
/// In `sql/schedule.rs`.
pub trait ScheduleStore {
    /// The rooms `me` may see, each with its sessions starting in [start, end).
    fn schedule(
        &self,
        me: &User,
        start: EpochMs,
        end: EpochMs,
    ) -> impl Future<Output = StorageResult<Vec<RoomSchedule>>> + Send;
    /// A user's shifts overlapping [start, end).
    fn duty_shifts(
        &self,
        user_id: i64,
        start: EpochMs,
        end: EpochMs,
    ) -> impl Future<Output = StorageResult<Vec<DutyShift>>> + Send;
    /// Checks in (`check_in`) or out of one of the user's own shifts, only
    /// within the shift's hours and `grace_ms` either side.
    fn stamp_duty(
        &self,
        user_id: i64,
        shift_id: i64,
        check_in: bool,
        now: EpochMs,
        grace_ms: EpochMs,
    ) -> impl Future<Output = StorageResult<DutyShift>> + Send;
    fn campaigns(&self) -> impl Future<Output = StorageResult<Vec<Campaign>>> + Send;
}

/// Intake (issue 11): registering work, assigning it, cancelling it;
/// each decision is `domain::policy`'s.
/// In `sql/intake.rs`.
pub trait IntakeStore {
    /// Registers new work, once per `Idempotency-Key`; the stored answer
    /// is the item with its conflicts.
    fn create_item(
        &self,
        me: &User,
        idem: &IdemRequest,
        req: &NewItem,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Created>> + Send;
    /// Gives the item to someone or back to the pool, version-checked.
    fn assign(
        &self,
        me: &User,
        id: i64,
        req: &AssignRequest,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<(ItemChange, Vec<ConflictEntry>)>> + Send;
    fn cancel(
        &self,
        me: &User,
        id: i64,
        req: &CancelRequest,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ItemChange>> + Send;
}

/// Conflicts of interest found at intake, and their acknowledgment.
/// In `sql/conflicts.rs`.
pub trait ConflictStore {
    fn conflicts(&self, me: &User, id: i64)
    -> impl Future<Output = StorageResult<Vec<ConflictEntry>>> + Send;
    fn ack_conflicts(
        &self,
        me: &User,
        id: i64,
        req: &ConflictAck,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ItemChange>> + Send;
}

/// Dispatch: booking sessions, a unit's items, revealing numbers, the audit trail.
/// In `sql/dispatch.rs`.
pub trait DispatchStore {
    /// Books or moves a session; refuses a room or mediator booked then.
    fn schedule_item(
        &self,
        me: &User,
        id: i64,
        req: &ScheduleRequest,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<ItemChange>> + Send;
    fn unit_items(
        &self,
        me: &User,
        unit: i64,
        filter: UnitItemFilter,
        assignee: Option<i64>,
        offset: i64,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<UnitItemPage>> + Send;
    /// The parties' full numbers, with an audit row naming who and when.
    fn reveal(
        &self,
        me: &User,
        id: i64,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Vec<Party>>> + Send;
    fn audit_trail(&self, me: &User, id: i64) -> impl Future<Output = StorageResult<Vec<AuditEntry>>> + Send;
}

/// Who works where: a unit's people and their load, where intake may send work.
/// In `sql/people.rs`.
pub trait PeopleStore {
    /// The unit's lawyers and mediators with their open and overdue load.
    fn unit_people(
        &self,
        me: &User,
        unit: i64,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<crate::api::dispatch::UnitPeople>> + Send;
    /// Where the intake desk may send new work, with each unit's people.
    fn intake_units(
        &self,
        me: &User,
    ) -> impl Future<Output = StorageResult<Vec<crate::api::intake_units::IntakeUnit>>> + Send;
}

/// Corrections: counter-records, never changes or deletions.
/// In `sql/corrections.rs`.
pub trait CorrectionStore {
    /// The caller withdraws one of their time entries; the counter-record.
    fn withdraw_time_entry(
        &self,
        me: &User,
        id: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<TimeEntry>> + Send;
    /// The caller withdraws one of their activities; the counter-record.
    fn withdraw_activity(
        &self,
        me: &User,
        id: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Activity>> + Send;
    /// A coordinator over the item's unit (or an admin) corrects its
    /// outcome with a reason, version-checked; recorded in its history.
    fn correct_outcome(
        &self,
        me: &User,
        item_id: i64,
        req: &OutcomeCorrection,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<CorrectedOutcome>> + Send;
}
