//! What a screen or dialog may read besides its own state: the theme, the
//! keymap, the time, who is signed in, the items on hand. Built from the
//! model's fields by `model::context!`, so a screen's own state can be
//! borrowed mutably beside it; screens and dialogs never see the `Model`.

use std::cell::Cell;
use std::collections::BTreeSet;

use super::keymap::Keymap;
use super::shared::Screen;
use super::theme::Theme;
use crate::api::WorkItem;
use crate::api::intake_units::IntakeUnit;
use crate::domain::{EpochMs, Role};
use crate::i18n::Language;

pub struct Context<'a> {
    pub theme: &'a Theme,
    pub keymap: &'a Keymap,
    pub now: EpochMs,
    /// The signed-in role and user id, once known: the one place screens
    /// and dialogs read them from, so what they offer can follow the role.
    pub role: Option<Role>,
    pub me_id: Option<i64>,
    pub language: Language,
    /// The screen in front (dialogs title themselves after it).
    pub screen: Screen,
    pub width: u16,
    pub height: u16,
    /// Screens whose data the server refused to this role.
    pub refused: &'a BTreeSet<Screen>,
    /// My items and the pool, as last loaded.
    pub items: &'a [WorkItem],
    pub pool: &'a [WorkItem],
    /// The units an intake registration may go to, once loaded.
    pub intake_units: Option<&'a [IntakeUnit]>,
    pub requests: &'a RequestIds,
}

impl Context<'_> {
    /// An item on hand by id: mine first, then the pool.
    pub fn known_item(&self, id: i64) -> Option<&WorkItem> {
        self.items.iter().chain(self.pool.iter()).find(|i| i.id == id)
    }
}

/// The numbers that pair a form's save with its answer. A `Cell` so a
/// dialog can take one through the shared, read-only context: the only
/// thing in it that changes, and only ever upward.
#[derive(Debug)]
pub struct RequestIds(Cell<u64>);

impl Default for RequestIds {
    fn default() -> Self {
        RequestIds(Cell::new(1))
    }
}

impl RequestIds {
    pub fn take(&self) -> u64 {
        let r = self.0.get();
        self.0.set(r + 1);
        r
    }
}

/// The language the catalogs speak now.
pub fn language() -> Language {
    Language::parse(&rust_i18n::locale()).unwrap_or_default()
}
