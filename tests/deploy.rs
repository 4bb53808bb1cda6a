//! The files in `deploy/` are checked where a checker is at hand: the
//! systemd unit by `systemd-analyze verify`, the container file parsed (and
//! built when DUTYDESK_TEST_CONTAINER_BUILD=1 and a builder exists), the
//! nginx example for what event streams need. Every setting they pass by
//! environment is one `dutydesk serve` reads.
#![cfg(feature = "server")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap()
}

fn on_path(tool: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(tool))
            .find(|p| p.is_file())
    })
}

/// The `DUTYDESK_*` names `serve --help` lists (clap's `[env: ...]`).
fn serve_env_names() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args(["serve", "--help"])
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_known_env(file: &str, text: &str) {
    let help = serve_env_names();
    for name in text
        .split(|c: char| !(c.is_ascii_uppercase() || c == '_'))
        .filter(|w| w.starts_with("DUTYDESK_"))
    {
        assert!(
            help.contains(&format!("[env: {name}=")),
            "{file} sets {name}, which `dutydesk serve` does not read"
        );
    }
}

#[test]
fn the_systemd_unit_verifies() {
    let unit = read("deploy/dutydesk.service");
    assert_known_env("deploy/dutydesk.service", &unit);
    for hardening in [
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "DynamicUser=yes",
        "CapabilityBoundingSet=\n",
        "UMask=0077",
    ] {
        assert!(unit.contains(hardening), "the unit lacks {hardening:?}");
    }
    let Some(analyze) = on_path("systemd-analyze") else {
        eprintln!("skipped: no systemd-analyze here; the unit was only read");
        return;
    };
    // Verify checks that ExecStart exists: point it at the binary built here.
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("dutydesk.service");
    std::fs::write(
        &copy,
        unit.replace("/usr/local/bin/dutydesk", env!("CARGO_BIN_EXE_dutydesk")),
    )
    .unwrap();
    let out = Command::new(analyze).arg("verify").arg(&copy).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    // An unknown or misspelt key is only a warning: no output at all is the bar.
    let about_unit: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("dutydesk.service"))
        .collect();
    assert!(
        out.status.success() && about_unit.is_empty(),
        "systemd-analyze verify:\n{stderr}"
    );
}

/// One instruction per logical line (continuations joined, comments gone).
fn instructions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut pending = String::new();
    for line in text.lines() {
        let line = line.trim();
        if pending.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            pending.push_str(head);
            pending.push(' ');
            continue;
        }
        pending.push_str(line);
        let (word, rest) = pending.split_once(char::is_whitespace).unwrap_or((&pending, ""));
        out.push((word.to_ascii_uppercase(), rest.trim().to_string()));
        pending.clear();
    }
    out
}

#[test]
fn the_container_file_is_sound() {
    let text = read("deploy/Containerfile");
    assert_known_env("deploy/Containerfile", &text);
    let steps = instructions(&text);
    const KNOWN: [&str; 18] = [
        "FROM",
        "RUN",
        "CMD",
        "LABEL",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ARG",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
        "MAINTAINER",
    ];
    for (word, _) in &steps {
        assert!(KNOWN.contains(&word.as_str()), "unknown instruction {word}");
    }
    assert_eq!(steps[0].0, "FROM", "a container file starts with FROM");
    // What the build copies from the context exists (the context is the repository).
    for (_, args) in steps.iter().filter(|(w, _)| w == "COPY") {
        let parts: Vec<&str> = args.split_whitespace().collect();
        if parts.iter().any(|p| p.starts_with("--from")) {
            continue;
        }
        let sources: Vec<&str> = parts.iter().copied().filter(|p| !p.starts_with("--")).collect();
        for src in &sources[..sources.len() - 1] {
            assert!(repo().join(src).exists(), "COPY {src}: not in the repository");
        }
    }
    let last_from = steps.iter().rposition(|(w, _)| w == "FROM").unwrap();
    let final_stage = &steps[last_from..];
    let entry = final_stage
        .iter()
        .find(|(w, _)| w == "ENTRYPOINT")
        .map(|(_, a)| a.clone())
        .expect("the final stage has an ENTRYPOINT");
    let entry: Vec<String> = serde_json::from_str(&entry).expect("ENTRYPOINT in exec (JSON) form");
    assert_eq!(entry.last().map(String::as_str), Some("serve"));
    let user = final_stage
        .iter()
        .find(|(w, _)| w == "USER")
        .map(|(_, a)| a.as_str());
    assert!(
        user.is_some_and(|u| !u.starts_with('0') && !u.starts_with("root")),
        "the server does not run as root: {user:?}"
    );
    let exposed = final_stage
        .iter()
        .find(|(w, _)| w == "EXPOSE")
        .map(|(_, a)| a.clone())
        .unwrap();
    assert!(
        text.contains(&format!("DUTYDESK_LISTEN=0.0.0.0:{exposed}")),
        "it listens on the port it exposes ({exposed})"
    );

    let builder = ["docker", "podman"].into_iter().find_map(on_path);
    match (builder, std::env::var("DUTYDESK_TEST_CONTAINER_BUILD").as_deref()) {
        (Some(tool), Ok("1")) => {
            let out = Command::new(tool)
                .args(["build", "-f", "deploy/Containerfile", "-t", "dutydesk:test", "."])
                .current_dir(repo())
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        }
        (Some(_), _) => eprintln!(
            "skipped: the container build (a release build, many minutes); DUTYDESK_TEST_CONTAINER_BUILD=1 runs it"
        ),
        (None, _) => eprintln!("skipped: the container build: no docker or podman here"),
    }
}

/// The `location` block for `path` in the nginx example.
fn location<'a>(conf: &'a str, path: &str) -> &'a str {
    let start = conf
        .find(&format!("location = {path} {{"))
        .unwrap_or_else(|| panic!("no location for {path}"));
    let end = conf[start..].find('}').unwrap();
    &conf[start..start + end]
}

#[test]
fn the_nginx_example_lets_event_streams_through() {
    let conf = read("deploy/nginx.conf");
    let events = location(&conf, dutydesk::api::paths::EVENTS);
    assert!(events.contains("proxy_buffering off;"), "{events}");
    let timeout = events
        .lines()
        .find_map(|l| l.trim().strip_prefix("proxy_read_timeout "))
        .expect("a read timeout for the stream");
    let seconds = match timeout.trim_end_matches(';') {
        t if t.ends_with('h') => t.trim_end_matches('h').parse::<u64>().unwrap() * 3600,
        t if t.ends_with('m') => t.trim_end_matches('m').parse::<u64>().unwrap() * 60,
        t => t.trim_end_matches('s').parse::<u64>().unwrap(),
    };
    let heartbeat = dutydesk::server::ServerTuning::default().heartbeat.as_secs();
    assert!(
        seconds >= 4 * heartbeat,
        "a read timeout of {seconds} s would cut quiet streams (heartbeat every {heartbeat} s)"
    );
    assert!(conf.contains("proxy_set_header X-Forwarded-For $remote_addr;"));
    assert!(conf.contains("proxy_http_version 1.1;"));
    match on_path("nginx") {
        Some(nginx) => check_with_nginx(&nginx, &conf),
        None => eprintln!("skipped: `nginx -t`: no nginx here; the example was only read"),
    }
}

/// `nginx -t` on the example with a throwaway certificate and paths.
fn check_with_nginx(nginx: &Path, conf: &str) {
    let dir = tempfile::tempdir().unwrap();
    let cert = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let crt = dir.path().join("t.crt");
    let key = dir.path().join("t.key");
    std::fs::write(&crt, cert.cert.pem()).unwrap();
    std::fs::write(&key, cert.signing_key.serialize_pem()).unwrap();
    let site = conf
        .replace("/etc/nginx/tls/dutydesk.crt", &crt.display().to_string())
        .replace("/etc/nginx/tls/dutydesk.key", &key.display().to_string());
    let site_path = dir.path().join("site.conf");
    std::fs::write(&site_path, site).unwrap();
    let main = format!(
        "pid {0}/nginx.pid;\nerror_log {0}/error.log;\nevents {{}}\nhttp {{ access_log off; include {1}; }}\n",
        dir.path().display(),
        site_path.display()
    );
    let main_path = dir.path().join("nginx.conf");
    std::fs::write(&main_path, main).unwrap();
    let out = Command::new(nginx)
        .arg("-t")
        .arg("-c")
        .arg(&main_path)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "nginx -t: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
