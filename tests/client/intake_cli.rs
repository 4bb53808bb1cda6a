//! Intake and dispatch from the command line against `dutydesk serve`
//! (its log kept): masked numbers in `show`, `reveal` audited, conflicts
//! warned, release and passwd; no full phone number in any log.

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::Home;
use crate::with_server::{run, text};

const PHONE: &str = "13912345678";
const ID_NUMBER: &str = "320102199001011234";

struct Serve {
    child: std::process::Child,
    log: std::path::PathBuf,
    db: std::path::PathBuf,
    url: String,
    _dir: tempfile::TempDir,
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve() -> Serve {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let said = dir.path().join("server.out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args(["serve", "--demo", "--listen", "127.0.0.1:0", "--db"])
        .arg(dir.path().join("server.db"))
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(std::fs::File::create(&said).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&log).unwrap()))
        .spawn()
        .unwrap();
    // Generous: the demo seed hashes a password first.
    for _ in 0..600 {
        let mut s = String::new();
        std::fs::File::open(&said)
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        if let Some(at) = s.find("listening on http://") {
            let addr: String = s[at + 20..].chars().take_while(|c| !c.is_whitespace()).collect();
            return Serve {
                child,
                log,
                db: dir.path().join("server.db"),
                url: format!("http://{addr}"),
                _dir: dir,
            };
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

async fn signed_in(url: &str, user: &str) -> Home {
    let home = Home::new();
    crate::with_server::login(&home, url, user).await;
    home
}

async fn cli(home: &Home, args: &[&str]) -> (Option<i32>, String, String) {
    let mut c = home.cmd();
    c.args(args);
    let out = run(c).await;
    (out.status.code(), text(&out.stdout), text(&out.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn intake_dispatch_and_reveal_from_the_command_line() {
    let server = serve();
    let desk = signed_in(&server.url, "intake").await;
    let lawyer = signed_in(&server.url, "lawyer").await;
    let (code, out, err) = cli(&lawyer, &["whoami", "--json"]).await;
    assert_eq!(code, Some(0), "{err}");
    let me: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lawyer_id = me["user"]["id"]
        .as_i64()
        .or(me["id"].as_i64())
        .unwrap_or_else(|| panic!("{me}"))
        .to_string();

    let (code, out, err) = cli(
        &desk,
        &[
            "new",
            "consultation",
            "--title",
            "拖欠工资",
            "--unit",
            "1",
            "--channel",
            "hotline",
            "--category",
            "wages",
            "--applicant",
            "周强",
            "--applicant-phone",
            PHONE,
            "--applicant-id",
            ID_NUMBER,
            "--respondent",
            "宏达物流公司",
            "--respondent-kind",
            "enterprise",
            "--to",
            &lawyer_id,
            "--json",
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    let created: serde_json::Value = serde_json::from_str(&out).unwrap();
    let id = created["item"]["id"].as_i64().unwrap().to_string();
    assert!(!out.contains(PHONE) && out.contains("139****5678"), "{out}");
    // Refused before sending: exit 2, the field named.
    let (code, _, err) = cli(
        &desk,
        &[
            "new",
            "mediation",
            "--title",
            "调解",
            "--unit",
            "1",
            "--applicant",
            "甲",
        ],
    )
    .await;
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("parties"), "{err}");
    // 周强 on the other side now: warned, registered all the same.
    let (code, out, err) = cli(
        &desk,
        &[
            "new",
            "mediation",
            "--title",
            "劳务费纠纷",
            "--unit",
            "1",
            "--applicant",
            "宏达物流公司",
            "--respondent",
            "周强",
            "--respondent-phone",
            PHONE,
        ],
    )
    .await;
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("registered"), "{out}");
    assert!(
        err.contains(&format!(
            "conflict of interest: 周强 stood on the other side of item {id}"
        )),
        "{err}"
    );

    // In Chinese too.
    let mut c = desk.cmd();
    c.env("DUTYDESK_LANG", "zh-CN").args([
        "new",
        "pro-bono",
        "--title",
        "工伤赔偿",
        "--unit",
        "1",
        "--applicant",
        "马超",
        "--green",
        "--group",
        "delivery_rider",
    ]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已登记事项"), "{}", text(&out.stdout));
    let mut c = desk.cmd();
    c.env("DUTYDESK_LANG", "zh-CN").args([
        "new",
        "pro-bono",
        "--title",
        "x",
        "--unit",
        "1",
        "--applicant",
        "马超",
        "--applicant-phone",
        "12ab",
    ]);
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("未发送"), "{}", text(&out.stderr));

    // show: masked; reveal: full, and audited.
    assert_eq!(cli(&lawyer, &["sync"]).await.0, Some(0));
    let (code, out, err) = cli(&lawyer, &["show", &id]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains("139****5678") && out.contains("3201**********1234") && !out.contains(PHONE),
        "{out}"
    );
    let (code, out, err) = cli(&lawyer, &["reveal", &id]).await;
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.contains(PHONE) && out.contains(ID_NUMBER) && err.contains("audit log"),
        "{out}{err}"
    );
    let bureau = crate::demo_server::token(&server.url, "bureau").await;
    let trail: serde_json::Value =
        crate::demo_server::get_json(&server.url, &bureau, &format!("/api/v1/items/{id}/audit")).await;
    assert_eq!(trail["entries"][0]["action"], "party.reveal", "{trail}");
    assert_eq!(trail["entries"][0]["actor"]["username"], "lawyer");
    let lawyer2 = signed_in(&server.url, "lawyer2").await;
    let (code, _, _) = cli(&lawyer2, &["reveal", &id]).await;
    assert_eq!(code, Some(5), "not lawyer2's to see");

    // A lawyer releases with a reason, never assigns.
    let (code, _, err) = cli(&lawyer, &["assign", &id, "--to", "2"]).await;
    assert_eq!(code, Some(5), "{err}");
    let (code, out, err) = cli(&lawyer, &["release", &id, "--reason", "需回避"]).await;
    assert_eq!(
        (code, out.contains("back in the on-duty pool")),
        (Some(0), true),
        "{out}{err}"
    );
    let (code, _, _) = cli(&lawyer, &["release", &id, "--reason", " "]).await;
    assert_eq!(code, Some(2));
    let (code, out, err) = cli(&lawyer2, &["claim", &id]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    let (code, out, err) = cli(&lawyer2, &["cancel", &id, "--reason", "当事人撤回", "--json"]).await;
    assert_eq!(code, Some(0), "{out}{err}");
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap()["status"],
        "cancelled"
    );

    // passwd: the old password no longer signs in.
    let mut c = lawyer2.cmd();
    c.args(["passwd", "--stdin"]).write_stdin("demo\n新密码2026abc\n");
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let mut c = lawyer2.cmd();
    c.args(["login", "--password-stdin"]).write_stdin("demo\n");
    assert_eq!(run(c).await.status.code(), Some(5));
    let mut c = lawyer2.cmd();
    c.args(["login", "--password-stdin"])
        .write_stdin("新密码2026abc\n");
    assert_eq!(run(c).await.status.code(), Some(0));

    // A one-time password is replaced at sign-in, then the new one works.
    let out = Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args(["admin", "user", "reset-password", "lawyer4", "--db"])
        .arg(&server.db)
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    let said = text(&out.stdout);
    let otp = said
        .split_whitespace()
        .map(|w| w.trim_end_matches(';'))
        .find(|w| w.len() == 16)
        .unwrap()
        .to_string();
    let fresh = Home::new();
    fresh.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\nuser = \"lawyer4\"\n",
        server.url
    ));
    let mut c = fresh.cmd();
    c.args(["login", "--password-stdin"])
        .write_stdin(format!("{otp}\n我的新密码abc123\n"));
    let out = run(c).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("password changed"),
        "{}",
        text(&out.stderr)
    );
    let (code, out, _) = cli(&fresh, &["whoami"]).await;
    assert_eq!(code, Some(0), "{out}");

    // No log holds the full numbers.
    let server_log = std::fs::read_to_string(&server.log).unwrap();
    assert!(
        server_log.contains("party numbers revealed"),
        "the reveal is logged, without numbers"
    );
    for (name, log) in [
        ("server", server_log),
        ("desk", desk.all_logs()),
        ("lawyer", lawyer.all_logs()),
        ("lawyer2", lawyer2.all_logs()),
    ] {
        assert!(
            !log.contains(PHONE) && !log.contains(ID_NUMBER),
            "{name}'s log holds a full number"
        );
    }
}
