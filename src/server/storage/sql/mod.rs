//! [`SqlStorage`]: the [`Storage`] trait on sqlx's `AnyPool`, in portable
//! SQL for SQLite and PostgreSQL. Split by meaning: users and tokens,
//! items, records, the rooms' day, idempotency.

pub mod accounts;
mod announce;
mod conflicts;
mod corrections;
mod dispatch;
pub mod group_commit;
pub mod idempotency;
pub mod intake;
mod intake_units;
pub mod item_rows;
mod items;
mod notes;
mod people;
pub mod records;
pub mod schedule;
mod stamps;
pub mod users;

use super::{
    ClaimResult, IdemRequest, ItemChange, ItemRow, ItemsSince, NewSlot, OutcomeLogged, RevokeTarget, Storage,
    StoreFuture, StoredResponse,
};
use crate::api::Party;
use crate::api::intake::{
    AssignRequest, AuditEntry, CancelRequest, ConflictAck, ConflictEntry, NewItem, ScheduleRequest,
    UnitItemFilter, UnitItemPage,
};
use crate::api::{
    Campaign, DutyShift, ItemDetail, NewActivity, NewOutcome, NewTimeEntry, RoomSchedule, TransitionRequest,
    TypicalCaseRequest, User, WorkItem,
};
use crate::domain::EpochMs;
use crate::server::bus::{EventBus, LocalBus};
use crate::server::db::Store;
use crate::server::storage::{Created, LoginState};
use std::sync::Arc;

#[derive(Clone)]
pub struct SqlStorage {
    pub store: Store,
    /// Where item changes are announced, inside their transactions.
    pub bus: Arc<dyn EventBus>,
    /// SQLite: the writer task that commits keyed records in groups,
    /// started on first use (inside the runtime).
    group_commit: Arc<std::sync::OnceLock<group_commit::GroupCommit>>,
}

impl SqlStorage {
    /// Storage whose changes only this process hears (one instance).
    pub fn new(store: Store) -> SqlStorage {
        SqlStorage::with_bus(store, Arc::new(LocalBus::new()))
    }

    pub fn with_bus(store: Store, bus: Arc<dyn EventBus>) -> SqlStorage {
        SqlStorage {
            store,
            bus,
            group_commit: Arc::default(),
        }
    }

    /// The group committer on SQLite; `None` on PostgreSQL.
    fn group_commit(&self) -> Option<&group_commit::GroupCommit> {
        if self.store.is_postgres() {
            return None;
        }
        Some(
            self.group_commit
                .get_or_init(|| group_commit::GroupCommit::start(self.store.clone())),
        )
    }
}

impl Storage for SqlStorage {
    fn authenticate<'a>(&'a self, token_hash: &'a str, now: EpochMs) -> StoreFuture<'a, Option<(i64, User)>> {
        Box::pin(self.authenticate_impl(token_hash, now))
    }
    fn user_for_login<'a>(&'a self, username: &'a str) -> StoreFuture<'a, Option<(User, String)>> {
        Box::pin(self.user_for_login_impl(username))
    }
    fn issue_token<'a>(
        &'a self,
        user_id: i64,
        device: &'a str,
        token_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, i64> {
        Box::pin(self.issue_token_impl(user_id, device, token_hash, now))
    }
    fn end_session(&self, token_id: i64, now: EpochMs) -> StoreFuture<'_, ()> {
        Box::pin(self.end_session_impl(token_id, now))
    }
    fn revoke_tokens(&self, target: RevokeTarget, now: EpochMs) -> StoreFuture<'_, u64> {
        Box::pin(self.revoke_tokens_impl(target, now))
    }

    fn items_changed_since(&self, user_id: i64, since: i64) -> StoreFuture<'_, ItemsSince> {
        Box::pin(self.items_changed_since_impl(user_id, since))
    }
    fn list_stamp(&self, user_id: i64) -> StoreFuture<'_, i64> {
        Box::pin(self.list_stamp_impl(user_id))
    }
    fn pool_stamp(&self, unit_id: i64) -> StoreFuture<'_, i64> {
        Box::pin(self.pool_stamp_impl(unit_id))
    }
    fn item_detail<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Option<ItemDetail>> {
        Box::pin(self.item_detail_impl(me, id))
    }
    fn item(&self, id: i64) -> StoreFuture<'_, Option<ItemRow>> {
        Box::pin(self.item_impl(id))
    }
    fn pool(&self, unit_id: i64) -> StoreFuture<'_, Vec<WorkItem>> {
        Box::pin(self.pool_impl(unit_id))
    }
    fn claim<'a>(&'a self, me: &'a User, id: i64, now: EpochMs) -> StoreFuture<'a, ClaimResult> {
        Box::pin(self.claim_impl(me, id, now))
    }
    fn transition<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: TransitionRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange> {
        Box::pin(self.transition_impl(me, id, req, now))
    }
    fn reassign(
        &self,
        item_id: i64,
        to: Option<i64>,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> StoreFuture<'_, Option<ItemChange>> {
        Box::pin(self.reassign_impl(item_id, to, actor_id, now))
    }
    fn reschedule(
        &self,
        item_id: i64,
        slot: NewSlot,
        actor_id: Option<i64>,
        now: EpochMs,
    ) -> StoreFuture<'_, Option<ItemChange>> {
        Box::pin(self.reschedule_impl(item_id, slot, actor_id, now))
    }

    fn log_outcome<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        idem: &'a IdemRequest,
        req: &'a NewOutcome,
        now: EpochMs,
    ) -> StoreFuture<'a, OutcomeLogged> {
        Box::pin(async move {
            let result = self.log_outcome_impl(me, item_id, idem, req, now).await;
            records::answer_as_duplicate(self, idem, result, |response| OutcomeLogged {
                response,
                closed: None,
            })
            .await
        })
    }
    fn log_time_entry<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewTimeEntry,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse> {
        Box::pin(async move {
            let result = self.log_time_entry_impl(me, idem, req, now).await;
            records::answer_as_duplicate(self, idem, result, |stored| stored).await
        })
    }
    fn log_activity<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewActivity,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse> {
        Box::pin(async move {
            let result = self.log_activity_impl(me, idem, req, now).await;
            records::answer_as_duplicate(self, idem, result, |stored| stored).await
        })
    }
    fn add_note<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        idem: &'a IdemRequest,
        text: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, StoredResponse> {
        Box::pin(async move {
            let result = self.add_note_impl(me, item_id, idem, text, now).await;
            records::answer_as_duplicate(self, idem, result, |stored| stored).await
        })
    }
    fn set_typical<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        req: &'a TypicalCaseRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange> {
        Box::pin(self.set_typical_impl(me, item_id, req, now))
    }

    fn schedule<'a>(
        &'a self,
        me: &'a User,
        start: EpochMs,
        end: EpochMs,
    ) -> StoreFuture<'a, Vec<RoomSchedule>> {
        Box::pin(self.schedule_impl(me, start, end))
    }
    fn duty_shifts(&self, user_id: i64, start: EpochMs, end: EpochMs) -> StoreFuture<'_, Vec<DutyShift>> {
        Box::pin(self.duty_shifts_impl(user_id, start, end))
    }
    fn stamp_duty(
        &self,
        user_id: i64,
        shift_id: i64,
        check_in: bool,
        now: EpochMs,
        grace_ms: EpochMs,
    ) -> StoreFuture<'_, DutyShift> {
        Box::pin(self.stamp_duty_impl(user_id, shift_id, check_in, now, grace_ms))
    }
    fn campaigns(&self) -> StoreFuture<'_, Vec<Campaign>> {
        Box::pin(self.campaigns_impl())
    }

    fn create_item<'a>(
        &'a self,
        me: &'a User,
        idem: &'a IdemRequest,
        req: &'a NewItem,
        now: EpochMs,
    ) -> StoreFuture<'a, Created> {
        Box::pin(self.create_item_impl(me, idem, req, now))
    }
    fn assign<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a AssignRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, (ItemChange, Vec<ConflictEntry>)> {
        Box::pin(self.assign_impl(me, id, req, now))
    }
    fn cancel<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a CancelRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange> {
        Box::pin(self.cancel_impl(me, id, req, now))
    }
    fn schedule_item<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a ScheduleRequest,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange> {
        Box::pin(self.schedule_item_impl(me, id, req, now))
    }
    fn conflicts<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Vec<ConflictEntry>> {
        Box::pin(self.conflicts_impl(me, id))
    }
    fn ack_conflicts<'a>(
        &'a self,
        me: &'a User,
        id: i64,
        req: &'a ConflictAck,
        now: EpochMs,
    ) -> StoreFuture<'a, ItemChange> {
        Box::pin(self.ack_conflicts_impl(me, id, req, now))
    }
    fn unit_items<'a>(
        &'a self,
        me: &'a User,
        unit: i64,
        filter: UnitItemFilter,
        assignee: Option<i64>,
        offset: i64,
        now: EpochMs,
    ) -> StoreFuture<'a, UnitItemPage> {
        Box::pin(self.unit_items_impl(me, unit, filter, assignee, offset, now))
    }
    fn reveal<'a>(&'a self, me: &'a User, id: i64, now: EpochMs) -> StoreFuture<'a, Vec<Party>> {
        Box::pin(self.reveal_impl(me, id, now))
    }
    fn audit_trail<'a>(&'a self, me: &'a User, id: i64) -> StoreFuture<'a, Vec<AuditEntry>> {
        Box::pin(self.audit_trail_impl(me, id))
    }
    fn login_state(&self, user_id: i64) -> StoreFuture<'_, LoginState> {
        Box::pin(self.login_state_impl(user_id))
    }
    fn issue_password_token<'a>(
        &'a self,
        user_id: i64,
        device: &'a str,
        token_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, i64> {
        Box::pin(self.issue_password_token_impl(user_id, device, token_hash, now))
    }
    fn authenticate_for_password<'a>(
        &'a self,
        token_hash: &'a str,
    ) -> StoreFuture<'a, Option<(i64, User, bool)>> {
        Box::pin(self.authenticate_for_password_impl(token_hash))
    }
    fn password_hash(&self, user_id: i64) -> StoreFuture<'_, String> {
        Box::pin(self.password_hash_impl(user_id))
    }
    fn set_password<'a>(
        &'a self,
        me: &'a User,
        token_id: i64,
        keep_token: bool,
        new_hash: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, ()> {
        Box::pin(self.set_password_impl(me, token_id, keep_token, new_hash, now))
    }
    fn unit_people<'a>(
        &'a self,
        me: &'a User,
        unit: i64,
        now: EpochMs,
    ) -> StoreFuture<'a, crate::api::dispatch::UnitPeople> {
        Box::pin(self.unit_people_impl(me, unit, now))
    }
    fn intake_units<'a>(
        &'a self,
        me: &'a User,
    ) -> StoreFuture<'a, Vec<crate::api::intake_units::IntakeUnit>> {
        Box::pin(self.intake_units_impl(me))
    }
    fn withdraw_time_entry<'a>(
        &'a self,
        me: &'a User,
        id: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, crate::api::TimeEntry> {
        Box::pin(self.withdraw_time_entry_impl(me, id, now))
    }
    fn withdraw_activity<'a>(
        &'a self,
        me: &'a User,
        id: &'a str,
        now: EpochMs,
    ) -> StoreFuture<'a, crate::api::Activity> {
        Box::pin(self.withdraw_activity_impl(me, id, now))
    }
    fn correct_outcome<'a>(
        &'a self,
        me: &'a User,
        item_id: i64,
        req: &'a crate::api::corrections::OutcomeCorrection,
        now: EpochMs,
    ) -> StoreFuture<'a, crate::api::corrections::CorrectedOutcome> {
        Box::pin(self.correct_outcome_impl(me, item_id, req, now))
    }
}
