//! One key press and one frame cost the same with 1,000 or 100,000 items:
//! the queue's order is prepared when items change, and a frame draws only
//! the visible window. (The criterion benchmark measures it precisely; this
//! catches a frame that walks the whole list.)

use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use dutydesk::tui::{Message, Model, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixtures::{self, lang};
use crate::key;

fn model_with(n: usize) -> Model {
    let base = fixtures::my_items();
    let items = (0..n)
        .map(|i| {
            let mut item = base[i % base.len()].clone();
            item.id = i as i64 + 1;
            item.due_at += (i as i64 % 97) * 60_000;
            item
        })
        .collect();
    let mut m = fixtures::model();
    update(&mut m, Message::ItemsLoaded(items));
    m
}

/// The median time of a key press and a frame.
fn step_time(m: &mut Model) -> Duration {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
    let mut times: Vec<Duration> = (0..9)
        .map(|i| {
            let start = Instant::now();
            let code = if i % 2 == 0 { KeyCode::Down } else { KeyCode::Up };
            update(m, key(code));
            terminal.draw(|f| view(m, f)).expect("draw");
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

#[test]
fn a_frame_does_not_grow_with_the_number_of_items() {
    let _l = lang("zh-CN");
    let mut small = model_with(1_000);
    let mut large = model_with(100_000);
    let (s, l) = (step_time(&mut small), step_time(&mut large));
    // Linear work would make the large one about 100 times slower.
    assert!(
        l < s * 5 + Duration::from_millis(20),
        "1,000 items: {s:?}; 100,000 items: {l:?}"
    );
}
