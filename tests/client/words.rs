//! In Chinese, the CLI speaks Chinese: statuses, kinds and history in the
//! user's language (codes stay in `--json`), and the server's problems
//! worded from their stable codes instead of its English `detail`.

use dutydesk::api::{ItemList, PoolList};

use crate::support::Home;
use crate::with_server::{login, run, spawn_server, text};

fn zh(home: &Home) -> assert_cmd::Command {
    let mut c = home.cmd();
    c.env("DUTYDESK_LANG", "zh-CN");
    c
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_show_and_refusals_speak_the_users_language() {
    let server = spawn_server().await;
    let home = Home::new();
    login(&home, &server.url, "lawyer").await;

    let mut c = zh(&home);
    c.args(["list", "--json"]);
    let out = run(c).await;
    let items: ItemList = serde_json::from_slice(&out.stdout).unwrap();
    let raw = text(&out.stdout);
    assert!(
        raw.contains("\"status\": \"in_progress\"") || raw.contains("\"status\": \"new\""),
        "codes in JSON"
    );

    let mut c = zh(&home);
    c.arg("list");
    let out = run(c).await;
    let listed = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    for code in [
        "in_progress",
        "accepted",
        "\u{20}new\u{20}",
        "mediation",
        "consultation",
    ] {
        assert!(!listed.contains(code), "the code {code:?} printed:\n{listed}");
    }
    assert!(
        listed.contains("调解") && (listed.contains("办理中") || listed.contains("新")),
        "{listed}"
    );

    // An item with history: its actions in Chinese.
    let id = items.items[0].id.to_string();
    let mut c = zh(&home);
    c.args(["show", &id]);
    let out = run(c).await;
    let shown = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        !shown.contains("created") && !shown.contains("in_progress"),
        "{shown}"
    );

    // No such item: Chinese, not the server's English.
    let mut c = zh(&home);
    c.args(["show", "9999"]);
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(5), "{err}");
    assert!(
        err.contains("服务器上没有该记录") && !err.contains("not found"),
        "{err}"
    );

    // Someone else claimed it first: named, in Chinese.
    let mut c = zh(&home);
    c.args(["list", "--pool", "--json"]);
    let pool: PoolList = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let pooled = pool.items[0].id.to_string();
    let other = Home::new();
    login(&other, &server.url, "lawyer2").await;
    let mut c = zh(&other);
    c.args(["claim", &pooled]);
    assert_eq!(run(c).await.status.code(), Some(0));
    let mut c = zh(&home);
    c.args(["claim", &pooled]);
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{err}");
    assert!(
        err.contains("已先认领") && !err.contains("claimed this item first"),
        "{err}"
    );
}
