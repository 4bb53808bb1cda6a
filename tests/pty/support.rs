//! A pty running `dutydesk`, a throwaway home, and the server.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dutydesk::api::{ItemDetail, ItemList, Outcome};
use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

/// Long enough for a debug build on a busy machine; polls, never sleeps blind.
pub const WAIT: Duration = Duration::from_secs(20);

pub use super::demo_server::{get_json, spawn_server, token};

pub use super::home::Home;

/// What the terminal got: the parsed screen and every raw byte.
struct Seen {
    parser: vt100::Parser,
    raw: Vec<u8>,
}

pub struct Pty {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    seen: Arc<Mutex<Seen>>,
}

impl Pty {
    pub fn spawn(args: &[&str], env: &[(String, String)]) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: 24,
                cols: 80,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_dutydesk"));
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let seen = Arc::new(Mutex::new(Seen {
            parser: vt100::Parser::new(
                std::num::NonZero::new(24).unwrap(),
                std::num::NonZero::new(80).unwrap(),
                0,
            ),
            raw: Vec::new(),
        }));
        let sink = seen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // Ends at EOF or EIO: the child and its terminal are gone.
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let mut s = sink.lock().unwrap();
                s.parser.process(&buf[..n]);
                s.raw.extend_from_slice(&buf[..n]);
            }
        });
        Pty {
            master: pair.master,
            writer,
            child,
            seen,
        }
    }

    pub fn screen(&self) -> String {
        self.seen.lock().unwrap().parser.screen().contents()
    }

    pub fn raw(&self) -> Vec<u8> {
        self.seen.lock().unwrap().raw.clone()
    }

    /// Waits until `text` is on the screen; fails with the screen shown.
    pub fn wait_for(&self, text: &str) {
        self.wait_until(text, |s| s.contains(text));
    }

    pub fn wait_until(&self, what: &str, ok: impl Fn(&str) -> bool) {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return;
            }
            if start.elapsed() > WAIT {
                panic!("waited {WAIT:?} for {what:?}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    /// Waits for the process to end; its exit code.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // Let the reader thread take the last bytes.
                std::thread::sleep(Duration::from_millis(100));
                return status.exit_code();
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("the app did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pty's line discipline flags as text, e.g. "ICANON | ECHO".
    pub fn local_flags(&self) -> Option<String> {
        self.master.get_termios().map(|t| format!("{:?}", t.local_flags))
    }
}

/// True when `flags` (a Debug of termios local flags) names `flag` exactly.
pub fn has_flag(flags: &str, flag: &str) -> bool {
    flags
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
        .any(|w| w == flag)
}

/// Every outcome on `user`'s items, through the API.
pub async fn outcomes_of(url: &str, user: &str) -> Vec<Outcome> {
    let token = token(url, user).await;
    let list: ItemList = get_json(url, &token, "/api/v1/items").await;
    let mut out = Vec::new();
    for item in list.items {
        let d: ItemDetail = get_json(url, &token, &format!("/api/v1/items/{}", item.id)).await;
        out.extend(d.outcomes);
    }
    out
}
