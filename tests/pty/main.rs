//! The real binary in a real pseudo-terminal (80x24), read back through a
//! vt100 parser: the app as a user sees it, against the real reference
//! server on 127.0.0.1:0 with a SQLite file in a temp dir.

mod backend;
mod backend_notes;
mod damaged_store;
mod demo;
#[path = "../common/demo_server.rs"]
mod demo_server;
mod dispatch;
mod first_password;
mod flow;
mod hangup;
#[path = "../common/home.rs"]
mod home;
mod intake;
mod overdue;
mod readme;
mod schedule_booking;
mod startup;
mod stats_tree;
mod support;
mod switch_user;
mod workflow;
