//! The queue's derived rows: which items a tab shows, filtered and sorted.
//! Built when the items, tab, filter or sort change, so drawing a frame
//! only reads a window of it, whatever the number of items.

use super::{PartyNames, QueueTab, SortOrder};
use crate::api::WorkItem;
use crate::client::store::{CachedKey, TabRows};
use crate::domain::{Category, EpochMs, ItemKind};
use crate::tui::labels;

#[derive(Debug, Default, Clone)]
pub struct QueueIndex {
    /// Positions in the tab's source list, in display order.
    pub rows: Vec<usize>,
}

const HOUR: EpochMs = 3_600_000;

/// Due bands: within a band, green-channel requests come first (优先办理).
fn due_band(due: EpochMs, now: EpochMs) -> u8 {
    let left = due.saturating_sub(now);
    match left {
        l if l < 0 => 0,
        l if l < HOUR => 1,
        l if l < 4 * HOUR => 2,
        l if l < 24 * HOUR => 3,
        _ => 4,
    }
}

/// [`in_tab`] as the store asks it (the first frame's rows, in SQL).
pub fn tab_rows(tab: QueueTab) -> TabRows {
    match tab {
        QueueTab::Mediation => TabRows::Kind(ItemKind::Mediation),
        QueueTab::Consultations => TabRows::Kind(ItemKind::Consultation),
        QueueTab::ProBono => TabRows::KindOrGreen(ItemKind::ProBono),
        QueueTab::Pool => TabRows::All,
    }
}

fn in_tab(kind: ItemKind, green_channel: bool, tab: QueueTab) -> bool {
    match tab {
        QueueTab::Mediation => kind == ItemKind::Mediation,
        QueueTab::Consultations => kind == ItemKind::Consultation,
        QueueTab::ProBono => kind == ItemKind::ProBono || green_channel,
        QueueTab::Pool => true,
    }
}

/// The "due" order: open work first (a closed or cancelled item has no
/// deadline left), then by due band, green channel first within a band,
/// then by due time and id.
fn due_order(
    finished: bool,
    due_at: EpochMs,
    green_channel: bool,
    id: i64,
    now: EpochMs,
) -> (bool, u8, bool, EpochMs, i64) {
    (finished, due_band(due_at, now), !green_channel, due_at, id)
}

/// The ids of the first `rows` items a tab shows in due order, unfiltered,
/// from the sort keys alone: what the first frame needs from the cache.
pub fn first_screen(keys: &[CachedKey], tab: QueueTab, now: EpochMs, rows: usize) -> Vec<i64> {
    let mut shown: Vec<&CachedKey> = keys
        .iter()
        .filter(|k| in_tab(k.kind, k.green_channel, tab))
        .collect();
    let order = |k: &&CachedKey| due_order(k.status.is_finished(), k.due_at, k.green_channel, k.id, now);
    if shown.len() > rows {
        // Only the first `rows` need to be in order.
        shown.select_nth_unstable_by_key(rows, order);
        shown.truncate(rows);
    }
    shown.sort_unstable_by_key(order);
    shown.into_iter().map(|k| k.id).collect()
}

/// Does the item match what was typed (already lower-cased): title, a
/// party's name, or its category in either language, ignoring case.
/// `category_hit` holds the categories whose names contain the text; the
/// names of a row kept without its parties are in `party_names`.
fn matches(item: &WorkItem, needle: &str, category_hit: &[Category], party_names: &PartyNames) -> bool {
    needle.is_empty()
        || category_hit.contains(&item.category)
        || item.title.to_lowercase().contains(needle)
        || party_names
            .get(&item.id)
            .is_some_and(|names| names.contains(needle))
        || item
            .parties
            .iter()
            .any(|p| p.name.to_lowercase().contains(needle))
}

impl QueueIndex {
    /// The rows of `items` a tab shows, filtered by what was typed and sorted.
    pub fn build(items: &[WorkItem], tab: QueueTab, filter: &str, sort: SortOrder, now: EpochMs) -> Self {
        Self::build_with_names(items, &PartyNames::default(), tab, filter, sort, now)
    }

    /// Like [`QueueIndex::build`], the filter also reading the parties'
    /// names kept apart from the rows.
    pub fn build_with_names(
        items: &[WorkItem],
        party_names: &PartyNames,
        tab: QueueTab,
        filter: &str,
        sort: SortOrder,
        now: EpochMs,
    ) -> Self {
        let needle = filter.trim().to_lowercase();
        // The catalogs are asked once per category, not once per item.
        let category_hit: Vec<Category> = Category::ALL
            .into_iter()
            .filter(|c| !needle.is_empty() && labels::category_both(*c).contains(&needle))
            .collect();
        let mut rows: Vec<usize> = (0..items.len())
            .filter(|&i| {
                in_tab(items[i].kind, items[i].green_channel, tab)
                    && matches(&items[i], &needle, &category_hit, party_names)
            })
            .collect();
        match sort {
            SortOrder::Due => rows.sort_by_key(|&i| {
                let it = &items[i];
                due_order(it.status.is_finished(), it.due_at, it.green_channel, it.id, now)
            }),
            // Finished work goes last in every order.
            SortOrder::Newest => rows.sort_by_key(|&i| {
                let it = &items[i];
                (it.status.is_finished(), std::cmp::Reverse(it.created_at), it.id)
            }),
            SortOrder::Category => rows.sort_by_key(|&i| {
                let it = &items[i];
                (it.status.is_finished(), it.category.as_str(), it.due_at, it.id)
            }),
        }
        QueueIndex { rows }
    }
}
