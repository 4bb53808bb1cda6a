//! Dispatch in the real binary at 80x24, in English and Chinese: the
//! grassroots office's coordinator opens Dispatch (7), picks an unassigned
//! item, assigns it through the picker to the office's lawyer (刘洋,
//! `worker`), whose own running app is told live; the server has it.

use dutydesk::api::WorkItem;

use super::support::{Home, Pty, get_json, spawn_server, token};

struct Words {
    lang: &'static str,
    unassigned: &'static str,
    pool: &'static str,
    picker: &'static str,
    assigned: &'static str,
    new_assignment: &'static str,
}

const EN: Words = Words {
    lang: "en",
    unassigned: "Unassigned",
    pool: "(pool)",
    picker: "Assign #",
    assigned: "assigned to 刘洋",
    new_assignment: "New assignment #",
};

const ZH: Words = Words {
    lang: "zh-CN",
    unassigned: "待分配",
    pool: "（值班池）",
    picker: "指派 #",
    assigned: "已指派给 刘洋",
    new_assignment: "新分派 #",
};

fn env(home: &Home, lang: &str) -> Vec<(String, String)> {
    let mut env = home.env("xterm-256color");
    for (k, v) in &mut env {
        if k == "DUTYDESK_LANG" {
            *v = lang.to_string();
        }
    }
    env
}

/// The item number after `prefix` on the screen.
fn number_after(screen: &str, prefix: &str) -> Option<i64> {
    let at = screen.find(prefix)? + prefix.len();
    screen[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .ok()
}

/// How many event streams the server holds open (its `/metrics`).
async fn streams_open(url: &str) -> i64 {
    let text = reqwest::get(format!("{url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("dutydesk_event_streams_open "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

async fn assign_through_the_picker(w: &'static Words) {
    let server = spawn_server().await;
    let url = server.url.clone();
    let (boss, theirs) = tokio::task::spawn_blocking(move || {
        let (boss, lawyer) = (Home::new(), Home::new());
        boss.login(&url, "coordinator");
        lawyer.login(&url, "worker");
        // The lawyer's app runs, listening for pushes.
        let theirs = Pty::spawn(&[], &env(&lawyer, w.lang));
        theirs.wait_until("the lawyer's app", |s| s.contains('@'));
        (boss, (lawyer, theirs))
    })
    .await
    .unwrap();
    // Its event stream is open before anything is assigned (polled, bounded).
    for _ in 0..400 {
        if streams_open(&server.url).await >= 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(
        streams_open(&server.url).await >= 1,
        "the lawyer's app never listened"
    );
    let id = tokio::task::spawn_blocking(move || {
        let (_lawyer, mut theirs) = theirs;
        let mut pty = Pty::spawn(&[], &env(&boss, w.lang));
        pty.wait_until("the first frame", |s| s.contains('@'));
        pty.send("7");
        pty.wait_for(w.unassigned);
        pty.wait_for(w.pool);
        pty.wait_for("刘洋 0");
        pty.send("\r");
        pty.wait_for(w.picker);
        let screen = pty.screen();
        let id = number_after(&screen, w.picker).unwrap_or_else(|| panic!("{screen}"));
        pty.wait_for("刘洋");
        pty.send("\r");
        // Said in the status line (unless the start's overdue reminder
        // came after it), and his load on the last line is one more.
        pty.wait_until("the assignment shown", |s| {
            s.contains(w.assigned) || s.contains("刘洋 1")
        });
        // Told live, without a key pressed on their side.
        theirs.wait_until("the push reached the lawyer", |s| {
            number_after(s, w.new_assignment) == Some(id)
        });
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0, "{}", pty.screen());
        theirs.send("q");
        assert_eq!(theirs.wait_exit(), 0, "{}", theirs.screen());
        id
    })
    .await
    .unwrap();
    let worker = token(&server.url, "worker").await;
    let item: WorkItem = get_json(&server.url, &worker, &format!("/api/v1/items/{id}")).await;
    assert_eq!(
        item.assignee.as_ref().map(|a| a.username.as_str()),
        Some("worker")
    );
    server.running.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_assigns_in_english() {
    assign_through_the_picker(&EN).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_coordinator_assigns_in_chinese() {
    assign_through_the_picker(&ZH).await;
}

/// The bureau's coordinator through the TUI backend: the bureau's own
/// answer names the units below, and one of them is fetched on request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bureau_dispatches_in_a_unit_below() {
    use dutydesk::tui::run::Backend;
    use dutydesk::tui::{Command, Message};

    use super::backend::{backend, until};

    let server = spawn_server().await;
    let bureau = token(&server.url, "bureau").await;
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, bureau).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let loaded = |m: &Message| matches!(m, Message::DispatchLoaded { .. } | Message::Error(_));
    b.run(Command::FetchDispatch(None), tx.clone());
    let seen = until(&mut rx, loaded).await;
    let Some(Message::DispatchLoaded {
        unit, units_below, ..
    }) = seen.last()
    else {
        panic!("{seen:?}");
    };
    assert_eq!(unit.1, "钟楼区司法局");
    let firm = units_below
        .iter()
        .find(|u| u.name == "明德律师事务所")
        .unwrap_or_else(|| panic!("{units_below:?}"))
        .id;
    b.run(Command::FetchDispatch(Some(firm)), tx);
    let seen = until(&mut rx, loaded).await;
    let Some(Message::DispatchLoaded {
        unit, items, people, ..
    }) = seen.last()
    else {
        panic!("{seen:?}");
    };
    assert_eq!(unit.0, firm);
    assert!(items.iter().any(|i| i.assignee.is_none()), "the firm's pool");
    assert!(people.iter().any(|p| p.username == "lawyer4"), "{people:?}");
    b.stop();
}

/// A lawyer's release through the TUI backend against the real server;
/// an old version is a 409 that the app hears as `AssignStale`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_release_reaches_the_server_and_a_stale_version_says_so() {
    use dutydesk::api::ItemList;
    use dutydesk::tui::run::Backend;
    use dutydesk::tui::{Command, Message};

    use super::backend::{backend, until};

    let server = spawn_server().await;
    let lawyer = token(&server.url, "lawyer").await;
    let list: ItemList = get_json(&server.url, &lawyer, "/api/v1/items").await;
    let mine = list
        .items
        .iter()
        .find(|i| !i.status.is_finished())
        .cloned()
        .expect("the demo lawyer has open work");
    let home = tempfile::tempdir().unwrap();
    let b = backend(&home, &server.url, lawyer.clone()).await;
    let (tx, mut rx) = tokio::sync::mpsc::channel(256);
    let answered = |m: &Message| {
        matches!(
            m,
            Message::Assigned { .. } | Message::AssignStale { .. } | Message::Error(_)
        )
    };
    let release = |version| Command::Assign {
        item_id: mine.id,
        assignee_id: None,
        version,
        reason: Some("需回避".into()),
    };
    b.run(release(mine.version - 1), tx.clone());
    let seen = until(&mut rx, answered).await;
    assert!(
        matches!(seen.last(), Some(Message::AssignStale { item_id }) if *item_id == mine.id),
        "{seen:?}"
    );
    b.run(release(mine.version), tx);
    let seen = until(&mut rx, answered).await;
    let Some(Message::Assigned { item, .. }) = seen.last() else {
        panic!("{seen:?}");
    };
    assert!(item.assignee.is_none(), "back in the pool: {item:?}");
    let now: WorkItem = get_json(&server.url, &lawyer, &format!("/api/v1/items/{}", mine.id)).await;
    assert!(now.assignee.is_none());
    b.stop();
}
