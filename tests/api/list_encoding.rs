//! The list is encoded straight from the rows (`storage::sql::item_list`):
//! it must be byte for byte what encoding `ItemList` gives, each item as
//! the detail shows it (masked parties included), and rows stored without
//! their masked parties (older rows, other tools) are masked at read.

use dutydesk::api::ItemList;
use serde_json::Value;

use crate::on_all_backends;
use crate::support::{Ctx, json};

async fn body(ctx: &Ctx, token: &str, path: &str) -> Vec<u8> {
    let r = ctx.get(token, path).await;
    assert_eq!(r.status(), 200, "[{}] {path}", ctx.backend);
    r.bytes().await.unwrap().to_vec()
}

/// Each listed item equals the item its detail shows (read the old way).
async fn same_as_detail(ctx: &Ctx, token: &str, items: &[Value]) {
    for item in items {
        let r = ctx.get(token, &format!("/api/v1/items/{}", item["id"])).await;
        let detail: dutydesk::api::ItemDetail = serde_json::from_value(json(r, 200).await).unwrap();
        assert_eq!(
            serde_json::to_value(&detail.item).unwrap(),
            *item,
            "[{}]",
            ctx.backend
        );
    }
}

async fn list_encoding_case(ctx: &Ctx) {
    let token = ctx.login("lawyer").await;
    let raw = body(ctx, &token, "/api/v1/items").await;
    let list: ItemList = serde_json::from_slice(&raw).unwrap();
    assert!(list.items.len() >= 3, "[{}] the demo lawyer's items", ctx.backend);
    assert_eq!(
        String::from_utf8(serde_json::to_vec(&list).unwrap()).unwrap(),
        String::from_utf8(raw.clone()).unwrap(),
        "[{}] the list's bytes are ItemList's",
        ctx.backend
    );
    assert!(
        list.items.iter().any(|i| i.mediation.is_some()),
        "a session with its room"
    );
    let masked = list
        .items
        .iter()
        .flat_map(|i| &i.parties)
        .filter_map(|p| p.contact.as_deref())
        .collect::<Vec<_>>();
    assert!(
        !masked.is_empty() && masked.iter().all(|c| c.contains('*')),
        "{masked:?}"
    );
    let listed: Value = serde_json::from_slice(&raw).unwrap();
    let items = listed["items"].as_array().unwrap();
    same_as_detail(ctx, &token, items).await;

    // Without the stored masked parties the same bytes come out.
    sqlx::any::install_default_drivers();
    let url = match &ctx.sqlite_path {
        Some(p) => format!("sqlite://{}", p.display()),
        None => ctx.db_url(),
    };
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE items SET parties_shown = NULL")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    // Another cursor: not an answer kept from before.
    let again: Value = serde_json::from_slice(&body(ctx, &token, "/api/v1/items?since=1").await).unwrap();
    let again = again["items"].as_array().unwrap();
    assert!(!again.is_empty());
    for item in again {
        let before = items.iter().find(|i| i["id"] == item["id"]).unwrap();
        assert_eq!(before, item, "[{}] masked at read", ctx.backend);
    }
}
on_all_backends!(the_list_is_itemlist_byte_for_byte, list_encoding_case);
