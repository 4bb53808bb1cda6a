//! `GET /api/v1/units/{id}/people`: a unit's lawyers and mediators with
//! their open load, on every backend; the counts agree with the unit's
//! own lists, and an assignment moves them.

use serde_json::{Value, json};

use crate::intake::{consultation, create, user_id};
use crate::on_all_backends;
use crate::support::{Ctx, json, problem};

/// How many of the unit's items `status` lists for `assignee`, all pages.
async fn listed(ctx: &Ctx, token: &str, unit: i64, status: &str, assignee: i64) -> i64 {
    let mut n = 0;
    let mut offset = 0;
    loop {
        let path = format!("/api/v1/units/{unit}/items?status={status}&assignee={assignee}&offset={offset}");
        let page = json(ctx.get(token, &path).await, 200).await;
        n += page["items"].as_array().unwrap().len() as i64;
        match page["next"].as_i64() {
            Some(next) => offset = next,
            None => return n,
        }
    }
}

fn person<'a>(people: &'a Value, username: &str) -> &'a Value {
    people["people"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["username"] == username)
        .unwrap_or_else(|| panic!("{username} in {people}"))
}

async fn people_case(ctx: &Ctx) {
    let bureau = ctx.login("bureau").await;
    let people = json(ctx.get(&bureau, "/api/v1/units/1/people").await, 200).await;
    assert_eq!(people["unit_id"], 1);
    assert_eq!(people["unit_name"], "明德律师事务所");
    assert!(
        people.get("units_below").is_none(),
        "a firm has no units below: {people}"
    );
    let tree = json(ctx.get(&bureau, "/api/v1/units/4/people").await, 200).await;
    let below: Vec<i64> = tree["units_below"]
        .as_array()
        .unwrap_or_else(|| panic!("{tree}"))
        .iter()
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    assert_eq!(below, [1, 2, 3, 5, 6], "the bureau's units");
    let names: Vec<&str> = people["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["lawyer", "lawyer2", "lawyer4"],
        "the firm's lawyers, by id"
    );
    for p in people["people"].as_array().unwrap() {
        let id = p["id"].as_i64().unwrap();
        assert_eq!(p["role"], "lawyer");
        assert_eq!(
            p["open_items"].as_i64().unwrap(),
            listed(ctx, &bureau, 1, "open", id).await,
            "{p}"
        );
        assert_eq!(
            p["overdue_items"].as_i64().unwrap(),
            listed(ctx, &bureau, 1, "overdue", id).await,
            "{p}"
        );
    }
    assert!(person(&people, "lawyer")["open_items"].as_i64().unwrap() > 0);
    assert_eq!(person(&people, "lawyer4")["open_items"], 0);

    // An item given to lawyer4 is on their load at once; back to the pool, off it.
    let desk = ctx.login("intake").await;
    let party = json!([{"name": "韩雪", "role": "applicant"}]);
    let item = create(ctx, &desk, consultation(1, None, party)).await["item"].clone();
    let id = item["id"].as_i64().unwrap();
    let lawyer4 = user_id(ctx, &ctx.login("lawyer4").await).await;
    let body = json!({"assignee_id": lawyer4, "version": item["version"]});
    let moved = json(
        ctx.post(&bureau, &format!("/api/v1/items/{id}/assign"), body)
            .await,
        200,
    )
    .await;
    let after = json(ctx.get(&bureau, "/api/v1/units/1/people").await, 200).await;
    assert_eq!(person(&after, "lawyer4")["open_items"], 1, "{after}");
    let body = json!({"assignee_id": null, "version": moved["item"]["version"]});
    json(
        ctx.post(&bureau, &format!("/api/v1/items/{id}/assign"), body)
            .await,
        200,
    )
    .await;
    let back = json(ctx.get(&bureau, "/api/v1/units/1/people").await, 200).await;
    assert_eq!(person(&back, "lawyer4")["open_items"], 0, "{back}");

    // The office's coordinator sees its worker (not themself: they take no work).
    let coordinator = ctx.login("coordinator").await;
    let office = json(ctx.get(&coordinator, "/api/v1/units/2/people").await, 200).await;
    let names: Vec<&str> = office["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["worker"], "{office}");
    // Not a sibling's people; no unit that is not there; a bad id is a problem.
    problem(
        ctx.get(&coordinator, "/api/v1/units/1/people").await,
        403,
        "forbidden",
    )
    .await;
    let admin = ctx.login("admin").await;
    problem(
        ctx.get(&admin, "/api/v1/units/999/people").await,
        404,
        "not_found",
    )
    .await;
    let r = ctx.get(&admin, "/api/v1/units/x/people").await;
    assert_eq!(r.status().as_u16(), 400, "{}", r.text().await.unwrap());
    // The desk of the centre routes to the firms: it may see whom to send to.
    json(ctx.get(&desk, "/api/v1/units/5/people").await, 200).await;
}
on_all_backends!(a_units_people_with_their_open_load, people_case);
