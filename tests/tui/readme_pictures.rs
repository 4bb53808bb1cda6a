//! The README's pictures: the queue, the outcome form and the Stats screen
//! at 80x24 in zh-CN, drawn by the real view code into ratatui's test
//! backend and written as SVG to docs/pictures/. The test fails when they
//! are out of date; `scripts/pictures` (UPDATE_PICTURES=1) redraws them.

use crossterm::event::KeyCode;
use dutydesk::tui::model::QueueTab;
use dutydesk::tui::{Message, Model, Screen, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixtures::{self, lang};
use crate::{press, typed};

type Setup = fn(&mut Model);

const PICTURES: &[(&str, &str, Setup)] = &[
    ("queue", "dutydesk: the queue (zh-CN, 80x24)", |m| {
        while m.queue.tab() != QueueTab::Consultations {
            press(m, KeyCode::Tab);
        }
    }),
    ("outcome", "dutydesk: logging an outcome (zh-CN, 80x24)", |m| {
        let item = m
            .items
            .iter()
            .find(|i| i.id == 4)
            .cloned()
            .expect("fixture item 4");
        m.detail_id = Some(4);
        m.screen = Screen::Detail;
        update(
            m,
            Message::ItemDetailLoaded(Box::new(fixtures::detail_of(&fixtures::with_parties(&item)))),
        );
        press(m, KeyCode::Char('o'));
        press(m, KeyCode::Tab);
        typed(m, "60");
        press(m, KeyCode::Tab);
        typed(m, "8000");
        press(m, KeyCode::Tab);
        typed(m, "双方当庭达成协议");
    }),
    (
        "stats",
        "dutydesk: the Stats screen (zh-CN, 80x24)",
        crate::stats_fixtures::on_stats,
    ),
];

fn picture(setup: Setup, title: &str) -> String {
    let mut m = fixtures::model();
    setup(&mut m);
    update(&mut m, Message::Resize(80, 24));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("test backend");
    terminal.draw(|f| view(&m, f)).expect("draw");
    crate::svg::render(terminal.backend().buffer(), title)
}

#[test]
fn the_readme_pictures_are_drawn_from_the_current_screens() {
    let _l = lang("zh-CN");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/pictures");
    let update_them = std::env::var_os("UPDATE_PICTURES").is_some();
    let mut stale = Vec::new();
    for (name, title, setup) in PICTURES {
        let svg = picture(*setup, title);
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
        let path = dir.join(format!("{name}.svg"));
        if update_them {
            std::fs::create_dir_all(&dir).expect("docs/pictures");
            std::fs::write(&path, &svg).expect("write picture");
        } else if std::fs::read_to_string(&path).ok().as_deref() != Some(svg.as_str()) {
            stale.push(path.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "out of date: {stale:?}; run scripts/pictures and look at them"
    );
}
