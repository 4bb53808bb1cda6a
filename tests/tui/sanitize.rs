//! Hostile server text never reaches the terminal as control sequences.

use dutydesk::text::{clean, fit, truncate, width};

#[test]
fn strips_escape_sequences_and_controls() {
    let hostile = [
        ("标题\x1b[2J\x1b[H清屏", "标题清屏"),
        ("red\x1b[31;1mtext\x1b[0m", "redtext"),
        ("clip\x1b]52;c;ZXZpbA==\x07board", "clipboard"),
        ("osc-st\x1b]0;title\x1b\\done", "osc-stdone"),
        ("dcs\x1bPq#0;2;0;0;0\x1b\\end", "dcsend"),
        ("c1\u{9b}31mcsi\u{9d}52;c;eA==\u{9c}ok", "c1csiok"),
        ("bell\x07back\x08space\x7f", "bellbackspace"),
        ("nul\0x", "nulx"),
        ("esc at end\x1b", "esc at end"),
        ("unterminated\x1b]52;c;AAAA", "unterminated"),
    ];
    for (input, want) in hostile {
        let got = clean(input);
        assert_eq!(got, want, "input {input:?}");
        assert!(!got.chars().any(|c| c.is_control()), "control left in {got:?}");
    }
}

#[test]
fn strips_bidi_overrides_and_invisible_spaces() {
    // With U+202E, "invoice" + override + "fdp.exe" reads as "invoiceexe.pdf".
    let got = clean("invoice\u{202e}fdp.exe \u{2066}x\u{2069} \u{200f}y\u{200b}z\u{feff}");
    assert_eq!(got, "invoicefdp.exe x yz");
}

#[test]
fn keeps_cjk_emoji_and_joined_emoji() {
    let text = "张三👩‍⚕️ 调解 ①";
    assert_eq!(clean(text), text);
}

#[test]
fn newlines_and_tabs_become_single_spaces() {
    assert_eq!(clean("第一行\r\n第二行\t完"), "第一行 第二行 完");
}

#[test]
fn fit_pads_and_truncates_by_display_width_without_splitting_wide_chars() {
    assert_eq!(fit("调解", 6), "调解  ");
    assert_eq!(width(&fit("调解员张三", 6)), 6);
    // 5 columns: two wide chars fit before the ellipsis, not half a third.
    assert_eq!(truncate("调解员张三", 5), "调解…");
    assert_eq!(truncate("调解员张三", 6), "调解…");
    assert_eq!(width(&fit("调解员张三", 6)), 6);
    assert_eq!(truncate("abc", 3), "abc");
    assert_eq!(truncate("abcd", 3), "ab…");
    assert_eq!(fit("x", 0), "");
    // A zero-width joiner sequence counts as what it draws.
    assert!(width(&fit("👩‍⚕️👩‍⚕️👩‍⚕️", 5)) <= 5);
}

#[test]
fn clipboard_text_is_base64_for_osc_52() {
    use dutydesk::tui::run::base64;
    assert_eq!(base64(b""), "");
    assert_eq!(base64(b"f"), "Zg==");
    assert_eq!(base64(b"fo"), "Zm8=");
    assert_eq!(base64(b"foo"), "Zm9v");
    assert_eq!(base64("调解".as_bytes()), "6LCD6Kej");
}

#[test]
fn absurd_times_from_the_server_draw_without_panicking() {
    use dutydesk::tui::{Message, update};
    let _l = crate::fixtures::lang("en");
    let mut model = crate::fixtures::model();
    let mut items = crate::fixtures::my_items();
    items[0].due_at = i64::MIN;
    items[1].due_at = i64::MAX;
    update(&mut model, Message::ItemsLoaded(items));
    let screen = crate::render(&mut model, 80, 24);
    assert!(
        screen.contains('-'),
        "the overdue one still shows a countdown:\n{screen}"
    );
}
