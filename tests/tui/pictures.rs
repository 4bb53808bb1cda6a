//! Snapshots of every screen and dialog at 80x24 and 120x40, in zh-CN and
//! en, and the too-small screen. Read the .snap files: they are the screens.

use crossterm::event::KeyCode;
use dutydesk::domain::{Category, Channel, FrontlineGroup, ItemKind, ItemStatus};
use dutydesk::tui::model::QueueTab;
use dutydesk::tui::{Message, Model, Screen, update};

use crate::fixtures::{self, ItemSpec, NOW, lang};
use crate::{press, render, typed};

fn tab(m: &mut Model, tab: QueueTab) {
    while m.queue.tab() != tab {
        press(m, KeyCode::Tab);
    }
}

fn detail(m: &mut Model, id: i64) {
    let item = m
        .items
        .iter()
        .find(|i| i.id == id)
        .cloned()
        .expect("fixture item");
    m.detail_id = Some(id);
    m.screen = Screen::Detail;
    update(
        m,
        Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&fixtures::with_parties(&item)))),
    );
}

type Setup = fn(&mut Model);

const CASES: &[(&str, Setup)] = &[
    ("queue", |m| tab(m, QueueTab::Consultations)),
    ("queue_pool", |m| tab(m, QueueTab::Pool)),
    ("queue_filter", |m| {
        tab(m, QueueTab::Consultations);
        press(m, KeyCode::Char('/'));
        typed(m, "工资");
    }),
    ("detail", |m| {
        detail(m, 2);
        press(m, KeyCode::Char('t'));
        update(m, Message::Tick(NOW + 61_000));
    }),
    ("schedule", |m| {
        press(m, KeyCode::Char('2'));
        update(m, Message::ScheduleLoaded(fixtures::schedule()));
    }),
    ("duty", |m| {
        press(m, KeyCode::Char('3'));
        update(m, Message::DutyLoaded(fixtures::shifts()));
    }),
    ("outbox", |m| {
        press(m, KeyCode::Char('4'));
    }),
    ("dialog_outcome", |m| {
        detail(m, 4);
        press(m, KeyCode::Char('o'));
        press(m, KeyCode::Tab);
        typed(m, "60");
        press(m, KeyCode::Tab);
        typed(m, "8000");
        press(m, KeyCode::Tab);
        typed(m, "双方当庭达成协议");
    }),
    ("dialog_time", |m| {
        detail(m, 1);
        press(m, KeyCode::Char('m'));
        typed(m, "30");
    }),
    ("dialog_note", |m| {
        detail(m, 1);
        press(m, KeyCode::Char('n'));
        typed(m, "当事人要求书面答复");
    }),
    ("dialog_transition", |m| {
        detail(m, 1);
        press(m, KeyCode::Char('x'));
    }),
    ("dialog_confirm", |m| {
        press(m, KeyCode::Char('4'));
        press(m, KeyCode::Down);
        press(m, KeyCode::Char('d'));
    }),
    ("dialog_palette", |m| {
        press(m, KeyCode::Char(':'));
        typed(m, "d");
    }),
    ("dialog_help", |m| {
        press(m, KeyCode::Char('?'));
    }),
    ("dialog_claim_conflict", |m| {
        tab(m, QueueTab::Pool);
        update(
            m,
            Message::ClaimConflict {
                item_id: 21,
                taken_by: "李律师".into(),
            },
        );
    }),
    ("dialog_over_chinese_table", |m| {
        update(m, Message::ItemsLoaded(green_channel_table()));
        tab(m, QueueTab::ProBono);
        press(m, KeyCode::Char('?'));
    }),
];

#[test]
fn every_screen_and_dialog_in_both_languages_and_sizes() {
    crate::snapshots::each_case_in_both_languages_and_sizes!(CASES, fixtures::model, lang, render);
}

#[test]
fn too_small_says_what_it_needs_in_both_languages() {
    for (code, want) in [
        ("en", "Terminal too small (need 80x24"),
        ("zh-CN", "终端窗口太小（需要 80x24"),
    ] {
        let _l = lang(code);
        let mut m = fixtures::model();
        let screen = render(&mut m, 79, 24);
        assert!(screen.contains(want), "{screen}");
        let screen = render(&mut m, 60, 20);
        insta::assert_snapshot!(format!("too_small_{code}_60x20"), screen);
        // Back to a usable size: the queue again.
        assert!(!render(&mut m, 80, 24).contains(want));
    }
}

#[test]
fn ascii_borders_for_terminals_that_draw_box_characters_wide() {
    let _l = lang("zh-CN");
    let over: toml::Table = "borders = \"ascii\"".parse().expect("toml");
    let mut m = fixtures::model();
    m.theme = dutydesk::tui::theme::Theme::load("default", Some(&over), false).expect("theme");
    press(&mut m, KeyCode::Char('?'));
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("+-"), "{screen}");
    assert!(!screen.contains('│') && !screen.contains('┌'), "{screen}");
    press(&mut m, KeyCode::Esc);
    tab(&mut m, QueueTab::ProBono);
    let screen = render(&mut m, 80, 24);
    assert!(screen.contains("*医") && !screen.contains('●'), "{screen}");
}

/// With ASCII borders nothing on any screen is of ambiguous width, not even
/// in text from the server: a terminal that draws `…`, `“”` or `·` two
/// columns wide would shift the rest of the line.
#[test]
fn ascii_borders_leave_no_ambiguous_width_character_on_any_screen() {
    use unicode_width::UnicodeWidthChar;
    let over: toml::Table = "borders = \"ascii\"".parse().expect("toml");
    for (name, setup) in CASES {
        for code in ["zh-CN", "en"] {
            let _l = lang(code);
            let mut m = fixtures::model();
            m.theme = dutydesk::tui::theme::Theme::load("default", Some(&over), false).expect("theme");
            let mut items = m.items.clone();
            for item in &mut items {
                item.title = format!("“{}”—①…", item.title);
                for party in &mut item.parties {
                    party.name = format!("阿依古丽·{}", party.name);
                }
            }
            update(&mut m, Message::ItemsLoaded(items));
            update(
                &mut m,
                Message::TimerChanged(Some(dutydesk::tui::model::RunningTimer {
                    item_id: 1,
                    started_at: NOW - 600_000,
                })),
            );
            setup(&mut m);
            for (w, h) in [(80, 24), (120, 40)] {
                let screen = render(&mut m, w, h);
                let wide: Vec<char> = screen.chars().filter(|c| c.width_cjk() > c.width()).collect();
                assert!(wide.is_empty(), "{name} {code} {w}x{h}: {wide:?}\n{screen}");
            }
        }
    }
}

/// Twenty green-channel requests, so a dialog sits on Chinese text whose
/// wide characters straddle its edges.
fn green_channel_table() -> Vec<dutydesk::api::WorkItem> {
    let titles = [
        "医护人员劳动合同纠纷咨询",
        "援鄂医疗队员子女入学",
        "社区工作者工伤认定",
        "民警家属房屋租赁纠纷",
    ];
    let groups = [
        FrontlineGroup::Medical,
        FrontlineGroup::Police,
        FrontlineGroup::Community,
    ];
    (0..20)
        .map(|i| {
            fixtures::item(ItemSpec {
                id: 100 + i,
                kind: ItemKind::ProBono,
                title: titles[i as usize % titles.len()],
                channel: Channel::Online,
                category: Category::LabourContract,
                group: Some(groups[i as usize % groups.len()]),
                status: ItemStatus::New,
                due_in: (i + 1) * fixtures::HOUR,
                party: "某某",
            })
        })
        .collect()
}

/// ratatui #2526: where a wide character of the table under a dialog
/// straddles the dialog's edge, the terminal would draw it over the border.
/// Every row of the dialog must show its left border at the right column.
#[test]
fn dialog_edges_over_wide_characters_stay_clean() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let _l = lang("zh-CN");
        let mut m = fixtures::model();
        update(&mut m, Message::ItemsLoaded(green_channel_table()));
        tab(&mut m, QueueTab::ProBono);
        press(&mut m, KeyCode::Char('?'));
        let screen = render(&mut m, w, h);
        let rows = m.keymap.for_screen(Screen::Queue).len().div_ceil(2) as u16 + 2;
        let (px, pw) = (w.saturating_sub(76) / 2, 76.min(w));
        let top = (h - rows) / 2;
        for (y, line) in screen.lines().enumerate().skip(top as usize).take(rows as usize) {
            let mut col = 0usize;
            let mut at_left = None;
            let mut at_right = None;
            for ch in line.chars() {
                if col == px as usize {
                    at_left = Some(ch);
                }
                if col == (px + pw - 1) as usize {
                    at_right = Some(ch);
                }
                col += unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            }
            assert_eq!(col, w as usize, "row {y} is not {w} columns wide: {line}");
            assert!(
                matches!(at_left, Some('│' | '┌' | '└')),
                "row {y} left edge: {line}"
            );
            assert!(
                matches!(at_right, Some('│' | '┐' | '┘')),
                "row {y} right edge: {line}"
            );
        }
    }
}
