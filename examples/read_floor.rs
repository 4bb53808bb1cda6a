//! The floor for `scripts/bench-read-path`: a bare axum endpoint serving
//! fixed bytes with an ETag (304 when the client has it), so the server's
//! `GET /api/v1/items` is measured against the same bytes in the same run.
//!
//! `cargo run --release --example read_floor -- BODY_FILE ETAG 127.0.0.1:PORT`
//! Loopback only: it refuses any other address.

use axum::Router;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [body, etag, listen] = args.as_slice() else {
        anyhow::bail!("usage: read_floor BODY_FILE ETAG 127.0.0.1:PORT");
    };
    let addr: std::net::SocketAddr = listen.parse()?;
    anyhow::ensure!(
        addr.ip().is_loopback(),
        "read_floor listens on loopback only, not {addr}"
    );
    let body: &'static [u8] = Vec::leak(std::fs::read(body)?);
    let etag: &'static str = String::leak(etag.clone());
    let handler = move |headers: HeaderMap| async move {
        let tag = HeaderValue::from_static(etag);
        if headers.get(header::IF_NONE_MATCH).is_some_and(|v| v == etag) {
            return (StatusCode::NOT_MODIFIED, [(header::ETAG, tag)]).into_response();
        }
        let r: Response = (
            [
                (header::ETAG, tag),
                (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            ],
            body,
        )
            .into_response();
        r
    };
    let app = Router::new().route("/api/v1/items", get(handler));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await?;
    Ok(())
}
