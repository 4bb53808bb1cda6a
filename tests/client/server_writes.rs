//! Writes against the real reference server: a server that commits and
//! then dies before answering, a refused outcome fixed and sent again, and
//! `start` moving an item to in progress.

use std::sync::{Arc, Mutex};

use dutydesk::api::{ItemDetail, ItemList, NewOutcome};
use dutydesk::client::store::LocalStore;
use dutydesk::client::writes;
use dutydesk::domain::OutcomeCode;
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::support::Home;
use crate::with_server::{login, open_consultation, outcomes_on_server, run, spawn_server, text};

fn use_server(home: &Home, url: &str) {
    home.write_config(&format!("[profiles.default]\nserver = \"{url}\"\n"));
}

/// What the crashing proxy saw of one POST: its key and the server's answer.
#[derive(Debug, Clone)]
struct Forwarded {
    key: Option<String>,
    status: u16,
    body: String,
    /// Whether the client got this answer.
    answered: bool,
}

/// A loopback proxy in front of the real server. Every request is passed
/// on; the answer to the first POST is thrown away and the client's
/// connection dropped, as when a server crashes after its commit.
async fn crashing_proxy(upstream: String) -> (String, Arc<Mutex<Vec<Forwarded>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let posts = Arc::new(Mutex::new(Vec::new()));
    let log = posts.clone();
    let client = reqwest::Client::new();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let (log, client, upstream) = (log.clone(), client.clone(), upstream.clone());
            tokio::spawn(async move {
                let Some(request) = crate::loopback::read_request(&mut sock).await else {
                    return;
                };
                let header = |n: &str| request.header(n);
                let (method, path) = (request.method.clone(), request.path.clone());
                let mut req = client.request(
                    reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                    format!("{upstream}{path}"),
                );
                for name in [
                    "authorization",
                    "content-type",
                    "idempotency-key",
                    "if-none-match",
                ] {
                    if let Some(v) = header(name) {
                        req = req.header(name, v);
                    }
                }
                let resp = req.body(request.body.clone()).send().await.unwrap();
                let status = resp.status().as_u16();
                let ctype = resp
                    .headers()
                    .get("content-type")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("application/json")
                    .to_string();
                let etag = resp
                    .headers()
                    .get("etag")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                // A proxy passes the server's headers on, the key's echo too.
                let echoed = resp
                    .headers()
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = resp.text().await.unwrap();
                if method == "POST" {
                    let mut posts = log.lock().unwrap();
                    let answered = !posts.is_empty();
                    posts.push(Forwarded {
                        key: header("idempotency-key"),
                        status,
                        body: body.clone(),
                        answered,
                    });
                    if !answered {
                        // Committed on the server; the client never hears of it.
                        drop(sock);
                        return;
                    }
                }
                let mut out = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                if let Some(e) = etag {
                    out.push_str(&format!("ETag: {e}\r\n"));
                }
                if let Some(k) = echoed {
                    out.push_str(&format!("Idempotency-Key: {k}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&body);
                let _ = sock.write_all(out.as_bytes()).await;
            });
        }
    });
    (url, posts)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_commits_then_dies_gets_the_same_key_and_keeps_one_record() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;
    let (proxy, posts) = crashing_proxy(server.url.clone()).await;
    use_server(&home, &proxy);
    let mut c = home.cmd();
    c.args(["log", &id.to_string(), "--outcome", "answered", "--minutes", "15"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Sent"), "{}", text(&out.stdout));

    let posts = posts.lock().unwrap().clone();
    assert_eq!(posts.len(), 2, "the lost answer was retried once: {posts:?}");
    assert_eq!((posts[0].answered, posts[1].answered), (false, true));
    assert!(posts[0].key.is_some());
    assert_eq!(
        posts[0].key, posts[1].key,
        "the retry carries the same Idempotency-Key"
    );
    assert_eq!(
        posts[0].status, 201,
        "the first try was committed: {}",
        posts[0].body
    );
    assert!((200..300).contains(&posts[1].status), "{}", posts[1].body);
    let first: serde_json::Value = serde_json::from_str(&posts[0].body).unwrap();
    let second: serde_json::Value = serde_json::from_str(&posts[1].body).unwrap();
    assert_eq!(first["id"], second["id"], "the retry got the stored response");

    use_server(&home, &server.url);
    assert_eq!(outcomes_on_server(&home, id).await, 1, "one record on the server");
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert!(left.is_empty(), "the entry counts as sent: {left:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_outcome_edited_and_retried_is_recorded_once() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let id = open_consultation(&home).await;
    // An outcome the server refuses (a mediation code on a consultation),
    // saved as an older client might have saved it.
    {
        let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
            .await
            .unwrap();
        let body = NewOutcome {
            code: OutcomeCode::Agreement,
            minutes: Some(10),
            settled_amount: None,
            fee_waived: None,
            note: None,
            occurred_at: None,
        };
        store.enqueue(writes::outcome(id, &body)).await.unwrap();
        store.close().await;
    }
    let mut c = home.cmd();
    c.arg("sync");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let failed: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!((failed.len(), failed[0]["state"].as_str()), (1, Some("failed")));
    let entry = failed[0]["id"].as_str().unwrap().to_string();
    assert_eq!(outcomes_on_server(&home, id).await, 0);

    // A flag that does not fit an outcome is refused before anything changes.
    let mut c = home.cmd();
    c.args(["outbox", "retry", &entry, "--outcome", "no_such_code"]);
    assert_eq!(run(c).await.status.code(), Some(2));

    let mut c = home.cmd();
    c.args([
        "outbox",
        "retry",
        &entry,
        "--outcome",
        "answered",
        "--note",
        "改为已解答",
    ]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert!(left.is_empty(), "{left:?}");
    let mut c = home.cmd();
    c.args(["show", &id.to_string(), "--json"]);
    let d: ItemDetail = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!(d.outcomes.len(), 1, "recorded once");
    assert_eq!(d.outcomes[0].code, OutcomeCode::Answered);
    assert_eq!(d.outcomes[0].note, "改为已解答");
    // Retrying again finds nothing to send twice.
    let mut c = home.cmd();
    c.arg("sync");
    assert_eq!(run(c).await.status.code(), Some(0));
    assert_eq!(outcomes_on_server(&home, id).await, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_moves_a_new_item_to_in_progress_on_the_server() {
    let home = Home::new();
    let server = spawn_server().await;
    login(&home, &server.url, "lawyer").await;
    let mut c = home.cmd();
    c.args(["list", "--json"]);
    let list: ItemList = serde_json::from_slice(&run(c).await.stdout).unwrap();
    let item = list
        .items
        .iter()
        .find(|i| i.status == dutydesk::domain::ItemStatus::New)
        .expect("the demo data gives the lawyer a new item");
    let mut c = home.cmd();
    c.args(["start", &item.id.to_string()]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Starting again neither moves it twice nor leaves a refused entry.
    let mut c = home.cmd();
    c.args(["start", &item.id.to_string()]);
    assert_eq!(run(c).await.status.code(), Some(0));
    let mut c = home.cmd();
    c.args(["outbox", "--json"]);
    let left: Vec<serde_json::Value> = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert!(left.is_empty(), "{left:?}");
    let mut c = home.cmd();
    c.args(["show", &item.id.to_string(), "--json"]);
    let d: ItemDetail = serde_json::from_slice(&run(c).await.stdout).unwrap();
    assert_eq!(d.item.status, dutydesk::domain::ItemStatus::InProgress);
    assert_eq!(d.item.version, item.version + 2, "new → accepted → in progress");
}
