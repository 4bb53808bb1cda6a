//! `dutydesk serve --tls-cert --tls-key` answers HTTPS with a certificate
//! from a private CA (as a justice bureau runs), and the client signs in
//! with `ca_file` naming that CA; without TLS beyond loopback, `serve`
//! warns at start.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};

use crate::support::Home;
use crate::with_server::{run, text};

/// A private CA and a server certificate for `localhost` and 127.0.0.1,
/// written as PEM files into `dir`; returns (ca, cert, key) paths.
fn private_ca(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "县司法局测试根证书");
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
    let key = KeyPair::generate().unwrap();
    let params = CertificateParams::new(vec!["localhost".to_string(), "127.0.0.1".to_string()]).unwrap();
    let cert = params.signed_by(&key, &ca).unwrap();
    let paths = (dir.join("ca.pem"), dir.join("server.pem"), dir.join("server.key"));
    std::fs::write(&paths.0, ca.pem()).unwrap();
    std::fs::write(&paths.1, cert.pem()).unwrap();
    std::fs::write(&paths.2, key.serialize_pem()).unwrap();
    (paths.0, paths.1, paths.2)
}

/// The `dutydesk serve` child and the first lines it printed, up to the
/// one naming where it listens.
fn serve(args: &[&str]) -> (Child, Vec<String>) {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dutydesk"))
        .arg("serve")
        .args(args)
        .env("DUTYDESK_LANG", "en")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let out = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(out).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut lines = Vec::new();
    while let Ok(line) = rx.recv() {
        let done = line.contains("listening on");
        lines.push(line);
        if done {
            break;
        }
    }
    // What it prints at once after that (a warning, the demo logins).
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(3)) {
        lines.push(line);
    }
    (child, lines)
}

fn port(lines: &[String]) -> u16 {
    let line = lines.iter().find(|l| l.contains("listening on")).unwrap();
    line.rsplit(':').next().unwrap().trim().parse().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_answers_https_and_the_client_signs_in_with_its_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = private_ca(dir.path());
    let db = dir.path().join("server.db");
    let (mut child, lines) = serve(&[
        "--db",
        db.to_str().unwrap(),
        "--listen",
        "127.0.0.1:0",
        "--demo",
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ]);
    assert!(
        lines.iter().any(|l| l.contains("listening on https://")),
        "{lines:?}"
    );
    assert!(!lines.iter().any(|l| l.contains("warning")), "{lines:?}");
    let port = port(&lines);

    let home = Home::new();
    home.write_config(&format!(
        "[profiles.default]\nserver = \"https://localhost:{port}\"\nuser = \"lawyer\"\nca_file = \"{}\"\n",
        ca.display()
    ));
    let mut c = home.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("demo\n");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut c = home.cmd();
    c.args(["whoami", "--json"]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("张明律师"), "{}", text(&out.stdout));

    // Without the CA the same server is not trusted.
    let other = Home::new();
    other.write_config(&format!(
        "[profiles.default]\nserver = \"https://localhost:{port}\"\nuser = \"lawyer\"\n"
    ));
    let mut c = other.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("demo\n");
    assert_ne!(run(c).await.status.code(), Some(0));

    // Plain HTTP to the TLS port gets nothing useful either.
    let plain = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await;
    assert!(plain.map(|r| !r.status().is_success()).unwrap_or(true));

    child.kill().unwrap();
    child.wait().unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&db).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "the server's database is its owner's only");
    }
}

/// Listening on every address without TLS works, with a warning at start;
/// on loopback there is none.
#[test]
fn serve_warns_when_plain_http_reaches_beyond_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let (mut child, lines) = serve(&["--db", db.to_str().unwrap(), "--listen", "0.0.0.0:0"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("warning:") && l.contains("--tls-cert")),
        "{lines:?}"
    );
    let db = dir.path().join("loopback.db");
    let (mut child, lines) = serve(&["--db", db.to_str().unwrap(), "--listen", "127.0.0.1:0"]);
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!lines.iter().any(|l| l.contains("warning")), "{lines:?}");
}

/// `--log-format json` writes one JSON object a line to stderr.
#[test]
fn serve_logs_json_lines_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("dutydesk"))
        .args(["serve", "--listen", "127.0.0.1:0", "--log-format", "json", "--db"])
        .arg(&db)
        .env("DUTYDESK_LANG", "en")
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    for line in stdout.lines().map_while(Result::ok) {
        if line.contains("listening on") {
            break;
        }
    }
    let stderr = child.stderr.take().unwrap();
    // The "listening" log line is written right after the one on stdout.
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().unwrap().unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let v: serde_json::Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first}"));
    assert_eq!(v["level"], "INFO", "{first}");
    assert!(v["fields"].is_object(), "{first}");
}

/// A certificate file that is not there is named, with the flag that takes
/// it; a certificate without its key is a usage error.
#[test]
fn a_bad_tls_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.db");
    let missing = dir.path().join("bureau-server.pem");
    let out = Command::new(assert_cmd::cargo::cargo_bin("dutydesk"))
        .args(["serve", "--listen", "127.0.0.1:0", "--db"])
        .arg(&db)
        .arg("--tls-cert")
        .arg(&missing)
        .arg("--tls-key")
        .arg(&missing)
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("bureau-server.pem") && stderr.contains("--tls-cert"),
        "{stderr}"
    );
    let out = Command::new(assert_cmd::cargo::cargo_bin("dutydesk"))
        .args(["serve", "--tls-cert"])
        .arg(&missing)
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
