//! The real binary against a loopback peer: logged offline then synced,
//! and killed right after "saved".

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use dutydesk::client::store::{EntryState, LocalStore};

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
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
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
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
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

const USER: &str = r#"{"id":3,"username":"zhang.wei","display_name":"张伟","role":"lawyer","profession":"lawyer","unit":{"id":1,"name":"明理律师事务所"}}"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_keeps_a_private_file_whoami_names_it_logout_revokes_and_forgets() {
    let home = Home::new();
    let peer = loopback::start(vec![
        Reply::Json(
            200,
            vec![],
            format!(r#"{{"token":"tok-secret-42","user":{USER}}}"#),
        ),
        Reply::Json(200, vec![], USER.into()),
        Reply::Json(204, vec![], String::new()),
    ])
    .await;
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\nuser = \"zhang.wei\"\n",
        peer.url
    ));
    let mut c = home.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("demo\n");
    let out = run(c).await;
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(0), "{stdout}{stderr}");
    // No keyring on this box: auto falls back to the file, and says so in one line.
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("no keyring"), "{stderr}");
    assert!(
        stdout.contains("张伟") && stdout.contains("token file"),
        "{stdout}"
    );
    let file = home.dirs().config.join("credentials");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
        0o600
    );

    let mut c = home.cmd();
    c.args(["whoami", "--json"]);
    let out = run(c).await;
    let who: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(who["credential_store"], "file");
    assert_eq!(who["profile"], "default");
    let user: dutydesk::api::User = serde_json::from_value(who["user"].clone()).unwrap();
    assert_eq!(user.display_name, "张伟");
    assert_eq!(
        peer.seen()[1].authorization.as_deref(),
        Some("Bearer tok-secret-42")
    );

    let mut c = home.cmd();
    c.arg("logout");
    let out = run(c).await;
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let logout = &peer.seen()[2];
    assert_eq!(logout.path, "/api/v1/auth/logout");
    assert_eq!(logout.authorization.as_deref(), Some("Bearer tok-secret-42"));
    assert!(!std::fs::read_to_string(&file).unwrap().contains("tok-secret-42"));
    let mut c = home.cmd();
    c.arg("whoami");
    assert_eq!(run(c).await.status.code(), Some(1), "signed out");
    assert!(!home.all_logs().contains("tok-secret-42"), "no token in any log");
    assert!(!home.all_logs().is_empty(), "the log file exists and was checked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_of_every_read_command_parses_as_the_contract_types() {
    let home = Home::new();
    let item = serde_json::to_value(item(7, "mediation", "劳动合同纠纷调解")).unwrap();
    let mut detail = item.clone();
    detail["history"] = serde_json::json!([]);
    detail["outcomes"] = serde_json::json!([]);
    detail["time_entries"] = serde_json::json!([]);
    let schedule = serde_json::json!({"date": "2026-03-09", "rooms": [{
        "room": {"id": 1, "name": "第一调解室", "unit_id": 1}, "sessions": [item]}]});
    let duty =
        r#"{"shifts":[{"id":4,"user_id":3,"place":"12348 热线","starts_at":1,"ends_at":2,"version":1}]}"#;
    let peer = loopback::start(vec![
        Reply::Json(200, vec![], detail.to_string()),
        Reply::Json(200, vec![], schedule.to_string()),
        Reply::Json(200, vec![], duty.into()),
        Reply::Json(200, vec![], USER.into()),
    ])
    .await;
    use_server(&home, &peer.url);
    let json = |args: &'static [&'static str]| {
        let mut c = home.cmd();
        c.args(args).env("DUTYDESK_TOKEN", "t");
        c
    };
    let out = run(json(&["show", "7", "--json"])).await;
    let d: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d.item.title, "劳动合同纠纷调解");
    let out = run(json(&["schedule", "--date", "2026-03-09", "--json"])).await;
    let s: dutydesk::api::Schedule = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(s.rooms[0].room.name, "第一调解室");
    assert_eq!(peer.seen()[1].path, "/api/v1/schedule?date=2026-03-09");
    let out = run(json(&["duty", "--json"])).await;
    let l: dutydesk::api::DutyList = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(l.shifts[0].place, "12348 热线");
    let out = run(json(&["whoami", "--json"])).await;
    let w: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(w["credential_store"], "env");
    // Offline, the same commands answer from the cache, still as JSON.
    use_server(&home, &dead_server());
    let out = run(json(&["show", "7", "--json"])).await;
    assert_eq!(out.status.code(), Some(0));
    let d2: dutydesk::api::ItemDetail = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(d2, d);
    let out = run(json(&["outbox", "--json"])).await;
    let o: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(o.is_empty());
}
