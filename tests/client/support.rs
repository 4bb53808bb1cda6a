//! Temp XDG dirs and a command builder pointed at them.

use std::path::PathBuf;

use dutydesk::client::config::Dirs;
use tempfile::TempDir;

/// A home of its own: config, data and state dirs under one temp dir.
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

    pub fn write_config(&self, text: &str) -> PathBuf {
        let dir = self.dirs().config;
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("config.toml");
        std::fs::write(&path, text).unwrap();
        path
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

/// A loopback address where nothing listens: the server is "down".
pub fn dead_server() -> String {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    drop(l);
    format!("http://{addr}")
}

// The reference server on 127.0.0.1:0 (`spawn_server`) is in with_server.rs,
// declared once issue 2 is merged; until then `loopback.rs` stands in.

pub fn item(id: i64, kind: &str, title: &str) -> dutydesk::api::WorkItem {
    serde_json::from_value(serde_json::json!({
        "id": id, "kind": kind, "title": title, "channel": "hotline", "category": "labour_contract",
        "green_channel": false, "fee_waiver_eligible": false, "status": "in_progress",
        "unit_id": 1, "due_at": 1_790_000_000_000i64, "created_at": 1_780_000_000_000i64,
        "updated_at": 1_780_000_000_000i64, "version": 1
    }))
    .unwrap()
}
