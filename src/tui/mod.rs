//! The terminal app, Elm style: a [`Model`] holds all state, [`update`]
//! turns a [`Message`] into a changed model and maybe a [`Command`] for a
//! background task, [`view`] draws the model. `run` owns the terminal and
//! the loop; the caller plugs in a [`run::Backend`] that does the work.

mod activity_actions;
pub mod app;
mod ascii;
pub mod backend;
pub mod context;
pub mod deadlines;
mod detail_actions;
mod dialog_update;
pub mod dispatch_actions;
mod follow;
mod heap;
mod hydrate;
pub mod intake_actions;
pub mod keymap;
pub mod labels;
pub mod message;
pub mod model;
pub mod overdue;
pub mod popups;
pub mod reply;
pub mod role_screens;
pub mod roles;
pub mod run;
pub(crate) mod schedule_actions;
pub mod screens;
pub mod shared;
pub mod theme;
pub mod time;
pub mod update;
pub mod view;

pub use model::{
    Command, Draft, Identity, Message, Model, OutboxRow, OutboxState, OutboxSummary, RunningTimer, Screen,
};
pub use update::update;
pub use view::view;
