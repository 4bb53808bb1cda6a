//! A hostile server (or anything on a plain-http path) cannot hang the
//! client or exhaust its memory: each misbehaviour ends within its limit
//! with a clear message, the client's peak RSS stays under 100 MB, and a
//! keyed write stays in the outbox. Real sockets on loopback; deadlines
//! shortened through the environment so the suite stays quick.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use dutydesk::client::store::{EntryState, LocalStore};
use dutydesk::client::sync::{SyncEvent, run_events};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::support::Home;

/// What the fake server does once it has read a request.
#[derive(Clone, Copy, Debug)]
enum Misbehaviour {
    /// A 200 whose body runs to 1.5 GB, streamed without a length.
    HugeBody,
    /// A 200 that promises 100 bytes and sends one every 10 s.
    Trickle,
    /// A 500 that asks to wait about 31 years.
    RetryForever,
    /// A login answer whose token holds CR/LF (a header injection).
    CrlfToken,
    /// An event stream whose first line never ends.
    EndlessSseLine,
}

const GB_1_5: usize = 1536 * 1024 * 1024;

async fn read_request(sock: &mut TcpStream) -> Option<()> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let len: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + len {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(())
}

async fn misbehave(mut sock: TcpStream, how: Misbehaviour) {
    if read_request(&mut sock).await.is_none() {
        return;
    }
    match how {
        Misbehaviour::HugeBody => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n";
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            // One reused buffer: the server streams, it never holds 1.5 GB.
            let block = vec![b' '; 1024 * 1024];
            let mut sent = 0;
            while sent < GB_1_5 && sock.write_all(&block).await.is_ok() {
                sent += block.len();
            }
        }
        Misbehaviour::Trickle => {
            let head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n";
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            for _ in 0..100 {
                if sock.write_all(b" ").await.is_err() {
                    return;
                }
                tokio::time::sleep(Duration::from_secs(10)).await;
            }
        }
        Misbehaviour::RetryForever => {
            let body = r#"{"title":"busy","status":500,"code":"internal","detail":"busy"}"#;
            let out = format!(
                "HTTP/1.1 500 X\r\nContent-Type: application/problem+json\r\nRetry-After: 999999999\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(out.as_bytes()).await;
        }
        Misbehaviour::CrlfToken => {
            let body = serde_json::json!({
                "token": "abc\r\nX-Injected: 1",
                "user": {"id": 1, "username": "lawyer", "display_name": "L", "role": "lawyer",
                         "profession": "lawyer", "unit": {"id": 1, "name": "U"}}
            })
            .to_string();
            let out = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = sock.write_all(out.as_bytes()).await;
        }
        Misbehaviour::EndlessSseLine => {
            let head =
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\ndata: ";
            if sock.write_all(head.as_bytes()).await.is_err() {
                return;
            }
            let block = vec![b'a'; 64 * 1024];
            while sock.write_all(&block).await.is_ok() {}
        }
    }
}

async fn hostile(how: Misbehaviour) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(misbehave(sock, how));
        }
    });
    url
}

/// A run of the real binary: its output, its peak RSS in KB (VmHWM, read
/// from /proc while it runs), and how long it took.
struct Measured {
    out: Output,
    peak_kb: u64,
    took: Duration,
}

fn peak_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

async fn measure(home: &Home, args: &[&str], env: &[(&str, &str)]) -> Measured {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("dutydesk"));
    cmd.env_clear()
        .envs(
            home.cmd()
                .get_envs()
                .filter_map(|(k, v)| Some((k.to_owned(), v?.to_owned()))),
        )
        .envs(env.iter().copied())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let mut child = cmd.spawn().unwrap();
        let pid = child.id();
        // Drain the pipes on their own threads so a chatty child never blocks.
        let mut so = child.stdout.take().unwrap();
        let mut se = child.stderr.take().unwrap();
        let so = std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut so, &mut v).ok();
            v
        });
        let se = std::thread::spawn(move || {
            let mut v = Vec::new();
            std::io::Read::read_to_end(&mut se, &mut v).ok();
            v
        });
        let mut peak = 0;
        let status = loop {
            if let Some(kb) = peak_kb(pid) {
                peak = peak.max(kb);
            }
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            std::thread::sleep(Duration::from_millis(5));
        };
        Measured {
            out: Output {
                status,
                stdout: so.join().unwrap(),
                stderr: se.join().unwrap(),
            },
            peak_kb: peak,
            took: started.elapsed(),
        }
    })
    .await
    .unwrap()
}

fn use_server(home: &Home, url: &str) {
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{url}\"\nuser = \"lawyer\"\n"
    ));
}

const MAX_RSS_KB: u64 = 100 * 1024;

/// Logs time against `url` and checks the write was kept, pending.
async fn keyed_write_is_kept(home: &Home, env: &[(&str, &str)]) -> Measured {
    let mut env = env.to_vec();
    env.push(("DUTYDESK_TOKEN", "tok"));
    let m = measure(
        home,
        &["time", "9", "--minutes", "30", "--activity", "session"],
        &env,
    )
    .await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert_eq!(m.out.status.code(), Some(3), "saved offline: {stderr}");
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    let left = store.outbox().await.unwrap();
    assert_eq!(left.len(), 1, "the write stays in the outbox: {stderr}");
    assert_eq!(left[0].state, EntryState::Pending);
    store.close().await;
    eprintln!("peak RSS {} KB, took {:?}", m.peak_kb, m.took);
    assert!(m.peak_kb < MAX_RSS_KB, "peak RSS {} KB", m.peak_kb);
    m
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_1_5_gb_body_is_cut_off_at_32_mb() {
    let home = Home::new();
    use_server(&home, &hostile(Misbehaviour::HugeBody).await);
    let m = measure(&home, &["list"], &[("DUTYDESK_TOKEN", "tok")]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(stderr.contains("larger than 32 MB"), "{stderr}");
    eprintln!("list: peak RSS {} KB, took {:?}", m.peak_kb, m.took);
    assert!(m.peak_kb < MAX_RSS_KB, "peak RSS {} KB", m.peak_kb);
    let m = keyed_write_is_kept(&home, &[]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(stderr.contains("larger than 32 MB"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_byte_every_10_s_ends_at_the_request_deadline() {
    let home = Home::new();
    use_server(&home, &hostile(Misbehaviour::Trickle).await);
    let m = keyed_write_is_kept(&home, &[("DUTYDESK_REQUEST_DEADLINE_MS", "1500")]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(
        stderr.contains("no complete answer") && stderr.contains("1.5 s"),
        "{stderr}"
    );
    // The trickle would take 1,000 s; 20 s is the per-read timeout it never trips.
    assert!(m.took < Duration::from_secs(20), "took {:?}", m.took);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_deadline_ends_a_run_whatever_its_requests_do() {
    let home = Home::new();
    use_server(&home, &hostile(Misbehaviour::Trickle).await);
    let m = keyed_write_is_kept(&home, &[("DUTYDESK_COMMAND_DEADLINE_MS", "1000")]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(stderr.contains("gave up after 1.0 s"), "{stderr}");
    assert!(m.took < Duration::from_secs(20), "took {:?}", m.took);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retry_after_of_31_years_is_not_waited_for() {
    let home = Home::new();
    use_server(&home, &hostile(Misbehaviour::RetryForever).await);
    let m = keyed_write_is_kept(&home, &[]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(
        stderr.contains("asks to wait 999999999 s, longer than 60 s"),
        "{stderr}"
    );
    assert!(m.took < Duration::from_secs(20), "took {:?}", m.took);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_with_cr_lf_is_not_stored() {
    let home = Home::new();
    use_server(&home, &hostile(Misbehaviour::CrlfToken).await);
    let mut c = home.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("pw\n");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("token that cannot be used"), "{stderr}");
    assert!(!stderr.contains("X-Injected"), "{stderr}");
    let mut c = home.cmd();
    c.arg("whoami");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_ne!(out.status.code(), Some(0), "nothing was signed in: {stderr}");
}

#[tokio::test]
async fn an_endless_event_line_drops_the_stream_and_polling_takes_over() {
    let url = hostile(Misbehaviour::EndlessSseLine).await;
    let api = dutydesk::client::http::Api::new(
        &url,
        Some(dutydesk::client::credentials::Token::new("tok")),
        None,
        dutydesk::client::http::Timeouts::default(),
    )
    .unwrap();
    let (tx, mut rx) = tokio::sync::mpsc::channel(8);
    let task = tokio::spawn(run_events(api, tx, Duration::from_millis(50)));
    let mut seen = Vec::new();
    let lost = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(ev) = rx.recv().await {
            if let SyncEvent::StreamLost(why) = &ev {
                return why.clone();
            }
            seen.push(ev);
        }
        String::new()
    })
    .await
    .expect("the stream is dropped, not read for ever");
    assert!(lost.contains("longer than 1024 KB"), "{lost}");
    assert!(matches!(seen.first(), Some(SyncEvent::Connected)), "{seen:?}");
    let next = tokio::time::timeout(Duration::from_secs(30), rx.recv())
        .await
        .unwrap();
    assert!(
        matches!(next, Some(SyncEvent::PollDue)),
        "polling takes over: {next:?}"
    );
    task.abort();
}

#[tokio::test]
async fn ca_file_dev_zero_ends_with_a_clear_error() {
    let home = Home::new();
    home.write_config("[profiles.default]\nserver = \"https://example.invalid\"\nca_file = \"/dev/zero\"\n");
    let mut c = home.cmd();
    c.arg("list").env("DUTYDESK_TOKEN", "tok");
    let out = tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("/dev/zero") && stderr.contains("larger than 1024 KB"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_time_is_saved_after_one_refused_connection() {
    let home = Home::new();
    use_server(&home, &crate::support::dead_server());
    let m = keyed_write_is_kept(&home, &[]).await;
    let stderr = String::from_utf8_lossy(&m.out.stderr).to_string();
    assert!(stderr.contains("cannot reach"), "{stderr}");
    // No timing assertion on a shared machine; the closing note measures it.
    eprintln!("offline `time` took {:?}", m.took);
}
