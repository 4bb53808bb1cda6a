//! A home of its own for one test: config, data, state and temp dirs under
//! one temp dir, and the environment that points `dutydesk` at them (only
//! these dirs, English, no session bus so the keyring falls back to the
//! token file at once). Shared by the test binaries that run the client
//! (`#[path = "../common/home.rs"] mod home;`).

#![allow(dead_code)] // each binary uses its own part of it

use std::io::Write;
use std::path::PathBuf;

use dutydesk::client::config::Dirs;
use tempfile::TempDir;

pub struct Home {
    pub tmp: TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            tmp: tempfile::tempdir().unwrap(),
        }
    }

    fn xdg(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }

    /// The dirs `dutydesk` itself computes from these XDG variables.
    pub fn dirs(&self) -> Dirs {
        Dirs {
            config: self.xdg("config").join("dutydesk"),
            data: self.xdg("data").join("dutydesk"),
            state: self.xdg("state").join("dutydesk").join("logs"),
        }
    }

    /// `TMPDIR` in [`Home::env`].
    pub fn temp_dir(&self) -> PathBuf {
        let dir = self.xdg("tmp");
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    pub fn write_config(&self, text: &str) -> PathBuf {
        let dir = self.dirs().config;
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    /// The environment of a `dutydesk` run in a terminal of type `term`,
    /// its temp files in [`Home::temp_dir`].
    pub fn env(&self, term: &str) -> Vec<(String, String)> {
        self.temp_dir();
        let p = |n: &str| self.xdg(n).to_string_lossy().into_owned();
        vec![
            ("HOME".into(), p("")),
            ("XDG_CONFIG_HOME".into(), p("config")),
            ("XDG_DATA_HOME".into(), p("data")),
            ("XDG_STATE_HOME".into(), p("state")),
            ("TMPDIR".into(), p("tmp")),
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("DUTYDESK_LANG".into(), "en".into()),
            (
                "DBUS_SESSION_BUS_ADDRESS".into(),
                "unix:path=/nonexistent/bus".into(),
            ),
            ("TERM".into(), term.into()),
        ]
    }

    /// The binary, with only this home's dirs and English messages.
    pub fn cmd(&self) -> assert_cmd::Command {
        let mut c = assert_cmd::Command::cargo_bin("dutydesk").unwrap();
        c.env_clear()
            .env("HOME", self.tmp.path())
            .env("XDG_CONFIG_HOME", self.xdg("config"))
            .env("XDG_DATA_HOME", self.xdg("data"))
            .env("XDG_STATE_HOME", self.xdg("state"))
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("DUTYDESK_LANG", "en")
            // No session bus: the keyring must fail fast and fall back.
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus");
        c
    }

    /// `dutydesk login --password-stdin` as `user` against `url` (the demo
    /// password).
    pub fn login(&self, url: &str, user: &str) {
        self.write_config(&format!(
            "[profiles.default]\nserver = \"{url}\"\nuser = \"{user}\"\n"
        ));
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_dutydesk"));
        cmd.env_clear()
            .envs(self.env("dumb"))
            .args(["login", "--password-stdin"]);
        cmd.stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"demo\n").unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }

    /// Every log file's text, to check nothing secret was written.
    pub fn all_logs(&self) -> String {
        let mut out = String::new();
        if let Ok(rd) = std::fs::read_dir(self.dirs().state) {
            for e in rd.flatten() {
                out.push_str(&std::fs::read_to_string(e.path()).unwrap_or_default());
            }
        }
        out
    }
}
