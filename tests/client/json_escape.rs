//! `--json` output keeps server text whole but lets no C1 control, bidi
//! control or zero-width character reach the terminal raw: each is written
//! as a `\uXXXX` escape, as `report --format json` writes them (one shared
//! function). The sanitizer drops what would shift columns.

use dutydesk::client::store::LocalStore;

use crate::support::{Home, dead_server, item};

/// C1 CSI / OSC / DCS, a right-to-left override, an isolate, zero-width
/// space and joiner, a BOM, and a soft hyphen.
const TITLE: &str = "工资\u{9b}31m\u{9d}52;c;x\u{90}A\u{202e}B\u{2067}C\u{200b}D\u{200d}E\u{feff}F\u{ad}G";
const RAW: [char; 9] = [
    '\u{9b}', '\u{9d}', '\u{90}', '\u{202e}', '\u{2067}', '\u{200b}', '\u{200d}', '\u{feff}', '\u{ad}',
];

async fn home_with_hostile_item() -> Home {
    let home = Home::new();
    let (store, _) = LocalStore::open(&LocalStore::path_for(&home.dirs().data, "default"))
        .await
        .unwrap();
    store
        .upsert_items("mine", &[item(7, "consultation", TITLE)])
        .await
        .unwrap();
    store.close().await;
    home.write_config(&format!(
        "[profiles.default]\nserver = \"{}\"\ncredential_store = \"file\"\n",
        dead_server()
    ));
    home
}

fn assert_escaped(stdout: &str) {
    let raw: Vec<char> = stdout.chars().filter(|c| RAW.contains(c)).collect();
    assert!(raw.is_empty(), "raw {raw:?} in {stdout:?}");
    for escape in ["\\u009b", "\\u202e", "\\u200b", "\\u00ad"] {
        assert!(stdout.contains(escape), "{escape} in {stdout}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_and_show_json_write_no_control_bidi_or_zero_width_character_raw() {
    let home = home_with_hostile_item().await;
    let run = |mut c: assert_cmd::Command| tokio::task::spawn_blocking(move || c.output().unwrap());
    let mut c = home.cmd();
    c.args(["list", "--json"]).env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_escaped(&stdout);
    // Escaped, not lost: a JSON reader gets the title back whole.
    let list: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let items = list.get("items").unwrap_or(&list);
    assert_eq!(items[0]["title"], TITLE, "{list}");

    let mut c = home.cmd();
    c.args(["show", "7", "--json"]).env("DUTYDESK_TOKEN", "t");
    let out = run(c).await.unwrap();
    assert_escaped(&String::from_utf8(out.stdout).unwrap());
}

#[test]
fn the_report_json_uses_the_same_escaping() {
    let escaped = dutydesk::text::escape_json(&serde_json::to_string(TITLE).unwrap());
    assert!(!escaped.contains(RAW), "{escaped:?}");
    assert_eq!(serde_json::from_str::<String>(&escaped).unwrap(), TITLE);
    // Outside the BMP: a surrogate pair, as JSON wants (a tag character).
    let tag = dutydesk::text::escape_json("\"\u{e0041}\"");
    assert_eq!(tag, "\"\\udb40\\udc41\"");
}

#[test]
fn the_sanitizer_drops_what_terminals_and_unicode_width_measure_differently() {
    use dutydesk::text::{clean, width};
    // A soft hyphen is 0 columns to unicode-width, 1 to wcwidth.
    assert_eq!(clean("表\u{ad}格"), "表格");
    for c in [
        '\u{2065}',
        '\u{3164}',
        '\u{ffa0}',
        '\u{fff0}',
        '\u{e0000}',
        '\u{e0080}',
    ] {
        let cleaned = clean(&format!("a{c}b"));
        assert_eq!(cleaned, "ab", "U+{:04X}", c as u32);
        assert_eq!(width(&cleaned), 2);
    }
    // Ones both measure alike stay: a variation selector on an emoji.
    assert_eq!(clean("❤\u{fe0f}"), "❤\u{fe0f}");
}
