//! A mediation room's shared PC: lawyer signs in, opens the app, signs out;
//! lawyer2 signs in on the same profile and the app shows only lawyer2's
//! items — none of lawyer's, not even for the first frame from the cache.

use dutydesk::api::ItemList;

use super::support::{Home, Pty, get_json, spawn_server, token};

fn logout(home: &Home) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .env_clear()
        .envs(home.env("dumb"))
        .arg("logout")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn after_logout_the_next_lawyer_sees_none_of_the_previous_ones_items() {
    let server = spawn_server().await;
    let lawyers: ItemList = get_json(&server.url, &token(&server.url, "lawyer").await, "/api/v1/items").await;
    let lawyer2s: ItemList =
        get_json(&server.url, &token(&server.url, "lawyer2").await, "/api/v1/items").await;
    // Title heads, as the first tab (mediation) shows them, of sessions
    // only lawyer has.
    let head = |t: &str| t.chars().take(8).collect::<String>();
    let only_lawyers: Vec<String> = lawyers
        .items
        .iter()
        .filter(|i| i.kind == dutydesk::domain::ItemKind::Mediation)
        .map(|i| head(&i.title))
        .filter(|h| !lawyer2s.items.iter().any(|j| head(&j.title) == *h))
        .collect();
    assert!(!only_lawyers.is_empty());
    let url = server.url.clone();
    let home = Home::new();
    tokio::task::spawn_blocking(move || {
        let env = home.env("xterm-256color");
        home.login(&url, "lawyer");
        let mut pty = Pty::spawn(&[], &env);
        pty.wait_for("synced");
        pty.wait_until("lawyer's items", |s| {
            only_lawyers.iter().any(|n| s.contains(n.as_str()))
        });
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0);
        logout(&home);
        home.login(&url, "lawyer2");
        let mut pty = Pty::spawn(&[], &env);
        // The first frame is drawn from the cache before the sync.
        pty.wait_until("the first frame", |s| {
            s.contains("lawyer2") || s.contains("synced")
        });
        let first = pty.screen();
        pty.wait_for("synced");
        let synced = pty.screen();
        pty.send("q");
        assert_eq!(pty.wait_exit(), 0);
        for screen in [first, synced] {
            for n in &only_lawyers {
                assert!(
                    !screen.contains(n.as_str()),
                    "lawyer's {n} shown to lawyer2:\n{screen}"
                );
            }
        }
    })
    .await
    .unwrap();
}
