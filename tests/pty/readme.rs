//! The README's "Using it against a real server" lines, run verbatim
//! against the real server (its URL for the example host): a user created
//! with `dutydesk admin user add`, `login` typed at its password prompt in
//! a terminal, then every other line as written — the app among them.

use super::support::{Home, Pty, spawn_server};

const EXAMPLE_HOST: &str = "https://dutydesk.example.gov.cn";

/// The command lines of the section's indented block, comments stripped.
fn readme_lines() -> Vec<Vec<String>> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split("## Using it against a real server")
        .nth(1)
        .expect("the README has the section");
    section
        .lines()
        .skip_while(|l| !l.starts_with("    dutydesk"))
        .take_while(|l| l.starts_with("    "))
        .map(|l| {
            let command = l.split("  #").next().unwrap_or(l);
            command.split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_lines_work_as_written() {
    let server = spawn_server().await;
    let lines = readme_lines();
    assert_eq!(lines[0][..2], ["dutydesk", "login"], "{lines:?}");
    assert!(
        lines.iter().any(|l| l.len() == 1),
        "the app is among the lines: {lines:?}"
    );
    let user = lines[0]
        .iter()
        .skip_while(|a| *a != "--user")
        .nth(1)
        .expect("login names a user")
        .clone();
    let added = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"))
        .args([
            "admin", "user", "add", &user, "--unit", "1", "--name", "张伟", "--db",
        ])
        .arg(server.db_path())
        .env("DUTYDESK_LANG", "en")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&added.stdout).into_owned();
    assert!(
        added.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let password = said.split_whitespace().last().unwrap().to_string();
    let url = server.url.clone();
    let home = Home::new();
    tokio::task::spawn_blocking(move || {
        let env = home.env("xterm-256color");
        for line in &lines {
            assert_eq!(line[0], "dutydesk", "{line:?}");
            let args: Vec<&str> = line[1..]
                .iter()
                .map(|a| {
                    if a == EXAMPLE_HOST {
                        url.as_str()
                    } else {
                        a.as_str()
                    }
                })
                .collect();
            let mut pty = Pty::spawn(&args, &env);
            match args.first().copied() {
                Some("login") => {
                    pty.wait_for("Password for");
                    pty.send(&format!("{password}\r"));
                    assert_eq!(pty.wait_exit(), 0, "{line:?}:\n{}", pty.screen());
                    assert!(pty.screen().contains("Signed in"), "{}", pty.screen());
                    let config = std::fs::read_to_string(home.tmp.path().join("config/dutydesk/config.toml"))
                        .expect("login wrote config.toml");
                    assert!(config.contains(&format!("server = \"{url}\"")), "{config}");
                    assert!(!config.contains(&password), "no secret in the config: {config}");
                }
                None => {
                    // The app: the queue, synced with the server, then quit.
                    pty.wait_for("synced");
                    pty.send("q");
                    assert_eq!(pty.wait_exit(), 0, "the app:\n{}", pty.screen());
                }
                Some(_) => {
                    assert_eq!(pty.wait_exit(), 0, "{line:?}:\n{}", pty.screen());
                    if args[0] == "whoami" {
                        assert!(pty.screen().contains("张伟"), "{}", pty.screen());
                    }
                }
            }
        }
    })
    .await
    .unwrap();
}
