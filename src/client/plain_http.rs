//! No password or token over plain `http://` to another machine: anyone on
//! the path (a shared office network, a hotel, a proxy) could read it and
//! sign in as the lawyer. Loopback is this machine (the demo, an SSH
//! tunnel), so it is allowed; a lab without TLS can opt in per profile with
//! `allow_insecure_http = true`.

use std::net::IpAddr;

use rust_i18n::t;

use super::config::Config;

/// What would be sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Secret {
    Password,
    Token,
}

#[derive(Debug, thiserror::Error)]
#[error("{}", refusal(.secret, host, profile, path))]
pub struct PlainHttpRefused {
    pub secret: Secret,
    pub host: String,
    pub profile: String,
    pub path: String,
}

fn refusal(secret: &Secret, host: &str, profile: &str, path: &str) -> String {
    let what = match secret {
        Secret::Password => t!("firstrun.plain_http.password"),
        Secret::Token => t!("firstrun.plain_http.token"),
    };
    t!(
        "firstrun.plain_http.refused",
        what = what,
        host = crate::client::text::sanitize(host),
        profile = profile,
        path = path
    )
    .into_owned()
}

/// Refuses to send `secret` to `server` when it is plain `http://` to a
/// host that is not loopback, unless the profile allows it.
pub fn check(config: &Config, server: &str, secret: Secret) -> Result<(), PlainHttpRefused> {
    if config.profile.allow_insecure_http {
        return Ok(());
    }
    match exposed_host(server) {
        None => Ok(()),
        Some(host) => Err(PlainHttpRefused {
            secret,
            host,
            profile: config.profile_name.clone(),
            path: config.path.display().to_string(),
        }),
    }
}

/// The host of a plain-`http://` URL whose host is not this machine; `None`
/// for https, loopback, or a URL that does not parse (the HTTP layer says
/// what is wrong with that one).
pub fn exposed_host(server: &str) -> Option<String> {
    let url = reqwest::Url::parse(server).ok()?;
    if url.scheme() != "http" {
        return None;
    }
    let host = url.host_str()?;
    if is_loopback(host) {
        return None;
    }
    Some(host.to_string())
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return match ip {
            IpAddr::V4(v4) => v4.is_loopback(),
            // `::ffff:127.0.0.1` is loopback too.
            IpAddr::V6(v6) => v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        };
    }
    // RFC 6761: `localhost` and `*.localhost` resolve to loopback.
    let lower = bare.trim_end_matches('.').to_ascii_lowercase();
    lower == "localhost" || lower.ends_with(".localhost")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_and_https_pass_other_plain_hosts_do_not() {
        for ok in [
            "https://dutydesk.example.gov.cn",
            "http://127.0.0.1:8737",
            "http://127.9.9.9",
            "http://[::1]:80",
            "http://localhost:1",
            "http://LOCALHOST./x",
            "http://a.localhost",
            "http://[::ffff:127.0.0.1]",
        ] {
            assert_eq!(exposed_host(ok), None, "{ok}");
        }
        for bad in [
            "http://dutydesk.example.gov.cn",
            "http://10.0.0.5:8737",
            "http://[2001:db8::1]",
            "http://localhost.example.com",
            "HTTP://192.168.1.2",
        ] {
            assert!(exposed_host(bad).is_some(), "{bad}");
        }
    }
}
