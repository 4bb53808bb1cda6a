//! What the Stats screen holds: the campaigns, the chosen campaign, period
//! and scope, the form last loaded, and the export in progress.

pub mod actions;
pub mod pending;
mod table;
pub mod tree;
pub mod view;

use self::pending::StatsPending;
use crate::api::{Campaign, PeriodInfo, PeriodList, StatsForm, StatsScope, UnitRef};
use crate::domain::EpochMs;
use crate::report::Format;

/// The export line at the bottom of the screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ExportState {
    #[default]
    Idle,
    /// `e` was pressed: the next key picks CSV or XLSX.
    Choosing,
    Running(Format),
    Done(String),
    Failed(String),
}

#[derive(Debug, Clone)]
pub struct StatsState {
    pub campaigns: Vec<Campaign>,
    /// Whether the campaign list has arrived (an empty list is an answer).
    pub campaigns_loaded: bool,
    pub campaign: usize,
    pub scope: StatsScope,
    /// `(start, end)` asked for; `None` is the current period.
    pub period: Option<(String, String)>,
    pub periods: Option<PeriodList>,
    pub form: Option<StatsForm>,
    /// My minutes per day of the shown period.
    pub hours_by_day: Vec<u64>,
    pub pending: StatsPending,
    pub export: ExportState,
    /// Table rows scrolled off the top.
    pub scroll: usize,
    pub loading: bool,
    /// The units opened below the caller's own, top first; empty shows
    /// the caller's unit.
    pub unit_path: Vec<UnitRef>,
    /// The chosen line of the form's per-unit row sets.
    pub unit_cursor: usize,
}

impl Default for StatsState {
    fn default() -> Self {
        StatsState {
            campaigns: Vec::new(),
            campaigns_loaded: false,
            campaign: 0,
            scope: StatsScope::Me,
            period: None,
            periods: None,
            form: None,
            hours_by_day: Vec::new(),
            pending: StatsPending::default(),
            export: ExportState::Idle,
            scroll: 0,
            loading: false,
            unit_path: Vec::new(),
            unit_cursor: 0,
        }
    }
}

impl StatsState {
    pub fn campaign_id(&self) -> Option<&str> {
        self.campaigns.get(self.campaign).map(|c| c.id.as_str())
    }

    /// The next deadline still ahead of `now`, across all periods.
    pub fn next_deadline(&self, now: EpochMs) -> Option<&PeriodInfo> {
        self.periods
            .as_ref()?
            .periods
            .iter()
            .filter(|p| p.due_by > now)
            .min_by_key(|p| p.due_by)
    }

    /// The period `step` away from the one shown, if the campaign has it.
    pub fn period_step(&self, step: isize) -> Option<(String, String)> {
        let shown = &self.form.as_ref()?.period;
        let list = &self.periods.as_ref()?.periods;
        let at = list.iter().position(|p| p.start == shown.start)?;
        let to = at.checked_add_signed(step)?;
        list.get(to).map(|p| (p.start.clone(), p.end.clone()))
    }
}
