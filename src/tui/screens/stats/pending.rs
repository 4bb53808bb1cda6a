//! What the local outbox would still add to a campaign's form: a leaf of
//! its own so `message` can carry it without importing the Stats screen.

use std::collections::BTreeMap;

use crate::api::StatsCell;
use crate::domain::campaign::{CampaignDef, RecordFact, contributions};

/// Records in the local outbox that will count once sent, per indicator
/// code, computed by the backend with the campaign's rules. Shown apart
/// from the server's (confirmed) numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StatsPending {
    /// Unsent records that touch this campaign.
    pub records: usize,
    /// Indicator code → what those records would add (money rows in fen).
    pub by_indicator: BTreeMap<String, StatsCell>,
}

impl StatsPending {
    /// What unsent records would add to the period starting `period_start`
    /// (`YYYY-MM-DD`) of a campaign, by the campaign's own rules: for the
    /// backend to call with the outbox's records. Hours are not form rows
    /// and are left out; records outside the period do not count.
    pub fn from_facts(def: &CampaignDef, period_start: &str, facts: &[RecordFact]) -> Self {
        let mut pending = StatsPending::default();
        for fact in facts {
            let mut counted = false;
            for inc in contributions(def, fact) {
                let row = def.indicators.iter().find(|i| i.code == inc.indicator);
                let (Some(row), true) = (row, inc.period_start.to_string() == period_start) else {
                    continue;
                };
                let cell = pending.by_indicator.entry(inc.indicator).or_default();
                cell.value1 += inc.value1;
                if row.two_valued() {
                    cell.value2 = Some(cell.value2.unwrap_or(0) + inc.value2);
                }
                counted = true;
            }
            pending.records += usize::from(counted);
        }
        pending
    }
}
