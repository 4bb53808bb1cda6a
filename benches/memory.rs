//! Resident memory (VmRSS) of the terminal app with 10,000 cached items as
//! a server sends them (descriptions, parties with contacts and ID
//! numbers, an assignee), in a 120x40 pseudo-terminal: once the start has
//! settled (the whole lists read from the cache, the refresh found the
//! server away), and after paging through the whole of every tab of my
//! work to its last row. The floor is `first-frame-floor` drawing the same
//! first screen from the same file (src/bin/first-frame-floor.rs).
//! Target: dutydesk <= 30 MB after scrolling.
//!
//!     cargo bench --bench memory

mod support;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ITEMS: usize = 10_000;
const ROWS: u16 = 40;
const COLS: u16 = 120;
const FLOOR: &str = env!("CARGO_BIN_EXE_first-frame-floor");
/// Text of a row that both programs draw on their first screen.
const MARKER: &str = "餐饮店租赁合同";
/// The status bar once the refresh after the start found no server.
const OFFLINE: &str = "离线";
const TARGET_MB: f64 = 30.0;

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    prepare_cache(dir.path());
    let store = store_path(dir.path());

    let floor = Running::spawn(FLOOR.as_ref(), &[store.as_os_str()], dir.path());
    floor.wait_for(MARKER);
    let floor_kb = floor.settled_rss();
    drop(floor);

    let mut ours = Running::spawn(env!("CARGO_BIN_EXE_dutydesk").as_ref(), &[], dir.path());
    ours.wait_for(MARKER);
    ours.wait_for(OFFLINE);
    let started_kb = ours.settled_rss();
    // Every tab of my work (mediation, consultations, pro bono), paged to
    // its end: more pages than any tab has rows.
    for tab in 0..3 {
        if tab > 0 {
            ours.send("\t");
        }
        for _ in 0..(ITEMS / usize::from(ROWS - 4) + 2) {
            ours.send("\x1b[6~");
        }
    }
    let scrolled_kb = ours.settled_rss();
    let split = where_it_is(ours.child.process_id().expect("pid"));
    drop(ours);

    let mb = |kb: u64| kb as f64 / 1024.0;
    println!("resident memory with {ITEMS} cached items, 120x40 pty:");
    println!(
        "  floor (first screen from SQLite + ratatui): {:>7.1} MB",
        mb(floor_kb)
    );
    println!(
        "  dutydesk after start:                       {:>7.1} MB  ({:.2}x the floor)",
        mb(started_kb),
        started_kb as f64 / floor_kb as f64
    );
    println!(
        "  dutydesk after scrolling every tab:         {:>7.1} MB  ({:.2}x the floor; target <= {TARGET_MB} MB)",
        mb(scrolled_kb),
        scrolled_kb as f64 / floor_kb as f64
    );
    println!("  of which (after scrolling): {split}");
}

/// Where the resident memory is: the heap and stacks (anonymous), the
/// binary and libraries (file-backed), and the largest mappings by name,
/// so the next change knows what to shrink.
fn where_it_is(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_string())
            .unwrap_or_default()
    };
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let mut by_name: std::collections::BTreeMap<String, u64> = Default::default();
    let mut current = String::new();
    for line in smaps.lines() {
        if let Some(kb) = line.strip_prefix("Rss:") {
            let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
            *by_name.entry(current.clone()).or_default() += kb;
        } else if line.split_whitespace().next().is_some_and(|f| f.contains('-')) {
            let name = line.split_whitespace().nth(5).unwrap_or("[anonymous]");
            current = name.rsplit('/').next().unwrap_or(name).to_string();
        }
    }
    let mut top: Vec<(String, u64)> = by_name.into_iter().collect();
    top.sort_by_key(|t| std::cmp::Reverse(t.1));
    let top: Vec<String> = top
        .iter()
        .take(4)
        .map(|(n, kb)| format!("{n} {:.1} MB", *kb as f64 / 1024.0))
        .collect();
    format!(
        "anonymous {}, file-backed {}, {} threads; largest: {}",
        field("RssAnon:"),
        field("RssFile:"),
        field("Threads:"),
        top.join(", ")
    )
}

/// A profile whose server is a closed port, a token in the environment, and
/// a local store holding 10,000 of "my" items.
fn prepare_cache(root: &Path) {
    for d in ["config/dutydesk", "data/dutydesk", "state/dutydesk"] {
        std::fs::create_dir_all(root.join(d)).expect("dirs");
    }
    std::fs::write(
        root.join("config/dutydesk/config.toml"),
        "profile = \"default\"\nlanguage = \"zh-CN\"\n[profiles.default]\nserver = \"http://127.0.0.1:9\"\nuser = \"lawyer\"\ncredential_store = \"file\"\n",
    )
    .expect("config");
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let (store, _) = dutydesk::client::store::LocalStore::open(&store_path(root))
            .await
            .expect("store");
        store
            .upsert_items(dutydesk::client::store::MINE, &support::whole_items(ITEMS))
            .await
            .expect("cache");
        store.close().await;
    });
}

fn store_path(root: &Path) -> std::path::PathBuf {
    dutydesk::client::store::LocalStore::path_for(&root.join("data/dutydesk"), "default")
}

/// A program in a pty, its screen kept up to date by a reader thread.
struct Running {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    screen: Arc<Mutex<vt100::Parser>>,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

impl Running {
    fn spawn(program: &Path, args: &[&std::ffi::OsStr], root: &Path) -> Running {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: ROWS,
                cols: COLS,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        cmd.env("XDG_CONFIG_HOME", root.join("config"));
        cmd.env("XDG_DATA_HOME", root.join("data"));
        cmd.env("XDG_STATE_HOME", root.join("state"));
        cmd.env("DUTYDESK_TOKEN", "bench-token-not-a-secret");
        cmd.env("LANG", "zh_CN.UTF-8");
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let writer = pair.master.take_writer().expect("writer");
        // 40 and 120 are not zero.
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
        let screen = Arc::new(Mutex::new(vt100::Parser::new(size(ROWS), size(COLS), 0)));
        let feed = screen.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 16 * 1024];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                feed.lock().expect("screen").process(&buf[..n]);
            }
        });
        Running {
            child,
            writer,
            screen,
            _master: pair.master,
        }
    }

    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self
                .screen
                .lock()
                .expect("screen")
                .screen()
                .contents()
                .contains(text)
            {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!(
            "never showed {text:?}; the screen:\n{}",
            self.screen.lock().expect("screen").screen().contents()
        );
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("keys");
        self.writer.flush().expect("keys");
        std::thread::sleep(Duration::from_millis(2));
    }

    /// VmRSS in KiB once it has not changed for half a second.
    fn settled_rss(&self) -> u64 {
        let pid = self.child.process_id().expect("pid");
        let mut last = 0;
        let mut same_since = Instant::now();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let now = rss_kb(pid);
            if now != last {
                last = now;
                same_since = Instant::now();
            }
            if same_since.elapsed() >= Duration::from_millis(500) || Instant::now() > deadline {
                return last;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn rss_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("/proc status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}
