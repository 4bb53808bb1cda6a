//! The coordinator's Dispatch screen: the unit's open work in views
//! (unassigned, overdue, all, one person's) and its people's load. Its
//! state here, its keys in `keys`, its drawing in `view`.

pub mod keys;
pub mod view;

use crate::api::WorkItem;
use crate::api::dispatch::UnitPerson;

/// Which of the unit's open work the screen lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DispatchView {
    /// Waiting in the on-duty pool: what to give out first.
    #[default]
    Unassigned,
    Overdue,
    Open,
    /// One person's work (an index into the people).
    Person(usize),
}

#[derive(Debug, Clone, Default)]
pub struct DispatchState {
    /// The unit shown, once the first answer came.
    pub unit: Option<(i64, String)>,
    /// The coordinator's own unit then the units right below it (`u`
    /// moves among them); `at` is the one asked for.
    pub units: Vec<(i64, String)>,
    pub at: usize,
    /// The unit's unfinished items, green channel first, soonest due.
    pub items: Vec<WorkItem>,
    /// Its lawyers and mediators with their open load.
    pub people: Vec<UnitPerson>,
    pub view: DispatchView,
    pub selected: usize,
    pub loading: bool,
}

impl DispatchState {
    /// The views in Tab order: the three fixed ones, then one per person.
    pub fn views(&self) -> Vec<DispatchView> {
        let mut v = vec![
            DispatchView::Unassigned,
            DispatchView::Overdue,
            DispatchView::Open,
        ];
        v.extend((0..self.people.len()).map(DispatchView::Person));
        v
    }

    /// Whether `item` belongs in `view` at `now`.
    pub fn shows(&self, view: DispatchView, item: &WorkItem, now: i64) -> bool {
        match view {
            DispatchView::Unassigned => item.assignee.is_none(),
            DispatchView::Overdue => item.due_at < now,
            DispatchView::Open => true,
            DispatchView::Person(i) => self
                .people
                .get(i)
                .is_some_and(|p| item.assignee.as_ref().is_some_and(|a| a.id == p.id)),
        }
    }

    /// The rows of the current view (a handful to a few hundred items:
    /// filtered when asked, never while drawing more than the window).
    pub fn rows(&self, now: i64) -> Vec<&WorkItem> {
        self.items
            .iter()
            .filter(|i| self.shows(self.view, i, now))
            .collect()
    }

    pub fn count(&self, view: DispatchView, now: i64) -> usize {
        self.items.iter().filter(|i| self.shows(view, i, now)).count()
    }

    pub fn selected_item(&self, now: i64) -> Option<&WorkItem> {
        self.rows(now).get(self.selected).copied()
    }
}
