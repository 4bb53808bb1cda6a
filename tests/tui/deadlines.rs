//! The status bar counts down to a campaign's next deadline once it is
//! under 48 hours away, in the user's language; further off, nothing.

use dutydesk::tui::deadlines::Deadline;
use dutydesk::tui::{Message, update};

use crate::fixtures::{NOW, lang, model};
use crate::render;

const HOUR: i64 = 3_600_000;

fn deadlines(hours_left: i64) -> Vec<Deadline> {
    vec![
        Deadline {
            campaign_zh: "企业法律服务专项".into(),
            campaign_en: "Enterprise service".into(),
            due_by: NOW + hours_left * HOUR + 5 * 60_000,
        },
        // Further off: never the one shown.
        Deadline {
            campaign_zh: "法律援助专项".into(),
            campaign_en: "Legal aid".into(),
            due_by: NOW + 200 * HOUR,
        },
    ]
}

fn status_line(screen: &str) -> String {
    screen.lines().last().unwrap().to_string()
}

#[test]
fn the_status_bar_counts_down_under_48_hours() {
    for (code, want) in [
        ("en", "Enterprise service due in 1 d 6 h"),
        ("zh-CN", "企业法律服务专项 还剩 1 天 6 小时截止"),
    ] {
        let _g = lang(code);
        let mut m = model();
        update(&mut m, Message::DeadlinesLoaded(deadlines(30)));
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let screen = render(&mut m, w, h);
            let line = status_line(&screen);
            assert!(line.contains(want), "{code} {w}x{h}: {line}");
            insta::assert_snapshot!(format!("deadline_{code}_{w}x{h}"), line);
        }
        // 60 hours off: no countdown yet.
        update(&mut m, Message::DeadlinesLoaded(deadlines(60)));
        let line = status_line(&render(&mut m, 120, 40));
        assert!(!line.contains("60") && !line.contains("2 d"), "{code}: {line}");
        assert!(!line.contains("⏱"), "{code}: {line}");
    }
}
