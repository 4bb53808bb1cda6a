//! The concurrent flush cut half way: a link in front of the real server
//! passes the first half of the writes, then forwards each request but
//! loses its answer (the server commits, the client never hears). A later
//! flush straight to the server delivers the rest; every note is on the
//! server exactly once.

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dutydesk::api::{ItemDetail, ItemList, paths};
use dutydesk::client::credentials::Token;
use dutydesk::client::http::{Api, Timeouts};
use dutydesk::client::store::{LocalStore, NewEntry};
use dutydesk::client::sync::{Engine, RetryPolicy};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;

use crate::demo_server::{get_json, spawn_server, token};
use crate::support::Home;

const NOTES: usize = 40;
/// Answers the link passes on before it is cut.
const PASSED: usize = 20;

/// A loopback link to `upstream` that answers the first `PASSED` POSTs
/// and afterwards forwards each one but drops the connection instead of
/// answering. Returns its URL and how many POSTs reached the server.
async fn cut_link(upstream: String) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let forwarded = Arc::new(AtomicUsize::new(0));
    let count = forwarded.clone();
    let client = reqwest::Client::new();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let (count, client, upstream) = (count.clone(), client.clone(), upstream.clone());
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
                for name in ["authorization", "content-type", "idempotency-key"] {
                    if let Some(v) = header(name) {
                        req = req.header(name, v);
                    }
                }
                let resp = req.body(request.body.clone()).send().await.unwrap();
                let status = resp.status().as_u16();
                let echoed = resp
                    .headers()
                    .get("idempotency-key")
                    .and_then(|v| v.to_str().ok())
                    .map(str::to_string);
                let body = resp.text().await.unwrap();
                if method == "POST" && count.fetch_add(1, Ordering::SeqCst) >= PASSED {
                    // Committed on the server; the answer is lost on the way.
                    drop(sock);
                    return;
                }
                let mut out = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
                    body.len()
                );
                if let Some(k) = echoed {
                    out.push_str(&format!("Idempotency-Key: {k}\r\n"));
                }
                out.push_str("\r\n");
                out.push_str(&body);
                let _ = sock.write_all(out.as_bytes()).await;
            });
        }
    });
    (url, forwarded)
}

fn engine(store: &LocalStore, url: &str, token: &str) -> Engine {
    let timeouts = Timeouts {
        connect: Duration::from_millis(500),
        read: Duration::from_secs(5),
        ..Timeouts::default()
    };
    let api = Api::new(url, Some(Token::new(token)), None, timeouts).unwrap();
    Engine::new(store.clone(), api).with_policy(RetryPolicy {
        min_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(20),
        max_times: 1,
        max_retry_after: Duration::from_secs(1),
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_concurrent_flush_cut_half_way_delivers_every_note_once_afterwards() {
    let server = spawn_server().await;
    let tok = token(&server.url, "lawyer").await;
    let list: ItemList = get_json(&server.url, &tok, paths::ITEMS).await;
    let items: Vec<i64> = list.items.iter().map(|i| i.id).take(4).collect();
    assert!(items.len() >= 2, "the demo data gives the lawyer several items");

    let home = Home::new();
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    for n in 0..NOTES {
        let item = items[n % items.len()];
        store
            .enqueue(NewEntry {
                kind: dutydesk::client::store::WriteKind::Note,
                method: "POST".into(),
                path: paths::with_id(paths::ITEM_NOTES, item),
                body: serde_json::json!({ "text": format!("cut-link note {n}") }),
                summary: format!("note {n}"),
            })
            .await
            .unwrap();
    }

    let (link, forwarded) = cut_link(server.url.clone()).await;
    let first = engine(&store, &link, &tok).flush_once().await.unwrap();
    assert!(first.offline.is_some(), "the cut link stops the flush: {first:?}");
    assert!(first.sent.len() <= PASSED, "{} sent", first.sent.len());
    assert!(first.waiting > 0, "part of the outbox is still waiting");
    assert!(
        forwarded.load(Ordering::SeqCst) > PASSED,
        "some answers were lost"
    );

    // The link is back: the rest goes, answered from the server's
    // idempotency records where the first send had already landed.
    let second = engine(&store, &server.url, &tok).flush_once().await.unwrap();
    assert_eq!(second.waiting, 0, "{second:?}");
    assert!(store.outbox().await.unwrap().is_empty());

    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in &items {
        let detail: ItemDetail = get_json(&server.url, &tok, &paths::with_id(paths::ITEM, *item)).await;
        for h in detail
            .history
            .iter()
            .filter(|h| h.note.starts_with("cut-link note"))
        {
            *seen.entry(h.note.clone()).or_default() += 1;
        }
    }
    assert_eq!(seen.len(), NOTES, "every note is on the server: {seen:?}");
    assert!(seen.values().all(|n| *n == 1), "none twice: {seen:?}");
}
