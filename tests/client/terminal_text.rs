//! What the CLI prints is safe for any terminal: ASCII marks rather than
//! glyphs of ambiguous width, and no control or bidi character from the
//! server's text.

use crate::support::{Home, item, offline_home, open_store};

#[tokio::test]
async fn cli_lists_use_ascii_marks_not_ambiguous_width_glyphs() {
    let home = offline_home();
    let mut green = item(
        7,
        "mediation",
        "劳动合同纠纷调解，涉及多名外来务工人员的工资拖欠和社会保险补缴问题",
    );
    green.green_channel = true;
    let store = open_store(&home).await;
    store.upsert_items("mine", &[green]).await.unwrap();
    store.close().await;
    let out = home
        .cmd()
        .arg("list")
        .env("DUTYDESK_TOKEN", "t")
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).to_string();
    assert!(stdout.contains("* 劳动"), "{stdout}");
    assert!(stdout.contains("..."), "{stdout}");
    assert!(!stdout.contains(['★', '…', '–']), "{stdout}");
}

const HOSTILE: &str = "工资\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{202e}exe.txt\u{9b}31m";

fn assert_terminal_safe(out: &str) {
    assert!(
        !out.contains(['\u{1b}', '\u{7}', '\u{202e}', '\u{9b}']),
        "{out:?}"
    );
    assert!(!out.contains("52;c;"), "{out:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_server_text_never_reaches_the_terminal_raw() {
    // A title from the server with a screen clear, an OSC 52 clipboard
    // write, a right-to-left override and a C1 CSI.
    let home = Home::new();
    let store = open_store(&home).await;
    store
        .upsert_items("mine", &[item(7, "mediation", HOSTILE)])
        .await
        .unwrap();
    store.close().await;
    // A proxy or a broken server answers 503 with the same bytes in its body.
    let peer = crate::loopback::start(vec![crate::loopback::Reply::Other(
        503,
        "text/html",
        HOSTILE.into(),
    )])
    .await;
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        peer.url
    ));
    // The peer runs on this runtime: the binary runs off it.
    let run = |mut c: assert_cmd::Command| tokio::task::spawn_blocking(move || c.output().unwrap());
    let mut c = home.cmd();
    c.arg("list").env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(stdout.contains("工资"), "{stdout}");
    assert!(stderr.contains("503"), "{stderr}");
    assert_terminal_safe(&stdout);
    assert_terminal_safe(&stderr);
    let mut c = home.cmd();
    c.args(["show", "7"]).env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    assert_terminal_safe(&String::from_utf8_lossy(&out.stdout));
    assert_terminal_safe(&String::from_utf8_lossy(&out.stderr));
}
