//! Each screen's own state: tabs, sort, filter, selection.

use super::queue_index::QueueIndex;
use crate::api::Schedule;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueTab {
    Mediation,
    Consultations,
    ProBono,
    Pool,
}

impl QueueTab {
    pub const ALL: [QueueTab; 4] = [Self::Mediation, Self::Consultations, Self::ProBono, Self::Pool];

    pub fn label(self) -> String {
        let key = match self {
            Self::Mediation => "tui.tab.mediation",
            Self::Consultations => "tui.tab.consultations",
            Self::ProBono => "tui.tab.pro_bono",
            Self::Pool => "tui.tab.pool",
        };
        rust_i18n::t!(key).into_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Due,
    Newest,
    Category,
}

impl SortOrder {
    pub fn next(self) -> Self {
        match self {
            Self::Due => Self::Newest,
            Self::Newest => Self::Category,
            Self::Category => Self::Due,
        }
    }
    pub fn label(self) -> String {
        let key = match self {
            Self::Due => "tui.sort.due",
            Self::Newest => "tui.sort.newest",
            Self::Category => "tui.sort.category",
        };
        rust_i18n::t!(key).into_owned()
    }
}

#[derive(Debug, Default)]
pub struct QueueState {
    pub tab_index: usize,
    pub sort: SortOrder,
    pub filter: String,
    pub filtering: bool,
    pub selected: usize,
    /// The visible rows, derived; rebuilt only when items, tab, filter or
    /// sort change, never while drawing.
    pub index: QueueIndex,
}

impl QueueState {
    pub fn tab(&self) -> QueueTab {
        QueueTab::ALL[self.tab_index % QueueTab::ALL.len()]
    }
}

#[derive(Debug, Default)]
pub struct ScheduleState {
    pub date: String,
    pub schedule: Option<Schedule>,
    pub selected: usize,
    /// A join link shown for selection when the clipboard is not reachable.
    pub shown_link: Option<String>,
}

impl ScheduleState {
    /// The day's sessions, room by room, in the order the screen lists them.
    pub fn sessions(&self) -> Vec<&crate::api::WorkItem> {
        self.schedule
            .as_ref()
            .map(|s| s.rooms.iter().flat_map(|r| r.sessions.iter()).collect())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub struct ListState {
    pub selected: usize,
}
