//! The one HTTP client: rustls, connect and read timeouts and an overall
//! deadline per request, the system's proxy variables (reqwest's default),
//! a bureau's own CA from `ca_file`. A hostile server or a bad link cannot
//! hang it or exhaust its memory: bodies, the CA file and tokens are capped
//! (see [`MAX_BODY_BYTES`]). Every failure becomes an `HttpError` that says
//! what happened and what to do.

use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use reqwest::{Method, StatusCode, header};
use rust_i18n::t;
use serde::de::DeserializeOwned;

use super::credentials::Token;
use super::text::sanitize;
use crate::api::{IDEMPOTENCY_KEY, PROBLEM_JSON, Problem, ProblemCode};

mod limits;

use limits::read_body;
pub use limits::{
    MAX_BODY_BYTES, MAX_CA_FILE_BYTES, MAX_TOKEN_CHARS, REQUEST_DEADLINE_ENV, Timeouts, check_server_token,
    env_ms, read_capped,
};

/// Every text field is sanitized when shown: a server's or a proxy's
/// words (and URLs from the config) reach the terminal through `eprintln!`.
#[derive(Debug, thiserror::Error)]
pub enum HttpError {
    #[error("{}", t!("cli.http.unreachable", url = sanitize(url), reason = sanitize(reason)))]
    Unreachable {
        url: String,
        reason: String,
        /// No connection was made (refused, no route, connect timeout):
        /// the server is down or out of reach, and trying again at once
        /// only keeps the user waiting.
        connect: bool,
    },
    #[error("{}", t!("cli.http.timeout", url = sanitize(url)))]
    Timeout { url: String },
    /// 5xx or 429: the request may be repeated.
    #[error("{}", t!("cli.http.server_trouble", url = sanitize(url), status = status, detail = sanitize(detail)))]
    ServerTrouble {
        url: String,
        status: u16,
        detail: String,
        retry_after: Option<Duration>,
    },
    #[error("{}", t!("cli.http.unauthorized", server = sanitize(server)))]
    Unauthorized { server: String },
    /// Any other 4xx: the server refused this request; repeating won't help.
    #[error("{}", super::problem_text::describe(problem))]
    Refused { problem: Problem },
    #[error("{}", t!("cli.http.bad_response", url = sanitize(url), reason = sanitize(reason)))]
    BadResponse { url: String, reason: String },
    /// A redirect, a 2xx that is not our JSON, or a 4xx without
    /// `application/problem+json`: a captive portal or a proxy answered,
    /// not the dutydesk server. Nothing was decided; try again later.
    #[error("{}", t!("cli.http.not_our_server", url = sanitize(url), status = status))]
    NotOurServer { url: String, status: u16 },
    #[error("{}", t!("cli.http.bad_ca", path = path, reason = reason))]
    BadCaFile { path: String, reason: String },
    #[error("{}", t!("cli.http.bad_url", url = sanitize(url)))]
    BadUrl { url: String },
    /// The body would pass [`MAX_BODY_BYTES`]: not read further.
    #[error("{}", t!("net.http.too_large", url = sanitize(url), limit_mb = MAX_BODY_BYTES / (1024 * 1024)))]
    TooLarge { url: String },
    /// The whole request took longer than its deadline.
    #[error("{}", t!("net.http.deadline", url = sanitize(url), secs = format!("{:.1}", deadline.as_secs_f64())))]
    Deadline { url: String, deadline: Duration },
    /// A 2xx that is not the server's answer to this outbox entry (no echo
    /// of its `Idempotency-Key`, or not the record the path creates).
    #[error("{}", t!("net.http.not_the_answer", url = sanitize(url), status = status, reason = reason))]
    NotTheAnswer {
        url: String,
        status: u16,
        reason: String,
    },
    /// The server sent a token that is not a valid header value.
    #[error("{}", t!("net.http.bad_token", url = sanitize(url)))]
    BadToken { url: String },
}

impl HttpError {
    /// Worth trying again later: the network or the server, not the request.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Unreachable { .. }
                | Self::Timeout { .. }
                | Self::ServerTrouble { .. }
                | Self::NotOurServer { .. }
                | Self::TooLarge { .. }
                | Self::Deadline { .. }
                | Self::NotTheAnswer { .. }
        )
    }

    /// Worth repeating at once with backoff: a portal or proxy in the way
    /// will not step aside within seconds, nor will a server that is down
    /// (connection refused) or a link too slow for a whole answer, and an
    /// oversized answer would come again.
    pub fn is_worth_retrying(&self) -> bool {
        self.is_transient()
            && !matches!(
                self,
                Self::NotOurServer { .. }
                    | Self::Unreachable { connect: true, .. }
                    | Self::TooLarge { .. }
                    | Self::Deadline { .. }
                    | Self::NotTheAnswer { .. }
            )
    }

    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::ServerTrouble { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// A response that passed the status check.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub etag: Option<String>,
    pub content_type: Option<String>,
    /// The `Idempotency-Key` the server echoed, if any.
    pub idempotency_key: Option<String>,
    pub body: Vec<u8>,
}

/// A GET that may answer "not modified".
#[derive(Debug)]
pub enum Fetched<T> {
    NotModified,
    Fresh {
        value: T,
        etag: Option<String>,
        raw: String,
    },
}

/// The API of one server, with or without a token.
#[derive(Debug, Clone)]
pub struct Api {
    /// Built on the first request, not with the `Api`: loading the
    /// system's root certificates takes milliseconds the terminal app's
    /// first frame does not need.
    client: Arc<OnceLock<Result<reqwest::Client, String>>>,
    /// Plain HTTP only: the event stream's own client, keeping no idle
    /// connection, so the stream always opens a connection of its own. The
    /// server answers a connection opened for the stream with small buffers
    /// (`server/plain_http.rs`), one reused from other requests with hyper's
    /// ~24 KB. Over HTTPS the stream shares the client's HTTP/2 connection.
    stream_client: Arc<OnceLock<Result<reqwest::Client, String>>>,
    /// The bureau's own CA (`ca_file`), read and checked up front.
    roots: Arc<Vec<reqwest::Certificate>>,
    timeouts: Timeouts,
    base: String,
    token: Option<Token>,
    deadline: Duration,
}

impl Api {
    /// Checks the URL and reads `ca_file` when given; nothing else touches
    /// the network or the disk. The HTTP client is built on first use.
    pub fn new(
        base: &str,
        token: Option<Token>,
        ca_file: Option<&Path>,
        timeouts: Timeouts,
    ) -> Result<Api, HttpError> {
        let base = base.trim_end_matches('/').to_string();
        if reqwest::Url::parse(&base).is_err()
            || !(base.starts_with("http://") || base.starts_with("https://"))
        {
            return Err(HttpError::BadUrl { url: base });
        }
        let mut roots = Vec::new();
        if let Some(path) = ca_file {
            let bad = |reason: String| HttpError::BadCaFile {
                path: path.display().to_string(),
                reason,
            };
            let pem = read_capped(path, MAX_CA_FILE_BYTES).map_err(|e| bad(e.to_string()))?;
            // A bundle may hold several; a file with none is a mistake
            // (reqwest would accept it silently and TLS would fail later).
            roots = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| bad(e.to_string()))?;
            if roots.is_empty() {
                return Err(bad(rust_i18n::t!("cli.http.no_pem").into_owned()));
            }
        }
        Ok(Api {
            client: Arc::default(),
            stream_client: Arc::default(),
            roots: Arc::new(roots),
            timeouts,
            base,
            token,
            deadline: timeouts.request,
        })
    }

    /// The HTTP client, built the first time it is asked for.
    fn client(&self) -> Result<&reqwest::Client, HttpError> {
        self.built(&self.client, true)
    }

    /// The client for the event stream (see `stream_client`).
    fn stream_client(&self) -> Result<&reqwest::Client, HttpError> {
        if self.base.starts_with("http://") {
            self.built(&self.stream_client, false)
        } else {
            self.client()
        }
    }

    fn built<'a>(
        &self,
        cell: &'a OnceLock<Result<reqwest::Client, String>>,
        pooled: bool,
    ) -> Result<&'a reqwest::Client, HttpError> {
        cell.get_or_init(|| {
            let mut builder = reqwest::Client::builder()
                .connect_timeout(self.timeouts.connect)
                .read_timeout(self.timeouts.read)
                // A redirect is never the server's answer (a captive
                // portal's login page would come back as a 200): it is
                // reported instead.
                .redirect(reqwest::redirect::Policy::none())
                .user_agent(concat!("dutydesk/", env!("CARGO_PKG_VERSION")));
            if !pooled {
                builder = builder.pool_max_idle_per_host(0);
            }
            for cert in self.roots.iter() {
                builder = builder.add_root_certificate(cert.clone());
            }
            builder.build().map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|reason| HttpError::BadResponse {
            url: self.base.clone(),
            reason: reason.clone(),
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    fn request(&self, method: Method, path: &str) -> Result<reqwest::RequestBuilder, HttpError> {
        self.request_on(self.client()?, method, path)
    }

    /// A request on `client` with the token, if signed in.
    fn request_on(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
    ) -> Result<reqwest::RequestBuilder, HttpError> {
        let mut req = client.request(method, format!("{}{}", self.base, path));
        if let Some(t) = &self.token {
            req = req.bearer_auth(t.secret());
        }
        Ok(req)
    }

    /// Sends one request; `idempotency_key` for creating POSTs.
    pub async fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&serde_json::Value>,
        idempotency_key: Option<&str>,
        if_none_match: Option<&str>,
    ) -> Result<Reply, HttpError> {
        let url = format!("{}{}", self.base, path);
        let method =
            Method::from_bytes(method.as_bytes()).map_err(|_| HttpError::BadUrl { url: url.clone() })?;
        let mut req = self.request(method, path)?;
        if let Some(b) = body {
            req = req.json(b);
        }
        if let Some(k) = idempotency_key {
            req = req.header(IDEMPOTENCY_KEY, k);
        }
        if let Some(e) = if_none_match {
            req = req.header(header::IF_NONE_MATCH, e);
        }
        let deadline = self.deadline;
        match tokio::time::timeout(deadline, self.exchange(req, &url)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Deadline { url, deadline }),
        }
    }

    /// One request and its whole (capped) answer.
    async fn exchange(&self, req: reqwest::RequestBuilder, url: &str) -> Result<Reply, HttpError> {
        let url = url.to_string();
        let resp = req.send().await.map_err(|e| transport_error(&url, &e))?;
        let status = resp.status();
        let etag = resp
            .headers()
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = resp
            .headers()
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let echoed_key = resp
            .headers()
            .get(IDEMPOTENCY_KEY)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let body = read_body(&url, resp).await?;
        let mut reply = classify(&self.base, &url, status, (etag, content_type), retry_after, body)?;
        reply.idempotency_key = echoed_key;
        Ok(reply)
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        path: &str,
        if_none_match: Option<&str>,
    ) -> Result<Fetched<T>, HttpError> {
        let url = format!("{}{}", self.base, path);
        let reply = self.send("GET", path, None, None, if_none_match).await?;
        if reply.status == 304 {
            return Ok(Fetched::NotModified);
        }
        let raw = String::from_utf8(reply.body).map_err(|e| HttpError::BadResponse {
            url: url.clone(),
            reason: e.to_string(),
        })?;
        let value = serde_json::from_str(&raw).map_err(|e| HttpError::BadResponse {
            url,
            reason: e.to_string(),
        })?;
        Ok(Fetched::Fresh {
            value,
            etag: reply.etag,
            raw,
        })
    }

    /// Like [`Api::get`], but leaves the JSON undecoded (`value` is `()`),
    /// for a caller that decodes it in pieces: the item list of a first
    /// sync goes into the store without being decoded whole.
    pub async fn get_text(&self, path: &str, if_none_match: Option<&str>) -> Result<Fetched<()>, HttpError> {
        let url = format!("{}{}", self.base, path);
        let reply = self.send("GET", path, None, None, if_none_match).await?;
        if reply.status == 304 {
            return Ok(Fetched::NotModified);
        }
        let raw = String::from_utf8(reply.body).map_err(|e| HttpError::BadResponse {
            url,
            reason: e.to_string(),
        })?;
        Ok(Fetched::Fresh {
            value: (),
            etag: reply.etag,
            raw,
        })
    }

    /// A JSON POST without an idempotency key (login, logout).
    pub async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        body: &serde_json::Value,
    ) -> Result<T, HttpError> {
        let url = format!("{}{}", self.base, path);
        let reply = self.send("POST", path, Some(body), None, None).await?;
        let body = if reply.body.is_empty() {
            b"null".to_vec()
        } else {
            reply.body
        };
        serde_json::from_slice(&body).map_err(|e| HttpError::BadResponse {
            url,
            reason: e.to_string(),
        })
    }

    /// Opens the server-sent event stream.
    pub async fn events(&self) -> Result<reqwest::Response, HttpError> {
        let url = format!("{}{}", self.base, crate::api::paths::EVENTS);
        let resp = self
            .request_on(self.stream_client()?, Method::GET, crate::api::paths::EVENTS)?
            .header(header::ACCEPT, "text/event-stream")
            .send()
            .await
            .map_err(|e| transport_error(&url, &e))?;
        if resp.status().is_success() {
            Ok(resp)
        } else {
            let status = resp.status();
            let body = tokio::time::timeout(self.deadline, read_body(&url, resp))
                .await
                .ok()
                .and_then(Result::ok)
                .unwrap_or_default();
            classify(&self.base, &url, status, (None, None), None, body).and(Err(HttpError::BadResponse {
                url,
                reason: status.to_string(),
            }))
        }
    }
}

fn transport_error(url: &str, e: &reqwest::Error) -> HttpError {
    let connect = e.is_connect();
    if e.is_timeout() && !connect {
        return HttpError::Timeout { url: url.to_string() };
    }
    // The innermost cause names it best ("connection refused").
    let mut reason = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        reason = s.to_string();
        source = s.source();
    }
    HttpError::Unreachable {
        url: url.to_string(),
        reason,
        connect,
    }
}

fn classify(
    base: &str,
    url: &str,
    status: StatusCode,
    (etag, content_type): (Option<String>, Option<String>),
    retry_after: Option<Duration>,
    body: Vec<u8>,
) -> Result<Reply, HttpError> {
    let code = status.as_u16();
    if status.is_success() || code == 304 {
        return Ok(Reply {
            status: code,
            etag,
            content_type,
            idempotency_key: None,
            body,
        });
    }
    let not_ours = || HttpError::NotOurServer {
        url: url.to_string(),
        status: code,
    };
    if status.is_redirection() {
        return Err(not_ours());
    }
    let is_problem = content_type
        .as_deref()
        .is_some_and(|c| c.starts_with(PROBLEM_JSON));
    // Text from the far end reaches the terminal: no escape sequences.
    let problem: Option<Problem> = serde_json::from_slice::<Problem>(&body).ok().map(|mut p| {
        p.title = sanitize(&p.title);
        p.detail = sanitize(&p.detail);
        p
    });
    let detail = problem.as_ref().map(|p| p.detail.clone()).unwrap_or_else(|| {
        sanitize(
            &String::from_utf8_lossy(&body)
                .chars()
                .take(200)
                .collect::<String>(),
        )
    });
    if code == 429 || status.is_server_error() {
        return Err(HttpError::ServerTrouble {
            url: url.to_string(),
            status: code,
            detail,
            retry_after,
        });
    }
    if code == 401 {
        return Err(HttpError::Unauthorized {
            server: base.to_string(),
        });
    }
    // Our server refuses only with problem+json; a proxy's 403/404/407
    // page must not mark work as refused.
    if !is_problem {
        return Err(not_ours());
    }
    let problem = problem.unwrap_or_else(|| {
        let mut p = Problem::new(ProblemCode::Unknown, detail);
        p.status = code;
        p
    });
    Err(HttpError::Refused { problem })
}
