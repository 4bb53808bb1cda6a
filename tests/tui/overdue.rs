//! Overdue work said once at start: how many and the first few by id and
//! title, in the user's language; nothing when all is on time.

use dutydesk::domain::ItemStatus;
use dutydesk::tui::{Message, update};

use crate::fixtures::{self, HOUR, NOW, lang};
use crate::render;

/// Four of my items past their due time (one of them closed) and the rest
/// on time.
fn late_items() -> Vec<dutydesk::api::WorkItem> {
    let mut items = fixtures::my_items();
    for (n, item) in items.iter_mut().enumerate() {
        item.due_at = NOW + HOUR;
        if n < 5 {
            item.due_at = NOW - (5 - n as i64) * HOUR;
        }
    }
    items[2].status = ItemStatus::Closed;
    items
}

#[test]
fn overdue_items_are_counted_and_named_at_start_in_both_languages() {
    let items = late_items();
    let open: Vec<_> = items
        .iter()
        .filter(|i| i.due_at < NOW && i.status != ItemStatus::Closed)
        .collect();
    assert_eq!(open.len(), 4);
    for (code, said) in [("en", "4 overdue: #"), ("zh-CN", "超期未办结 4 件：#")] {
        let _l = lang(code);
        let mut m = fixtures::model();
        update(&mut m, Message::OverdueLoaded(items.clone()));
        let screen = render(&mut m, 200, 24);
        assert!(screen.contains(said), "{screen}");
        // The most overdue first, the closed one never.
        let first = format!("#{}", open[0].id);
        assert!(screen.contains(&first), "{screen}");
        assert!(!screen.contains(&format!("#{} ", items[2].id)), "{screen}");
        insta::assert_snapshot!(format!("overdue_{code}_80x24"), render(&mut m, 80, 24));
    }
}

#[test]
fn nothing_is_said_when_all_is_on_time() {
    let _l = lang("en");
    let mut m = fixtures::model();
    let mut items = fixtures::my_items();
    for item in &mut items {
        item.due_at = NOW + HOUR;
    }
    update(&mut m, Message::OverdueLoaded(items));
    assert!(!render(&mut m, 200, 24).contains("overdue"));
}
