//! My duty shifts, checked in and out. Its rows and cursor stay on the
//! model (`duty`, `duty_state`); its keys are in `keys`, its drawing in
//! `view`.

pub mod keys;
pub mod view;
