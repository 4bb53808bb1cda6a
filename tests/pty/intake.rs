//! The intake desk in the real binary at 80x24, in English and Chinese:
//! sign in as the demo desk, open the form, fill it, register; the item
//! is saved, sent, and the conflict the demo seed holds (周建华, on the
//! other side of an earlier item of 正衡律师事务所, whose lawyer acted for
//! him) is shown until acknowledged; the server's history has the ack.
//! Offline, the form says saved and the registration waits in the outbox;
//! the next start sends it once.

use dutydesk::api::ItemDetail;
use dutydesk::api::intake::UnitItemPage;

use super::support::{Home, Pty, get_json, spawn_server, token};

/// What each language's screens say.
struct Words {
    lang: &'static str,
    home: &'static str,
    form: &'static str,
    saved: &'static str,
    sent: &'static str,
    conflict: &'static str,
    other_side: &'static str,
    acked: &'static str,
    confirmed: &'static str,
    waiting: &'static str,
}

const EN: Words = Words {
    lang: "en",
    home: "Registered at this desk",
    form: "Register new work",
    saved: "Saved on this computer",
    sent: "Sent",
    conflict: "Conflict of interest",
    other_side: "stood on the other side",
    acked: "acknowledged",
    confirmed: "confirmed",
    waiting: "sending",
};

const ZH: Words = Words {
    lang: "zh-CN",
    home: "本窗口登记的事项",
    form: "登记新事项",
    saved: "已保存在本机",
    sent: "已发送",
    conflict: "利益冲突提示",
    other_side: "曾是对方当事人",
    acked: "已阅知",
    confirmed: "已确认",
    waiting: "待发送",
};

const RIGHT: &str = "\x1b[C";

fn env_for(home: &Home, lang: &str) -> Vec<(String, String)> {
    let mut env = home.env("xterm-256color");
    for (k, v) in &mut env {
        if k == "DUTYDESK_LANG" {
            *v = lang.to_string();
        }
    }
    env
}

/// The form filled: a consultation, 李明 against 周建华 (the seed's
/// number), sent to 正衡律师事务所 (the fifth unit the desk serves) and
/// its lawyer 孙伟律师.
fn fill_form(pty: &mut Pty, w: &Words, title: &str) {
    pty.send("n");
    pty.wait_for(w.form);
    let tab = |pty: &mut Pty, n: usize| pty.send(&"\t".repeat(n));
    tab(pty, 1);
    pty.send(title);
    tab(pty, 5);
    pty.send("李明");
    tab(pty, 2);
    pty.send("13700005678");
    tab(pty, 2);
    pty.send("周建华");
    tab(pty, 2);
    pty.send("13900001234");
    tab(pty, 2);
    pty.wait_for("钟楼区法律援助中心");
    pty.send(&RIGHT.repeat(4));
    pty.wait_for("正衡律师事务所");
    tab(pty, 1);
    pty.send(RIGHT);
    pty.wait_for("孙伟律师");
}

async fn registered(url: &str, title: &str) -> Vec<i64> {
    let admin = token(url, "admin").await;
    let page: UnitItemPage = get_json(url, &admin, "/api/v1/units/5/items?status=open").await;
    page.items
        .iter()
        .filter(|i| i.title == title)
        .map(|i| i.id)
        .collect()
}

async fn intake_flow(w: &'static Words) {
    let server = spawn_server().await;
    let home = Home::new();
    let url = server.url.clone();
    let title = format!("周建华再次来访{}", w.lang);
    let typed = title.clone();
    let _home = tokio::task::spawn_blocking(move || {
        home.login(&url, "intake");
        let mut pty = Pty::spawn(&[], &env_for(&home, w.lang));
        pty.wait_for(w.home);
        fill_form(&mut pty, w, &typed);
        pty.send("\r");
        // Sent; the warning follows, with the earlier item, its lawyer and why.
        pty.wait_for(w.conflict);
        pty.wait_for(w.sent);
        let screen = pty.screen();
        assert!(screen.contains(w.other_side), "{screen}");
        assert!(screen.contains("孙伟律师"), "{screen}");
        assert!(!screen.contains("13900001234"), "no full number: {screen}");
        pty.send("\r");
        pty.wait_for(w.acked);
        pty.wait_for(w.confirmed);
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
        home
    })
    .await
    .unwrap();
    let ids = registered(&server.url, &title).await;
    assert_eq!(ids.len(), 1, "registered once: {ids:?}");
    let admin = token(&server.url, "admin").await;
    let detail: ItemDetail = get_json(&server.url, &admin, &format!("/api/v1/items/{}", ids[0])).await;
    let ack = detail
        .history
        .iter()
        .find(|h| h.action == dutydesk::api::HistoryAction::ConflictAcknowledged)
        .unwrap_or_else(|| panic!("the ack in the history: {:?}", detail.history));
    assert_eq!(ack.actor.as_ref().map(|a| a.username.as_str()), Some("intake"));
    assert!(ack.note.contains('#'), "names the earlier items: {}", ack.note);
    server.running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_registers_and_acknowledges_the_conflict_in_english() {
    intake_flow(&EN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_desk_registers_and_acknowledges_the_conflict_in_chinese() {
    intake_flow(&ZH).await;
}

/// Offline: saved, waiting in the outbox, never lost; the next start
/// (the server back on the same address) sends it, once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_the_registration_is_saved_and_sent_once_later() {
    let w = &EN;
    let server = spawn_server().await;
    let db = server.db_path();
    let addr = server.running.addr;
    let home = Home::new();
    let url = server.url.clone();
    let title = "离线登记的咨询".to_string();
    let home = {
        let url = url.clone();
        tokio::task::spawn_blocking(move || {
            home.login(&url, "intake");
            // Once online, so the units are cached.
            let mut pty = Pty::spawn(&[], &env_for(&home, w.lang));
            pty.wait_for(w.home);
            pty.send("n");
            pty.wait_for("钟楼区法律援助中心");
            pty.send("\x1b");
            pty.wait_until("the form closed", |s| !s.contains(w.form));
            pty.send("q");
            assert_eq!(pty.wait_exit(), 0);
            home
        })
        .await
        .unwrap()
    };
    server.running.shutdown().await.unwrap();
    let typed = title.clone();
    let home = tokio::task::spawn_blocking(move || {
        let mut pty = Pty::spawn(&[], &env_for(&home, w.lang));
        pty.wait_for(w.home);
        fill_form(&mut pty, w, &typed);
        pty.send("\r");
        pty.wait_for(w.saved);
        pty.send("\x1b");
        pty.wait_until("the form closed", |s| !s.contains(w.form));
        pty.wait_for(w.waiting);
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0);
        home
    })
    .await
    .unwrap();
    // The server back, on the same address and database.
    let running = dutydesk::server::start(dutydesk::server::ServerConfig {
        db: Some(db.to_string_lossy().into_owned()),
        listen: addr.to_string(),
        demo: true,
        ..Default::default()
    })
    .await
    .unwrap();
    let _home = tokio::task::spawn_blocking(move || {
        let mut pty = Pty::spawn(&[], &env_for(&home, w.lang));
        pty.wait_for(w.conflict);
        pty.send("\r");
        pty.wait_for(w.confirmed);
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0);
        home
    })
    .await
    .unwrap();
    assert_eq!(registered(&url, &title).await.len(), 1, "sent once");
    running.shutdown().await.unwrap();
}

/// A claim from the pool meets the seed's conflict: the lawyer who acted
/// for 周建华 claims the mediation against him, reads the warning and
/// acknowledges it; the server's history has it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_claim_from_the_pool_warns_and_the_ack_reaches_the_history() {
    let server = spawn_server().await;
    let home = Home::new();
    let url = server.url.clone();
    let _home = tokio::task::spawn_blocking(move || {
        home.login(&url, "lawyer3");
        let mut pty = Pty::spawn(&[], &env_for(&home, "en"));
        pty.wait_for("synced");
        // Mediation, Consultations, Pro bono, Pool.
        pty.send("\t\t\t");
        pty.wait_for("恒达餐饮");
        // Only that row, so the claim is of it.
        pty.send("/恒达\r");
        pty.wait_until("the pool filtered", |s| !s.contains("周勇"));
        pty.send("c");
        pty.wait_for(EN.conflict);
        assert!(pty.screen().contains(EN.other_side), "{}", pty.screen());
        pty.send("\r");
        pty.wait_for(EN.acked);
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
        home
    })
    .await
    .unwrap();
    let lawyer3 = token(&server.url, "lawyer3").await;
    let list: dutydesk::api::ItemList = get_json(&server.url, &lawyer3, "/api/v1/items").await;
    let claimed = list
        .items
        .iter()
        .find(|i| i.title.contains("恒达餐饮"))
        .expect("the claimed mediation is lawyer3's");
    // The ack is sent in the background: wait for it, briefly.
    let mut acked = false;
    for _ in 0..100 {
        let d: ItemDetail = get_json(&server.url, &lawyer3, &format!("/api/v1/items/{}", claimed.id)).await;
        if d.history
            .iter()
            .any(|h| h.action == dutydesk::api::HistoryAction::ConflictAcknowledged)
        {
            acked = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(acked, "the acknowledgment is in the item's history");
    server.running.shutdown().await.unwrap();
}
