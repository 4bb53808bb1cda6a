//! Operations endpoints: `/readyz` (the database answers) and `/metrics`
//! (Prometheus text format). Each server has its own registry, so several
//! in one process (tests, the demo) do not count into each other.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, Opts, Registry,
    TextEncoder,
};

use super::Shared;
use super::storage::Storage;
use crate::api::{Problem, ProblemCode};

pub use crate::api::paths::{METRICS, READYZ};

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    latency: HistogramVec,
    streams_open: IntGauge,
    events_published: IntCounter,
    events_delivered: IntCounter,
    login_refusals: IntCounterVec,
    write_batches: super::storage::sql::group_commit::BatchMetrics,
}

impl Metrics {
    pub fn new() -> prometheus::Result<Metrics> {
        let registry = Registry::new_custom(Some("dutydesk".into()), None)?;
        let requests = IntCounterVec::new(
            Opts::new(
                "http_requests_total",
                "HTTP requests answered, by route, method and status",
            ),
            &["route", "method", "status"],
        )?;
        let latency = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to answer (to the headers, for event streams), by route and method",
            ),
            &["route", "method"],
        )?;
        let streams_open = IntGauge::new("event_streams_open", "Event streams open now")?;
        let events_published =
            IntCounter::new("events_published_total", "Changes published to event streams")?;
        let events_delivered = IntCounter::new(
            "events_delivered_total",
            "Events written to streams (heartbeats not counted)",
        )?;
        let login_refusals = IntCounterVec::new(
            Opts::new(
                "login_refusals_total",
                "Sign-ins refused, by reason (wrong_password, name_client, client, name, username_too_long)",
            ),
            &["reason"],
        )?;
        registry.register(Box::new(requests.clone()))?;
        registry.register(Box::new(latency.clone()))?;
        registry.register(Box::new(streams_open.clone()))?;
        registry.register(Box::new(events_published.clone()))?;
        registry.register(Box::new(events_delivered.clone()))?;
        registry.register(Box::new(login_refusals.clone()))?;
        let write_batches = super::storage::sql::group_commit::BatchMetrics {
            writes: Histogram::with_opts(
                HistogramOpts::new(
                    "write_batch_writes",
                    "Keyed writes per group commit (SQLite): one fsync for each batch",
                )
                .buckets(vec![1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 32.0, 64.0]),
            )?,
            statements: Histogram::with_opts(
                HistogramOpts::new(
                    "write_batch_statements_seconds",
                    "Time a group commit spends running its writes' statements, before the commit",
                )
                .buckets(prometheus::exponential_buckets(0.000_05, 2.0, 14)?),
            )?,
            commit: Histogram::with_opts(
                HistogramOpts::new(
                    "write_batch_commit_seconds",
                    "Time a group commit's COMMIT takes (the fsync with synchronous=FULL)",
                )
                .buckets(prometheus::exponential_buckets(0.000_05, 2.0, 14)?),
            )?,
        };
        registry.register(Box::new(write_batches.writes.clone()))?;
        registry.register(Box::new(write_batches.statements.clone()))?;
        registry.register(Box::new(write_batches.commit.clone()))?;
        Ok(Metrics {
            registry,
            requests,
            latency,
            streams_open,
            events_published,
            events_delivered,
            login_refusals,
            write_batches,
        })
    }

    /// What the group commit reports into (batch sizes and times).
    pub fn write_batches(&self) -> super::storage::sql::group_commit::BatchMetrics {
        self.write_batches.clone()
    }

    /// The counter of announced changes, for the instance's hub.
    pub fn published_counter(&self) -> prometheus::IntCounter {
        self.events_published.clone()
    }

    pub fn login_refused(&self, reason: &str) {
        self.login_refusals.with_label_values(&[reason]).inc();
    }
}

/// Counts every routed request and, for an event stream, holds the open
/// streams gauge up and counts the events written until the stream ends.
pub async fn track<S: Storage>(State(state): State<Shared<S>>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", |p| p.as_str())
        .to_string();
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let m = &state.metrics;
    m.requests
        .with_label_values(&[route.as_str(), method.as_str(), response.status().as_str()])
        .inc();
    m.latency
        .with_label_values(&[route.as_str(), method.as_str()])
        .observe(started.elapsed().as_secs_f64());
    let sse = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    if !sse {
        return response;
    }
    let open = OpenStream::new(m.streams_open.clone());
    let delivered = m.events_delivered.clone();
    let (parts, body) = response.into_parts();
    let body = body.into_data_stream().map(move |frame| {
        let _open = &open;
        if let Ok(bytes) = &frame
            && is_change(bytes)
        {
            delivered.inc();
        }
        frame
    });
    Response::from_parts(parts, Body::from_stream(body))
}

/// One frame of an SSE body is one event; heartbeats are not deliveries.
fn is_change(frame: &[u8]) -> bool {
    let has = |needle: &[u8]| frame.windows(needle.len()).any(|w| w == needle);
    has(b"data:") && !has(b"event: heartbeat")
}

/// The open streams gauge, up while the stream's body lives.
struct OpenStream(IntGauge);

impl OpenStream {
    fn new(gauge: IntGauge) -> OpenStream {
        gauge.inc();
        OpenStream(gauge)
    }
}

impl Drop for OpenStream {
    fn drop(&mut self) {
        self.0.dec();
    }
}

pub async fn metrics<S: Storage>(State(state): State<Shared<S>>) -> Response {
    let mut out = Vec::new();
    if let Err(e) = TextEncoder::new().encode(&state.metrics.registry.gather(), &mut out) {
        tracing::error!(error = %e, "encoding metrics");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = out.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
}

/// Ready when the database answers within a few seconds and the server is
/// not stopping: a load balancer then sends this instance no new work.
pub async fn readyz<S: Storage>(State(state): State<Shared<S>>) -> Response {
    if *state.closing.borrow() {
        return unavailable("the server is stopping; use another instance");
    }
    let ping = state.storage.ping();
    match tokio::time::timeout(Duration::from_secs(5), ping).await {
        Ok(Ok(_)) => "ready".into_response(),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "readyz: the database does not answer");
            unavailable("the database does not answer; check that it runs and the server can reach it")
        }
        Err(_) => unavailable("the database did not answer within 5 s; check its load and the network"),
    }
}

fn unavailable(detail: &str) -> Response {
    super::error::problem_response(&Problem::new(ProblemCode::Unavailable, detail))
}
