//! A scripted HTTP peer on 127.0.0.1:0 that injects the faults a real link
//! has (503, 429, hangs, connections dropped mid-answer) and records what it
//! received. It stands in front of the client until the reference server
//! lands; then it fronts `support::spawn_server()` as a proxy. Like the
//! server, it echoes a request's `Idempotency-Key` on every answer
//! (`Reply::NoEcho` is a middlebox that does not).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub enum Reply {
    Json(u16, Vec<(&'static str, String)>, String),
    /// A server-sent event stream that ends after `body`.
    Sse(String),
    /// Any status with this content type and body (a portal's or proxy's page).
    Other(u16, &'static str, String),
    /// Reads the request and never answers.
    Hang,
    /// Starts a 201 and drops the connection halfway through the body.
    DropMidBody,
    /// 201 with the record the request's path creates, as the server would.
    Record,
    /// Like `Json`, without echoing the `Idempotency-Key`: a middlebox.
    NoEcho(u16, String),
}

pub fn ok_created() -> Reply {
    Reply::Record
}

/// The record a POST to `path` creates, as the server's JSON.
pub fn record_for(path: &str) -> String {
    use serde_json::json;
    let common = json!({"id": "0190a0b0-0000-7000-8000-000000000001", "user_id": 1,
        "occurred_at": 0, "created_at": 0});
    let mut v = common.clone();
    let with = |v: &mut serde_json::Value, extra: serde_json::Value| {
        for (k, x) in extra.as_object().unwrap() {
            v[k] = x.clone();
        }
    };
    match path.rsplit('/').next().unwrap_or("") {
        "activities" => with(&mut v, json!({"indicator": "trainings", "count": 1})),
        "time-entries" => with(&mut v, json!({"item_id": 1, "minutes": 1, "activity": "session"})),
        "outcomes" => with(&mut v, json!({"item_id": 1, "code": "answered"})),
        "notes" => v = json!({"at": 0, "action": "note"}),
        "check-in" | "check-out" => {
            v = json!({"id": 1, "user_id": 1, "place": "x", "starts_at": 0, "ends_at": 0, "version": 1})
        }
        _ => v = serde_json::to_value(crate::support::item(1, "consultation", "x")).unwrap(),
    }
    v.to_string()
}

#[derive(Clone, Debug)]
pub struct Seen {
    pub path: String,
    pub key: Option<String>,
    pub authorization: Option<String>,
    pub if_none_match: Option<String>,
}

pub struct Peer {
    pub url: String,
    pub seen: Arc<Mutex<Vec<Seen>>>,
}

impl Peer {
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

/// Answers requests with `script` in order; the last reply repeats.
/// One HTTP/1.1 request as read off a socket.
pub struct RawRequest {
    pub method: String,
    pub path: String,
    /// Names lower-cased.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl RawRequest {
    pub fn header(&self, name: &str) -> Option<String> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the
/// peer goes away before the head is whole. A body cut short is kept as
/// far as it came.
pub async fn read_request(sock: &mut tokio::net::TcpStream) -> Option<RawRequest> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 8192];
    let head_end = loop {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let headers: Vec<(String, String)> = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut words = head.split_whitespace();
    let mut request = RawRequest {
        method: words.next().unwrap_or("GET").to_string(),
        path: words.next().unwrap_or("/").to_string(),
        headers,
        body: Vec::new(),
    };
    let len: usize = request
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => break,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    request.body = buf[head_end..(head_end + len).min(buf.len())].to_vec();
    Some(request)
}

pub async fn start(script: Vec<Reply>) -> Peer {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let script = Arc::new(Mutex::new(script));
    let log = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let log = log.clone();
            let script = script.clone();
            tokio::spawn(async move {
                let Some(request) = read_request(&mut sock).await else {
                    return;
                };
                let header = |name: &str| request.header(name);
                let path = request.path.clone();
                let key = header("idempotency-key");
                log.lock().unwrap().push(Seen {
                    path: path.clone(),
                    key: key.clone(),
                    authorization: header("authorization"),
                    if_none_match: header("if-none-match"),
                });
                let reply = {
                    let mut s = script.lock().unwrap();
                    if s.len() > 1 { s.remove(0) } else { s[0].clone() }
                };
                let echo = |mut headers: Vec<(&'static str, String)>| {
                    if let Some(k) = &key {
                        headers.push(("Idempotency-Key", k.clone()));
                    }
                    headers
                };
                let reply = match reply {
                    Reply::Other(status, ctype, body) => {
                        Reply::Json(status, vec![("X-Content-Type", ctype.into())], body)
                    }
                    Reply::Record => Reply::Json(201, echo(vec![]), record_for(&path)),
                    Reply::Json(status, headers, body) => Reply::Json(status, echo(headers), body),
                    Reply::NoEcho(status, body) => Reply::Json(status, vec![], body),
                    r => r,
                };
                match reply {
                    Reply::Json(status, headers, body) => {
                        let forced = headers
                            .iter()
                            .find(|(k, _)| *k == "X-Content-Type")
                            .map(|(_, v)| v.clone());
                        let headers: Vec<_> = headers
                            .into_iter()
                            .filter(|(k, _)| *k != "X-Content-Type")
                            .collect();
                        let ctype = if let Some(c) = &forced {
                            c.as_str()
                        } else if status >= 400 {
                            "application/problem+json"
                        } else {
                            "application/json"
                        };
                        let mut out = format!(
                            "HTTP/1.1 {status} X\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n",
                            body.len()
                        );
                        for (k, v) in headers {
                            out.push_str(&format!("{k}: {v}\r\n"));
                        }
                        out.push_str("\r\n");
                        out.push_str(&body);
                        let _ = sock.write_all(out.as_bytes()).await;
                    }
                    Reply::Sse(body) => {
                        let out = format!(
                            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                        let _ = sock.write_all(out.as_bytes()).await;
                    }
                    // Turned into Json replies above.
                    Reply::Other(..) | Reply::Record | Reply::NoEcho(..) => {}
                    Reply::Hang => tokio::time::sleep(Duration::from_secs(30)).await,
                    Reply::DropMidBody => {
                        let _ = sock
                            .write_all(b"HTTP/1.1 201 Created\r\nContent-Length: 200\r\nConnection: close\r\n\r\n{\"id\":")
                            .await;
                    }
                }
            });
        }
    });
    Peer { url, seen }
}
