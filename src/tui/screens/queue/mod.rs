//! The queue: my items by tab (mediation, consultations, pro bono, the
//! pool), sorted and filtered. Its state here, its keys in `keys`, its
//! drawing in `view`, the derived rows in `index`.

pub mod index;
pub mod keys;
pub mod view;

use std::collections::{HashMap, HashSet};

use self::index::QueueIndex;
use crate::api::WorkItem;
use crate::domain::EpochMs;

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
    /// The parties' names of the rows, which are kept without their
    /// parties, for the filter.
    pub party_names: PartyNames,
}

/// Item id → its parties' names, lower-cased, one a line: what the filter
/// reads of the parties. Each row's `Vec<Party>` (names, roles, empty
/// contacts) took most of the queue's memory with 10,000 cached items; the
/// detail screen reads the parties back from the store.
pub type PartyNames = HashMap<i64, Box<str>>;

impl QueueState {
    pub fn tab(&self) -> QueueTab {
        QueueTab::ALL[self.tab_index % QueueTab::ALL.len()]
    }

    /// Moves the parties of the rows of a list that just arrived into
    /// [`QueueState::party_names`], and forgets the names of items in
    /// neither `rows` nor `other` (the other list).
    pub fn keep_party_names(&mut self, rows: &mut [WorkItem], other: &[WorkItem]) {
        let listed: HashSet<i64> = rows.iter().chain(other).map(|r| r.id).collect();
        self.party_names.retain(|id, _| listed.contains(id));
        for row in rows.iter_mut().filter(|r| !r.parties.is_empty()) {
            let names: Vec<String> = row.parties.iter().map(|p| p.name.to_lowercase()).collect();
            self.party_names.insert(row.id, names.join("\n").into_boxed_str());
            row.parties = Vec::new();
        }
    }

    /// Keeps the parties' names of a list about to arrive (item id, names
    /// one a line), lower-cased for the filter.
    pub fn add_party_names(&mut self, names: Vec<(i64, String)>) {
        for (id, names) in names {
            // Most names have no case: no second copy for those.
            let names = if names.chars().any(char::is_uppercase) {
                names.to_lowercase()
            } else {
                names
            };
            self.party_names.insert(id, names.into_boxed_str());
        }
    }

    /// The items the current tab draws from: the pool, or my items.
    pub fn source<'a>(&self, items: &'a [WorkItem], pool: &'a [WorkItem]) -> &'a [WorkItem] {
        if self.tab() == QueueTab::Pool { pool } else { items }
    }

    /// Rebuilds the visible rows; the cursor stays on the item it was on
    /// (a refresh or another sort must not slide another item under a
    /// claim or an Enter), or at the same row when that item is gone.
    pub fn rebuild(&mut self, items: &[WorkItem], pool: &[WorkItem], now: EpochMs) {
        let source = self.source(items, pool);
        let selected_id = self.selected_row(source).map(|i| i.id);
        let index = QueueIndex::build_with_names(
            source,
            &self.party_names,
            self.tab(),
            &self.filter,
            self.sort,
            now,
        );
        let found = selected_id.and_then(|id| index.rows.iter().position(|&r| source[r].id == id));
        let len = index.rows.len();
        self.index = index;
        self.selected = found.unwrap_or(self.selected).min(len.saturating_sub(1));
    }

    /// The item under the cursor, from the tab's `source`.
    pub fn selected_row<'a>(&self, source: &'a [WorkItem]) -> Option<&'a WorkItem> {
        let row = *self.index.rows.get(self.selected)?;
        source.get(row)
    }
}
