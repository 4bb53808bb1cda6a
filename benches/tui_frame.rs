//! The cost of one key press (`update`) plus one frame (`view`) on the
//! queue, with 100 and with 100,000 cached items: it must not grow with the
//! number of items. The floor, measured in the same run, is a bare ratatui
//! `Table` drawing the same visible rows from a prepared list.
//!
//!     cargo bench --bench tui_frame

mod support;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use dutydesk::tui::keymap::Keymap;
use dutydesk::tui::theme::Theme;
use dutydesk::tui::{Identity, Message, Model, update, view};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table, TableState};

fn model_with(n: usize) -> Model {
    let identity = Identity {
        user: "王律师".into(),
        profile: "default".into(),
    };
    let mut model = Model::new(identity, Keymap::default(), Theme::default(), support::NOW);
    update(&mut model, Message::ItemsLoaded(support::synthetic_items(n)));
    model
}

fn key(code: KeyCode) -> Message {
    Message::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn frame(c: &mut Criterion) {
    dutydesk::i18n::set_language(dutydesk::i18n::Language::ZhCn);
    let mut group = c.benchmark_group("key_and_frame_120x40");
    group.sample_size(30);
    group.measurement_time(std::time::Duration::from_secs(3));
    for n in [100usize, 100_000] {
        let mut model = model_with(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        let mut down = true;
        group.bench_with_input(BenchmarkId::new("dutydesk", n), &n, |b, _| {
            b.iter(|| {
                let code = if down { KeyCode::Down } else { KeyCode::Up };
                down = !down;
                update(&mut model, key(code));
                terminal.draw(|f| view(&model, f)).expect("draw");
            })
        });

        // The floor: a bare ratatui table over rows prepared once.
        let items = support::synthetic_items(n);
        let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("test backend");
        let mut state = TableState::default().with_selected(Some(0));
        group.bench_with_input(BenchmarkId::new("bare_ratatui_table", n), &n, |b, _| {
            b.iter(|| {
                let next = state.selected().map_or(0, |s| if s == 0 { 1 } else { 0 });
                state.select(Some(next));
                terminal
                    .draw(|f| {
                        let rows = items
                            .iter()
                            .map(|i| Row::new([i.id.to_string(), i.title.clone()]));
                        let table = Table::new(rows, [Constraint::Length(8), Constraint::Fill(1)]);
                        f.render_stateful_widget(table, f.area(), &mut state);
                    })
                    .expect("draw");
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frame);
criterion_main!(benches);
