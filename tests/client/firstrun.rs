//! First run and a shared profile: `login --server` records the server in
//! config.toml (keeping the user's comments), secrets never go over plain
//! http to another machine, and the next lawyer to sign in on a profile
//! sees nothing of the previous one's work.

use dutydesk::api::{ItemList, WorkItem};
use dutydesk::client::store::{LocalStore, Writer};

use crate::support::Home;
use crate::with_server::{run, spawn_server, text};

async fn login_as(home: &Home, user: &str) -> std::process::Output {
    let mut c = home.cmd();
    c.args(["login", "--user", user, "--password-stdin"])
        .write_stdin("demo\n");
    run(c).await
}

async fn list_json(home: &Home) -> Vec<WorkItem> {
    let mut c = home.cmd();
    c.args(["list", "--json"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice::<ItemList>(&out.stdout).unwrap().items
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_server_records_it_and_keeps_the_files_comments() {
    let server = spawn_server().await;
    let home = Home::new();
    let original = "# my settings\nlanguage = \"en\"  # English at work\n\n[profiles.room2]\n# the room's PC\nuser = \"li.na\"\n";
    let path = home.write_config(original);
    let mut c = home.cmd();
    c.args([
        "login",
        "--server",
        &server.url,
        "--user",
        "lawyer",
        "--password-stdin",
    ])
    .write_stdin("demo\n");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(
        written.starts_with(original),
        "the user's lines stay as they were:\n{written}"
    );
    assert!(
        written.contains(&format!(
            "[profiles.default]\nserver = \"{}\"\nuser = \"lawyer\"\n",
            server.url
        )),
        "{written}"
    );
    // Without --server, the next commands find it.
    let items = list_json(&home).await;
    assert!(!items.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_password_or_token_over_plain_http_to_another_host() {
    let home = Home::new();
    let mut c = home.cmd();
    c.args([
        "login",
        "--server",
        "http://dutydesk.example.invalid",
        "--user",
        "u",
        "--password-stdin",
    ])
    .write_stdin("secret\n");
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("plain http://") && err.contains("allow_insecure_http = true"),
        "{err}"
    );
    assert!(
        !home.dirs().config.join("config.toml").exists(),
        "nothing recorded"
    );

    // A token likewise.
    let mut c = home.cmd();
    c.args(["--server", "http://10.1.2.3:8737", "list"])
        .env("DUTYDESK_TOKEN", "tok");
    let out = run(c).await;
    let err = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("sign-in token") && err.contains("[profiles.default]"),
        "{err}"
    );

    // A lab that allows it gets as far as the network.
    home.write_config(
        "[profiles.default]\nserver = \"http://dutydesk.example.invalid\"\nallow_insecure_http = true\n",
    );
    let mut c = home.cmd();
    c.args(["login", "--user", "u", "--password-stdin"])
        .write_stdin("secret\n");
    let out = run(c).await;
    let err = text(&out.stderr);
    assert!(!err.contains("allow_insecure_http"), "{err}");
    assert_ne!(out.status.code(), Some(0), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_next_lawyer_on_a_profile_sees_only_their_own_items() {
    let server = spawn_server().await;
    let home = Home::new();
    home.write_config(&format!("[profiles.default]\nserver = \"{}\"\n", server.url));
    assert_eq!(login_as(&home, "lawyer").await.status.code(), Some(0));
    let first = list_json(&home).await;
    assert!(!first.is_empty());
    let mut c = home.cmd();
    c.arg("logout");
    assert_eq!(run(c).await.status.code(), Some(0));
    // Signed out: nothing of lawyer's is left to read.
    let mut c = home.cmd();
    c.args(["list", "--json"]);
    let out = run(c).await;
    assert!(
        !text(&out.stdout).contains(&first[0].title),
        "{}",
        text(&out.stdout)
    );

    assert_eq!(login_as(&home, "lawyer2").await.status.code(), Some(0));
    let token = crate::demo_server::token(&server.url, "lawyer2").await;
    let theirs: ItemList = crate::demo_server::get_json(&server.url, &token, "/api/v1/items").await;
    let shown = list_json(&home).await;
    let mut shown_ids: Vec<i64> = shown.iter().map(|i| i.id).collect();
    let mut their_ids: Vec<i64> = theirs.items.iter().map(|i| i.id).collect();
    shown_ids.sort();
    their_ids.sort();
    assert_eq!(
        shown_ids, their_ids,
        "exactly lawyer2's items, none hidden by an old cursor"
    );
    let mut c = home.cmd();
    c.args(["list", "--json"]);
    let raw = text(&run(c).await.stdout);
    let phones: Vec<&String> = first
        .iter()
        .filter(|i| !their_ids.contains(&i.id))
        .flat_map(|i| i.parties.iter().filter_map(|p| p.contact.as_ref()))
        .collect();
    assert!(!phones.is_empty(), "the demo gives lawyer's parties phones");
    for phone in phones {
        assert!(
            !raw.contains(phone.as_str()),
            "lawyer's party's phone {phone} shown to lawyer2"
        );
    }
}

#[tokio::test]
async fn drafts_and_the_timer_belong_to_their_signed_in_user() {
    let home = Home::new();
    let path = LocalStore::path_for(&home.dirs().data, "default");
    let (store, _) = LocalStore::open(&path).await.unwrap();
    let a = Writer {
        user: "lawyer".into(),
        server: "https://s".into(),
    };
    let b = Writer {
        user: "lawyer2".into(),
        server: "https://s".into(),
    };
    let store = store.switch_to(a.clone()).await.unwrap();
    store
        .start_timer_logged(7, 1_000, |_| unreachable!("no timer ran"))
        .await
        .unwrap();
    store.save_draft("outcome:7", "{}").await.unwrap();
    let store = store.switch_to(b.clone()).await.unwrap();
    assert_eq!(store.timer().await.unwrap(), None);
    assert_eq!(store.draft("outcome:7").await.unwrap(), None);
    let store = store.switch_to(a).await.unwrap();
    assert_eq!(store.timer().await.unwrap().map(|t| t.item_id), Some(7));
    assert_eq!(store.draft("outcome:7").await.unwrap().as_deref(), Some("{}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logout_forgets_the_token_even_where_the_server_cannot_be_told() {
    let server = spawn_server().await;
    let home = Home::new();
    crate::with_server::login(&home, &server.url, "lawyer").await;
    assert!(!list_json(&home).await.is_empty());
    // Pointed at a plain-http address elsewhere: no token goes there.
    home.write_config("[profiles.default]\nserver = \"http://dutydesk.example.invalid\"\n");
    let mut c = home.cmd();
    c.arg("logout");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.args(["--server", &server.url, "list"]);
    let out = run(c).await;
    assert!(
        text(&out.stderr).contains("not signed in"),
        "{}",
        text(&out.stderr)
    );
    assert!(out.stdout.is_empty());
}
