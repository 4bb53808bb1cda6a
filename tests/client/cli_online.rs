//! The real binary against a loopback peer: logged offline then synced,
//! and killed right after "saved".

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use dutydesk::client::store::{EntryState, Store};

use crate::loopback::{self, Reply, ok_created};
use crate::support::{Home, dead_server, item};

fn use_server(home: &Home, url: &str) {
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{url}\"\ncredential_store = \"file\"\n"
    ));
}

/// What a pull after the send gets: empty lists.
fn lists() -> Vec<Reply> {
    vec![
        Reply::Json(200, vec![], r#"{"items":[],"cursor":"c1"}"#.into()),
        Reply::Json(200, vec![], r#"{"items":[]}"#.into()),
        Reply::Json(200, vec![], r#"{"shifts":[]}"#.into()),
    ]
}

async fn outbox(home: &Home) -> Vec<dutydesk::client::store::OutboxEntry> {
    let (store, _) = Store::open(&Store::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    store.outbox().await.unwrap()
}

async fn run(mut cmd: assert_cmd::Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn logged_while_down_then_sync_sends_it_once() {
    let home = Home::new();
    use_server(&home, &dead_server());
    let mut c = home.cmd();
    c.args(["activity", "--indicator", "contact_cards", "--count", "50"])
        .env("DUTYDESK_TOKEN", "t");
    assert_eq!(run(c).await.status.code(), Some(3));
    let waiting = outbox(&home).await;
    assert_eq!(waiting.len(), 1);

    let mut script = vec![ok_created()];
    script.extend(lists());
    let peer = loopback::start(script).await;
    use_server(&home, &peer.url);
    let mut c = home.cmd();
    c.arg("sync").env("DUTYDESK_TOKEN", "t");
    let out = run(c).await;
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("1 sent, 0 waiting, 0 refused"), "{stdout}");
    let posts: Vec<_> = peer.seen().into_iter().filter(|s| s.key.is_some()).collect();
    assert_eq!(posts.len(), 1, "the server got it once");
    assert_eq!(posts[0].key.as_deref(), Some(waiting[0].id.as_str()));
    assert!(outbox(&home).await.is_empty());
    // A second sync sends nothing more.
    let mut c = home.cmd();
    c.arg("sync").env("DUTYDESK_TOKEN", "t");
    run(c).await;
    assert_eq!(peer.seen().iter().filter(|s| s.key.is_some()).count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_right_after_saved_the_entry_is_sent_on_the_next_run() {
    let home = Home::new();
    // The first server takes the request and never answers: the CLI is
    // mid-send when it is killed.
    let hang = loopback::start(vec![Reply::Hang]).await;
    use_server(&home, &hang.url);
    let (store, _) = Store::open(&Store::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    store
        .upsert_items("mine", &[item(9, "consultation", "工资拖欠")])
        .await
        .unwrap();
    store.close().await;
    let bin = assert_cmd::cargo::cargo_bin("dutydesk");
    let mut std_cmd = std::process::Command::new(bin);
    std_cmd
        .env_clear()
        .envs(
            home.cmd()
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .env("DUTYDESK_TOKEN", "t")
        .args(["log", "9", "--outcome", "answered", "--note", "已解答"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    let mut child = std_cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let first_line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line
    })
    .await
    .unwrap();
    assert!(first_line.contains("Saved"), "{first_line}");
    // Wait until the request reached the server, then kill -9.
    for _ in 0..100 {
        if !hang.seen().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let left = outbox(&home).await;
    assert_eq!(left.len(), 1, "the entry survived the kill");
    assert_eq!(left[0].state, EntryState::Pending);
    let key = left[0].id.clone();

    let mut script = vec![ok_created()];
    script.extend(lists());
    let peer = loopback::start(script).await;
    use_server(&home, &peer.url);
    let mut c = home.cmd();
    c.arg("sync").env("DUTYDESK_TOKEN", "t");
    let out = run(c).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let posts: Vec<_> = peer.seen().into_iter().filter(|s| s.key.is_some()).collect();
    assert_eq!(posts.len(), 1);
    // The same key as the interrupted send: the server answers the stored
    // response instead of recording it twice.
    assert_eq!(posts[0].key.as_deref(), Some(key.as_str()));
    assert_eq!(hang.seen()[0].key.as_deref(), Some(key.as_str()));
    assert!(outbox(&home).await.is_empty());
}

#[test]
fn a_bad_ca_file_is_named() {
    let home = Home::new();
    let pem = home.tmp.path().join("bureau-ca.pem");
    std::fs::write(&pem, "not a certificate").unwrap();
    home.write_config(&format!(
        "[profiles.default]\nserver = \"https://127.0.0.1:9\"\nca_file = \"{}\"\n",
        pem.display()
    ));
    let out = home.cmd().arg("duty").env("DUTYDESK_TOKEN", "t").assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(
        stderr.contains("bureau-ca.pem") && stderr.contains("ca_file"),
        "{stderr}"
    );
}
