//! The storage traits behind the statistics, the hand-in of forms, the
//! login guard's counts and the readiness probe; implemented in the
//! matching files under `sql/`.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use super::StorageResult;
use crate::api::rollup::{Submission, SubmissionList};
use crate::api::{StatsForm, StatsScope, User};
use crate::domain::EpochMs;
use crate::domain::campaign::{CampaignDef, Period};
use crate::domain::rollup::SubmissionAction;

/// What a caller asked the stats endpoint for, once the period is known.
#[derive(Debug, Clone, Copy)]
pub struct StatsAsk {
    pub scope: StatsScope,
    /// A reporting unit other than the caller's.
    pub unit: Option<i64>,
    /// `by=unit`: one row set per child unit (and per person for the
    /// unit's own coordinator).
    pub by_unit: bool,
}

/// Campaign statistics, read from the aggregates. In `sql/stats.rs`.
pub trait StatsStore {
    /// A campaign's definition (404 `campaign` when there is none).
    fn campaign_def(&self, id: &str) -> impl Future<Output = StorageResult<Arc<CampaignDef>>> + Send;
    /// One period's form as `me` may read it: whose cells it sums is
    /// decided by `domain::policy` over the unit tree; with the unit's
    /// submission, and the caller's minutes per day.
    fn campaign_stats(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        ask: StatsAsk,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<StatsForm>> + Send;
}

/// The hand-in of a period's form, per unit; who may do what is
/// `domain::rollup::check_step`. Each step is in the audit log. In
/// `sql/submissions.rs`.
pub trait SubmissionStore {
    /// Hands in `unit`'s form: freezes its figures and locks its records
    /// for the period. `filled_by` and `phone` are taken as checked.
    #[allow(clippy::too_many_arguments)]
    fn submit_form(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        unit: i64,
        filled_by: &str,
        phone: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Submission>> + Send;
    /// Approves, returns or reopens a form; `reason` taken as checked.
    #[allow(clippy::too_many_arguments)]
    fn step_submission(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        unit: i64,
        action: SubmissionAction,
        reason: Option<&str>,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Submission>> + Send;
    /// `me`'s unit and every unit below it, each on time, late, missing or pending.
    fn hand_ins(
        &self,
        me: &User,
        def: &CampaignDef,
        period: &Period,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<SubmissionList>> + Send;
}

/// One of the login guard's counts: at most `max` failures per `window_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub scope: &'static str,
    pub max: i64,
    pub window_ms: i64,
}

const MINUTE_MS: i64 = 60_000;
pub const PER_NAME_AND_CLIENT: Limit = Limit {
    scope: "name_client",
    max: 5,
    window_ms: 15 * MINUTE_MS,
};
pub const PER_CLIENT: Limit = Limit {
    scope: "client",
    max: 100,
    window_ms: 15 * MINUTE_MS,
};
pub const PER_NAME: Limit = Limit {
    scope: "name",
    max: 30,
    window_ms: 60 * MINUTE_MS,
};
/// The longest window: rows older than this count for nothing.
pub const LONGEST_WINDOW_MS: i64 = 60 * MINUTE_MS;

/// Why and for how long an attempt was refused.
#[derive(Debug, Clone, Copy)]
pub struct Refused {
    pub wait: Duration,
    pub limit: Limit,
}

impl Refused {
    /// Refused by `limit`, whose window began at `since`.
    pub fn by(limit: Limit, since: EpochMs, now: EpochMs) -> Refused {
        let left = (since + limit.window_ms - now).max(1);
        Refused {
            wait: Duration::from_millis(u64::try_from(left).unwrap_or(1)),
            limit,
        }
    }
}

/// The login guard's counts of wrong passwords (see `server::login_guard`
/// for the rules); names arrive hashed. In `sql/login_guard.rs`.
pub trait LoginGuardStore {
    /// Counts an attempt as a failure on every count, in one transaction,
    /// in the order `PER_NAME_AND_CLIENT`, `PER_CLIENT`, `PER_NAME`; stops
    /// at the first count past its limit and answers why.
    fn count_login_attempt(
        &self,
        name_hash: &str,
        client: &str,
        now: EpochMs,
    ) -> impl Future<Output = StorageResult<Option<Refused>>> + Send;
    /// The right password: this address's count for the name starts over,
    /// and the attempt is taken back from the other two.
    fn forgive_login(&self, name_hash: &str, client: &str) -> impl Future<Output = StorageResult<()>> + Send;
    /// Drops expired rows; past `max_rows`, the least telling rows go
    /// first (fewest failures, then oldest), so a lock outlives a spray.
    fn prune_login_guard(
        &self,
        now: EpochMs,
        max_rows: i64,
    ) -> impl Future<Output = StorageResult<()>> + Send;
    /// Rows held now.
    fn login_guard_rows(&self) -> impl Future<Output = StorageResult<i64>> + Send;
}

/// Whether the database answers (`/readyz`). In `sql/mod.rs`.
pub trait HealthStore {
    fn ping(&self) -> impl Future<Output = StorageResult<()>> + Send;
}
