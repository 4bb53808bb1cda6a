//! The rooms' day: each room's sessions on a timeline. Its state here, its
//! keys in `keys`, its drawing in `view`.

pub mod keys;
pub mod view;

use crate::api::{Schedule, WorkItem};

#[derive(Debug, Default)]
pub struct ScheduleState {
    pub date: String,
    pub schedule: Option<Schedule>,
    pub selected: usize,
    /// A join link shown for selection when the clipboard is not reachable.
    pub shown_link: Option<String>,
}

impl ScheduleState {
    /// The day's sessions, room by room, in the order the screen lists them.
    pub fn sessions(&self) -> Vec<&WorkItem> {
        self.schedule
            .as_ref()
            .map(|s| s.rooms.iter().flat_map(|r| r.sessions.iter()).collect())
            .unwrap_or_default()
    }

    /// The session under the cursor.
    pub fn selected_session(&self) -> Option<&WorkItem> {
        self.sessions().get(self.selected).copied()
    }
}
