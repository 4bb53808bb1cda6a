//! The queue keeps slim rows (no description, no parties' contacts): the
//! detail screen gets the whole item from the store when it opens, keeps
//! it across list reloads, and a write shown at once is not undone by it.

use crossterm::event::KeyCode;
use dutydesk::api::WorkItem;
use dutydesk::domain::ItemStatus;
use dutydesk::tui::{Command, Message, Model, Screen, update};

use crate::fixtures::{self, lang};
use crate::{press, render};

/// As `LocalStore::queue_items` reads them.
fn slim(items: &[WorkItem]) -> Vec<WorkItem> {
    items
        .iter()
        .cloned()
        .map(|mut i| {
            i.description.clear();
            for p in &mut i.parties {
                p.contact = None;
                p.id_number = None;
            }
            i
        })
        .collect()
}

#[test]
fn the_detail_of_a_slim_row_fills_in_from_the_store_and_stays_across_reloads() {
    let _l = lang("en");
    let whole_items = fixtures::my_items();
    let mut m = fixtures::model();
    update(&mut m, Message::ItemsLoaded(slim(&whole_items)));
    let id = m.selected_item().expect("a row").id;
    let mut whole = whole_items.iter().find(|i| i.id == id).expect("cached").clone();
    whole.description = "The applicant's landlord kept the deposit after the shop closed.".into();
    assert_eq!(press(&mut m, KeyCode::Enter), Some(Command::FetchDetail(id)));
    assert_eq!(m.screen, Screen::Detail);
    assert!(!render(&mut m, 100, 30).contains("kept the deposit"));

    // A write shown at once (accepted → in progress) before the store answers.
    let row = m.detail_item().expect("row").clone();
    let version = row.version;
    let moved = WorkItem {
        status: ItemStatus::InProgress,
        version: version + 1,
        ..row
    };
    update(&mut m, Message::ItemChanged(Box::new(moved)));
    update(&mut m, Message::CachedItem(Box::new(whole.clone())));
    let shown = m.detail_item().expect("row");
    assert_eq!(shown.description, whole.description);
    assert_eq!(shown.parties, whole.parties, "contacts back for the detail");
    assert_eq!(
        (shown.status, shown.version),
        (ItemStatus::InProgress, version + 1),
        "the write shown at once stays"
    );
    assert!(render(&mut m, 100, 30).contains("kept the deposit"));

    // A reload of the list (slim again) keeps what the open item read back.
    update(&mut m, Message::ItemsLoaded(slim(&whole_items)));
    assert_eq!(m.detail_item().expect("row").description, whole.description);
    // Other rows stay slim.
    assert!(
        m.items
            .iter()
            .filter(|i| i.id != id)
            .all(|i| i.description.is_empty())
    );
}

/// The queue keeps its rows without their parties (with 10,000 cached
/// items they were most of its memory), their names apart for the filter:
/// a party's name still finds its item, in any case, and the detail gets
/// the parties back from the store.
#[test]
fn rows_keep_no_parties_yet_the_filter_finds_a_party_by_name() {
    let _l = lang("en");
    let whole_items = fixtures::my_items();
    let mut m = fixtures::model();
    // As the backend sends a cached list: the names, then rows without parties.
    let names = whole_items
        .iter()
        .filter(|i| !i.parties.is_empty())
        .map(|i| {
            (
                i.id,
                i.parties
                    .iter()
                    .map(|p| p.name.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })
        .collect();
    update(&mut m, Message::PartyNames(names));
    let rows = slim(&whole_items)
        .into_iter()
        .map(|i| WorkItem {
            parties: Vec::new(),
            ..i
        })
        .collect();
    update(&mut m, Message::ItemsLoaded(rows));
    assert!(m.items.iter().all(|i| i.parties.is_empty()), "no parties kept");
    let whole = whole_items
        .iter()
        .find(|i| !i.parties.is_empty())
        .expect("a fixture item with a party")
        .clone();
    let party = whole.parties[0].name.clone();
    let shown =
        |m: &Model| -> Vec<i64> { m.queue.index.rows.iter().map(|&r| m.tab_source()[r].id).collect() };
    // To the item's tab.
    while !shown(&m).contains(&whole.id) {
        press(&mut m, KeyCode::Tab);
    }
    press(&mut m, KeyCode::Char('/'));
    crate::typed(&mut m, &party.to_uppercase());
    assert!(shown(&m).contains(&whole.id), "{party} finds #{}", whole.id);
    crate::typed(&mut m, "no such name");
    assert!(shown(&m).is_empty());

    m.detail_id = Some(whole.id);
    update(&mut m, Message::CachedItem(Box::new(whole.clone())));
    assert_eq!(m.detail_item().expect("row").parties, whole.parties);
}
