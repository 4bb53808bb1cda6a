//! Work past its due time and still open, said once at start to the one it
//! is assigned to and to the unit's coordinator: how many, and the first
//! few by id and title, in the user's language.

use rust_i18n::t;

use crate::api::WorkItem;
use crate::domain::EpochMs;

/// How many items the notice names before "…".
const NAMED: usize = 3;

/// Whether an item is past its due time and still open.
pub fn is_overdue(item: &WorkItem, now: EpochMs) -> bool {
    !item.status.is_finished() && item.due_at < now
}

/// The overdue items among `items` (each once), most overdue first.
pub fn overdue(items: &[WorkItem], now: EpochMs) -> Vec<&WorkItem> {
    let mut late: Vec<&WorkItem> = items.iter().filter(|i| is_overdue(i, now)).collect();
    late.sort_by_key(|i| (i.due_at, i.id));
    late.dedup_by_key(|i| i.id);
    late
}

/// `3 items are overdue: #12 …, #15 …, #21 …`, or nothing when none is.
pub fn notice(items: &[WorkItem], now: EpochMs) -> Option<String> {
    let late = overdue(items, now);
    if late.is_empty() {
        return None;
    }
    let mut named: Vec<String> = late
        .iter()
        .take(NAMED)
        .map(|i| format!("#{} {}", i.id, crate::text::clean(&i.title)))
        .collect();
    if late.len() > NAMED {
        named.push("…".into());
    }
    let sep = t!("tree.overdue_separator");
    Some(
        t!(
            "tree.overdue_notice",
            count = late.len(),
            items = named.join(sep.as_ref())
        )
        .into_owned(),
    )
}
