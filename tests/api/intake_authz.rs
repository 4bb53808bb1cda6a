//! The authorization matrix of the intake and dispatch endpoints: every
//! endpoint × every role, on an item of the caller's own unit, of another
//! unit, and of another person — one answer each, from `domain::policy`.

use serde_json::{Value, json};

use crate::intake::{consultation, create, user_id};
use crate::on_all_backends;
use crate::support::Ctx;

/// The users: who they are relative to the item (a consultation of the
/// first law firm, unit 1, assigned to `lawyer`).
const ROLES: [&str; 9] = [
    "lawyer",      // the assignee
    "lawyer2",     // same unit, another person's item
    "lawyer3",     // a lawyer of another firm
    "mediator",    // another unit
    "operator",    // the rooms' operator, another unit
    "coordinator", // coordinator of a sibling unit
    "bureau",      // coordinator of the bureau above
    "admin",
    "intake", // the desk
];

/// Expected status per role, in the order of ROLES.
struct Row {
    endpoint: &'static str,
    expect: [u16; 9],
}

const MATRIX: [Row; 11] = [
    Row {
        endpoint: "create",
        expect: [403, 403, 403, 403, 201, 403, 403, 201, 201],
    },
    Row {
        endpoint: "assign",
        expect: [403, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    Row {
        endpoint: "release",
        expect: [200, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    Row {
        endpoint: "schedule",
        expect: [404, 404, 404, 403, 200, 404, 200, 200, 404],
    },
    Row {
        endpoint: "cancel",
        expect: [200, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    Row {
        endpoint: "unit_items",
        expect: [403, 403, 403, 403, 403, 403, 200, 200, 403],
    },
    Row {
        endpoint: "conflicts",
        expect: [200, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    Row {
        endpoint: "ack",
        // The desk acknowledges the warning of what it registered.
        expect: [200, 404, 404, 404, 404, 404, 200, 200, 200],
    },
    Row {
        endpoint: "reveal",
        expect: [200, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    Row {
        endpoint: "audit",
        expect: [403, 404, 404, 404, 404, 404, 200, 200, 404],
    },
    // The centre's operator and desk route work to the firm (same bureau).
    Row {
        endpoint: "unit_people",
        expect: [403, 403, 403, 403, 200, 403, 200, 200, 200],
    },
];

async fn fresh_item(ctx: &Ctx, desk: &str, lawyer_id: i64) -> (i64, Value) {
    let party = json!([{"name": "吴敏", "role": "applicant", "phone": "13600002222"}]);
    let item = create(ctx, desk, consultation(1, Some(lawyer_id), party)).await["item"].clone();
    (item["id"].as_i64().unwrap(), item["version"].clone())
}

async fn fresh_session(ctx: &Ctx, desk: &str, mediator_id: i64) -> i64 {
    let body = json!({
        "kind": "mediation", "title": "物业纠纷调解", "channel": "walk_in", "unit_id": 3, "assignee_id": mediator_id,
        "parties": [{"name": "甲", "role": "applicant"}, {"name": "乙", "role": "respondent"}]
    });
    create(ctx, desk, body).await["item"]["id"].as_i64().unwrap()
}

async fn matrix_case(ctx: &Ctx) {
    let mut tokens = Vec::new();
    for r in ROLES {
        tokens.push(ctx.login(r).await);
    }
    let desk = tokens[8].clone();
    let lawyer_id = user_id(ctx, &tokens[0]).await;
    let lawyer2_id = user_id(ctx, &tokens[1]).await;
    let mediator_id = user_id(ctx, &tokens[3]).await;
    let mut slot = dutydesk::domain::clock::now_ms() + 30 * 24 * 3_600_000;
    let mut wrong = Vec::new();
    for row in &MATRIX {
        for (n, role) in ROLES.iter().enumerate() {
            let token = &tokens[n];
            let (id, version) = fresh_item(ctx, &desk, lawyer_id).await;
            let r = match row.endpoint {
                "create" => {
                    let key = uuid::Uuid::new_v4().to_string();
                    let party = json!([{"name": "冯刚", "role": "applicant"}]);
                    ctx.post_idem(token, "/api/v1/items", &key, consultation(1, None, party))
                        .await
                }
                "assign" => {
                    let body = json!({"assignee_id": lawyer2_id, "version": version});
                    ctx.post(token, &format!("/api/v1/items/{id}/assign"), body).await
                }
                "release" => {
                    let body = json!({"assignee_id": null, "version": version, "reason": "回避"});
                    ctx.post(token, &format!("/api/v1/items/{id}/assign"), body).await
                }
                "schedule" => {
                    let session = fresh_session(ctx, &desk, mediator_id).await;
                    slot += 3 * 3_600_000;
                    let body = json!({"room_id": 1, "start": slot, "end": slot + 3_600_000});
                    ctx.post(token, &format!("/api/v1/items/{session}/schedule"), body)
                        .await
                }
                "cancel" => {
                    let body = json!({"reason": "当事人撤回", "version": version});
                    ctx.post(token, &format!("/api/v1/items/{id}/cancel"), body).await
                }
                "unit_items" => ctx.get(token, "/api/v1/units/1/items?status=open").await,
                "conflicts" => ctx.get(token, &format!("/api/v1/items/{id}/conflicts")).await,
                "ack" => {
                    ctx.post(
                        token,
                        &format!("/api/v1/items/{id}/conflicts/ack"),
                        json!({"version": version}),
                    )
                    .await
                }
                "reveal" => {
                    ctx.post(token, &format!("/api/v1/items/{id}/reveal"), json!({}))
                        .await
                }
                "audit" => ctx.get(token, &format!("/api/v1/items/{id}/audit")).await,
                "unit_people" => ctx.get(token, "/api/v1/units/1/people").await,
                other => unreachable!("{other}"),
            };
            let got = r.status().as_u16();
            let body = r.text().await.unwrap();
            if got != row.expect[n] {
                wrong.push(format!(
                    "{} as {role}: {got} (expected {}) {body}",
                    row.endpoint, row.expect[n]
                ));
            }
            if got >= 400 {
                let p: Value = serde_json::from_str(&body).unwrap();
                assert!(p["code"].is_string(), "a problem with a code: {body}");
            } else if row.endpoint == "reveal" {
                assert!(body.contains("13600002222"));
            } else {
                assert!(
                    !body.contains("13600002222"),
                    "only reveal shows the number: {body}"
                );
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "[{}] the matrix differs:\n{}",
        ctx.backend,
        wrong.join("\n")
    );
}
on_all_backends!(authorization_matrix_of_intake_and_dispatch, matrix_case);
