//! Event streams on raw connections: one opened for the stream is answered
//! by the server's small-buffer path (`server/plain_http.rs`), one that
//! served other requests first by hyper; both must behave the same.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::support::*;

/// Reads until `needle` has come (or panics after 5 s); returns all read.
async fn read_until(tcp: &mut TcpStream, seen: &mut String, needle: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(5);
    let mut buf = [0u8; 1024];
    while !seen.contains(needle) {
        let n = tokio::time::timeout_at(deadline, tcp.read(&mut buf))
            .await
            .unwrap_or_else(|_| panic!("no {needle:?} within 5 s; got {seen:?}"))
            .unwrap();
        assert!(n > 0, "closed before {needle:?}; got {seen:?}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
}

fn events_request(token: Option<&str>) -> String {
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    format!("GET /api/v1/events HTTP/1.1\r\nHost: test\r\nAccept: text/event-stream\r\n{auth}\r\n")
}

async fn open_streams(ctx: &Ctx) -> usize {
    ctx.server.as_ref().unwrap().state.bus.hub().streams()
}

#[tokio::test]
async fn a_stream_on_its_own_connection_is_chunked_and_ends_when_the_client_leaves() {
    let ctx = sqlite().await;
    let token = ctx.login("lawyer").await;
    let mut tcp = TcpStream::connect(ctx.server.as_ref().unwrap().addr)
        .await
        .unwrap();
    // The head in two pieces, as a slow client sends it.
    let request = events_request(Some(&token));
    let (first, rest) = request.split_at(12);
    tcp.write_all(first.as_bytes()).await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    tcp.write_all(rest.as_bytes()).await.unwrap();
    let mut seen = String::new();
    read_until(&mut tcp, &mut seen, "event: heartbeat").await;
    assert!(seen.starts_with("HTTP/1.1 200 OK\r\n"), "{seen}");
    let lower = seen.to_ascii_lowercase();
    assert!(lower.contains("content-type: text/event-stream"), "{seen}");
    assert!(lower.contains("transfer-encoding: chunked"), "{seen}");
    assert!(
        lower.contains("\r\ndate: ") && lower.contains(" gmt\r\n"),
        "{seen}"
    );
    assert_eq!(open_streams(&ctx).await, 1);
    drop(tcp);
    for _ in 0..100 {
        if open_streams(&ctx).await == 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(open_streams(&ctx).await, 0, "the stream outlived its client");
    ctx.stop().await;
}

#[tokio::test]
async fn a_stream_after_other_requests_on_one_connection_still_works() {
    let ctx = sqlite().await;
    let token = ctx.login("lawyer").await;
    let mut tcp = TcpStream::connect(ctx.server.as_ref().unwrap().addr)
        .await
        .unwrap();
    tcp.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut seen = String::new();
    read_until(&mut tcp, &mut seen, "\r\n\r\nok").await;
    tcp.write_all(events_request(Some(&token)).as_bytes())
        .await
        .unwrap();
    let mut seen = String::new();
    read_until(&mut tcp, &mut seen, "event: heartbeat").await;
    assert!(seen.starts_with("HTTP/1.1 200 OK\r\n"), "{seen}");
    ctx.stop().await;
}

#[tokio::test]
async fn a_refused_stream_is_answered_then_closed() {
    let ctx = sqlite().await;
    let mut tcp = TcpStream::connect(ctx.server.as_ref().unwrap().addr)
        .await
        .unwrap();
    tcp.write_all(events_request(None).as_bytes()).await.unwrap();
    let mut all = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut all))
        .await
        .expect("closed within 5 s")
        .unwrap();
    let all = String::from_utf8_lossy(&all);
    assert!(all.starts_with("HTTP/1.1 401 Unauthorized\r\n"), "{all}");
    assert!(all.contains("unauthorized"), "{all}");
    assert!(all.ends_with("0\r\n\r\n"), "{all}");
    ctx.stop().await;
}

#[tokio::test]
async fn stopping_the_server_ends_a_stream_cleanly() {
    let ctx = sqlite().await;
    let token = ctx.login("lawyer").await;
    let mut tcp = TcpStream::connect(ctx.server.as_ref().unwrap().addr)
        .await
        .unwrap();
    tcp.write_all(events_request(Some(&token)).as_bytes())
        .await
        .unwrap();
    let mut seen = String::new();
    read_until(&mut tcp, &mut seen, "event: heartbeat").await;
    tokio::time::timeout(Duration::from_secs(5), ctx.stop())
        .await
        .expect("stopped within 5 s");
    let mut rest = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), tcp.read_to_end(&mut rest))
        .await
        .expect("closed within 5 s")
        .unwrap();
    assert!(
        String::from_utf8_lossy(&rest).ends_with("0\r\n\r\n"),
        "the stream was cut, not ended: {rest:?}"
    );
}

/// Reads until the server closes the connection; panics if it stays open
/// for `within`.
async fn closed_within(tcp: &mut TcpStream, within: Duration) {
    let mut buf = [0u8; 1024];
    let closed = tokio::time::timeout(within, async {
        loop {
            match tcp.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
        }
    })
    .await;
    assert!(closed.is_ok(), "the connection stayed open past {within:?}");
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off_on_either_path() {
    let ctx = sqlite_tuned(dutydesk::server::ServerTuning {
        head_deadline: Duration::from_millis(500),
        ..Default::default()
    })
    .await;
    let addr = ctx.server.as_ref().unwrap().addr;
    // The first request's head, stalled: read by the small-buffer path.
    let mut stalled = TcpStream::connect(addr).await.unwrap();
    stalled.write_all(b"GET /api/v1/ev").await.unwrap();
    closed_within(&mut stalled, Duration::from_secs(5)).await;
    // A second request's head on a kept-alive connection: read by hyper.
    let mut kept = TcpStream::connect(addr).await.unwrap();
    kept.write_all(b"GET /healthz HTTP/1.1\r\nHost: test\r\n\r\n")
        .await
        .unwrap();
    let mut seen = String::new();
    read_until(&mut kept, &mut seen, "\r\n\r\n").await;
    kept.write_all(b"GET /api/v1/me HTTP/1.1\r\nHost: te")
        .await
        .unwrap();
    closed_within(&mut kept, Duration::from_secs(5)).await;
}
