//! One item in full: its fields, outcomes, time and history. Its state
//! stays on the model (`detail_id`, `detail`, `detail_scroll`) and reaches
//! the drawing as a [`DetailView`]; its keys are in `keys`.

pub mod keys;
pub mod view;

use crate::api::{ItemDetail, WorkItem};

/// What the detail screen shows, borrowed from the model.
pub struct DetailView<'a> {
    /// The full detail once loaded, the cached list row until then.
    pub item: Option<&'a WorkItem>,
    /// The loaded detail of that item (outcomes, time, history).
    pub detail: Option<&'a ItemDetail>,
    /// Lines scrolled off the top.
    pub scroll: u16,
}
