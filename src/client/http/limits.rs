//! The limits a hostile server or a bad link cannot pass: the overall
//! deadline of a request, the size of a body, of the CA file and of a
//! token. `super` applies them; each names its cap in its message.

use std::path::Path;
use std::time::Duration;

use reqwest::header;
use rust_i18n::t;

use super::{HttpError, transport_error};

/// The largest response body read: far above any real list or form, far
/// below what would hurt a shared server's memory.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;
/// The largest `ca_file` read (a bundle of every public CA is ~250 KB).
pub const MAX_CA_FILE_BYTES: u64 = 1024 * 1024;
/// The longest token accepted from a server.
pub const MAX_TOKEN_CHARS: usize = 4096;

/// Names of the variables that shorten the deadlines (tests, slow links).
pub const REQUEST_DEADLINE_ENV: &str = "DUTYDESK_REQUEST_DEADLINE_MS";

#[derive(Debug, Clone, Copy)]
pub struct Timeouts {
    pub connect: Duration,
    /// Between two reads of one response.
    pub read: Duration,
    /// For a whole request, body included: a link that trickles one byte
    /// every few seconds never trips `read`.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            connect: Duration::from_secs(5),
            read: Duration::from_secs(20),
            request: Duration::from_secs(30),
        }
    }
}

impl Timeouts {
    /// The defaults, with `DUTYDESK_REQUEST_DEADLINE_MS` when set (and a
    /// positive number of milliseconds).
    pub fn configured() -> Self {
        let mut t = Timeouts::default();
        if let Some(ms) = env_ms(REQUEST_DEADLINE_ENV) {
            t.request = ms;
        }
        t
    }
}

/// A positive number of milliseconds from the environment.
pub fn env_ms(name: &str) -> Option<Duration> {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse::<u64>().ok())
        .filter(|ms| *ms > 0)
        .map(Duration::from_millis)
}

/// Reads a body up to [`MAX_BODY_BYTES`], chunk by chunk: a longer one is
/// refused as soon as it passes the cap (or says it will), never held whole.
pub(super) async fn read_body(url: &str, mut resp: reqwest::Response) -> Result<Vec<u8>, HttpError> {
    let too_large = || HttpError::TooLarge { url: url.to_string() };
    if resp.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    let mut body = Vec::new();
    // A connection dropped mid-body is a transport failure: retry.
    while let Some(chunk) = resp.chunk().await.map_err(|e| transport_error(url, &e))? {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// A file's bytes, refused past `cap` (`/dev/zero` or a log file named by
/// mistake would otherwise be read for ever).
pub fn read_capped(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?.take(cap + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(std::io::Error::other(
            t!("net.file_too_large", limit_kb = cap / 1024).into_owned(),
        ));
    }
    Ok(bytes)
}

/// A token from the server, checked before it is stored: it goes into
/// every later request's `Authorization` header, where a CR/LF or another
/// control character would break (or split) the request.
pub fn check_server_token(url: &str, token: &str) -> Result<(), HttpError> {
    let ok = !token.is_empty()
        && token.chars().count() <= MAX_TOKEN_CHARS
        && token.chars().all(|c| c.is_ascii_graphic())
        && header::HeaderValue::from_str(&format!("Bearer {token}")).is_ok();
    if ok {
        Ok(())
    } else {
        Err(HttpError::BadToken { url: url.to_string() })
    }
}
