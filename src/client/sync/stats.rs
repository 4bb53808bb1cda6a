//! Campaign statistics for `report` and the Stats screen: a campaign's
//! periods and one period's form. Each is cached in the local store, so the
//! last form fetched can still be read (and filed) without a network.

use super::Engine;
use super::pull::{PullError, encode};
use crate::api::paths::{CAMPAIGN_PERIODS, CAMPAIGN_STATS};
use crate::api::{PeriodInfo, PeriodList, StatsForm, StatsQuery, StatsScope, paths};
use crate::domain::EpochMs;

/// A document from the server or, when the server could not be reached,
/// the copy fetched last.
#[derive(Debug, Clone)]
pub struct Fetch<T> {
    pub value: T,
    pub stale: Option<Stale>,
}

/// Why a copy is shown instead of the server's answer, and how old it is.
#[derive(Debug, Clone)]
pub struct Stale {
    pub fetched_at: EpochMs,
    /// The network's or the server's trouble, for people.
    pub reason: String,
}

/// Which period of a campaign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PeriodChoice {
    /// `YYYY-MM-DD..YYYY-MM-DD`, or any day in the period.
    Named(String),
    /// The one that contains `today`.
    Current,
    /// The one before the current one.
    Previous,
}

pub fn scope_text(scope: StatsScope) -> &'static str {
    match scope {
        StatsScope::Me => "me",
        StatsScope::Unit => "unit",
        StatsScope::All => "all",
    }
}

/// Picks a period out of the list. `today` is `YYYY-MM-DD` in the
/// campaign's zone; dates in that form compare as text. After the campaign
/// has ended, "current" is its last period.
pub fn pick_period<'a>(list: &'a PeriodList, choice: &PeriodChoice, today: &str) -> Option<&'a PeriodInfo> {
    let containing = |day: &str| {
        list.periods
            .iter()
            .rposition(|p| p.start.as_str() <= day)
            .filter(|&i| list.periods[i].end.as_str() >= day || i + 1 == list.periods.len())
    };
    match choice {
        PeriodChoice::Named(text) => match text.split_once("..") {
            Some((start, end)) => list
                .periods
                .iter()
                .find(|p| p.start == start.trim() && p.end == end.trim()),
            None => list
                .periods
                .iter()
                .find(|p| p.start.as_str() <= text.trim() && text.trim() <= p.end.as_str()),
        },
        PeriodChoice::Current => containing(today).map(|i| &list.periods[i]),
        PeriodChoice::Previous => containing(today)
            .and_then(|i| i.checked_sub(1))
            .map(|i| &list.periods[i]),
    }
}

impl Engine {
    /// The periods of `campaign`, with deadlines and which are open.
    pub async fn periods(&self, campaign: &str) -> Result<Fetch<PeriodList>, PullError> {
        let path = paths::with_id(CAMPAIGN_PERIODS, encode(campaign));
        self.fetch_or_cached(&path, &format!("periods:{campaign}")).await
    }

    /// One period's form. Cached per campaign, period, scope and unit.
    pub async fn stats(&self, campaign: &str, query: &StatsQuery) -> Result<Fetch<StatsForm>, PullError> {
        let mut params = Vec::new();
        if let Some(p) = &query.period {
            params.push(format!("period={}", encode(p)));
        }
        if let Some(s) = query.scope {
            params.push(format!("scope={}", scope_text(s)));
        }
        if let Some(u) = query.unit {
            params.push(format!("unit={u}"));
        }
        if query.by.is_some() {
            params.push("by=unit".to_string());
        }
        let mut path = paths::with_id(CAMPAIGN_STATS, encode(campaign));
        if !params.is_empty() {
            path = format!("{path}?{}", params.join("&"));
        }
        let key = format!(
            "stats:{campaign}:{}:{}:{}{}",
            query.period.as_deref().unwrap_or("current"),
            query.scope.map(scope_text).unwrap_or("me"),
            query.unit.map(|u| u.to_string()).unwrap_or_default(),
            // A break-down is cached apart, so the plain form's copy stays.
            if query.by.is_some() { ":by-unit" } else { "" }
        );
        self.fetch_or_cached(&path, &key).await
    }
}
