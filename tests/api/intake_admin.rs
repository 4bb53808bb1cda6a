//! The desk's scheduling clashes and paged unit lists, and the admin's tools
//! (password reset, CSV import, disabling a user, roles that must decode),
//! on every backend.

use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::json;

use crate::intake::{consultation, create, user_id};
use crate::on_all_backends;
use crate::support::{Ctx, json, problem};

const H: i64 = 3_600_000;

fn admin(ctx: &Ctx, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("dutydesk")
        .unwrap()
        .env("DUTYDESK_LANG", "en")
        .env("LANG", "C")
        .args(["admin"])
        .args(args)
        .args(["--db", &ctx.db_url()])
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

async fn schedule_case(ctx: &Ctx) {
    let desk = ctx.login("intake").await;
    let operator = ctx.login("operator").await;
    let mediator = ctx.login("mediator").await;
    let mediator_id = user_id(ctx, &mediator).await;
    let mediation = |title: &str| {
        json!({
            "kind": "mediation", "title": title, "channel": "walk_in", "unit_id": 3, "assignee_id": mediator_id,
            "parties": [{"name": "甲", "role": "applicant"}, {"name": "乙", "role": "respondent"}]
        })
    };
    let first = create(ctx, &desk, mediation("相邻关系纠纷调解")).await["item"]["id"]
        .as_i64()
        .unwrap();
    let second = create(ctx, &desk, mediation("买卖合同纠纷调解")).await["item"]["id"]
        .as_i64()
        .unwrap();
    // Far from the demo's sessions: a week ahead.
    let t = dutydesk::domain::clock::now_ms() + 7 * 24 * H;
    let booked = json(
        ctx.post(
            &operator,
            &format!("/api/v1/items/{first}/schedule"),
            json!({"room_id": 1, "start": t, "end": t + H, "join_link": "https://meet.example.cn/x"}),
        )
        .await,
        200,
    )
    .await;
    assert_eq!(booked["mediation"]["room_id"], 1);
    assert_eq!(booked["due_at"], t, "a session is due at its start");
    // The same room, overlapping: refused, naming the session there.
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 1, "start": t + H / 2, "end": t + 2 * H}),
        )
        .await;
    let p = problem(r, 409, "schedule_conflict").await;
    assert_eq!(p["clashing_item"], first, "{p}");
    assert_eq!(p["clash"], "room");
    // Another room, the same mediator then: refused too.
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 2, "start": t, "end": t + H}),
        )
        .await;
    let p = problem(r, 409, "schedule_conflict").await;
    assert_eq!(
        (p["clashing_item"].as_i64(), p["clash"].as_str()),
        (Some(first), Some("mediator")),
        "{p}"
    );
    // Back to back is no clash.
    let ok = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 1, "start": t + H, "end": t + 2 * H}),
        )
        .await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 1, "start": t, "end": t}),
        )
        .await;
    problem(r, 422, "validation_failed").await;
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 99, "start": t, "end": t + H}),
        )
        .await;
    problem(r, 422, "unknown_reference").await;
    // Cancelled, the first frees its room.
    let v = json(ctx.get(&mediator, &format!("/api/v1/items/{first}")).await, 200).await["version"].clone();
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{first}/cancel"),
            json!({"reason": "申请人撤回", "version": v}),
        )
        .await;
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
    let ok = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{second}/schedule"),
            json!({"room_id": 1, "start": t, "end": t + H}),
        )
        .await;
    assert_eq!(ok.status(), 200, "{}", ok.text().await.unwrap());
    let r = ctx
        .post(
            &operator,
            &format!("/api/v1/items/{first}/cancel"),
            json!({"reason": " ", "version": 1}),
        )
        .await;
    problem(r, 422, "validation_failed").await;
}
on_all_backends!(room_and_mediator_double_booking_is_refused, schedule_case);

async fn password_case(ctx: &Ctx) {
    let old = ctx.login("lawyer2").await;
    let (ok, out, err) = admin(ctx, &["user", "reset-password", "lawyer2"]);
    assert!(ok, "{err}");
    let otp = out
        .split_whitespace()
        .map(|w| w.trim_end_matches(';'))
        .find(|w| w.len() == 16)
        .unwrap_or_else(|| panic!("{out}"))
        .to_string();
    problem(ctx.get(&old, "/api/v1/me").await, 401, "unauthorized").await;
    let login = |password: String| {
        let http = ctx.http.clone();
        let url = ctx.url("/api/v1/auth/login");
        async move {
            http.post(url)
                .json(&json!({"username": "lawyer2", "password": password, "device": "t"}))
                .send()
                .await
                .unwrap()
        }
    };
    problem(login("demo".into()).await, 401, "unauthorized").await;
    let p = problem(login(otp.clone()).await, 403, "password_change_required").await;
    let limited = p["token"].as_str().unwrap().to_string();
    problem(ctx.get(&limited, "/api/v1/me").await, 401, "unauthorized").await;
    problem(ctx.get(&limited, "/api/v1/items").await, 401, "unauthorized").await;
    let r = ctx
        .post(
            &limited,
            "/api/v1/me/password",
            json!({"current": "wrong", "new": "新的密码2026ab"}),
        )
        .await;
    problem(r, 403, "wrong_password").await;
    let r = ctx
        .post(
            &limited,
            "/api/v1/me/password",
            json!({"current": otp, "new": "short"}),
        )
        .await;
    problem(r, 422, "validation_failed").await;
    let r = ctx
        .post(
            &limited,
            "/api/v1/me/password",
            json!({"current": otp, "new": "新的密码2026ab"}),
        )
        .await;
    assert_eq!(r.status(), 204, "{}", r.text().await.unwrap());
    problem(
        ctx.post(
            &limited,
            "/api/v1/me/password",
            json!({"current": "新的密码2026ab", "new": "x2345678"}),
        )
        .await,
        401,
        "unauthorized",
    )
    .await;
    problem(login(otp).await, 401, "unauthorized").await;
    let fresh = json(login("新的密码2026ab".into()).await, 200).await;
    let token = fresh["token"].as_str().unwrap();
    assert_eq!(
        json(ctx.get(token, "/api/v1/me").await, 200).await["username"],
        "lawyer2"
    );
    // Changing again with a full token keeps that session.
    let r = ctx
        .post(
            token,
            "/api/v1/me/password",
            json!({"current": "新的密码2026ab", "new": "第三个密码abc1"}),
        )
        .await;
    assert_eq!(r.status(), 204);
    assert_eq!(ctx.get(token, "/api/v1/me").await.status(), 200);

    // Disabled: sessions end, sign-in refused; unlocked: back.
    let (ok, out, err) = admin(ctx, &["user", "disable", "lawyer2"]);
    assert!(ok && out.contains("1 sessions ended"), "{out}{err}");
    // From the command line, not through this server: refused once its
    // token cache lets go of what it read, within a second.
    tokio::time::sleep(dutydesk::server::read_cache::FRESH_FOR).await;
    problem(ctx.get(token, "/api/v1/me").await, 401, "unauthorized").await;
    problem(login("第三个密码abc1".into()).await, 401, "unauthorized").await;
    assert!(admin(ctx, &["user", "unlock", "lawyer2"]).0);
    json(login("第三个密码abc1".into()).await, 200).await;
    let (ok, _, err) = admin(ctx, &["user", "disable", "nobody"]);
    assert!(!ok && err.contains("no user nobody"), "{err}");
}
on_all_backends!(
    password_reset_must_be_changed_and_revokes_old_tokens,
    password_case
);

async fn import_case(ctx: &Ctx) {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("tickets.csv");
    std::fs::write(
        &good,
        "external_ref,kind,title,channel,category,green_channel,frontline_group,applicant,applicant_phone,respondent,respondent_kind\n\
         12348-A1,consultation,工资被拖欠,hotline,wages,1,delivery_rider,马超,13511112222,速达配送站,enterprise\n\
         12348-A2,pro_bono,工伤赔偿,online,labour_contract,0,,林娜,,,\n",
    )
    .unwrap();
    let file = good.to_str().unwrap();
    let (ok, out, err) = admin(ctx, &["import", "items", file, "--unit", "1", "--dry-run"]);
    assert!(ok && out.contains("2 items would be created"), "{out}{err}");
    let (ok, out, err) = admin(ctx, &["import", "items", file, "--unit", "1"]);
    assert!(ok && out.contains("2 items created, 0 were there"), "{out}{err}");
    let (ok, out, err) = admin(ctx, &["import", "items", file, "--unit", "1"]);
    assert!(ok && out.contains("0 items created, 2 were there"), "{out}{err}");
    let lawyer = ctx.login("lawyer").await;
    let pool = json(ctx.get(&lawyer, "/api/v1/pool").await, 200).await;
    let imported: Vec<_> = pool["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["title"] == "工资被拖欠")
        .collect();
    assert_eq!(imported.len(), 1, "created once");
    assert_eq!(imported[0]["frontline_group"], "delivery_rider");
    assert_eq!(imported[0]["parties"][0]["contact"], "135****2222");

    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "external_ref,kind,title,channel,applicant\n\
         B1,consultation,租房押金,walk_in,赵六\n\
         B2,lawsuit,离婚,walk_in,钱七\n\
         B3,consultation,,walk_in,孙八\n\
         B1,consultation,重复,walk_in,李九\n",
    )
    .unwrap();
    let (ok, _, err) = admin(ctx, &["import", "items", bad.to_str().unwrap(), "--unit", "1"]);
    assert!(!ok, "{err}");
    assert!(err.contains("3 bad lines"), "{err}");
    assert!(err.contains("line 3: column kind: lawsuit"), "{err}");
    assert!(err.contains("line 4: title"), "{err}");
    assert!(
        err.contains("line 5: external_ref B1 appears already on line 2"),
        "{err}"
    );
    let pool = json(ctx.get(&lawyer, "/api/v1/pool").await, 200).await;
    assert!(
        pool["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|i| i["title"] != "租房押金"),
        "nothing from a refused file"
    );
}
on_all_backends!(csv_import_is_idempotent_and_refuses_a_bad_file_whole, import_case);

async fn dispatch_pages_case(ctx: &Ctx) {
    let desk = ctx.login("intake").await;
    let bureau = ctx.login("bureau").await;
    for n in 0..55 {
        let party = json!([{"name": format!("来访人{n}"), "role": "applicant"}]);
        create(ctx, &desk, consultation(5, None, party)).await;
    }
    let first = json(
        ctx.get(&bureau, "/api/v1/units/5/items?status=unassigned").await,
        200,
    )
    .await;
    assert_eq!(first["items"].as_array().unwrap().len(), 50);
    let next = first["next"].as_i64().expect("a second page");
    let second = json(
        ctx.get(
            &bureau,
            &format!("/api/v1/units/5/items?status=unassigned&offset={next}"),
        )
        .await,
        200,
    )
    .await;
    assert!(second["items"].as_array().unwrap().len() >= 5);
    assert!(second.get("next").is_none());
}
on_all_backends!(a_units_open_work_comes_in_pages, dispatch_pages_case);

async fn disable_closes_streams_case(ctx: &Ctx) {
    let token = ctx.login("lawyer2").await;
    let stream = ctx.get(&token, "/api/v1/events").await;
    assert_eq!(stream.status(), 200);
    let mut events = eventsource_stream::Eventsource::eventsource(stream.bytes_stream());
    let first = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        futures_util::StreamExt::next(&mut events),
    )
    .await
    .expect("the first heartbeat");
    assert!(first.is_some());
    let (ok, _, err) = admin(ctx, &["user", "disable", "lawyer2"]);
    assert!(ok, "{err}");
    // The stream ends (heartbeats every 200 ms here; generous bound).
    let ended = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while let Some(ev) = futures_util::StreamExt::next(&mut events).await {
            if ev.is_err() {
                break;
            }
        }
    })
    .await;
    assert!(
        ended.is_ok(),
        "[{}] a disabled user's event stream ends",
        ctx.backend
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn disabling_a_user_ends_their_event_streams() {
    let tuning = || dutydesk::server::ServerTuning {
        heartbeat: std::time::Duration::from_millis(200),
        ..Default::default()
    };
    let ctx = crate::support::sqlite_tuned(tuning()).await;
    disable_closes_streams_case(&ctx).await;
    ctx.stop().await;
    if let Some(url) = crate::support::postgres_url() {
        let ctx = crate::support::postgres_tuned(&url, tuning()).await;
        disable_closes_streams_case(&ctx).await;
        ctx.stop().await;
    }
}

async fn strict_roles_case(ctx: &Ctx) {
    let token = ctx.login("lawyer2").await;
    sqlx::any::install_default_drivers();
    let url = match &ctx.sqlite_path {
        Some(p) => format!("sqlite://{}", p.display()),
        None => ctx.db_url(),
    };
    let pool = sqlx::AnyPool::connect(&url).await.unwrap();
    sqlx::query("UPDATE users SET role = 'boss' WHERE username = 'lawyer2'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    // Not taken for a lawyer: no item, no pool, no sign-in.
    let r = ctx.get(&token, "/api/v1/pool").await;
    assert_ne!(r.status(), 200, "[{}] an unknown stored role passed", ctx.backend);
    let r = ctx
        .http
        .post(ctx.url("/api/v1/auth/login"))
        .json(&json!({"username": "lawyer2", "password": "demo"}))
        .send()
        .await
        .unwrap();
    assert_ne!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    // Nor quietly left off the desk's list of who takes work.
    let desk = ctx.login("intake").await;
    let r = ctx.get(&desk, "/api/v1/intake/units").await;
    assert_ne!(
        r.status(),
        200,
        "[{}] a person with an unknown stored role was left off the list without a word",
        ctx.backend
    );
    assert_eq!(r.headers()["content-type"], "application/problem+json");
}
on_all_backends!(an_unknown_stored_role_is_an_error_not_a_lawyer, strict_roles_case);
