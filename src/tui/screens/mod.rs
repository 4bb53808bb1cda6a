//! One module per screen, each with a `draw`. Keys reach a screen as
//! keymap actions through `update::apply_action`. Adding a screen: a
//! variant of `model::Screen`, a module here, a line in `draw`.

pub mod detail;
pub mod dispatch;
pub mod duty;
pub mod intake;
pub mod outbox;
pub mod queue;
pub mod schedule;
pub mod stats;

use ratatui::Frame;
use ratatui::layout::Rect;

use super::model::{Model, Screen};

pub fn draw(model: &Model, frame: &mut Frame, area: Rect) {
    match model.screen {
        Screen::Queue => queue::draw(model, frame, area),
        Screen::Detail => detail::draw(model, frame, area),
        Screen::Schedule => schedule::draw(model, frame, area),
        Screen::Duty => duty::draw(model, frame, area),
        Screen::Outbox => outbox::draw(model, frame, area),
        Screen::Stats => stats::draw(model, frame, area),
        Screen::Dispatch => dispatch::draw(model, frame, area),
        Screen::Intake => intake::draw(model, frame, area),
    }
}

/// The first row of a window of `rows` lines that keeps `selected` in view.
pub fn window_start(selected: usize, rows: usize) -> usize {
    if rows == 0 {
        0
    } else {
        selected.saturating_sub(rows - 1)
    }
}

/// Moves a selection within `len` rows by `step`, clamped.
pub fn step(selected: usize, len: usize, step: isize) -> usize {
    if len == 0 {
        return 0;
    }
    (selected as isize + step).clamp(0, len as isize - 1) as usize
}
