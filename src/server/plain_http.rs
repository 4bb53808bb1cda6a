//! Plain HTTP, served without `axum::serve` so that an event stream costs
//! little. hyper keeps, for every HTTP/1 connection, an 8 KB write buffer
//! and a read buffer that grows to 16 KB while a response streams (it reads
//! on to notice the client leaving): about 24 KB of the ~33 KB of heap an
//! open stream held (heaptrack, docs/scale.md). So a connection whose first
//! request is `GET /api/v1/events` is answered here, through the same
//! router, with a few hundred bytes of buffers; every other connection, and
//! anything here that is not a plain event-stream request, goes to hyper
//! unchanged (the bytes already read are handed over first).

use std::net::SocketAddr;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderName, HeaderValue, Method, Request, Response, header};
use futures_util::StreamExt;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, watch};
use tower_service::Service;

use crate::api::paths;

/// The longest first request head read here; a longer one goes to hyper.
const MAX_HEAD: usize = 8 * 1024;
/// The most header lines an event-stream request may have here.
const MAX_HEADERS: usize = 48;

/// Accepts on `listener` until `stop` fires, then lets open connections end
/// (event streams end when the server's `closing` is set) for up to `drain`.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    stop: oneshot::Receiver<()>,
    drain: Duration,
    head_deadline: Duration,
) -> std::io::Result<()> {
    let (shutdown_tx, shutdown_rx) = watch::channel(false);
    // Each connection holds a receiver; `closed()` is all of them gone.
    let (open_tx, open_rx) = watch::channel(());
    tokio::pin!(stop);
    loop {
        let (tcp, peer) = tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    accept_failed(e).await;
                    continue;
                }
            },
        };
        // Events are small writes that must leave at once.
        let _ = tcp.set_nodelay(true);
        let (app, shutdown, open) = (app.clone(), shutdown_rx.clone(), open_rx.clone());
        tokio::spawn(async move {
            connection(tcp, peer, app, shutdown, head_deadline).await;
            drop(open);
        });
    }
    drop(listener);
    drop(open_rx);
    shutdown_tx.send_replace(true);
    let _ = tokio::time::timeout(drain, open_tx.closed()).await;
    Ok(())
}

/// A refused or reset connection is the client's business; anything else
/// (out of descriptors) is waited out for a second, as axum does.
async fn accept_failed(e: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(e.kind(), ConnectionRefused | ConnectionAborted | ConnectionReset) {
        return;
    }
    tracing::error!(error = %e, "accepting a connection");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

async fn connection(
    mut tcp: TcpStream,
    peer: SocketAddr,
    app: Router,
    shutdown: watch::Receiver<bool>,
    head_deadline: Duration,
) {
    // A head that never ends would hold the task and its descriptor.
    let head = match tokio::time::timeout(head_deadline, first_head(&mut tcp)).await {
        Ok(Ok(Some(head))) => head,
        Ok(Ok(None) | Err(_)) | Err(_) => return,
    };
    match event_request(&head, peer) {
        Some(request) => {
            drop(head);
            if let Err(e) = event_stream(tcp, app, request, shutdown).await {
                tracing::debug!(error = %e, "event stream connection ended");
            }
        }
        // Boxed: hyper's connection state is kilobytes, and it would
        // otherwise be part of every event stream's task too.
        None => {
            let io = Prefixed::new(head, tcp);
            Box::pin(hyper_connection(io, peer, app, shutdown, head_deadline)).await
        }
    }
}

/// Reads until the first request's head is complete, or until it is clear
/// that it is not an event-stream request. `None`: closed before a byte.
async fn first_head(tcp: &mut TcpStream) -> std::io::Result<Option<Vec<u8>>> {
    let mut buf = Vec::with_capacity(512);
    loop {
        if tcp.read_buf(&mut buf).await? == 0 {
            return Ok((!buf.is_empty()).then_some(buf));
        }
        if !may_be_events(&buf) || head_end(&buf).is_some() || buf.len() >= MAX_HEAD {
            return Ok(Some(buf));
        }
    }
}

/// Whether the bytes so far may still begin `GET /api/v1/events` followed
/// by a space or a query.
fn may_be_events(buf: &[u8]) -> bool {
    let (method, target) = (b"GET ".as_slice(), paths::EVENTS.as_bytes());
    let line = method.iter().chain(target);
    if !buf.iter().zip(line).all(|(got, want)| got == want) {
        return false;
    }
    buf.get(method.len() + target.len())
        .is_none_or(|next| matches!(next, b' ' | b'?'))
}

fn head_end(buf: &[u8]) -> Option<usize> {
    buf.windows(4).position(|w| w == b"\r\n\r\n").map(|i| i + 4)
}

/// The request, when `head` is exactly one complete HTTP/1.1 `GET` of the
/// event stream with no body, nothing after it, and nothing asking for what
/// only hyper does (upgrades, `Expect`). Anything else goes to hyper.
fn event_request(head: &[u8], peer: SocketAddr) -> Option<Request<Body>> {
    let mut lines = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut lines);
    let httparse::Status::Complete(len) = parsed.parse(head).ok()? else {
        return None;
    };
    let path = parsed.path?;
    let plain_get = parsed.method == Some("GET") && parsed.version == Some(1) && len == head.len();
    let events = path == paths::EVENTS
        || path
            .strip_prefix(paths::EVENTS)
            .is_some_and(|q| q.starts_with('?'));
    if !plain_get || !events {
        return None;
    }
    let mut request = Request::builder()
        .method(Method::GET)
        .uri(path)
        .extension(ConnectInfo(peer));
    let headers = request.headers_mut()?;
    for line in parsed.headers.iter() {
        let name = HeaderName::from_bytes(line.name.as_bytes()).ok()?;
        let body_or_more = [header::TRANSFER_ENCODING, header::EXPECT, header::UPGRADE].contains(&name)
            || (name == header::CONTENT_LENGTH && line.value != b"0");
        if body_or_more {
            return None;
        }
        headers.append(name, HeaderValue::from_bytes(line.value).ok()?);
    }
    request.body(Body::empty()).ok()
}

/// Answers one event-stream request and closes: the head, then each frame
/// of the body as a chunk as soon as it comes, until the body ends (server
/// stopping, token revoked), the server shuts down, or the client leaves.
async fn event_stream(
    mut tcp: TcpStream,
    mut app: Router,
    request: Request<Body>,
    mut shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let response = match app.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    let (head, body) = response_head(response);
    tcp.write_all(&head).await?;
    drop(head);
    let Some(body) = body else {
        return tcp.shutdown().await;
    };
    let mut body = body.into_data_stream();
    // Reads only to notice the client closing; a few bytes at a time.
    let mut probe = [0u8; 16];
    loop {
        tokio::select! {
            frame = body.next() => match frame {
                Some(Ok(bytes)) if bytes.is_empty() => {}
                Some(Ok(bytes)) => tcp.write_all(&chunk(&bytes)).await?,
                // A failed body: end without the last chunk, so the client
                // sees the stream cut, not completed.
                Some(Err(e)) => return Err(std::io::Error::other(e)),
                None => break,
            },
            read = tcp.read(&mut probe) => match read {
                // Nothing more is expected from the client; closed: done.
                Ok(0) | Err(_) => return Ok(()),
                Ok(_) => {}
            },
            _ = stopping(&mut shutdown) => break,
        }
    }
    tcp.write_all(b"0\r\n\r\n").await?;
    tcp.shutdown().await
}

/// The status line and headers, framed as chunked and `connection: close`;
/// the body, unless the status has none.
fn response_head(response: Response<Body>) -> (Vec<u8>, Option<Body>) {
    let (parts, body) = response.into_parts();
    let status = parts.status;
    let mut head = Vec::with_capacity(256);
    head.extend_from_slice(b"HTTP/1.1 ");
    head.extend_from_slice(status.as_str().as_bytes());
    head.push(b' ');
    head.extend_from_slice(status.canonical_reason().unwrap_or("").as_bytes());
    head.extend_from_slice(b"\r\n");
    for (name, value) in &parts.headers {
        // Framing is this writer's: chunked, one response per connection.
        if [
            header::CONNECTION,
            header::TRANSFER_ENCODING,
            header::CONTENT_LENGTH,
        ]
        .contains(name)
        {
            continue;
        }
        head.extend_from_slice(name.as_str().as_bytes());
        head.extend_from_slice(b": ");
        head.extend_from_slice(value.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    // As hyper does: HTTP/1.1 wants a server's clock in every answer.
    let printer = jiff::fmt::rfc2822::DateTimePrinter::new();
    if !parts.headers.contains_key(header::DATE)
        && let Ok(date) = printer.timestamp_to_rfc9110_string(&jiff::Timestamp::now())
    {
        head.extend_from_slice(b"date: ");
        head.extend_from_slice(date.as_bytes());
        head.extend_from_slice(b"\r\n");
    }
    let bodiless = status.is_informational()
        || status == axum::http::StatusCode::NO_CONTENT
        || status == axum::http::StatusCode::NOT_MODIFIED;
    if !bodiless {
        head.extend_from_slice(b"transfer-encoding: chunked\r\n");
    }
    head.extend_from_slice(b"connection: close\r\n\r\n");
    (head, (!bodiless).then_some(body))
}

/// One chunk of a chunked body.
fn chunk(data: &[u8]) -> Vec<u8> {
    let size = format!("{:x}\r\n", data.len());
    let mut out = Vec::with_capacity(size.len() + data.len() + 2);
    out.extend_from_slice(size.as_bytes());
    out.extend_from_slice(data);
    out.extend_from_slice(b"\r\n");
    out
}

/// Everything else: hyper, as `axum::serve` runs it (HTTP/1, and HTTP/2
/// with prior knowledge), with the peer's address for the login guard.
async fn hyper_connection(
    io: Prefixed,
    peer: SocketAddr,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
    head_deadline: Duration,
) {
    let service = hyper::service::service_fn(move |request: Request<hyper::body::Incoming>| {
        let mut request = request.map(Body::new);
        request.extensions_mut().insert(ConnectInfo(peer));
        let mut app = app.clone();
        async move { app.call(request).await }
    });
    let mut builder = hyper_util::server::conn::auto::Builder::new(hyper_util::rt::TokioExecutor::new());
    // hyper enforces a head deadline on kept-alive connections only with a timer.
    builder
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(head_deadline);
    let conn = builder.serve_connection_with_upgrades(hyper_util::rt::TokioIo::new(io), service);
    tokio::pin!(conn);
    let mut draining = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::trace!(error = %e, "connection ended");
                }
                return;
            }
            _ = stopping(&mut shutdown), if !draining => {
                draining = true;
                conn.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Resolves once the server stops accepting (or is gone).
async fn stopping(shutdown: &mut watch::Receiver<bool>) {
    // The borrow it returns is not `Send`: dropped here.
    let _ = shutdown.wait_for(|stopping| *stopping).await;
}

/// A connection with the bytes already read from it put back in front.
struct Prefixed {
    prefix: Vec<u8>,
    taken: usize,
    tcp: TcpStream,
}

impl Prefixed {
    fn new(prefix: Vec<u8>, tcp: TcpStream) -> Prefixed {
        Prefixed {
            prefix,
            taken: 0,
            tcp,
        }
    }
}

impl AsyncRead for Prefixed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let this = &mut *self;
        if this.taken < this.prefix.len() {
            let rest = &this.prefix[this.taken..];
            let n = rest.len().min(buf.remaining());
            buf.put_slice(&rest[..n]);
            this.taken += n;
            if this.taken == this.prefix.len() {
                // Handed over: free it for the life of the connection.
                this.prefix = Vec::new();
                this.taken = 0;
            }
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut this.tcp).poll_read(cx, buf)
    }
}

impl AsyncWrite for Prefixed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.tcp).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.tcp.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.tcp).poll_shutdown(cx)
    }
}
