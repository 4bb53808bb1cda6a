//! The terminal app's queue keeps its rows slim: the store reads them
//! without the description and the parties (most of the memory with 10,000
//! cached items), the parties' names apart for the filter; the whole item
//! is read back by id for the detail screen.

use dutydesk::api::Party;
use dutydesk::domain::PartyKind;

use crate::store::open;
use crate::support::{Home, item};

fn whole(id: i64) -> dutydesk::api::WorkItem {
    let mut it = item(id, "mediation", "物业费纠纷调解");
    it.description = "申请人称物业公司多收取三年的公摊电费，要求退还。".repeat(4);
    it.parties = vec![
        Party {
            name: "李女士".into(),
            role: "申请人".into(),
            contact: Some("138****5678".into()),
            kind: PartyKind::Person,
            id_number: Some("110101********1234".into()),
        },
        Party {
            name: "某物业公司".into(),
            role: "被申请人".into(),
            contact: None,
            kind: PartyKind::Enterprise,
            id_number: None,
        },
    ];
    it
}

#[tokio::test]
async fn queue_rows_leave_out_descriptions_and_contacts_and_the_whole_item_reads_back() {
    let home = Home::new();
    let store = open(&home).await;
    let mut bare = item(3, "consultation", "工资");
    bare.parties.clear();
    store
        .upsert_items("mine", &[whole(1), whole(2), bare.clone()])
        .await
        .unwrap();

    let mut rows = store.queue_items("mine").await.unwrap();
    rows.sort_by_key(|i| i.id);
    assert_eq!(rows.len(), 3);
    for (row, full) in rows.iter().zip([whole(1), whole(2), bare.clone()]) {
        // Everything the queue draws and sorts by is as cached; the
        // description and the parties are left out.
        let slim = dutydesk::api::WorkItem {
            description: String::new(),
            parties: Vec::new(),
            ..full.clone()
        };
        assert_eq!(row, &slim);
    }
    // The filter reads the parties' names, which come apart, one a line.
    let mut names = store.party_names("mine").await.unwrap();
    names.sort();
    assert_eq!(
        names,
        vec![
            (1, "李女士\n某物业公司".to_string()),
            (2, "李女士\n某物业公司".to_string())
        ],
        "an item without parties has no names"
    );
    assert!(store.party_names("pool").await.unwrap().is_empty());
    let by_id = store.queue_items_by_id(&[2]).await.unwrap();
    assert_eq!(by_id, vec![rows[1].clone()]);
    assert_eq!(
        store.cached_item(1).await.unwrap(),
        Some(whole(1)),
        "the whole item reads back"
    );
}

/// The overdue notice at start reads only open items past due, as slim as
/// the queue's rows (it used to decode the whole cache, descriptions and
/// all, for a count and three titles).
#[tokio::test]
async fn overdue_rows_are_the_open_items_past_due_and_slim() {
    let home = Home::new();
    let store = open(&home).await;
    let now = 1_790_000_000_000;
    let mut late = whole(1);
    late.due_at = now - 1;
    let mut late_but_closed = whole(2);
    late_but_closed.due_at = now - 1;
    late_but_closed.status = dutydesk::domain::ItemStatus::Closed;
    let mut not_yet = whole(3);
    not_yet.due_at = now + 1;
    let mut late_in_pool = whole(4);
    late_in_pool.due_at = now - 1;
    store
        .upsert_items("mine", &[late.clone(), late_but_closed, not_yet])
        .await
        .unwrap();
    store.upsert_items("pool", &[late_in_pool]).await.unwrap();

    let rows = store.overdue_queue_items("mine", now).await.unwrap();
    assert_eq!(rows.iter().map(|r| r.id).collect::<Vec<_>>(), vec![1]);
    assert_eq!(rows[0].title, late.title);
    assert_eq!(rows[0].description, "", "no description kept");
    assert!(rows[0].parties.iter().all(|p| p.contact.is_none()));
    assert!(
        store
            .overdue_queue_items("pool", now - 10)
            .await
            .unwrap()
            .is_empty()
    );
}
