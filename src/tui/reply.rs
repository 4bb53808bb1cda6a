//! What a screen's key asks of the model beyond the screen's own state: a
//! command to run, a dialog to open, a screen to go to, a line for the
//! status bar. The screen changes its own state itself and returns this;
//! `update` applies it (`Model::apply`).

use super::message::Command;
use super::popups::Popup;
use super::shared::{Notice, Screen};

#[derive(Debug, Default)]
pub struct Reply {
    pub command: Option<Command>,
    pub popup: Option<Popup>,
    pub go: Option<Screen>,
    pub notice: Option<Notice>,
}

impl Reply {
    pub fn run(command: Command) -> Self {
        Reply {
            command: Some(command),
            ..Reply::default()
        }
    }

    pub fn open(popup: Popup) -> Self {
        Reply {
            popup: Some(popup),
            ..Reply::default()
        }
    }

    pub fn go(screen: Screen) -> Self {
        Reply {
            go: Some(screen),
            ..Reply::default()
        }
    }
}

impl Reply {
    /// A line in the status bar: a result, or a warning (`error`).
    pub fn notice(text: impl Into<String>, error: bool) -> Self {
        Reply {
            notice: Some(Notice {
                text: text.into(),
                error,
                beside_sync: false,
            }),
            ..Reply::default()
        }
    }

    pub fn warn(text: impl Into<String>) -> Self {
        Reply::notice(text, true)
    }

    /// A standing reminder: the warning style, cut to fit beside the
    /// time of the last sync (as `Model::remind`).
    pub fn remind(text: impl Into<String>) -> Self {
        Reply {
            notice: Some(Notice {
                text: text.into(),
                error: true,
                beside_sync: true,
            }),
            ..Reply::default()
        }
    }

    pub fn and_run(mut self, command: Command) -> Self {
        self.command = Some(command);
        self
    }
}

impl From<Option<Command>> for Reply {
    fn from(command: Option<Command>) -> Self {
        Reply {
            command,
            ..Reply::default()
        }
    }
}
