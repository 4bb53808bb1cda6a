//! The room operator, in the real binary at 80x24, books a session for a
//! new mediation request, tries a slot that clashes and sees the clashing
//! session named, books another slot, moves the first session and cancels
//! it — in English and in Chinese. The server has the end result.

use dutydesk::api::ItemDetail;
use serde_json::json;

use super::support::{Home, Pty, get_json, spawn_server, token};

/// What each language shows at each step.
struct Words {
    lang: &'static str,
    schedule: &'static str,
    book_title: &'static str,
    clash: &'static str,
    move_title: &'static str,
    cancel_title: &'static str,
    cancelled: &'static str,
}

const EN: Words = Words {
    lang: "en",
    schedule: "律师调解室一号",
    book_title: "Book a session",
    clash: "Clash: room",
    move_title: "Move session",
    cancel_title: "Cancel a session",
    cancelled: "Cancelled",
};

const ZH: Words = Words {
    lang: "zh-CN",
    schedule: "律师调解室一号",
    book_title: "预约调解",
    clash: "时间冲突",
    move_title: "调整调解",
    cancel_title: "取消调解",
    cancelled: "已取消",
};

/// A mediation request from the intake desk, for the demo's mediator.
async fn new_request(url: &str, title: &str) -> i64 {
    let desk = token(url, "intake").await;
    let mediator = token(url, "mediator").await;
    let me: serde_json::Value = get_json(url, &mediator, "/api/v1/me").await;
    let body = json!({
        "kind": "mediation", "title": title, "channel": "walk_in", "unit_id": 3,
        "assignee_id": me["id"],
        "parties": [{"name": "甲", "role": "applicant"}, {"name": "乙", "role": "respondent"}]
    });
    let r: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/v1/items"))
        .bearer_auth(desk)
        .header("Idempotency-Key", uuid::Uuid::new_v4().to_string())
        .json(&body)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["item"]["id"].as_i64().unwrap()
}

/// A day three weeks ahead in Beijing, clear of the demo's sessions.
fn free_day() -> String {
    let now = jiff::Timestamp::now().to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    now.date()
        .checked_add(jiff::Span::new().days(21))
        .unwrap()
        .to_string()
}

fn erase(pty: &mut Pty, n: usize) {
    pty.send(&"\x7f".repeat(n));
}

fn walk(pty: &mut Pty, w: &Words, first: i64, second: i64, day: &str) {
    pty.wait_for(w.schedule);
    // Book the first request in the first room at 10:00 for an hour.
    pty.send("a");
    pty.wait_for(w.book_title);
    pty.send(&first.to_string());
    pty.send("\t\t");
    pty.send(&format!("{day} 10:00"));
    pty.send("\t+60\r");
    // The day it is on shows, with the session (the notice may already
    // have given way to the live "schedule changed").
    pty.wait_until("the first booked", |s| {
        s.contains("10:00–11:00 相邻权") && !s.contains(w.book_title)
    });
    // The second at 10:30 in the same room: the clash names the first.
    pty.send("a");
    pty.wait_for(w.book_title);
    pty.send(&second.to_string());
    pty.send("\t\t");
    pty.send(&format!("{day} 10:30"));
    pty.send("\t+60\r");
    pty.wait_for(w.clash);
    pty.wait_for(&format!("#{first}"));
    // Another slot, same dialog, what was typed still there.
    erase(pty, 5);
    pty.send("11:00");
    pty.send("\r");
    pty.wait_until("the second booked", |s| {
        s.contains("11:00–12:00 装修噪音") && !s.contains(w.book_title)
    });
    // Move the first (the day's first session, selected) to 8:30–9:30, the
    // forgiving way: it stays the day's first, still selected.
    pty.send("m");
    pty.wait_for(w.move_title);
    erase(pty, 5);
    pty.send("830\t");
    erase(pty, 5);
    pty.send("+60\r");
    pty.wait_until("the move booked", |s| {
        s.contains("08:30–09:30 相邻权") && !s.contains("10:00–11:00 相邻权") && !s.contains(w.move_title)
    });
    // Cancel it, with a reason.
    pty.send("x");
    pty.wait_for(w.cancel_title);
    pty.wait_for(&format!("#{first} 相邻权"));
    pty.send("当事人申请撤回");
    pty.send("\r");
    pty.wait_until("cancelled", |s| {
        !s.contains(w.cancel_title)
            && s.lines()
                .any(|l| l.contains("08:30–09:30 相邻权") && l.contains(w.cancelled))
    });
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
}

async fn operator_books_moves_and_cancels(w: &'static Words) {
    let server = spawn_server().await;
    let first = new_request(&server.url, "相邻权纠纷调解").await;
    let second = new_request(&server.url, "装修噪音纠纷调解").await;
    let day = free_day();
    let home = Home::new();
    let url = server.url.clone();
    let mut env = home.env("xterm-256color");
    env.retain(|(k, _)| k != "DUTYDESK_LANG");
    env.push(("DUTYDESK_LANG".into(), w.lang.into()));
    let d = day.clone();
    let _home = tokio::task::spawn_blocking(move || {
        home.login(&url, "operator");
        let mut pty = Pty::spawn(&[], &env);
        walk(&mut pty, w, first, second, &d);
        home
    })
    .await
    .unwrap();
    let admin = token(&server.url, "admin").await;
    let get = |id: i64| {
        let (url, admin) = (server.url.clone(), admin.clone());
        async move {
            let d: ItemDetail = get_json(&url, &admin, &format!("/api/v1/items/{id}")).await;
            d.item
        }
    };
    let one = get(first).await;
    assert_eq!(one.status, dutydesk::domain::ItemStatus::Cancelled);
    let two = get(second).await;
    let m = two.mediation.expect("the second is booked");
    let at = jiff::Timestamp::from_millisecond(m.scheduled_start)
        .unwrap()
        .to_zoned_datetime(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    assert_eq!(at.strftime("%Y-%m-%d %H:%M").to_string(), format!("{day} 11:00"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_books_sees_a_clash_moves_and_cancels_in_english() {
    operator_books_moves_and_cancels(&EN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_books_sees_a_clash_moves_and_cancels_in_chinese() {
    operator_books_moves_and_cancels(&ZH).await;
}
