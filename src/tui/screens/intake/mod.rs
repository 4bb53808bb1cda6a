//! The intake desk's screen: what it registered and the conflict warnings
//! left for later. Its state here, its keys in `keys`, its drawing in `view`.

pub mod keys;
pub mod view;

use crate::api::intake_units::IntakeUnit;
use crate::client::intake_queue::{Registered, Warning};
use crate::domain::{EpochMs, ItemKind};

/// A registration still in the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waiting {
    pub kind: ItemKind,
    pub title: String,
    pub created_at: EpochMs,
    /// The server's words, when it refused it.
    pub failed: Option<String>,
}

/// What the desk registered, as the backend read it from the store.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IntakeView {
    pub waiting: Vec<Waiting>,
    pub registered: Vec<Registered>,
    /// Items whose acknowledgment is still in the outbox.
    pub acking: Vec<i64>,
}

#[derive(Debug, Default)]
pub struct IntakeState {
    /// Where the desk may send work; `None` until the server answered.
    pub units: Option<Vec<IntakeUnit>>,
    pub view: IntakeView,
    pub selected: usize,
    /// Warnings closed with Esc: still to acknowledge, shown again with
    /// the review key (and marked in the status line).
    pub later: Vec<Warning>,
    /// The refused sign-in was said (once per run).
    pub signin_said: bool,
}

impl IntakeState {
    pub fn rows(&self) -> usize {
        self.view.waiting.len() + self.view.registered.len()
    }

    /// The registration under the cursor, when it reached the server.
    pub fn selected_registered(&self) -> Option<&Registered> {
        let at = self.selected.checked_sub(self.view.waiting.len())?;
        self.view.registered.get(at)
    }

    pub fn unit_name(&self, id: i64) -> String {
        self.units
            .iter()
            .flatten()
            .find(|u| u.unit.id == id)
            .map(|u| u.unit.name.clone())
            .unwrap_or_else(|| format!("#{id}"))
    }
}
