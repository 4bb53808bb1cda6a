//! One folder per screen: its state in `mod.rs`, its keys in `keys.rs`
//! (`actions.rs` for Stats), its drawing in `view.rs`. A screen works on
//! its own state and the read-only `Context`; it never sees the `Model`.
//! Adding a screen: a variant of `shared::Screen`, a folder here, its
//! line in `view::draw_screen` and in `update`'s key routing.

pub mod detail;
pub mod dispatch;
pub mod duty;
pub mod intake;
pub mod outbox;
pub mod queue;
pub mod schedule;
pub mod stats;

/// The cursor of a plain list screen (duty, outbox).
#[derive(Debug, Default)]
pub struct ListState {
    pub selected: usize,
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
