//! `dutydesk demo`: its own server and sign-in, the queue on screen, a clean
//! quit, and nothing left behind in the temp dir.

use super::support::{Home, Pty};

#[test]
fn the_demo_shows_the_queue_and_cleans_up() {
    let home = Home::new();
    let mut pty = Pty::spawn(&["demo", "--lang", "en"], &home.env("xterm-256color"));
    pty.wait_for("synced");
    pty.wait_for("Mediate");
    assert!(
        pty.screen().contains("online"),
        "the demo server answers:\n{}",
        pty.screen()
    );
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
    let left: Vec<_> = std::fs::read_dir(home.temp_dir()).unwrap().flatten().collect();
    assert!(left.is_empty(), "the demo's temp dir is removed: {left:?}");
    assert!(
        !home.tmp.path().join("config").exists(),
        "the user's own config dir is untouched"
    );
}

#[test]
fn the_demo_speaks_chinese_as_the_room_operator() {
    let home = Home::new();
    let args = ["demo", "--as", "operator", "--lang", "zh-CN"];
    let mut pty = Pty::spawn(&args, &home.env("xterm-256color"));
    pty.wait_for("同步于");
    pty.wait_for("在线");
    pty.send("q");
    assert_eq!(pty.wait_exit(), 0);
}
