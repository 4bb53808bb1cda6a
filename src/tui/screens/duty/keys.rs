//! The duty screen's keys: check in or out of the shift under the cursor.

use crate::api::DutyShift;
use crate::tui::keymap::Action;
use crate::tui::message::Command;
use crate::tui::screens::{ListState, step};

pub fn apply(shifts: &[DutyShift], st: &ListState, action: Action) -> Option<Command> {
    let shift = shifts.get(st.selected)?;
    match action {
        Action::CheckIn => Some(Command::CheckIn(shift.id)),
        Action::CheckOut => Some(Command::CheckOut(shift.id)),
        _ => None,
    }
}

pub fn move_selection(shifts: &[DutyShift], st: &mut ListState, by: isize) {
    st.selected = step(st.selected, shifts.len(), by);
}
