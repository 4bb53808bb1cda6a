//! The plain types every part of the TUI speaks in: which screen, an
//! outbox row, the running timer, a saved draft, who is signed in, the
//! status-bar notice. They import nothing of the TUI, so screens, dialogs,
//! messages and the model can all use them without an import circle.

use serde::{Deserialize, Serialize};

use crate::domain::EpochMs;

/// The screens. A new screen is a variant here (and in `ALL`), a folder in
/// `screens/`, and its line in `view::draw_screen` and `update`'s key routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Screen {
    Queue,
    Detail,
    Schedule,
    Duty,
    Outbox,
    Stats,
    /// The unit's open work and who holds it (coordinators).
    Dispatch,
    /// The intake desk's registrations and its form.
    Intake,
}

impl Screen {
    pub const ALL: [Screen; 8] = [
        Self::Queue,
        Self::Detail,
        Self::Schedule,
        Self::Duty,
        Self::Outbox,
        Self::Stats,
        Self::Dispatch,
        Self::Intake,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Self::Queue => "queue",
            Self::Detail => "detail",
            Self::Schedule => "schedule",
            Self::Duty => "duty",
            Self::Outbox => "outbox",
            Self::Stats => "stats",
            Self::Dispatch => "dispatch",
            Self::Intake => "intake",
        }
    }

    pub fn label(self) -> String {
        let key = format!("tui.screen.{}", self.name());
        rust_i18n::t!(&key).into_owned()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxState {
    Pending,
    Failed,
}

/// One unsent record as the client core's outbox reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    pub id: String,
    /// What it is, already in words ("outcome for #12").
    pub what: String,
    pub state: OutboxState,
    /// The server's message for a failed entry.
    pub message: Option<String>,
    pub created_at: EpochMs,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OutboxSummary {
    pub entries: Vec<OutboxRow>,
}

impl OutboxSummary {
    pub fn count(&self, state: OutboxState) -> usize {
        self.entries.iter().filter(|e| e.state == state).count()
    }
}

/// The running timer, stored locally by the client core.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunningTimer {
    pub item_id: i64,
    pub started_at: EpochMs,
}

/// An unsent form, saved when the app is killed and offered back on start.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub item_id: i64,
    pub code: Option<String>,
    pub minutes: String,
    pub settled_amount: String,
    pub fee_waived: String,
    pub note: String,
}

/// Who is at the keyboard, for the status bar.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub user: String,
    pub profile: String,
}

/// A short line in the status bar: the result of the last action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
    /// A reminder that leaves the time of the last sync in view (it is cut
    /// to fit beside it instead).
    pub beside_sync: bool,
}
