//! The conditional list reads: a 304 decided from the change number alone
//! must still see every change that alters the list.

use reqwest::Response;
use serde_json::json;

use crate::on_all_backends;
use crate::support::{Ctx, json, my_item};

async fn get_if(ctx: &Ctx, token: &str, path: &str, etag: &str) -> Response {
    ctx.http
        .get(ctx.url(path))
        .bearer_auth(token)
        .header("If-None-Match", etag)
        .send()
        .await
        .unwrap()
}

fn etag(r: &Response) -> String {
    r.headers()["etag"].to_str().unwrap().to_string()
}

async fn stamps_case(ctx: &Ctx) {
    let lawyer = ctx.login("lawyer").await;
    let colleague = ctx.login("lawyer2").await;
    let list = ctx.get(&lawyer, "/api/v1/items").await;
    let list_tag = etag(&list);
    let pool = ctx.get(&lawyer, "/api/v1/pool").await;
    let pool_tag = etag(&pool);
    let pool = json(pool, 200).await;

    // The colleague's own item changes: lawyer's list is still current.
    let theirs = my_item(ctx, &colleague, |i| i["status"] == "accepted").await;
    let r = ctx
        .post(
            &colleague,
            &format!("/api/v1/items/{}/typical", theirs["id"]),
            json!({"typical": true, "version": theirs["version"]}),
        )
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        get_if(ctx, &lawyer, "/api/v1/items", &list_tag).await.status(),
        304
    );

    // The colleague claims from the shared pool: the pool moved, lawyer's list did not.
    let id = pool["items"][0]["id"].as_i64().unwrap();
    let r = ctx
        .post(&colleague, &format!("/api/v1/items/{id}/claim"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        get_if(ctx, &lawyer, "/api/v1/items", &list_tag).await.status(),
        304
    );
    let r = get_if(ctx, &lawyer, "/api/v1/pool", &pool_tag).await;
    assert_eq!(
        r.status(),
        200,
        "[{}] a claimed item leaves the pool",
        ctx.backend
    );
    let now = json(r, 200).await;
    assert!(now["items"].as_array().unwrap().iter().all(|i| i["id"] != id));

    // One of lawyer's items goes to the colleague: lawyer's list changed.
    let mine = my_item(ctx, &lawyer, |i| i["status"] == "accepted").await;
    let me2 = json(ctx.get(&colleague, "/api/v1/me").await, 200).await;
    let state = &ctx.server.as_ref().unwrap().state;
    let mine_id = mine["id"].as_i64().unwrap();
    assert!(state.reassign(mine_id, me2["id"].as_i64(), None).await.unwrap());
    let r = get_if(ctx, &lawyer, "/api/v1/items", &list_tag).await;
    assert_eq!(r.status(), 200, "[{}] an item that left is a change", ctx.backend);
    let now = json(r, 200).await;
    assert!(
        now["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != mine_id)
    );
}
on_all_backends!(
    conditional_reads_follow_every_change_that_alters_the_list,
    stamps_case
);
