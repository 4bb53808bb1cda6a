//! The first frame reads only the queue's sort keys and the rows of the
//! first screen from the cache: that screen must be exactly the one the
//! whole cache would give.

use dutydesk::client::store::{CachedKey, LocalStore, MINE, POOL};
use dutydesk::domain::{ItemKind, ItemStatus};
use dutydesk::tui::app::startup_messages;
use dutydesk::tui::model::{QueueTab, SortOrder};
use dutydesk::tui::screens::queue::index::{QueueIndex, first_screen};
use dutydesk::tui::{Message, update};

use super::fixtures::{self, HOUR, MIN, NOW, my_items, pool_items};
use super::render;

/// `n` items of every kind, green or not, due anywhere from two days ago
/// to three days ahead, with many sharing a due time (ties go by id).
fn many_items(n: usize) -> Vec<dutydesk::api::WorkItem> {
    let base = my_items();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    (0..n)
        .map(|i| {
            let mut item = base[i % base.len()].clone();
            item.id = 1_000 + i as i64;
            item.kind = ItemKind::ALL[(next() % 3) as usize];
            item.green_channel = next() % 4 == 0;
            // Whole quarter-hours: plenty of equal due times.
            item.due_at = NOW - 48 * HOUR + (next() % 480) as i64 * 15 * MIN;
            // One in five finished (closed, no-show, cancelled): they go last.
            item.status = [
                ItemStatus::New,
                ItemStatus::Accepted,
                ItemStatus::InProgress,
                ItemStatus::Waiting,
                ItemStatus::Closed,
                ItemStatus::NoShow,
                ItemStatus::Cancelled,
                ItemStatus::InProgress,
                ItemStatus::New,
                ItemStatus::Accepted,
            ][(next() % 10) as usize];
            item
        })
        .collect()
}

fn keys_of(items: &[dutydesk::api::WorkItem]) -> Vec<CachedKey> {
    items
        .iter()
        .map(|i| CachedKey {
            id: i.id,
            kind: i.kind,
            green_channel: i.green_channel,
            due_at: i.due_at,
            status: i.status,
        })
        .collect()
}

#[test]
fn the_first_screen_is_the_top_of_the_whole_queue_in_every_tab() {
    let items = many_items(3_000);
    let keys = keys_of(&items);
    for tab in QueueTab::ALL {
        let whole = QueueIndex::build(&items, tab, "", SortOrder::Due, NOW);
        let order: Vec<i64> = whole.rows.iter().map(|&r| items[r].id).collect();
        for rows in [0, 1, 22, 200, 5_000] {
            let first = first_screen(&keys, tab, NOW, rows);
            let expected = &order[..rows.min(order.len())];
            assert_eq!(first, expected, "tab {tab:?}, {rows} rows");
        }
    }
}

async fn store_with(
    items: &[dutydesk::api::WorkItem],
    pool: &[dutydesk::api::WorkItem],
) -> (tempfile::TempDir, LocalStore) {
    let dir = tempfile::tempdir().unwrap();
    let (store, _) = LocalStore::open(&dir.path().join("default.sqlite"))
        .await
        .unwrap();
    store.upsert_items(MINE, items).await.unwrap();
    store.upsert_items(POOL, pool).await.unwrap();
    (dir, store)
}

/// The model of a start: no items until the startup messages arrive.
fn empty_model() -> dutydesk::tui::Model {
    let mut m = fixtures::model();
    update(&mut m, Message::ItemsLoaded(Vec::new()));
    update(&mut m, Message::PoolLoaded(Vec::new()));
    m
}

#[test]
fn the_first_frame_from_the_cache_is_the_frame_of_the_whole_cache() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut items = many_items(2_000);
    items.extend(my_items());
    let (_dir, store) = rt.block_on(store_with(&items, &pool_items()));

    for tab in [0, 2, 3] {
        let mut started = empty_model();
        started.queue.tab_index = tab;
        let startup = rt.block_on(startup_messages(&store, &started, 24)).unwrap();
        for msg in startup {
            update(&mut started, msg);
        }
        // Only a screenful was read...
        assert!(started.items.len() <= 24, "read {} items", started.items.len());
        assert!(started.pool.len() <= 24, "read {} pool items", started.pool.len());

        let mut whole = empty_model();
        whole.queue.tab_index = tab;
        let (mine, pool, outbox) = rt.block_on(async {
            (
                store.cached_items(MINE).await.unwrap(),
                store.cached_items(POOL).await.unwrap(),
                dutydesk::tui::backend::outbox_summary(&store).await.unwrap(),
            )
        });
        update(&mut whole, Message::ItemsLoaded(mine));
        update(&mut whole, Message::PoolLoaded(pool));
        update(&mut whole, Message::OutboxChanged(outbox));
        // ...and it draws what the whole cache draws.
        let _lang = fixtures::lang("zh-CN");
        assert_eq!(
            render(&mut started, 80, 24),
            render(&mut whole, 80, 24),
            "tab {tab}"
        );
    }
}

#[tokio::test]
async fn another_sort_order_at_start_reads_the_whole_list() {
    let items = many_items(50);
    let (_dir, store) = store_with(&items, &[]).await;
    let mut model = empty_model();
    model.queue.sort = SortOrder::Newest;
    let startup = startup_messages(&store, &model, 24).await.unwrap();
    let Some(Message::ItemsLoaded(read)) = startup.first() else {
        panic!("the first startup message is the list: {startup:?}");
    };
    assert_eq!(read.len(), 50);
}

/// A form left unsent on an item far down the queue (not among the rows
/// the first frame read) is still offered back at start.
#[test]
fn a_draft_of_an_item_off_the_first_screen_is_offered_back() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let items = many_items(500);
    let (_dir, store) = rt.block_on(store_with(&items, &[]));
    let mut model = empty_model();
    let keys = keys_of(&items);
    let order = first_screen(&keys, model.queue.tab(), NOW, usize::MAX);
    let last = *order.last().expect("the tab has items");
    let draft = dutydesk::tui::model::Draft {
        item_id: last,
        code: None,
        minutes: "25".into(),
        settled_amount: String::new(),
        fee_waived: String::new(),
        note: "还没说完".into(),
    };
    rt.block_on(store.save_draft(
        &dutydesk::tui::backend::draft_key(last),
        &serde_json::to_string(&draft).unwrap(),
    ))
    .unwrap();

    let startup = rt.block_on(startup_messages(&store, &model, 24)).unwrap();
    for msg in startup {
        update(&mut model, msg);
    }
    assert!(
        !model.items.iter().any(|i| i.id == last),
        "not on the first screen"
    );
    let Some(dutydesk::tui::popups::Popup::Outcome(form)) = &model.popup else {
        panic!("the draft's form is open again");
    };
    assert_eq!(form.note_text(), "还没说完");
    assert_eq!(form.minutes, "25");
}
