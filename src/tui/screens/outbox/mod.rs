//! What waits in the outbox, pending or refused: retried or discarded
//! here. Its rows and cursor stay on the model (`outbox`, `outbox_state`);
//! its keys are in `keys`, its drawing in `view`.

pub mod keys;
pub mod view;
