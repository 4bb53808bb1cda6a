//! Time from spawn until the first frame with 10,000 cached items is on the
//! screen, for `dutydesk` and for the floor, both in an 80x24
//! pseudo-terminal, in paired alternating runs, median of each. Target:
//! dutydesk ≤ 2× the floor.
//!
//!     cargo bench --bench first_frame            # 15 paired runs
//!     DUTYDESK_BENCH_RUNS=5 cargo bench --bench first_frame
//!
//! dutydesk starts against a server that does not answer (a closed port),
//! so what is measured is the start from the local cache. The floor is the
//! least work that draws the same first screenful: `first-frame-floor`
//! (src/bin/first-frame-floor.rs), a small binary that reads only the
//! shown rows from the same SQLite file and draws them with ratatui.

mod support;

use std::io::Read;
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

const ITEMS: usize = 10_000;
const RUNS: usize = 15;
const FLOOR: &str = env!("CARGO_BIN_EXE_first-frame-floor");
/// Text of a row that both programs draw on their first screen.
const MARKER: &str = "餐饮店租赁合同";

fn main() {
    // To look at one start by hand (strace, perf): prepare the files there.
    if let Some(dir) = std::env::var_os("DUTYDESK_BENCH_PREPARE") {
        prepare_cache(Path::new(&dir));
        return;
    }
    // `cargo bench` passes `--bench`; criterion-style filters are ignored.
    let dir = tempfile::tempdir().expect("temp dir");
    prepare_cache(dir.path());
    let dutydesk = env!("CARGO_BIN_EXE_dutydesk");
    let store = store_path(dir.path());
    let runs = std::env::var("DUTYDESK_BENCH_RUNS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(RUNS);

    let mut ours = Vec::new();
    let mut floor = Vec::new();
    for run in 0..runs {
        // Alternate which goes first so neither always gets the warm cache.
        let (a, b) = if run % 2 == 0 {
            (true, false)
        } else {
            (false, true)
        };
        for is_ours in [a, b] {
            let t = if is_ours {
                time_to_marker(dutydesk.as_ref(), &[], dir.path())
            } else {
                time_to_marker(FLOOR.as_ref(), &[store.as_os_str()], dir.path())
            };
            if is_ours { ours.push(t) } else { floor.push(t) }
        }
    }
    let (m_ours, m_floor) = (median(&mut ours), median(&mut floor));
    println!("first frame with {ITEMS} cached items, 80x24 pty, {runs} paired runs, median:");
    println!(
        "  floor (shown rows from SQLite + ratatui): {:>8.1} ms",
        m_floor.as_secs_f64() * 1e3
    );
    println!(
        "  dutydesk:                                 {:>8.1} ms",
        m_ours.as_secs_f64() * 1e3
    );
    println!(
        "  ratio:                                    {:>8.2}x (target <= 2x)",
        m_ours.as_secs_f64() / m_floor.as_secs_f64()
    );
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
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
            .upsert_items(dutydesk::client::store::MINE, &support::synthetic_items(ITEMS))
            .await
            .expect("cache");
        store.close().await;
    });
}

fn store_path(root: &Path) -> std::path::PathBuf {
    dutydesk::client::store::LocalStore::path_for(&root.join("data/dutydesk"), "default")
}

fn time_to_marker(program: &Path, args: &[&std::ffi::OsStr], root: &Path) -> Duration {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 24,
            cols: 80,
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
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        // 24 and 80 are not zero.
        let size = |n: u16| std::num::NonZeroU16::new(n).unwrap_or(std::num::NonZeroU16::MIN);
        let mut parser = vt100::Parser::new(size(24), size(80), 0);
        let mut buf = [0u8; 16 * 1024];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            parser.process(&buf[..n]);
            if parser.screen().contents().contains(MARKER) {
                let _ = tx.send(Instant::now());
                break;
            }
        }
    });
    let seen = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the first frame never showed the marker");
    let _ = child.kill();
    let _ = child.wait();
    seen - start
}
