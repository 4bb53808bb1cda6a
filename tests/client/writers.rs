//! Several lawyers on one profile: work goes out only under its writer's
//! sign-in, against the real server.

use dutydesk::api::NewActivity;
use dutydesk::client::store::{LocalStore, Writer};
use dutydesk::client::writes;

use crate::support::Home;
use crate::with_server::{login, run, spawn_server, text};

async fn outbox(home: &Home) -> Vec<serde_json::Value> {
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    serde_json::from_slice(&run(c).await.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn work_queued_by_one_lawyer_is_not_sent_with_the_next_ones_token() {
    let server = spawn_server().await;
    let home = Home::new();
    login(&home, &server.url, "lawyer").await;
    // Lawyer A logged this while offline; it is still in the outbox.
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let store = store.with_writer(Writer {
        user: "lawyer".into(),
        server: server.url.clone(),
    });
    let body = NewActivity {
        indicator: "contact_cards".into(),
        count: 50,
        count2: None,
        note: None,
        occurred_at: None,
    };
    store.enqueue(writes::activity(&body)).await.unwrap();
    store.close().await;

    // Lawyer B signs in on the same profile: told whose work is waiting.
    let mut c = home.cmd();
    c.args(["login", "--user", "lawyer2", "--password-stdin"])
        .write_stdin("demo\n");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("queued on this profile by lawyer"),
        "{}",
        text(&out.stderr)
    );

    // B's sync leaves A's entry alone.
    let mut c = home.cmd();
    c.arg("sync");
    let out = run(c).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let left = outbox(&home).await;
    assert_eq!(left.len(), 1, "{left:?}");
    assert_eq!(left[0]["writer_user"], "lawyer");
    assert_eq!(left[0]["state"], "pending");
    let mut c = home.cmd();
    c.arg("outbox");
    let listing = text(&run(c).await.stdout);
    assert!(listing.contains("sign in as lawyer to send it"), "{listing}");

    // A signs in again: their work goes out under their name.
    let mut c = home.cmd();
    c.args(["login", "--user", "lawyer", "--password-stdin"])
        .write_stdin("demo\n");
    assert!(run(c).await.status.success());
    let mut c = home.cmd();
    c.arg("sync");
    let out = run(c).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(outbox(&home).await.is_empty());
}

#[test]
fn profile_names_never_share_a_store_file() {
    let dir = std::path::Path::new("/data");
    assert_eq!(LocalStore::path_for(dir, "default"), dir.join("default.sqlite"));
    assert_eq!(
        LocalStore::path_for(dir, "zhang-wei2"),
        dir.join("zhang-wei2.sqlite")
    );
    let names = ["a.b", "a_b", "a b", "a/b", "张伟", "李娜"];
    let paths: std::collections::HashSet<_> = names.iter().map(|n| LocalStore::path_for(dir, n)).collect();
    assert_eq!(paths.len(), names.len(), "{paths:?}");
    assert!(paths.iter().all(|p| p.parent() == Some(dir)));
}
