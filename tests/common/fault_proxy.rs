//! A fault-injecting HTTP/1.1 proxy on 127.0.0.1:0 in front of a real
//! server, for the randomized fault soak (`examples/fault_soak.rs`,
//! `tests/fault_soak.rs`). One request per connection: it reads the
//! request, draws a fault (or none) from a seeded RNG, and then forwards,
//! drops, truncates, stalls or answers in the server's place. Counts the
//! faults it injected by kind. `heal()` turns the faults off.

#![allow(dead_code)] // each crate that includes it uses its own part of it

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What the proxy does to one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// Closes the client's connection without forwarding.
    DropBefore,
    /// Forwards; the server commits; the answer is thrown away.
    DropAfter,
    /// Forwards and passes on only part of the answer.
    Truncate,
    /// Holds the request past the client's deadline, then forwards it
    /// (half the time) with nobody left to answer.
    Stall,
    /// A gateway's own 502 page, nothing forwarded.
    BadGateway,
    /// A gateway's own 503 (sometimes with `Retry-After: 1`).
    Unavailable,
    /// A middlebox's own `200 {"status":"ok"}`, forwarded first half the time.
    MiddleboxOk,
}

impl Fault {
    pub const ALL: [Fault; 7] = [
        Fault::DropBefore,
        Fault::DropAfter,
        Fault::Truncate,
        Fault::Stall,
        Fault::BadGateway,
        Fault::Unavailable,
        Fault::MiddleboxOk,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Fault::DropBefore => "drop_before",
            Fault::DropAfter => "drop_after",
            Fault::Truncate => "truncate",
            Fault::Stall => "stall",
            Fault::BadGateway => "502",
            Fault::Unavailable => "503",
            Fault::MiddleboxOk => "middlebox_200",
        }
    }
}

struct State {
    upstream: Mutex<String>,
    healed: AtomicBool,
    rng: Mutex<StdRng>,
    /// The chance that a request meets a fault.
    rate: f64,
    stall: Duration,
    counts: Mutex<BTreeMap<&'static str, u64>>,
}

impl State {
    fn count(&self, what: &'static str) {
        if let Ok(mut c) = self.counts.lock() {
            *c.entry(what).or_default() += 1;
        }
    }

    fn draw(&self) -> (Option<Fault>, bool, usize) {
        if self.healed.load(Ordering::SeqCst) {
            return (None, false, 0);
        }
        let Ok(mut rng) = self.rng.lock() else {
            return (None, false, 0);
        };
        let fault = rng
            .random_bool(self.rate)
            .then(|| Fault::ALL[rng.random_range(0..Fault::ALL.len())]);
        (fault, rng.random_bool(0.5), rng.random_range(0..usize::MAX))
    }
}

pub struct FaultProxy {
    pub url: String,
    state: Arc<State>,
}

impl FaultProxy {
    /// Starts the proxy in front of `upstream` (`host:port`), healed.
    pub async fn start(
        upstream: String,
        seed: u64,
        rate: f64,
        stall: Duration,
    ) -> std::io::Result<FaultProxy> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let state = Arc::new(State {
            upstream: Mutex::new(upstream),
            healed: AtomicBool::new(true),
            rng: Mutex::new(StdRng::seed_from_u64(seed)),
            rate,
            stall,
            counts: Mutex::new(BTreeMap::new()),
        });
        let shared = state.clone();
        tokio::spawn(async move {
            while let Ok((sock, _)) = listener.accept().await {
                tokio::spawn(serve(sock, shared.clone()));
            }
        });
        Ok(FaultProxy { url, state })
    }

    /// Points it at a server restarted on another port.
    pub fn set_upstream(&self, upstream: String) {
        if let Ok(mut u) = self.state.upstream.lock() {
            *u = upstream;
        }
    }

    pub fn heal(&self) {
        self.state.healed.store(true, Ordering::SeqCst);
    }

    pub fn break_link(&self) {
        self.state.healed.store(false, Ordering::SeqCst);
    }

    /// Faults injected so far by kind, and `upstream_down` (the server was
    /// not there to forward to).
    pub fn counts(&self) -> BTreeMap<&'static str, u64> {
        self.state.counts.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

/// Reads one request: the head (with `Connection: close` in place of the
/// client's own connection headers) and the body. `None` when the client
/// went away first.
async fn read_request(sock: &mut TcpStream) -> Option<Vec<u8>> {
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
    let head = String::from_utf8_lossy(&buf[..head_end - 4]).to_string();
    let mut len = 0usize;
    let mut out = String::new();
    for (i, line) in head.split("\r\n").enumerate() {
        let lower = line.to_ascii_lowercase();
        if i > 0 && (lower.starts_with("connection:") || lower.starts_with("keep-alive:")) {
            continue;
        }
        if let Some(v) = lower.strip_prefix("content-length:") {
            len = v.trim().parse().ok()?;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    while buf.len() < head_end + len {
        match sock.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let mut request = out.into_bytes();
    request.extend_from_slice(&buf[head_end..head_end + len]);
    Some(request)
}

/// Sends the request to the server and reads its whole answer (the server
/// closes after it: `Connection: close`). `None` when the server is down.
async fn forward(upstream: &str, request: &[u8]) -> Option<Vec<u8>> {
    let exchange = async {
        let mut up = TcpStream::connect(upstream).await.ok()?;
        up.write_all(request).await.ok()?;
        let mut answer = Vec::new();
        up.read_to_end(&mut answer).await.ok()?;
        (!answer.is_empty()).then_some(answer)
    };
    tokio::time::timeout(Duration::from_secs(60), exchange)
        .await
        .ok()
        .flatten()
}

fn own_answer(status: &str, ctype: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n{extra}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

async fn serve(mut sock: TcpStream, state: Arc<State>) {
    let Some(request) = read_request(&mut sock).await else {
        return;
    };
    let (fault, coin, cut) = state.draw();
    let upstream = state.upstream.lock().map(|u| u.clone()).unwrap_or_default();
    if let Some(f) = fault {
        state.count(f.name());
    }
    let pass = |answer: Option<Vec<u8>>| {
        if answer.is_none() {
            state.count("upstream_down");
        }
        answer
    };
    let reply: Option<Vec<u8>> = match fault {
        None => pass(forward(&upstream, &request).await),
        Some(Fault::DropBefore) => None,
        Some(Fault::DropAfter) => {
            let _ = pass(forward(&upstream, &request).await);
            None
        }
        Some(Fault::Truncate) => pass(forward(&upstream, &request).await).map(|mut a| {
            let keep = 1 + cut % a.len().saturating_sub(1).max(1);
            a.truncate(keep.min(a.len().saturating_sub(1)));
            a
        }),
        Some(Fault::Stall) => {
            tokio::time::sleep(state.stall).await;
            if coin {
                let _ = pass(forward(&upstream, &request).await);
            }
            None
        }
        Some(Fault::BadGateway) => Some(own_answer(
            "502 Bad Gateway",
            "text/html",
            "",
            "<html><body><h1>502 Bad Gateway</h1>nginx</body></html>",
        )),
        Some(Fault::Unavailable) => Some(own_answer(
            "503 Service Unavailable",
            "text/plain",
            if coin { "Retry-After: 1\r\n" } else { "" },
            "upstream overloaded",
        )),
        Some(Fault::MiddleboxOk) => {
            if coin {
                let _ = pass(forward(&upstream, &request).await);
            }
            Some(own_answer("200 OK", "application/json", "", r#"{"status":"ok"}"#))
        }
    };
    if let Some(bytes) = reply {
        let _ = sock.write_all(&bytes).await;
        let _ = sock.flush().await;
    }
    // Dropped here: the connection closes (after a whole or a partial answer).
}
