//! The queue keeps its rows slim (no description, no parties: the store
//! leaves out their contacts and ID numbers, `LocalStore::queue_items`,
//! and the queue keeps only their names, `QueueState::party_names`); the
//! detail screen gets the whole item from the store in the background when
//! it opens, before the server's detail, and the row of the open item
//! keeps it across list reloads.

use super::model::Model;
use crate::api::WorkItem;

/// The whole cached item arrived: the rows with its id get back what the
/// queue left out. Their own fields (status, version: perhaps a write's,
/// shown at once) stay.
pub fn on_cached_item(model: &mut Model, whole: &WorkItem) {
    for row in model
        .items
        .iter_mut()
        .chain(model.pool.iter_mut())
        .filter(|r| r.id == whole.id)
    {
        fill(row, whole);
    }
}

/// A list replaces `old`: the open item's row in `new` keeps what was read
/// back for it.
pub fn carry_open(open: Option<i64>, old: &[WorkItem], new: &mut [WorkItem]) {
    let Some(id) = open else { return };
    let Some(whole) = old.iter().find(|r| r.id == id) else {
        return;
    };
    if let Some(row) = new.iter_mut().find(|r| r.id == id) {
        fill(row, whole);
    }
}

/// What the queue leaves out, from `whole` into `row` where `row` lacks it.
/// A row kept without its parties takes them all; else parties are
/// matched by name and place, and a list that changed keeps the row's own.
fn fill(row: &mut WorkItem, whole: &WorkItem) {
    if row.description.is_empty() {
        row.description.clone_from(&whole.description);
    }
    if row.parties.is_empty() {
        row.parties.clone_from(&whole.parties);
        return;
    }
    let same = row.parties.len() == whole.parties.len()
        && row
            .parties
            .iter()
            .zip(&whole.parties)
            .all(|(a, b)| a.name == b.name);
    if same {
        for (p, w) in row.parties.iter_mut().zip(&whole.parties) {
            if p.contact.is_none() {
                p.contact.clone_from(&w.contact);
            }
            if p.id_number.is_none() {
                p.id_number.clone_from(&w.id_number);
            }
        }
    }
}
